// What a user exploring races relies on, stated as properties of the schedule strategies:
// - a run's recorded choices, written as a schedule string and parsed back, replay to a
//   byte-identical trace (every tie choice is in that trace);
// - exhaustive enumeration runs each distinct schedule exactly once, and their number is the
//   product formula of the program's ties;
// - PCT with depth d finds a planted ordering bug of depth d within the number of runs its
//   probability bound promises, on every seed;
// - whatever the strategy, a program fires every timer it scheduled exactly once.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { propertyParams } from '../helpers/property.js';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { fifoTieBreaker, lifoTieBreaker } from '../../src/clock/tie-breaker.js';
import type { ScheduleSource, TieBreaker } from '../../src/clock/schedule-source.js';
import { SeededSource } from '../../src/clock/seeded-source.js';
import { ReplaySource } from '../../src/clock/replay-source.js';
import { PctSource } from '../../src/clock/pct-source.js';
import { exploreExhaustive } from '../../src/clock/exhaustive.js';
import { formatSchedule, parseSchedule } from '../../src/clock/schedule-encoding.js';
import { traceTies } from '../../src/clock/tie-trace.js';
import { Rng } from '../../src/random/rng.js';
import { Trace } from '../../src/trace/trace.js';

const FILE = 'test/property/schedule-strategies.test.ts';

/**
 * A clock program: root timers (delay), each timer scheduling children from a table indexed
 * by its name's depth and position. Small delays make ties frequent; names are ancestry
 * ("r1.0.1"), which does not depend on the firing order.
 */
interface Program {
  readonly roots: readonly number[];
  /** children[depth][i % length]: the delays of the children of a timer at that depth. */
  readonly children: readonly (readonly (readonly number[])[])[];
}

const MAX_DEPTH = 2;

const delayArb = fc.integer({ min: 0, max: 2 });
const programArb: fc.Arbitrary<Program> = fc.record({
  roots: fc.array(delayArb, { minLength: 1, maxLength: 6 }),
  children: fc.array(fc.array(fc.array(delayArb, { maxLength: 2 }), { minLength: 1, maxLength: 3 }), {
    minLength: MAX_DEPTH,
    maxLength: MAX_DEPTH,
  }),
});

/** Runs `program`; returns the names scheduled and the firings, and records both in `trace`. */
function execute(program: Program, tieBreaker: TieBreaker, trace?: Trace): { scheduled: string[]; fired: string[] } {
  const clock = new VirtualClock({ tieBreaker, ...(trace === undefined ? {} : { onTie: traceTies(trace) }) });
  const scheduled: string[] = [];
  const fired: string[] = [];
  const schedule = (delay: number, name: string, depth: number, index: number): void => {
    scheduled.push(name);
    clock.setTimer(
      delay,
      () => {
        fired.push(name);
        trace?.record(clock.now(), 'test.fire', { name });
        const table = program.children[depth];
        if (table === undefined) return;
        const delays = table[index % table.length] ?? [];
        delays.forEach((d, i) => schedule(d, `${name}.${i}`, depth + 1, index + i + 1));
      },
      name,
    );
  };
  program.roots.forEach((d, i) => schedule(d, `r${i}`, 0, i));
  clock.runUntilIdle();
  expect(clock.pendingCount).toBe(0);
  return { scheduled, fired };
}

describe('replay', () => {
  const recordingArb: fc.Arbitrary<(seed: number) => ScheduleSource> = fc.oneof(
    fc.constant((seed: number) => new SeededSource(new Rng(seed))),
    fc
      .record({ depth: fc.integer({ min: 1, max: 4 }), steps: fc.integer({ min: 3, max: 30 }) })
      .map(({ depth, steps }) => (seed: number) => new PctSource(new Rng(seed), { depth, steps })),
  );

  test('a recorded schedule, formatted and parsed back, replays to a byte-identical trace with every choice in it', () => {
    fc.assert(
      fc.property(programArb, recordingArb, fc.integer(), (program, make, seed) => {
        const source = make(seed);
        const trace = new Trace();
        execute(program, source, trace);
        const again = new Trace();
        const replay = new ReplaySource(parseSchedule(formatSchedule(source.choices)));
        execute(program, replay, again);
        expect(again.toJSONL()).toBe(trace.toJSONL());
        expect(replay.fallbacks).toBe(0);
        // The trace holds every choice: its clock.tie entries spell the schedule.
        expect(trace.entriesOf('clock.tie').map((e) => e.chose)).toEqual(source.choices);
      }),
      propertyParams('recorded schedules replay byte for byte', FILE),
    );
  });
});

