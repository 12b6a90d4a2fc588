// Inspection snapshots (src/socket/inspect.ts) read the interpreter without changing it: the
// connect machine's state and candidates, -error as it would be read next, buffers, scripts
// and watches. Each test checks a fact a Tcl command can confirm independently.
import { describe, expect, it } from 'vitest';
import { World } from '../../../src/sim/world.js';
import { serve } from '../../../src/sim/apps.js';
import { SimDriver } from '../../../src/socket/sim-driver.js';
import { Interp } from '../../../src/socket/interp.js';
import { inspectInterp, maskLetters, recordSnapshots } from '../../../src/socket/inspect.js';
import { profile } from '../../../src/socket/profiles.js';

function setup(profileName = 'default'): { world: World; tcl: Interp } {
  const world = new World({ seed: 1 });
  const host = world.addHost('client', { addresses: ['10.0.0.1', 'fd00::1'] });
  const server = world.addHost('server', { addresses: ['10.0.0.2', 'fd00::2'] });
  serve(server, { port: 80, behaviour: { kind: 'reply', line: 'hi', then: 'keep-open' }, address: '10.0.0.2' });
  host.setHostsEntry('svc', ['fd00::2', '10.0.0.2']);
  const tcl = new Interp(new SimDriver(world, 'client'), { trace: world.trace, profile: profileName });
  return { world, tcl };
}

describe('inspectInterp', () => {
  it('shows an async connect in flight: both candidates in resolver order, the first being tried, -connecting 1', () => {
    const { tcl } = setup();
    const chan = tcl.socket('svc', 80, { async: true });
    const snap = inspectInterp(tcl);
    const c = snap.channels.find((x) => x.name === chan.name);
    expect(c?.state).toBe('inflight');
    expect(c?.trying).toBe(0);
    expect(c?.connecting).toBe(true);
    expect(c?.candidates.map((s) => s.split(' ← ')[0])).toEqual(['[fd00::2]:80', '10.0.0.2:80']);
    // The connector's internal watch on the attempt socket waits for writable or exception.
    expect(snap.watches.map((w) => [w.label, w.mask])).toEqual([[`connect:${chan.name}`, 'wx']]);
  });

  it('shows the walk moved to the second candidate after the first was refused, and a fileevent script once registered', () => {
    const { tcl } = setup();
    const chan = tcl.socket('svc', 80, { async: true });
    tcl.vwait(() => !chan.connector.connecting, {});
    const c = inspectInterp(tcl).channels[0];
    expect(c?.state).toBe('connected');
    expect(c?.trying).toBe(1);
    expect(c?.connecting).toBe(false);
    chan.fileevent('readable', { text: 'R', run: () => undefined });
    expect(inspectInterp(tcl).channels[0]?.fileevents).toEqual({ readable: 'R' });
  });

  it('reports the -error a failed connect will give without consuming it: -error still answers it afterwards', () => {
    const { tcl } = setup();
    const chan = tcl.socket('10.0.0.2', 81, { async: true });
    tcl.vwait(() => !chan.connector.connecting, {});
    const before = inspectInterp(tcl).channels[0];
    expect(before?.state).toBe('failed');
    expect(before?.error).toBe('ECONNREFUSED');
    expect(inspectInterp(tcl).channels[0]?.error).toBe('ECONNREFUSED');
    expect(chan.configure('-error')).toBe('connection refused');
    // Read once (not a sticky-error profile): now nothing is pending.
    expect(inspectInterp(tcl).channels[0]?.error).toBe('');
  });

  it('counts output written while connecting as pending', () => {
    const { tcl } = setup();
    const chan = tcl.socket('svc', 80, { async: true });
    chan.configure({ '-blocking': '0' });
    chan.puts('HELO');
    chan.flush();
    expect(inspectInterp(tcl).channels[0]?.pendingOutput).toBe(6); // HELO + CRLF
    expect(inspectInterp(tcl).channels[0]?.bgFlush).toBe(true);
  });

  it('under bug 336441ed59 shows a new watch as not yet effective', () => {
    const { tcl } = setup('default+336441ed59');
    tcl.socket('svc', 80, { async: true });
    expect(inspectInterp(tcl).watches.map((w) => w.effective)).toEqual([false]);
    expect(inspectInterp(tcl).profile).toBe('default+336441ed59');
  });

  it('writes masks as letters', () => {
    expect([maskLetters(0), maskLetters(1), maskLetters(2), maskLetters(6), maskLetters(7)]).toEqual(['-', 'r', 'w', 'wx', 'rwx']);
  });
});

describe('recordSnapshots', () => {
  it('takes one snapshot per trace entry while recording, and none after stop', () => {
    const { world, tcl } = setup();
    const from = world.trace.entries.length;
    const recorder = recordSnapshots(tcl, [world.trace]);
    const chan = tcl.socket('svc', 80, { async: true });
    tcl.vwait(() => !chan.connector.connecting, {});
    recorder.stop();
    const during = world.trace.entries.slice(from);
    const seen = during.filter((e) => recorder.at.has(e)).length;
    expect(during.length).toBeGreaterThan(3);
    expect(seen).toBe(during.length);
    tcl.update();
    expect(recorder.at.size).toBe(seen);
    // The snapshot after the socket command shows the channel it made.
    const op = world.trace.entries.find((e) => e.kind === 'obs' && String(e['op']).startsWith('socket'));
    expect(op === undefined ? undefined : recorder.at.get(op)?.channels.map((c) => c.name)).toEqual([chan.name]);
  });

  it('costs nothing when not asked for: an interpreter without a recorder has no trace subscriber', () => {
    const { world } = setup();
    expect(world.trace.listenerCount('entry')).toBe(0);
  });
});

describe('profile names with bug switches', () => {
  it('name+bug is the profile withBugs that switch, named as written', () => {
    const p = profile('default+336441ed59');
    expect(p.bugs).toEqual(['336441ed59']);
    expect(p.notifier.loseReadinessBeforeWatch).toBe(true);
    expect(p.name).toBe('default+336441ed59');
    expect(profile('tcl-8.6.2+-unix+13d3af3ad5').machine.onlyFirstAddress).toBe(true);
  });

  it('an unknown bug switch is ERR_UNKNOWN_PROFILE listing the switches', () => {
    expect(() => profile('default+nope')).toThrow(/unknown bug switch "nope".*336441ed59/);
  });
});
