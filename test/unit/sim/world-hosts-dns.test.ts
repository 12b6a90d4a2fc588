// World construction, hosts (addresses, loopback, hosts file, listeners, crash), DNS and
// routes/latency settings.
import { describe, expect, test } from 'vitest';
import { serve } from '../../../src/sim/apps.js';
import { exponential, fixed, latencyBounds, uniform, drawLatency } from '../../../src/sim/latency.js';
import { RouteTable } from '../../../src/sim/routes.js';
import { LINUX_DEFAULTS, resolveTcpParams, synTimeoutMs } from '../../../src/sim/tcp-params.js';
import { World } from '../../../src/sim/world.js';
import { Rng } from '../../../src/random/rng.js';
import type { LookupResult } from '../../../src/sim/dns.js';
import type { Host } from '../../../src/sim/host.js';
import { caught, connect, dualStackWorld, settle } from './fixtures.js';

function lookup(world: World, host: Host, name: string): { result: LookupResult; at: number; sync: boolean } {
  let result: LookupResult | undefined;
  world.dns.lookup(host, name, (r) => (result = r));
  const sync = result !== undefined;
  world.runUntil(() => result !== undefined);
  if (result === undefined) throw new Error('no answer');
  return { result, at: world.clock.now(), sync };
}

describe('world', () => {
  test('host names and addresses are unique; loopback and wildcard cannot be host addresses', () => {
    const world = new World({ seed: 1 });
    world.addHost('a', { addresses: ['10.0.0.1'] });
    expect(caught(() => world.addHost('a')).code).toBe('ERR_DUPLICATE_HOST');
    expect(caught(() => world.addHost('b', { addresses: ['10.0.0.1'] })).code).toBe('ERR_DUPLICATE_ADDRESS');
    expect(caught(() => world.addHost('c', { addresses: ['127.0.0.2'] })).code).toBe('ERR_INVALID_ADDRESS');
    expect(caught(() => world.addHost('d', { addresses: ['not-an-ip'] })).code).toBe('ERR_INVALID_ADDRESS');
    expect(caught(() => world.host('zz')).code).toBe('ERR_UNKNOWN_HOST');
    expect(world.hostByAddress('10.0.0.1')?.name).toBe('a');
  });

  test('a bad seed or bad TCP parameters are rejected with a named error', () => {
    expect(caught(() => new World({ seed: 1.5 })).code).toBe('ERR_INVALID_SEED');
    expect(caught(() => new World({ seed: 1, tcp: { synRetries: -1 } })).message).toContain('synRetries');
    expect(caught(() => resolveTcpParams({ ephemeralFirst: 5000, ephemeralLast: 4000 })).code).toBe('ERR_INVALID_TCP_PARAMS');
  });

  test("Linux's defaults give a 127 s SYN timeout", () => {
    expect(synTimeoutMs(LINUX_DEFAULTS)).toBe(127_000);
  });

  test('a seeded tie-breaker orders equal-time events from the seed, and records its choices', () => {
    const orders = [1, 2, 3, 4, 5, 6].map((seed) => {
      const world = new World({ seed, tieBreaker: 'seeded' });
      const order: number[] = [];
      for (let i = 0; i < 5; i++) world.clock.setTimer(10, () => order.push(i));
      world.runUntilIdle();
      return order.join('');
    });
    expect(new Set(orders).size).toBeGreaterThan(1);
    const again = new World({ seed: 1, tieBreaker: 'seeded' });
    const order: number[] = [];
    for (let i = 0; i < 5; i++) again.clock.setTimer(10, () => order.push(i));
    again.runUntilIdle();
    expect(order.join('')).toBe(orders[0]);
  });
});

describe('hosts', () => {
  test('127.0.0.0/8 is always local; ::1 only with IPv6 loopback', () => {
    const world = new World({ seed: 1 });
    const dual = world.addHost('dual');
    const v4 = world.addHost('v4', { ipv6Loopback: false });
    expect(dual.ownsAddress('127.1.2.3')).toBe(true);
    expect(dual.ownsAddress('::1')).toBe(true);
    expect(v4.ownsAddress('::1')).toBe(false);
    expect(v4.routeTo('::1')).toBe('no-source');
  });

  test('a hosts-file entry answers before DNS, synchronously, in its own order', () => {
    const { world, client } = dualStackWorld();
    world.dns.set('svc', ['10.0.0.2']);
    client.setHostsEntry('SVC', ['fd00::2', '10.0.0.2']);
    const r = lookup(world, client, 'svc.');
    expect(r.sync).toBe(true);
    expect(r.result).toEqual([
      { family: 'inet6', address: 'fd00::2' },
      { family: 'inet', address: '10.0.0.2' },
    ]);
    client.setHostsEntry('svc', null);
    expect(lookup(world, client, 'svc').sync).toBe(false);
  });

  test('a listener on one address does not take SYNs for another address of the host', () => {
    const { world, client, server } = dualStackWorld();
    serve(server, { address: 'fd00::2', port: 80, behaviour: { kind: 'record' } });
    expect(settle(world, connect(client, 'fd00::2', 80)).outcome).toBe('connected');
    expect(settle(world, connect(client, '10.0.0.2', 80)).outcome).toBe('ECONNREFUSED');
  });

  test('closing a listener resets connections still waiting in its queue', () => {
    const { world, client, server } = dualStackWorld();
    const l = server.listen({ port: 90 });
    const s = connect(client, '10.0.0.2', 90);
    settle(world, s);
    l.close();
    world.runUntilIdle();
    expect(s.takeError()).toBe('ECONNRESET');
    expect(l.accept()).toBeNull();
  });
});

