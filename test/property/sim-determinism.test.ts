// Properties of whole runs: the same seed and calls give a byte-identical trace, and a world
// whose sockets are all closed and whose faults are all removed goes quiet — no timer is left
// once the longest retransmission horizon has passed.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { propertyParams } from '../helpers/property.js';
import { serve, type AppBehaviour } from '../../src/sim/apps.js';
import { lossy, partition } from '../../src/sim/faults.js';
import { uniform } from '../../src/sim/latency.js';
import { World } from '../../src/sim/world.js';
import type { SimSocket } from '../../src/sim/sim-socket.js';
import type { RuleHandle } from '../../src/sim/fault-rules.js';
import { connect, enc } from '../unit/sim/fixtures.js';

const behaviourArb: fc.Arbitrary<AppBehaviour> = fc.oneof(
  fc.constant<AppBehaviour>({ kind: 'echo' }),
  fc.constant<AppBehaviour>({ kind: 'record' }),
  fc.constant<AppBehaviour>({ kind: 'close' }),
  fc.constant<AppBehaviour>({ kind: 'reply', line: 'hi', then: 'close' }),
  fc.constant<AppBehaviour>({ kind: 'reply', line: 'hi', then: 'keep-open' }),
);

const stepArb = fc.oneof(
  fc.record({ op: fc.constant('connect' as const), target: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ op: fc.constant('write' as const), sock: fc.nat(), text: fc.string({ maxLength: 40 }) }),
  fc.record({ op: fc.constant('close' as const), sock: fc.nat() }),
  fc.record({ op: fc.constant('run' as const), ms: fc.integer({ min: 0, max: 400 }) }),
  fc.record({ op: fc.constant('fault' as const), loss: fc.double({ min: 0, max: 0.5, noNaN: true }), cut: fc.boolean() }),
);

const scenarioArb = fc.record({
  behaviour: behaviourArb,
  maxLatency: fc.integer({ min: 0, max: 30 }),
  steps: fc.array(stepArb, { maxLength: 25 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

const TARGETS = ['10.0.0.2', 'fd00::2', '10.0.0.3', '127.0.0.1', '::1', '10.0.0.2'];
const PORTS = [80, 80, 80, 80, 80, 81];
const DATA_RETRIES = 4;
const DATA_RTO = 200;

/** Runs a scenario; returns the world, its sockets and fault handles. */
function play(seed: number, sc: Scenario): { world: World; sockets: SimSocket[]; handles: RuleHandle[] } {
  const world = new World({
    seed,
    latency: uniform(0, sc.maxLatency),
    tieBreaker: 'seeded',
    tcp: { synRetries: 2, dataRetries: DATA_RETRIES, dataRtoMs: DATA_RTO },
  });
  const client = world.addHost('client', { addresses: ['10.0.0.1', 'fd00::1'] });
  const server = world.addHost('server', { addresses: ['10.0.0.2', 'fd00::2', '10.0.0.3'] });
  serve(server, { port: 80, behaviour: sc.behaviour });
  serve(client, { port: 80, behaviour: sc.behaviour });
  const sockets: SimSocket[] = [];
  const handles: RuleHandle[] = [];
  for (const step of sc.steps) {
    switch (step.op) {
      case 'connect': {
        const i = step.target;
        sockets.push(connect(client, TARGETS[i] as string, PORTS[i] as number));
        break;
      }
      case 'write': {
        const s = sockets[step.sock % Math.max(1, sockets.length)];
        if (s !== undefined && !s.closed && s.state === 'established') {
          try {
            s.write(enc(step.text));
          } catch {
            // EPIPE / ECONNRESET after a reset are part of the scenario
          }
        }
        break;
      }
      case 'close':
        sockets[step.sock % Math.max(1, sockets.length)]?.close();
        break;
      case 'run':
        world.runFor(step.ms);
        break;
      case 'fault':
        handles.push(world.faults.install(step.cut ? partition(['client'], ['server']) : lossy(step.loss, world.rng.fork('loss'))));
        break;
    }
  }
  return { world, sockets, handles };
}

test('the same seed and the same calls give a byte-identical trace', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), scenarioArb, (seed, sc) => {
      const a = play(seed, sc);
      const b = play(seed, sc);
      a.world.runFor(10_000);
      b.world.runFor(10_000);
      expect(b.world.trace.toJSONL()).toBe(a.world.trace.toJSONL());
    }),
    // Each case plays a scenario twice; 500 cases keep the suite near a second.
    propertyParams('sim same seed same trace', 'test/property/sim-determinism.test.ts', 500),
  );
});

test('once every socket is closed and every fault removed, the world leaves no timer behind', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), scenarioArb, (seed, sc) => {
      const { world, sockets, handles } = play(seed, sc);
      for (const h of handles) h.remove();
      for (const s of sockets) s.close();
      // Longest tail of activity after closing: SYN retries of a half-open server side are none
      // (servers do not retransmit SYN-ACKs), so it is the data retransmission horizon plus the
      // apps' reactions over a few more round trips.
      let horizon = 0;
      for (let i = 1; i <= DATA_RETRIES; i++) horizon += DATA_RTO * 2 ** (i - 1);
      world.runFor(horizon + 20 * (sc.maxLatency + 1));
      expect(world.clock.pendingCount).toBe(0);
    }),
    propertyParams('sim quiet after close', 'test/property/sim-determinism.test.ts'),
  );
});
