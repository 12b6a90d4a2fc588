// Property: latency bounds hold. With per-direction latency models on a link, a connect
// completes after a round trip within [min there + min back, max there + max back], a refused
// connect fails within the same bounds, and every data segment arrives within [min, max] of
// being sent.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { propertyParams } from '../helpers/property.js';
import { exponential, fixed, latencyBounds, uniform, type LatencyModel } from '../../src/sim/latency.js';
import { serve } from '../../src/sim/apps.js';
import { connect, dualStackWorld, enc, settle } from '../unit/sim/fixtures.js';

const modelArb: fc.Arbitrary<LatencyModel> = fc.oneof(
  fc.integer({ min: 0, max: 50 }).map((ms) => fixed(ms)),
  fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 100 })).map(([a, d]) => uniform(a, a + d)),
  fc
    .tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 200 }))
    .map(([min, mean, extra]) => exponential(mean, { minMs: min, maxMs: min + extra })),
);

test('round trips and segment delays stay within the latency models of the link', () => {
  fc.assert(
    fc.property(
      fc.record({
        seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        there: modelArb,
        back: modelArb,
        gaps: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 15 }),
        v6: fc.boolean(),
      }),
      ({ seed, there, back, gaps, v6 }) => {
        const { world, client, server } = dualStackWorld({ seed });
        world.network.setLatency(there, { from: 'client', to: 'server' });
        world.network.setLatency(back, { from: 'server', to: 'client' });
        const b1 = latencyBounds(there);
        const b2 = latencyBounds(back);
        const address = v6 ? 'fd00::2' : '10.0.0.2';
        serve(server, { port: 80, behaviour: { kind: 'record' } });

        const refused = settle(world, connect(client, address, 81));
        expect(refused.outcome).toBe('ECONNREFUSED');
        expect(refused.at).toBeGreaterThanOrEqual(b1.min + b2.min);
        expect(refused.at).toBeLessThanOrEqual(b1.max + b2.max);

        const start = world.clock.now();
        const s = connect(client, address, 80);
        const done = settle(world, s);
        expect(done.outcome).toBe('connected');
        expect(done.at - start).toBeGreaterThanOrEqual(b1.min + b2.min);
        expect(done.at - start).toBeLessThanOrEqual(b1.max + b2.max);

        const sentAt = new Map<number, number>();
        let seq = 0;
        for (const gap of gaps) {
          world.runFor(gap);
          sentAt.set(seq, world.clock.now());
          seq += s.write(enc('0123456789'));
        }
        world.runUntilIdle();
        const deliveries = world.trace.ofKind('net.deliver').filter((e) => e['host'] === 'server');
        expect(deliveries).toHaveLength(gaps.length);
        for (const d of deliveries) {
          const delay = d.t - (sentAt.get(d['seq'] as number) as number);
          expect(delay).toBeGreaterThanOrEqual(b1.min);
          expect(delay).toBeLessThanOrEqual(b1.max);
        }
      },
    ),
    propertyParams('sim latency bounds', 'test/property/sim-latency.test.ts'),
  );
});