describe('exhaustive enumeration', () => {
  /** Instants 1..m with counts[j] timers each, none spawning: every order is a permutation per instant. */
  function tiedInstants(counts: readonly number[], source: TieBreaker): string[] {
    const clock = new VirtualClock({ tieBreaker: source });
    const fired: string[] = [];
    counts.forEach((c, j) => {
      for (let i = 0; i < c; i++) clock.setTimer(j + 1, () => fired.push(`${j + 1}:${i}`), `t${j + 1}.${i}`);
    });
    clock.runUntilIdle();
    return fired;
  }
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const countsArb = fc
    .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 })
    .filter((cs) => cs.reduce((p, c) => p * factorial(c), 1) <= 600);

  test('visits each distinct schedule exactly once, and their number is the product of the factorials of the tie sizes', () => {
    fc.assert(
      fc.property(countsArb, (counts) => {
        const orders: string[] = [];
        const report = exploreExhaustive((source) => {
          orders.push(tiedInstants(counts, source).join(' '));
        });
        const product = counts.reduce((p, c) => p * factorial(c), 1);
        expect(report.schedules).toBe(product);
        expect(new Set(orders).size).toBe(product);
        expect(report.complete).toBe(true);
        expect(report.hitScheduleBound || report.hitDepthBound).toBe(false);
        // Each order fires every timer once, instant by instant.
        const all = counts.flatMap((c, j) => Array.from({ length: c }, (_, i) => `${j + 1}:${i}`));
        for (const o of orders) {
          const fired = o.split(' ');
          expect([...fired].sort()).toEqual([...all].sort());
          expect(fired.map((f) => Number(f.split(':')[0]))).toEqual(all.map((f) => Number(f.split(':')[0])));
        }
      }),
      propertyParams('exhaustive count is the product formula', FILE, 200),
    );
  });

  test('with a depth bound, it covers the product over the first ties only and says the bound was hit', () => {
    fc.assert(
      fc.property(countsArb, fc.integer({ min: 1, max: 6 }), (counts, maxDepth) => {
        // The tie sizes met, in order: an instant with c timers asks c, c-1, …, 2.
        const sizes = counts.flatMap((c) => Array.from({ length: Math.max(0, c - 1) }, (_, i) => c - i));
        const report = exploreExhaustive((source) => void tiedInstants(counts, source), { maxDepth });
        expect(report.schedules).toBe(sizes.slice(0, maxDepth).reduce((p, s) => p * s, 1));
        expect(report.hitDepthBound).toBe(sizes.length > maxDepth);
        expect(report.complete).toBe(sizes.length <= maxDepth);
      }),
      propertyParams('exhaustive depth bound', FILE, 200),
    );
  });

  test('with a schedule bound below the total, it stops at the bound and says so', () => {
    fc.assert(
      fc.property(countsArb, fc.integer({ min: 1, max: 50 }), (counts, maxSchedules) => {
        const product = counts.reduce((p, c) => p * factorial(c), 1);
        const report = exploreExhaustive((source) => void tiedInstants(counts, source), { maxSchedules });
        expect(report.schedules).toBe(Math.min(product, maxSchedules));
        expect(report.hitScheduleBound).toBe(product > maxSchedules);
        expect(report.complete).toBe(product <= maxSchedules);
      }),
      propertyParams('exhaustive schedule bound', FILE, 200),
    );
  });
});

