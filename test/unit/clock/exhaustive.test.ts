// The exhaustive driver walks every order of same-instant timers. These tests count schedules
// of small programs by hand, check that a failure is reported with a schedule that replays it,
// that both bounds are reported, and that a run which is not a function of its schedule is
// refused instead of silently miscounted.
import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../../../src/clock/virtual-clock.js';
import { describeExhaustive, exploreExhaustive, exploreExhaustiveAsync } from '../../../src/clock/exhaustive.js';
import { ReplaySource } from '../../../src/clock/replay-source.js';
import { parseSchedule } from '../../../src/clock/schedule-encoding.js';
import type { TieBreaker } from '../../../src/clock/schedule-source.js';

/** a and b due at 1; a schedules a′ at +0, which joins the tie. Returns the firing order. */
function spawning(source: TieBreaker): string {
  const clock = new VirtualClock({ tieBreaker: source });
  const log: string[] = [];
  clock.setTimer(1, () => {
    log.push('a');
    clock.setTimer(0, () => log.push("a'"), "a'");
  }, 'a');
  clock.setTimer(1, () => log.push('b'), 'b');
  clock.runUntilIdle();
  return log.join(' ');
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('exploreExhaustive', () => {
  test('a timer that joins a tie adds its own branches: a, b and a-spawns-a′ give exactly three orders', () => {
    const orders: string[] = [];
    const report = exploreExhaustive((source) => void orders.push(spawning(source)));
    // By hand: a first, then {b, a′} in either order (b is offered first: scheduled earlier); or
    // b first, then a, then a′. Runs come in lexicographic order of their choice lists.
    expect(orders).toEqual(["a b a'", "a a' b", "b a a'"]);
    expect(report).toMatchObject({ schedules: 3, complete: true, hitScheduleBound: false, hitDepthBound: false, deepest: 2 });
    expect(describeExhaustive(report)).toBe('all 3 schedules pass (every schedule covered)');
  });

  test('reports progress after every run, the failing one included', () => {
    const progress: number[] = [];
    exploreExhaustive((source) => spawning(source) !== "a a' b", { onProgress: (n) => progress.push(n) });
    expect(progress).toEqual([1, 2]);
  });

  test('a program without ties has exactly one schedule, and that is a complete proof', () => {
    const report = exploreExhaustive((source) => {
      const clock = new VirtualClock({ tieBreaker: source });
      clock.setTimer(1, () => {});
      clock.setTimer(2, () => {});
      clock.runUntilIdle();
    });
    expect(report).toMatchObject({ schedules: 1, complete: true, deepest: 0 });
    expect(describeExhaustive(report)).toBe('all 1 schedule pass (every schedule covered)');
  });

  test('stops at the first failing schedule and reports it in a form that replays the failure', () => {
    const report = exploreExhaustive((source) => spawning(source) !== "a a' b");
    expect(report.failure).toBeDefined();
    expect(report.failure?.run).toBe(2);
    expect(report.failure?.schedule).toBe('0.1');
    expect(report.failure?.decisions.map((d) => d.labels)).toEqual([
      ['a', 'b'],
      ['b', "a'"],
    ]);
    expect(report.complete).toBe(false);
    // The printed schedule, parsed and replayed, gives the failing order again.
    expect(spawning(new ReplaySource(parseSchedule(report.failure?.schedule ?? '')))).toBe("a a' b");
    expect(describeExhaustive(report)).toBe('schedule "0.1" fails (1 schedule passed before it)');
  });

  test('a run that throws is a failure, and the error is kept', () => {
    const boom = new Error('invariant broken');
    const report = exploreExhaustive((source) => {
      if (spawning(source).startsWith('b')) throw boom;
    });
    expect(report.failure?.error).toBe(boom);
    expect(report.failure?.schedule).toBe('1');
  });

  test('the schedule bound stops the walk and the report says not every schedule was covered', () => {
    const report = exploreExhaustive((source) => void spawning(source), { maxSchedules: 2 });
    expect(report).toMatchObject({ schedules: 2, hitScheduleBound: true, complete: false });
    expect(describeExhaustive(report)).toBe('2 schedules pass; stopped by the schedule bound, so not every schedule was covered');
  });

  test('the depth bound leaves later ties in FIFO order and the report says so', () => {
    const orders: string[] = [];
    const report = exploreExhaustive((source) => void orders.push(spawning(source)), { maxDepth: 1 });
    // Only the first tie branches; the second (b vs a′) always takes its first candidate.
    expect(orders).toEqual(["a b a'", "b a a'"]);
    expect(report).toMatchObject({ schedules: 2, hitDepthBound: true, complete: false });
    expect(describeExhaustive(report)).toContain('the depth bound');
  });

  test('counts with thousands separators that do not depend on the locale', () => {
    const report = exploreExhaustive((source) => {
      const clock = new VirtualClock({ tieBreaker: source });
      // 4! · 3! · 3! · 3! · 2! = 10,368 orders: five instants of independent ties.
      for (const [t, n] of [[1, 4], [2, 3], [3, 3], [4, 3], [5, 2]] as const) for (let i = 0; i < n; i++) clock.setTimer(t, () => {});
      clock.runUntilIdle();
    }, { maxSchedules: 20_000 });
    expect(report.schedules).toBe(24 * 6 * 6 * 6 * 2);
    expect(describeExhaustive(report)).toBe('all 10,368 schedules pass (every schedule covered)');
  });

  test('a run that is not a function of its schedule is refused with ERR_NONDETERMINISTIC_RUN', () => {
    let calls = 0;
    const run = (source: TieBreaker): void => {
      const clock = new VirtualClock({ tieBreaker: source });
      // The second run has a different set of tied timers than the first saw.
      const n = calls++ === 0 ? 2 : 3;
      for (let i = 0; i < n; i++) clock.setTimer(1, () => {}, `t${i}`);
      clock.runUntilIdle();
    };
    expect(codeOf(() => exploreExhaustive(run))).toBe('ERR_NONDETERMINISTIC_RUN');
  });

  test('a run that stops making the choices it made before is refused too', () => {
    let calls = 0;
    const run = (source: TieBreaker): void => {
      const clock = new VirtualClock({ tieBreaker: source });
      if (calls++ > 0) return;
      for (let i = 0; i < 3; i++) clock.setTimer(1, () => {}, `t${i}`);
      clock.runUntilIdle();
    };
    expect(codeOf(() => exploreExhaustive(run))).toBe('ERR_NONDETERMINISTIC_RUN');
  });

  test('an async run is refused with ERR_ASYNC_RUN rather than counted as a pass', () => {
    const run = (async () => false) as unknown as () => boolean;
    expect(codeOf(() => exploreExhaustive(run))).toBe('ERR_ASYNC_RUN');
  });

  test.each([
    ['maxSchedules 0', { maxSchedules: 0 }],
    ['maxDepth 1.5', { maxDepth: 1.5 }],
  ])('refuses %s with ERR_INVALID_EXHAUSTIVE_OPTIONS', (_what, options) => {
    expect(codeOf(() => exploreExhaustive(() => true, options))).toBe('ERR_INVALID_EXHAUSTIVE_OPTIONS');
  });
});

describe('exploreExhaustiveAsync', () => {
  test('walks the same schedules in the same order as the synchronous walk, one awaited run at a time', async () => {
    const orders: string[] = [];
    let running = 0;
    const report = await exploreExhaustiveAsync(async (source) => {
      running++;
      expect(running).toBe(1);
      await Promise.resolve();
      orders.push(spawning(source));
      running--;
    });
    expect(orders).toEqual(["a b a'", "a a' b", "b a a'"]);
    expect(report).toMatchObject({ schedules: 3, complete: true, deepest: 2 });
  });

  test('stops at the first run whose promise resolves to false or rejects, and reports its schedule', async () => {
    const failed = await exploreExhaustiveAsync(async (source) => spawning(source) !== "a a' b");
    expect(failed.failure).toMatchObject({ run: 2, schedule: '0.1' });
    const thrown = await exploreExhaustiveAsync(async (source) => {
      if (spawning(source) === "b a a'") throw new Error('boom');
    });
    expect(thrown.failure?.run).toBe(3);
    expect((thrown.failure?.error as Error).message).toBe('boom');
  });
});
