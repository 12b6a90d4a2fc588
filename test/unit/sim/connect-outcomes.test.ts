// The fate of one connect attempt: each outcome of issue 3 item 5, with its timing. Expected
// times are computed from the model (latency × hops, Linux's SYN schedule), not read off a run.
import { describe, expect, test } from 'vitest';
import { serve } from '../../../src/sim/apps.js';
import { blackhole, crashHost } from '../../../src/sim/faults.js';
import { fixed } from '../../../src/sim/latency.js';
import { synTimeoutMs } from '../../../src/sim/tcp-params.js';
import { World } from '../../../src/sim/world.js';
import { caught, connect, dualStackWorld, settle } from './fixtures.js';

describe('accepted', () => {
  test('a listener with room accepts after one round trip', () => {
    const { world, client, server } = dualStackWorld({ latency: fixed(5) });
    serve(server, { port: 80, behaviour: { kind: 'record' } });
    const s = connect(client, '10.0.0.2', 80);
    expect(s.state).toBe('connecting');
    expect(settle(world, s)).toEqual({ outcome: 'connected', at: 10 });
  });

  test('a connect to a loopback listener is in progress first, then connected at the same instant', () => {
    const { world, client } = dualStackWorld();
    serve(client, { port: 80, behaviour: { kind: 'record' } });
    const s = connect(client, '::1', 80);
    // Linux never completes a non-blocking TCP connect inside the call.
    expect(s.state).toBe('connecting');
    expect(settle(world, s)).toEqual({ outcome: 'connected', at: 0 });
  });
});

describe('refused', () => {
  test('no listener: the server host answers RST and the connect fails after a round trip', () => {
    const { world, client } = dualStackWorld({ latency: fixed(7) });
    const s = connect(client, 'fd00::2', 81);
    expect(settle(world, s)).toEqual({ outcome: 'ECONNREFUSED', at: 14 });
    expect(world.trace.ofKind('net.refuse')).toHaveLength(1);
  });

  test('a closed loopback port is refused, but not synchronously', () => {
    const { world, client } = dualStackWorld();
    const s = connect(client, '127.0.0.1', 9);
    expect(s.state).toBe('connecting');
    expect(world.clock.pendingCount).toBeGreaterThan(0);
    expect(settle(world, s).outcome).toBe('ECONNREFUSED');
  });
});

describe('routes', () => {
  test('no route is ENETUNREACH at once, from connect itself', () => {
    const world = new World({ seed: 1 });
    const h = world.addHost('h', { addresses: ['10.0.0.1'] });
    h.routes.delete('0.0.0.0/0');
    h.routes.set('10.0.0.0/8', 'reachable');
    const err = caught(() => connect(h, '192.0.2.1', 80));
    expect(err.code).toBe('ENETUNREACH');
    expect(err.syscall).toBe('connect');
    expect(err.address).toBe('192.0.2.1');
    // The covered prefix still works (in progress, no throw).
    expect(connect(h, '10.9.9.9', 80).state).toBe('connecting');
  });

  test('a network-unreachable route beats a shorter reachable one', () => {
    const { client } = dualStackWorld();
    client.routes.set('10.0.9.0/24', 'network-unreachable');
    expect(caught(() => connect(client, '10.0.9.1', 80)).code).toBe('ENETUNREACH');
  });

  test('a host-unreachable route is in progress, then EHOSTUNREACH after the neighbour timeout', () => {
    const { world, client } = dualStackWorld({ tcp: { hostUnreachableDelayMs: 2500 } });
    client.routes.set('10.0.0.2/32', 'host-unreachable');
    const s = connect(client, '10.0.0.2', 80);
    expect(s.state).toBe('connecting');
    expect(settle(world, s)).toEqual({ outcome: 'EHOSTUNREACH', at: 2500 });
  });

  test('loopback down makes local destinations network-unreachable', () => {
    const { client } = dualStackWorld();
    client.loopbackUp = false;
    expect(caught(() => connect(client, '127.0.0.1', 80)).code).toBe('ENETUNREACH');
  });
});