describe('DNS', () => {
  test('names are case-insensitive, answers keep the stored order, and arrive after the delay', () => {
    const { world, client } = dualStackWorld({ dns: { defaultDelayMs: 3 } });
    world.dns.set('Multi.Example', ['10.0.0.9', 'fd00::9', '10.0.0.8']);
    world.dns.set('slow', ['10.0.0.2'], { delayMs: 250 });
    const r = lookup(world, client, 'multi.example');
    expect(r.at).toBe(3);
    expect((r.result as readonly { address: string }[]).map((a) => a.address)).toEqual(['10.0.0.9', 'fd00::9', '10.0.0.8']);
    expect(lookup(world, client, 'slow').at).toBe(253);
    world.dns.setDelay('slow', 10);
    expect(lookup(world, client, 'slow').at).toBe(263);
  });

  test('a name with no addresses is "No address associated with hostname"', () => {
    const { world, client } = dualStackWorld();
    world.dns.set('empty', []);
    expect(lookup(world, client, 'empty').result).toMatchObject({ code: 'ENOTFOUND', message: 'No address associated with hostname' });
  });

  test('queries and answers are traced', () => {
    const { world, client } = dualStackWorld();
    world.dns.set('svc', ['10.0.0.2']);
    lookup(world, client, 'svc');
    lookup(world, client, 'missing');
    expect(world.trace.ofKind('dns').map((e) => e.kind)).toEqual(['dns.query', 'dns.answer', 'dns.query', 'dns.fail']);
  });
});

describe('routes', () => {
  test('the longest matching prefix decides; nothing matching is network-unreachable', () => {
    const t = new RouteTable();
    t.set('10.0.0.0/8', 'reachable');
    t.set('10.1.0.0/16', 'host-unreachable');
    expect(t.decide('10.1.2.3')).toBe('host-unreachable');
    expect(t.decide('10.2.2.3')).toBe('reachable');
    expect(t.decide('192.0.2.1')).toBe('network-unreachable');
    t.set('10.1.0.0/16', 'reachable'); // replaces, and drops the cached decision
    expect(t.decide('10.1.2.3')).toBe('reachable');
    expect(t.list()).toHaveLength(2);
    expect(caught(() => t.set('10.0.0.0/8', 'sideways' as never)).code).toBe('ERR_INVALID_ROUTE');
  });

  test('a host with only IPv4 addresses has no IPv6 route', () => {
    const world = new World({ seed: 1 });
    const h = world.addHost('h', { addresses: ['10.0.0.1'] });
    expect(h.routeTo('fd00::1')).toBe('network-unreachable');
    expect(h.routeTo('192.0.2.1')).toBe('reachable');
  });
});

describe('latency models', () => {
  test('draws stay within the model bounds', () => {
    const rng = new Rng(5);
    const models = [fixed(4), uniform(2, 9), exponential(10, { minMs: 1, maxMs: 30 })];
    for (const m of models) {
      const { min, max } = latencyBounds(m);
      for (let i = 0; i < 200; i++) {
        const d = drawLatency(m, rng);
        expect(d).toBeGreaterThanOrEqual(min);
        expect(d).toBeLessThanOrEqual(max);
      }
    }
  });

  test('invalid models are rejected', () => {
    expect(caught(() => uniform(5, 2)).code).toBe('ERR_INVALID_LATENCY');
    expect(caught(() => fixed(-1)).code).toBe('ERR_INVALID_LATENCY');
    expect(caught(() => exponential(0)).code).toBe('ERR_INVALID_LATENCY');
  });

  test('per-link latency overrides the global one, directionally', () => {
    const { world } = dualStackWorld({ latency: fixed(1) });
    world.network.setLatency(fixed(50), { from: 'client', to: 'server' });
    world.network.setLatency(fixed(7), { to: 'client' });
    expect(world.network.latencyModel('client', 'server')).toEqual(fixed(50));
    expect(world.network.latencyModel('server', 'client')).toEqual(fixed(7));
    expect(world.network.latencyModel('client', 'client')).toEqual(fixed(0));
  });
});