describe('PCT', () => {
  // Two chains, A and B, each a timer per instant 1..M that schedules its successor: at every
  // instant A's and B's timers tie, so a run makes exactly M tie decisions (k = M) among n = 2
  // threads. The planted bug of depth d: the first timer to fire at instants 3, 4, 5, … (d of
  // them) alternates B, A, B, … — d ordering constraints, each between the two threads.
  const M = 8;
  function winners(source: TieBreaker): string[] {
    const clock = new VirtualClock({ tieBreaker: source });
    const first: string[] = [];
    for (const name of ['A', 'B']) {
      const step = (j: number) => (): void => {
        if (first.length < j) first.push(name);
        if (j < M) clock.setTimer(1, step(j + 1), `${name}${j + 1}`);
      };
      clock.setTimer(1, step(1), `${name}1`);
    }
    clock.runUntilIdle();
    return first;
  }
  const planted = (depth: number) => (first: readonly string[]): boolean =>
    Array.from({ length: depth }, (_, i) => (i % 2 === 0 ? 'B' : 'A')).every((w, i) => first[2 + i] === w);

  /** PCT's bound for n threads, k steps, depth d: 1 / (n · k^(d−1)) per run. */
  const bound = (d: number): number => 1 / (2 * M ** (d - 1));
  /** Runs after which the bound leaves a miss probability below one in a million. */
  const runsFor = (d: number): number => Math.ceil(Math.log(1e-6) / Math.log(1 - bound(d)));

  for (const d of [1, 2, 3]) {
    test(`PCT with depth ${d} finds a depth-${d} ordering bug within ${runsFor(d)} runs on every seed (miss probability < 1e-6 by the 1/(n·k^(d−1)) bound)`, () => {
      const bug = planted(d);
      fc.assert(
        fc.property(fc.integer(), (seed) => {
          const root = new Rng(seed);
          let found = -1;
          for (let run = 0; run < runsFor(d) && found < 0; run++) {
            const source = new PctSource(root.fork(`run${run}`), { depth: d, steps: M });
            if (bug(winners(source))) found = run;
            expect(source.choices).toHaveLength(M);
          }
          expect(found).toBeGreaterThanOrEqual(0);
        }),
        propertyParams(`PCT depth ${d} finds a depth-${d} bug`, FILE, 100),
      );
    });
  }

  test('PCT with one depth too few never finds the planted bug: the bug really needs its d−1 priority changes', () => {
    for (const d of [2, 3]) {
      const bug = planted(d);
      const root = new Rng(d);
      for (let run = 0; run < 2000; run++) {
        expect(bug(winners(new PctSource(root.fork(`run${run}`), { depth: d - 1, steps: M })))).toBe(false);
      }
    }
  });
});

describe('every strategy', () => {
  const strategyArb: fc.Arbitrary<{ readonly name: string; readonly make: () => TieBreaker[] | 'exhaustive' }> = fc.oneof(
    fc.constant({ name: 'fifo', make: () => [fifoTieBreaker] }),
    fc.constant({ name: 'lifo', make: () => [lifoTieBreaker] }),
    fc.integer().map((seed) => ({ name: 'seeded', make: () => [new SeededSource(new Rng(seed))] })),
    fc
      .record({ seed: fc.integer(), depth: fc.integer({ min: 1, max: 4 }), steps: fc.integer({ min: 3, max: 20 }) })
      .map(({ seed, depth, steps }) => ({ name: 'pct', make: () => [new PctSource(new Rng(seed), { depth, steps })] })),
    fc.array(fc.nat(5), { maxLength: 30 }).map((list) => ({ name: 'replay', make: () => [new ReplaySource(list)] })),
    fc.constant({ name: 'exhaustive', make: () => 'exhaustive' as const }),
  );

  test('a clock program fires every timer it scheduled exactly once, whatever the strategy', () => {
    fc.assert(
      fc.property(programArb, strategyArb, (program, strategy) => {
        const check = (source: TieBreaker): void => {
          const { scheduled, fired } = execute(program, source);
          expect([...fired].sort()).toEqual([...scheduled].sort());
          expect(new Set(fired).size).toBe(fired.length);
        };
        const made = strategy.make();
        if (made === 'exhaustive') {
          const report = exploreExhaustive((source) => check(source), { maxSchedules: 30 });
          expect(report.failure).toBeUndefined();
        } else {
          for (const source of made) check(source);
        }
      }),
      propertyParams('every strategy fires each timer once', FILE),
    );
  });
});
