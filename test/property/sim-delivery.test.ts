// Property: on a healthy link, or one whose faults (loss, partitions, holds) all heal, every
// byte written is read exactly once and in order, followed by EOF — whatever the latency
// jitter, buffer sizes and write sizes.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { propertyParams } from '../helpers/property.js';
import { hold, lossy, partition } from '../../src/sim/faults.js';
import { fixed, uniform, type LatencyModel } from '../../src/sim/latency.js';
import { dualStackWorld, establish } from '../unit/sim/fixtures.js';

type Fault =
  | { readonly kind: 'loss'; readonly p: number; readonly until: number }
  | { readonly kind: 'partition'; readonly at: number; readonly until: number; readonly oneWay: boolean }
  | { readonly kind: 'hold'; readonly at: number; readonly until: number };

const latencyArb: fc.Arbitrary<LatencyModel> = fc.oneof(
  fc.integer({ min: 0, max: 20 }).map((ms) => fixed(ms)),
  fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 80 })).map(([a, d]) => uniform(a, a + d)),
);

const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({ kind: fc.constant('loss' as const), p: fc.double({ min: 0, max: 0.6, noNaN: true }), until: fc.integer({ min: 0, max: 3000 }) }),
  fc
    .tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 3000 }), fc.boolean())
    .map(([at, len, oneWay]) => ({ kind: 'partition' as const, at, until: at + len, oneWay })),
  fc.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 3000 })).map(([at, len]) => ({ kind: 'hold' as const, at, until: at + len })),
);

const scenarioArb = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  latency: latencyArb,
  sendBuf: fc.integer({ min: 1, max: 4096 }),
  recvBuf: fc.integer({ min: 1, max: 4096 }),
  writes: fc.array(fc.uint8Array({ minLength: 0, maxLength: 600 }), { maxLength: 12 }),
  faults: fc.array(faultArb, { maxLength: 3 }),
  v6: fc.boolean(),
});

test('bytes written are read exactly once, in order, then EOF, on healthy or healed links', () => {
  fc.assert(
    fc.property(scenarioArb, (sc) => {
      const { world, client, server } = dualStackWorld({
        seed: sc.seed,
        latency: sc.latency,
        tcp: { sendBufferBytes: sc.sendBuf, recvBufferBytes: sc.recvBuf },
        trace: { keep: false },
      });
      const { c, s } = establish(world, client, server, sc.v6 ? 'fd00::2' : '10.0.0.2');
      const t0 = world.clock.now();
      for (const f of sc.faults) {
        if (f.kind === 'loss') {
          world.faults.install(lossy(f.p, world.rng.fork('loss')), { until: t0 + f.until });
        } else if (f.kind === 'partition') {
          world.faults.install(partition(['client'], ['server'], { oneWay: f.oneWay }), { at: t0 + f.at, until: t0 + f.until });
        } else {
          hold(world, { from: 'client' }, { at: t0 + f.at, until: t0 + f.until });
        }
      }
      const expected = sc.writes.flatMap((w) => [...w]);
      const got: number[] = [];
      let eof = false;
      let writeIndex = 0;
      let offset = 0;
      let shut = false;
      for (let step = 0; step < 100_000 && !eof; step++) {
        // Write as much as the socket takes, then the FIN once everything is in.
        while (writeIndex < sc.writes.length) {
          const w = sc.writes[writeIndex] as Uint8Array;
          const n = offset < w.length ? c.write(w.subarray(offset)) : 0;
          offset += n;
          if (offset < w.length) break;
          writeIndex++;
          offset = 0;
        }
        if (writeIndex === sc.writes.length && !shut) {
          c.shutdown();
          shut = true;
        }
        for (;;) {
          const r = s.read(1 + (step % 700));
          if (r === 'eagain') break;
          if (r === 'eof') {
            eof = true;
            break;
          }
          got.push(...r);
        }
        if (!eof && !world.clock.runNext()) break;
      }
      expect(eof).toBe(true);
      expect(got).toEqual(expected);
    }),
    propertyParams('sim delivery in order exactly once', 'test/property/sim-delivery.test.ts'),
  );
});