describe('timed out', () => {
  test("a blackholed SYN is retried on Linux's schedule and times out at 127 s", () => {
    const { world, client } = dualStackWorld();
    world.faults.install(blackhole('10.0.0.2'));
    const s = connect(client, '10.0.0.2', 80);
    const r = settle(world, s);
    expect(r.outcome).toBe('ETIMEDOUT');
    expect(r.at).toBe(127_000);
    // SYNs at 0, 1, 3, 7, 15, 31, 63 s: six retransmissions.
    expect(world.trace.ofKind('net.syn-retry').map((e) => e.t)).toEqual([1000, 3000, 7000, 15000, 31000, 63000]);
  });

  test('the SYN schedule is configurable (one retry: about 3 s, as the oracle set-up)', () => {
    const { world, client } = dualStackWorld({ tcp: { synRetries: 1 } });
    world.faults.install(blackhole('fd00::2'));
    const s = connect(client, 'fd00::2', 80);
    expect(settle(world, s)).toEqual({ outcome: 'ETIMEDOUT', at: synTimeoutMs({ synRtoMs: 1000, synRetries: 1 }) });
    expect(synTimeoutMs({ synRtoMs: 1000, synRetries: 1 })).toBe(3000);
  });

  test('an address no host owns swallows the SYN', () => {
    const { world, client } = dualStackWorld({ tcp: { synRetries: 2 } });
    const s = connect(client, '10.0.0.99', 80);
    expect(settle(world, s)).toEqual({ outcome: 'ETIMEDOUT', at: 7000 });
  });

  test('a full accept queue drops SYNs: backlog 0 queues one connection, the next times out', () => {
    const { world, client, server } = dualStackWorld({ tcp: { synRetries: 2 } });
    const app = serve(server, { port: 80, backlog: 0, behaviour: { kind: 'never-accept' } });
    const first = connect(client, '10.0.0.2', 80);
    const second = connect(client, '10.0.0.2', 80);
    expect(settle(world, first).outcome).toBe('connected');
    expect(settle(world, second).outcome).toBe('ETIMEDOUT');
    expect(app.waiting).toBe(1);
    expect(world.trace.ofKind('net.drop').filter((e) => e['reason'] === 'accept-queue-full')).toHaveLength(3);
  });

  test('a connection whose SYN met a full queue is accepted late once the queue frees up', () => {
    const { world, client, server } = dualStackWorld();
    const app = serve(server, { port: 80, backlog: 0, acceptDelayMs: 2000, behaviour: { kind: 'record' } });
    const first = connect(client, '10.0.0.2', 80);
    const second = connect(client, '10.0.0.2', 80);
    expect(settle(world, first)).toEqual({ outcome: 'connected', at: 2 });
    // The queue frees at 2001 (noticed at 1, accepted 2 s later); the SYN sent at 1000 meets a
    // full queue, the one sent at 3000 gets in: connected at 3002.
    expect(settle(world, second)).toEqual({ outcome: 'connected', at: 3002 });
    world.runFor(5000);
    expect(app.accepted).toBe(2);
  });
});

describe('crash and restart', () => {
  test('a crashed host answers nothing, so connects to it time out', () => {
    const { world, client, server } = dualStackWorld({ tcp: { synRetries: 1 } });
    serve(server, { port: 80, behaviour: { kind: 'record' } });
    server.crash();
    expect(settle(world, connect(client, '10.0.0.2', 80)).outcome).toBe('ETIMEDOUT');
  });

  test('after a restart its services listen again and old connections are reset', () => {
    const { world, client, server } = dualStackWorld();
    const app = serve(server, { port: 80, behaviour: { kind: 'record' } });
    const old = connect(client, '10.0.0.2', 80);
    settle(world, old);
    crashHost(world, server, 100, 200);
    world.runFor(300);
    expect(server.up).toBe(true);
    // New connections work: the app listens again.
    expect(settle(world, connect(client, '10.0.0.2', 80)).outcome).toBe('connected');
    // The old connection's next segment meets a host that forgot it: RST, so ECONNRESET.
    old.write(new TextEncoder().encode('hello?'));
    world.runUntilIdle();
    expect(old.state).toBe('reset');
    expect(old.takeError()).toBe('ECONNRESET');
    expect(app.connections).toHaveLength(2);
  });
});

describe('every address of a name its own fate', () => {
  test('silent, refused and accepting addresses of one name each end their own way', () => {
    const world = new World({ seed: 9, latency: fixed(2), tcp: { synRetries: 1 } });
    const c = world.addHost('c', { addresses: ['10.0.0.1', 'fd00::1'] });
    const s = world.addHost('s', { addresses: ['10.0.0.2', 'fd00::2', '10.0.0.3'] });
    world.dns.set('svc', ['fd00::2', '10.0.0.2', '10.0.0.3']);
    world.faults.install(blackhole('fd00::2'));
    serve(s, { address: '10.0.0.3', port: 80, behaviour: { kind: 'record' } });
    const outcomes = (world.dns.get('svc') ?? []).map((a) => settle(world, connect(c, a.address, 80)).outcome);
    expect(outcomes).toEqual(['ETIMEDOUT', 'ECONNREFUSED', 'connected']);
  });
});
