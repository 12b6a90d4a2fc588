// Fault rules one by one, their ordering, handles and the fault timeline.
import { describe, expect, test } from 'vitest';
import { serve } from '../../../src/sim/apps.js';
import { DROP, PASS, type FaultRule } from '../../../src/sim/fault-rules.js';
import { blackhole, hold, partition, refusePort, resetTraffic, rule, slow, unreachable } from '../../../src/sim/faults.js';
import { fixed } from '../../../src/sim/latency.js';
import { caught, connect, dualStackWorld, enc, establish, readAll, settle } from './fixtures.js';

function worldWithServer(options: Parameters<typeof dualStackWorld>[0] = {}) {
  const w = dualStackWorld({ tcp: { synRetries: 2 }, ...options });
  serve(w.server, { port: 80, behaviour: { kind: 'echo' } });
  return w;
}

describe('verdicts', () => {
  test('partition drops both ways; healing lets a retransmitted SYN through', () => {
    const { world, client } = worldWithServer();
    const cut = world.faults.install(partition(['client'], ['server']));
    const s = connect(client, '10.0.0.2', 80);
    world.runFor(500);
    cut.remove();
    // SYN at 0 was lost; the retransmission at 1000 ms connects.
    expect(settle(world, s)).toEqual({ outcome: 'connected', at: 1002 });
    expect(world.trace.ofKind('fault').map((e) => e.kind)).toEqual(['fault.installed', 'fault.removed']);
  });

  test('a one-way partition loses only one direction: SYN-ACKs never return, so the connect times out', () => {
    const { world, client, server } = worldWithServer();
    world.faults.install(partition(['server'], ['client'], { oneWay: true }));
    expect(settle(world, connect(client, '10.0.0.2', 80)).outcome).toBe('ETIMEDOUT');
    // ...while the other way still works: the server got (and queued) the SYN.
    expect(world.trace.ofKind('net.accept').length).toBe(1);
    void server;
  });

  test('refusePort refuses SYNs even when a listener exists', () => {
    const { world, client } = worldWithServer({ latency: fixed(3) });
    world.faults.install(refusePort('10.0.0.2', 80));
    expect(settle(world, connect(client, '10.0.0.2', 80))).toEqual({ outcome: 'ECONNREFUSED', at: 6 });
    expect(settle(world, connect(client, 'fd00::2', 80)).outcome).toBe('connected');
  });

  test('unreachable answers a SYN with EHOSTUNREACH after the given delay', () => {
    const { world, client } = worldWithServer();
    world.faults.install(unreachable('server', { afterMs: 40 }));
    expect(settle(world, connect(client, 'fd00::2', 80))).toEqual({ outcome: 'EHOSTUNREACH', at: 40 });
  });

  test('resetTraffic resets an established connection at its next segment', () => {
    const { world, client, server } = dualStackWorld();
    const { c, s } = establish(world, client, server, '10.0.0.2');
    world.faults.install(resetTraffic({ from: 'client' }));
    c.write(enc('x'));
    world.runUntilIdle();
    expect(c.takeError()).toBe('ECONNRESET');
    expect(s.takeError()).toBe('ECONNRESET');
  });

  test('slow adds its delay to the base latency of matching packets only', () => {
    const { world, client } = worldWithServer({ latency: fixed(1) });
    world.faults.install(slow(fixed(100), world.rng.fork('slow'), { to: '10.0.0.2' }));
    expect(settle(world, connect(client, '10.0.0.2', 80)).at).toBe(102);
    const t0 = world.clock.now();
    expect(settle(world, connect(client, 'fd00::2', 80)).at - t0).toBe(2);
  });

  test('hold keeps a SYN in flight until release, then the connect completes', () => {
    const { world, client } = worldWithServer();
    const h = hold(world, { to: '10.0.0.2', kinds: ['syn'] });
    const s = connect(client, '10.0.0.2', 80);
    world.runFor(500);
    expect(s.state).toBe('connecting');
    expect(h.count).toBe(1);
    h.release();
    expect(settle(world, s)).toEqual({ outcome: 'connected', at: 502 });
  });

  test('blackholing one address of a dual-stack host leaves its other address alone', () => {
    const { world, client } = worldWithServer();
    world.faults.install(blackhole('fd00::2'));
    const v6 = connect(client, 'fd00::2', 80);
    const v4 = connect(client, '10.0.0.2', 80);
    expect(settle(world, v4).outcome).toBe('connected');
    expect(settle(world, v6).outcome).toBe('ETIMEDOUT');
  });
});

