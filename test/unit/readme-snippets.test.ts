/**
 * The README's code is written against the public barrel; this test runs the same calls so the
 * README cannot drift from the API (it imports from src/index.ts exactly what the README names).
 */
import { describe, expect, it } from 'vitest';
import {
  World,
  SimDriver,
  Interp,
  serve,
  refusePort,
  formatTimeline,
  uniform,
  partition,
  blackhole,
  crashHost,
} from '../../src/index.js';

describe('README snippets', () => {
  it('"A first program" connects through the refused IPv6 address to the IPv4 one and reads the banner', () => {
    const world = new World({ seed: 1 });
    world.addHost('client', { addresses: ['10.0.0.1', 'fd00::1'] });
    const server = world.addHost('server', { addresses: ['10.0.0.2', 'fd00::2'] });
    world.dns.set('svc.example', ['fd00::2', '10.0.0.2']);
    world.faults.install(refusePort('fd00::2', 25));
    serve(server, { port: 25, behaviour: { kind: 'reply', line: '220 hello', then: 'keep-open' } });
    const tcl = new Interp(new SimDriver(world, 'client'), { trace: world.trace });
    const h = tcl.socket('svc.example', 25, { async: true });
    let error: string | undefined;
    h.fileevent('writable', {
      text: 'Connected',
      run: () => {
        h.fileevent('writable', null);
        error = h.configure('-error');
        tcl.set('done');
      },
    });
    tcl.vwait('done');
    expect(error).toBe('');
    expect(h.gets()).toBe('220 hello');
    expect(formatTimeline(world.trace.entries).some((l) => l.includes('writable sock1'))).toBe(true);
  });

  it('"The simulated world" set-up is accepted as written', () => {
    const world = new World({ seed: 42, latency: uniform(1, 5), tieBreaker: 'seeded' });
    world.addHost('a', { addresses: ['10.0.0.1', 'fd00::1'], ipv6Loopback: false });
    const b = world.addHost('b', { addresses: ['10.0.0.2'], routes: { '10.9.0.0/16': 'network-unreachable' } });
    world.dns.set('svc', ['fd00::2', '10.0.0.2'], { delayMs: 20 });
    world.dns.fail('flaky', 'timeout', { at: 1000, until: 5000 });
    const cut = world.faults.install(partition(['a'], ['b']), { at: 100, until: 900 });
    world.faults.install(blackhole('fd00::2'));
    crashHost(world, b, 2000, 3000);
    void cut;
    world.runUntilIdle();
    // The fault timeline and the crash happen at the times the snippet gives.
    const at = (kind: string): number[] => world.trace.ofKind(kind).map((e) => e.t);
    expect(at('host.crash')).toEqual([2000]);
    expect(at('host.restart')).toEqual([3000]);
    expect(at('fault.removed')).toContain(900);
  });
});
