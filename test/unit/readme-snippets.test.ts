/**
 * The README's code is written against the public barrel; this test runs the same calls so the
 * README cannot drift from the API (it imports from src/index.ts exactly what the README names).
 */
import { once } from 'node:events';
import type * as realNet from 'node:net';
import { describe, expect, it } from 'vitest';
import { createNet, runAsync } from '../../src/net-facade.js';
import fc from 'fast-check';
import { propertyParams } from '../helpers/property.js';
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
  withBugs,
  DEFAULT_PROFILE,
  WouldWaitForeverError,
  type WorldOptions,
  exploreExhaustive,
  describeExhaustive,
  ReplaySource,
  PctSource,
  parseSchedule,
} from '../../src/index.js';

describe('README snippets', () => {
  it('"Node clients (detnet/net)" runs the unmodified client through the IPv6 blackhole and reads the banner at 502 ms', async () => {
    async function fetchBanner(net: typeof realNet, host: string, port: number): Promise<string> {
      const socket = net.connect({ host, port });
      const [chunk] = await once(socket, 'data');
      socket.end();
      return String(chunk);
    }
    const world = new World({ seed: 1 });
    world.addHost('client', { addresses: ['10.0.0.1', 'fd00::1'] });
    world.addHost('server', { addresses: ['10.0.0.2', 'fd00::2'] });
    world.dns.set('svc', ['fd00::2', '10.0.0.2']);
    world.faults.install(blackhole('fd00::2'));
    createNet(world, 'server').createServer((s) => s.end('220 hello\n')).listen(25);
    const net = createNet(world, 'client') as unknown as typeof realNet;
    const banner = await runAsync(world, () => fetchBanner(net, 'svc', 25));
    expect(banner).toBe('220 hello\n');
    // 500 ms attempt timeout on fd00::2, then one 2 ms round trip to 10.0.0.2.
    expect(world.clock.now()).toBe(502);
  });

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

  it('"Exploring races": exhaustive proves the default profile and finds the bug, the schedule replays, seeded and PCT find it too', () => {
    const buggy = withBugs(DEFAULT_PROFILE, ['336441ed59']);

    /** One run: is the quick loopback connect reported, or would vwait wait forever? */
    function connectIsReported(tieBreaker: WorldOptions['tieBreaker'], profile = DEFAULT_PROFILE, seed = 1): boolean {
      const world = new World({ seed, ...(tieBreaker === undefined ? {} : { tieBreaker }) });
      const box = world.addHost('box', { addresses: ['10.0.0.5'] });
      serve(box, { port: 9000, address: '127.0.0.1', behaviour: { kind: 'reply', line: 'ok', then: 'keep-open' } });
      const tcl = new Interp(new SimDriver(world, 'box'), { trace: world.trace, profile });
      const h = tcl.socket('127.0.0.1', 9000, { async: true });
      h.fileevent('writable', { text: 'Connected', run: () => { h.fileevent('writable', null); tcl.set('done'); } });
      try {
        tcl.vwait('done');
        return true;
      } catch (err) {
        if (err instanceof WouldWaitForeverError) return false;
        throw err;
      }
    }

    // Default profile: the watch registers at once, so the only tie is the SYN-ACK against the
    // server's first data segment, which can go either way: two schedules, both fine.
    expect(describeExhaustive(exploreExhaustive((schedule) => connectIsReported(schedule)))).toBe(
      'all 2 schedules pass (every schedule covered)',
    );
    // Bug profile: the registration is a timer of its own. Depth first, the first schedule that
    // loses the completion lets the SYN (choice 0) and then the SYN-ACK (choice 1 of
    // [register, syn-ack, data]) run before it: 0.1, and FIFO (0) for the last tie.
    expect(exploreExhaustive((schedule) => connectIsReported(schedule, buggy)).failure?.schedule).toBe('0.1.0');
    for (let i = 0; i < 3; i++) expect(connectIsReported(new ReplaySource(parseSchedule('0.1.0')), buggy)).toBe(false);

    const hangs = (tb: WorldOptions['tieBreaker']): number[] =>
      [1, 2, 3, 4, 5, 6, 7, 8].filter((seed) => !connectIsReported(tb, buggy, seed));
    const seeded = hangs('seeded');
    const pct = hangs((rng) => new PctSource(rng, { depth: 1, steps: 4 }));
    expect(seeded.length).toBeGreaterThan(0);
    expect(pct.length).toBeGreaterThan(0);
    // The same seeds hang again, and none hang on the default profile.
    expect(hangs('seeded')).toEqual(seeded);
    expect([1, 2, 3, 4, 5, 6, 7, 8].filter((seed) => !connectIsReported('seeded', DEFAULT_PROFILE, seed))).toEqual([]);

    // fast-check over the choices themselves: the shortest failing list is the SYN and then
    // the SYN-ACK before the registration (the last tie then falls back to FIFO).
    const result = fc.check(
      fc.property(fc.array(fc.nat(3)), (choices) => connectIsReported(new ReplaySource(choices), buggy)),
      propertyParams('README: fast-check shrinks a schedule', 'test/unit/readme-snippets.test.ts', 200),
    );
    expect(result.failed).toBe(true);
    expect(result.counterexample).toEqual([[0, 1]]);
  });
});
