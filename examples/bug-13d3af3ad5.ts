/**
 * Bug 13d3af3ad5 (Windows Tcl 8.6.0–8.6.1): `socket -async` tried only the first address DNS
 * returned. `localhost` resolves to ::1 then 127.0.0.1 and the server listens on 127.0.0.1
 * only: under `tcl-8.6.1-win` the connect fails with "connection refused" from ::1; under the
 * default profile the walk moves on to 127.0.0.1 and connects.
 */
import { World } from '../src/sim/world.js';
import { app, interpOn, main, script, timeline, type ExampleRun } from './support.js';

export interface WalkOutcome {
  readonly profile: string;
  readonly error: string;
  readonly attempts: number;
}

export function run(profile = 'tcl-8.6.1-win'): ExampleRun<WalkOutcome> {
  const world = new World({ seed: 1, loopbackLatency: { kind: 'fixed', ms: 1 } });
  const host = world.addHost('box', { addresses: ['10.0.0.5'] });
  app(host, 8080, { kind: 'reply', line: 'hello', then: 'keep-open' }, '127.0.0.1');
  const tcl = interpOn(world, 'box', profile);
  const h = tcl.socket('localhost', 8080, { async: true });
  h.fileevent('writable', script('Done', () => {
    h.fileevent('writable', null);
    tcl.set('done');
  }));
  tcl.vwait('done');
  const error = h.configure('-error');
  h.close();
  const attempts = world.trace.ofKind('net.attempt').length;
  return { outcome: { profile, error, attempts }, timeline: timeline(world) };
}

main(import.meta.url, 'Bug 13d3af3ad5: only the first address is tried (tcl-8.6.1-win vs default)', () => {
  const buggy = run('tcl-8.6.1-win');
  const fixed = run('tcl-8.6.13-unix');
  return { outcome: [buggy.outcome, fixed.outcome], timeline: [...buggy.timeline, '', '--- default profile ---', ...fixed.timeline] };
});
