import { describe, expect, it } from 'vitest';
import { Interp } from '../../../src/socket/interp.js';
import { ScriptedDriver } from '../../helpers/scripted-driver.js';

function obs(interp: Interp): string[] {
  return interp.trace.ofKind('obs').map(({ t: _t, kind: _k, ...rest }) => JSON.stringify(rest));
}

// The first end-to-end check of the channel layer: a two-address walk on the scripted driver.
describe('channel smoke', () => {
  it('walks to the second address and fires writable once', () => {
    const d = new ScriptedDriver().dns('localhost', ['::1', '127.0.0.1']).fate('::1', { kind: 'refuse' }).fate('127.0.0.1', { kind: 'accept', afterMs: 5, reply: 'bye\n' });
    const interp = new Interp(d);
    const c = interp.socket('localhost', 80, { async: true });
    let n = 0;
    c.fileevent('writable', { text: 'W', run: () => { n++; interp.set('done'); c.fileevent('writable', null); } });
    interp.vwait('done');
    expect(n).toBe(1);
    expect(c.configure('-error')).toBe('');
    expect(c.gets()).toBe('bye');
    expect(obs(interp)).toContain(JSON.stringify({ event: 'writable', chan: 'sock1', during: 'vwait done' }));
  });
});
