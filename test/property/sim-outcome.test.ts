// Property: over random topologies, every connect attempt ends in exactly one outcome, and that
// outcome is what a simple model of (client route, fault rule, target host and listener) says.
//
// The model, in order: route network-unreachable → ENETUNREACH thrown by connect; route
// host-unreachable → EHOSTUNREACH; rule drop → ETIMEDOUT, refuse → ECONNREFUSED, unreachable →
// EHOSTUNREACH, delay → no effect on the outcome; no host owns the address, or it crashed →
// ETIMEDOUT; no listener → ECONNREFUSED; full accept queue → ETIMEDOUT; else connected.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { propertyParams } from '../helpers/property.js';
import { blackhole, refusePort, slow, unreachable } from '../../src/sim/faults.js';
import { uniform } from '../../src/sim/latency.js';
import { World } from '../../src/sim/world.js';
import { NetError } from '../../src/net/net-error.js';
import type { SimSocket } from '../../src/sim/sim-socket.js';
import { connect } from '../unit/sim/fixtures.js';

type Route = 'reachable' | 'host-unreachable' | 'network-unreachable';
type RuleKind = 'none' | 'drop' | 'refuse' | 'unreachable' | 'delay';
type ListenerKind = 'none' | 'open' | 'full';

interface Target {
  readonly v6: boolean;
  readonly route: Route;
  readonly rule: RuleKind;
  readonly listener: ListenerKind;
}

const targetArb: fc.Arbitrary<Target> = fc.record({
  v6: fc.boolean(),
  route: fc.constantFrom<Route>('reachable', 'reachable', 'reachable', 'host-unreachable', 'network-unreachable'),
  rule: fc.constantFrom<RuleKind>('none', 'none', 'drop', 'refuse', 'unreachable', 'delay'),
  listener: fc.constantFrom<ListenerKind>('none', 'open', 'open', 'full'),
});

const topologyArb = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  servers: fc.array(fc.record({ crashed: fc.boolean(), targets: fc.array(targetArb, { minLength: 1, maxLength: 3 }) }), {
    minLength: 1,
    maxLength: 3,
  }),
  unowned: fc.array(targetArb, { maxLength: 2 }),
  maxLatency: fc.integer({ min: 0, max: 40 }),
  attemptsPerTarget: fc.integer({ min: 1, max: 2 }),
});

function model(t: Target, owned: boolean, crashed: boolean): string {
  if (t.route === 'network-unreachable') return 'throw:ENETUNREACH';
  if (t.route === 'host-unreachable') return 'EHOSTUNREACH';
  if (t.rule === 'drop') return 'ETIMEDOUT';
  if (t.rule === 'refuse') return 'ECONNREFUSED';
  if (t.rule === 'unreachable') return 'EHOSTUNREACH';
  if (!owned || crashed) return 'ETIMEDOUT';
  if (t.listener === 'none') return 'ECONNREFUSED';
  if (t.listener === 'full') return 'ETIMEDOUT';
  return 'connected';
}

test('every attempt ends in exactly one outcome, the one the (route, rules, listener) model predicts', () => {
  fc.assert(
    fc.property(topologyArb, (topo) => {
      const world = new World({ seed: topo.seed, latency: uniform(0, topo.maxLatency), tieBreaker: 'seeded', tcp: { synRetries: 1 } });
      const client = world.addHost('client', { addresses: ['10.255.0.1', 'fdff::1'] });
      const filler = world.addHost('filler', { addresses: ['10.254.0.1', 'fdfe::1'] });
      const plan: { address: string; target: Target; owned: boolean; crashed: boolean }[] = [];
      topo.servers.forEach((srv, i) => {
        const addrs = srv.targets.map((t, j) => (t.v6 ? `fd00::${i + 1}:${j + 1}` : `10.0.${i + 1}.${j + 1}`));
        const host = world.addHost(`s${i}`, { addresses: addrs });
        srv.targets.forEach((t, j) => {
          const address = addrs[j] as string;
          plan.push({ address, target: t, owned: true, crashed: srv.crashed });
          if (t.listener === 'none') return;
          const l = host.listen({ address, port: 80, backlog: t.listener === 'full' ? 0 : 16 });
          if (t.listener === 'full') {
            // Fill the queue (backlog 0 holds one connection) before any fault applies.
            const f = connect(filler, address, 80);
            world.runUntil(() => f.state !== 'connecting');
            if (l.waiting !== 1) throw new Error('filler did not fill the queue');
          }
        });
      });
      topo.unowned.forEach((t, j) => plan.push({ address: t.v6 ? `fd09::${j + 1}` : `10.9.0.${j + 1}`, target: t, owned: false, crashed: false }));
      for (const { address, target } of plan) {
        client.routes.set(address, target.route);
        if (target.rule === 'drop') world.faults.install(blackhole(address));
        if (target.rule === 'refuse') world.faults.install(refusePort(address, 80));
        if (target.rule === 'unreachable') world.faults.install(unreachable(address));
        if (target.rule === 'delay') world.faults.install(slow(uniform(1, 500), world.rng.fork('slow'), { to: address }));
      }
      topo.servers.forEach((srv, i) => srv.crashed && world.host(`s${i}`).crash());

      const attempts: { socket: SimSocket | null; expected: string; got: string | null; changes: number }[] = [];
      for (const p of plan) {
        for (let k = 0; k < topo.attemptsPerTarget; k++) {
          const expected = model(p.target, p.owned, p.crashed);
          try {
            const s = connect(client, p.address, 80);
            const a = { socket: s, expected, got: null as string | null, changes: 0 };
            s.onReadinessChange(() => {
              if (s.state === 'connecting') return;
              a.changes++;
              a.got ??= s.state === 'established' ? 'connected' : (s.takeError() ?? 'none');
            });
            attempts.push(a);
          } catch (err) {
            attempts.push({ socket: null, expected, got: err instanceof NetError ? `throw:${err.code}` : String(err), changes: 1 });
          }
        }
      }
      world.runUntilIdle();
      for (const a of attempts) {
        expect(a.got).toBe(a.expected);
        if (a.socket !== null) {
          // Exactly one outcome was recorded for the attempt, and the socket still shows it.
          const outcomes = world.trace.entries.filter((e) => (e.kind === 'net.connected' || e.kind === 'net.fail') && e['conn'] === a.socket?.conn);
          expect(outcomes).toHaveLength(1);
          expect(a.socket.state).toBe(a.expected === 'connected' ? 'established' : 'failed');
        }
      }
    }),
    propertyParams('sim connect outcome equals the model', 'test/property/sim-outcome.test.ts'),
  );
});