describe('ordering and handles', () => {
  test('the first non-pass verdict wins; first: true puts a rule in front', () => {
    const { world, client } = worldWithServer();
    const seen: string[] = [];
    const spy = (name: string): FaultRule => ({
      name,
      verdict: () => {
        seen.push(name);
        return PASS;
      },
    });
    world.faults.install(spy('a'));
    world.faults.install(rule('refuse-all-syns', { kinds: ['syn'] }, { kind: 'refuse' }));
    world.faults.install(spy('never-asked-for-syns'));
    world.faults.install(rule('drop', {}, DROP), { first: true });
    expect(world.faults.names()).toEqual(['drop', 'a', 'refuse-all-syns', 'never-asked-for-syns']);
    // 'drop' is in front: the SYN is dropped and nobody behind it is asked.
    const s = connect(client, '10.0.0.2', 80);
    world.runFor(10);
    expect(seen).toEqual([]);
    expect(s.state).toBe('connecting');
  });

  test('removing a handle twice is harmless and only removes its own rule', () => {
    const { world } = worldWithServer();
    const a = world.faults.install(blackhole('10.0.0.2'));
    const b = world.faults.install(blackhole('10.0.0.2'));
    a.remove();
    a.remove();
    expect(a.active).toBe(false);
    expect(b.active).toBe(true);
    expect(world.faults.size).toBe(1);
  });
});

describe('timeline', () => {
  test('rules scheduled with at/until are active exactly in that window', () => {
    const { world, client } = worldWithServer();
    const h = world.faults.install(blackhole('10.0.0.2'), { at: 100, until: 2500 });
    expect(h.active).toBe(false);
    world.runFor(100);
    expect(h.active).toBe(true);
    const s = connect(client, '10.0.0.2', 80);
    // SYNs at 100, 1100 are lost; the one at 3100 passes after the rule went at 2500.
    expect(settle(world, s)).toEqual({ outcome: 'connected', at: 3102 });
    expect(h.active).toBe(false);
    expect(world.trace.ofKind('fault').map((e) => [e.kind, e.t])).toEqual([
      ['fault.installed', 100],
      ['fault.removed', 2500],
    ]);
  });

  test('removing a scheduled rule before its time cancels it and leaves no timer behind', () => {
    const { world } = worldWithServer();
    const h = world.faults.install(blackhole('10.0.0.2'), { at: 100, until: 200 });
    h.remove();
    expect(world.clock.pendingCount).toBe(0);
    world.runFor(300);
    expect(world.trace.ofKind('fault')).toHaveLength(0);
  });

  test('an until before the installation time is rejected', () => {
    const { world } = worldWithServer();
    expect(caught(() => world.faults.install(blackhole('x'), { at: 100, until: 50 })).code).toBe('ERR_INVALID_TIMELINE');
  });

  test('faults.at runs an action at its time', () => {
    const { world, server } = worldWithServer();
    world.faults.at(50, 'crash', () => server.crash());
    world.runFor(49);
    expect(server.up).toBe(true);
    world.runFor(1);
    expect(server.up).toBe(false);
  });
});

describe('DNS faults', () => {
  test.each([
    ['notfound', 'ENOTFOUND', 'Name or service not known'],
    ['nodata', 'ENOTFOUND', 'No address associated with hostname'],
    ['servfail', 'EAI_AGAIN', 'Temporary failure in name resolution'],
  ] as const)('%s fails lookups with %s "%s" until removed', (failure, code, message) => {
    const { world, client } = dualStackWorld();
    world.dns.set('svc', ['10.0.0.2']);
    const f = world.dns.fail('svc', failure);
    let result: unknown;
    world.dns.lookup(client, 'svc', (r) => (result = r));
    world.runUntilIdle();
    expect(result).toMatchObject({ code, message });
    f.remove();
    world.dns.lookup(client, 'svc', (r) => (result = r));
    world.runUntilIdle();
    expect(result).toEqual([{ family: 'inet', address: '10.0.0.2' }]);
  });

  test("a wildcard DNS fault scheduled on the timeline hits every name in its window", () => {
    const { world, client } = dualStackWorld();
    world.dns.set('a', ['10.0.0.2']);
    world.dns.fail('*', 'notfound', { at: 10, until: 20 });
    const at = (t: number): unknown => {
      world.runFor(t - world.clock.now());
      let r: unknown;
      world.dns.lookup(client, 'a', (x) => (r = x));
      world.runUntil(() => r !== undefined);
      return r;
    };
    expect(at(5)).toHaveLength(1);
    expect(at(15)).toMatchObject({ code: 'ENOTFOUND' });
    expect(at(25)).toHaveLength(1);
  });
});

describe('a scripted fault timeline end to end', () => {
  test('a connection survives a partition that heals before the retransmissions run out', () => {
    const { world, client, server } = dualStackWorld();
    const { c, s } = establish(world, client, server, '10.0.0.2');
    const t0 = world.clock.now();
    world.faults.install(partition(['client'], ['server']), { at: t0 + 10, until: t0 + 5000 });
    world.runFor(20);
    c.write(enc('across the gap'));
    c.shutdown();
    world.runUntilIdle();
    expect(readAll(s)).toEqual({ text: 'across the gap', eof: true });
  });
});
