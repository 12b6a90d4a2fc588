// Issue 9 item 4 as a property: whatever the peer does — closes, resets, times out, crashes —
// an established socket that reports WRITABLE takes at least one byte of a write or fails with
// a network error. The old kernel broke this when the peer aborted its half of a stream it
// shared with this end (the blocking flush then spun for ever). Each case plays random steps
// against echoing / replying / closing apps, under random loss and partitions, and checks the
// rule after every step on every open client socket.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { propertyParams } from '../helpers/property.js';
import { NetError } from '../../src/net/net-error.js';
import { WRITABLE } from '../../src/net/readiness.js';
import { serve, type AppBehaviour } from '../../src/sim/apps.js';
import { lossy, partition } from '../../src/sim/faults.js';
import { uniform } from '../../src/sim/latency.js';
import type { SimSocket } from '../../src/sim/sim-socket.js';
import { World } from '../../src/sim/world.js';
import { connect, enc } from '../unit/sim/fixtures.js';

const behaviourArb: fc.Arbitrary<AppBehaviour> = fc.constantFrom<AppBehaviour>(
  { kind: 'echo' },
  { kind: 'record' },
  { kind: 'close' },
  { kind: 'reply', line: 'bye', then: 'close' },
  { kind: 'reply', line: 'hi', then: 'keep-open' },
);

const stepArb = fc.oneof(
  fc.record({ op: fc.constant('connect' as const), target: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ op: fc.constant('write' as const), sock: fc.nat(), size: fc.integer({ min: 1, max: 120 }) }),
  fc.record({ op: fc.constant('read' as const), sock: fc.nat() }),
  fc.record({ op: fc.constant('close' as const), sock: fc.nat() }),
  fc.record({ op: fc.constant('run' as const), ms: fc.integer({ min: 0, max: 400 }) }),
  fc.record({ op: fc.constant('fault' as const), loss: fc.double({ min: 0, max: 0.9, noNaN: true }), cut: fc.boolean(), forMs: fc.integer({ min: 1, max: 5000 }) }),
);

const TARGETS = ['10.0.0.2', '127.0.0.1', 'fd00::2'];

/** The rule: WRITABLE and established ⇒ a 1-byte write is taken or throws a NetError. */
function writableMeansWritable(s: SimSocket): string | null {
  if (s.closed || s.state !== 'established' || (s.readiness() & WRITABLE) === 0) return null;
  try {
    return s.write(enc('.')) >= 1 ? null : `${s.toString()} reported WRITABLE but took no byte`;
  } catch (err) {
    if (err instanceof NetError) return null;
    throw err;
  }
}

test('an established socket that reports WRITABLE takes a byte or fails, whatever its peer did', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      behaviourArb,
      fc.integer({ min: 0, max: 20 }),
      fc.array(stepArb, { maxLength: 30 }),
      (seed, behaviour, maxLatency, steps) => {
        const world = new World({
          seed,
          latency: uniform(1, maxLatency + 1),
          tieBreaker: 'seeded',
          tcp: { dataRetries: 3, dataRtoMs: 100, synRetries: 2, sendBufferBytes: 200, recvBufferBytes: 150 },
        });
        const client = world.addHost('client', { addresses: ['10.0.0.1', 'fd00::1'] });
        const server = world.addHost('server', { addresses: ['10.0.0.2', 'fd00::2'] });
        serve(server, { port: 80, behaviour, acceptDelayMs: seed % 20 });
        serve(client, { port: 80, behaviour });
        const sockets: SimSocket[] = [];
        const pick = (i: number): SimSocket | undefined => sockets[i % Math.max(1, sockets.length)];
        const violations: string[] = [];
        const check = (when: string): void => {
          for (const s of sockets) {
            const v = writableMeansWritable(s);
            if (v !== null) violations.push(`after ${when}: ${v}`);
          }
        };
        for (const step of steps) {
          switch (step.op) {
            case 'connect':
              sockets.push(connect(client, TARGETS[step.target] as string, 80));
              break;
            case 'write': {
              const s = pick(step.sock);
              if (s !== undefined && !s.closed && s.state === 'established' && (s.readiness() & WRITABLE) !== 0) {
                try {
                  s.write(new Uint8Array(step.size).fill(120));
                } catch (err) {
                  if (!(err instanceof NetError)) throw err;
                }
              }
              break;
            }
            case 'read': {
              const s = pick(step.sock);
              try {
                while (s !== undefined && !s.closed && s.read(64) instanceof Uint8Array);
              } catch (err) {
                if (!(err instanceof NetError)) throw err;
              }
              break;
            }
            case 'close':
              pick(step.sock)?.close();
              break;
            case 'run':
              // Millisecond by millisecond, so the rule is checked while RSTs are in flight.
              for (let ms = 0; ms < step.ms; ms++) {
                world.runFor(1);
                check(`run at ${world.clock.now()} ms`);
              }
              break;
            case 'fault':
              world.faults.install(step.cut ? partition(['client'], ['server'], { oneWay: true }) : lossy(step.loss, world.rng.fork('loss')), {
                until: world.clock.now() + step.forMs,
              });
              break;
          }
          check(`${step.op} at ${world.clock.now()} ms`);
        }
        expect(violations).toEqual([]);
      },
    ),
    propertyParams('sim writable means writable', 'test/property/sim-writable.test.ts', 300),
  );
});
