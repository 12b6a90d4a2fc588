// A world's schedule source, and every choice it makes, in the world's trace: the clock.tie
// entries spell the run's schedule, FIFO adds nothing, and each way of naming a strategy in
// WorldOptions gives the source it says.
import { describe, expect, test } from 'vitest';
import { World } from '../../../src/sim/world.js';
import { PctSource } from '../../../src/clock/pct-source.js';
import { SeededSource } from '../../../src/clock/seeded-source.js';
import { ReplaySource } from '../../../src/clock/replay-source.js';
import { SeededTieBreaker, ReplayTieBreaker } from '../../../src/clock/tie-breaker.js';
import type { ScheduleSource } from '../../../src/clock/schedule-source.js';
import { formatTimeline } from '../../../src/trace/timeline.js';
import type { Rng } from '../../../src/random/rng.js';

/** Five world timers at t=10 and two at t=20: six tie decisions, then one. */
function tied(world: World): string[] {
  const order: string[] = [];
  for (let i = 0; i < 5; i++) world.clock.setTimer(10, () => order.push(`a${i}`), `a${i}`);
  for (let i = 0; i < 2; i++) world.clock.setTimer(20, () => order.push(`b${i}`), `b${i}`);
  world.runUntilIdle();
  return order;
}

describe('ties in the world trace', () => {
  test('a seeded world records one clock.tie entry per choice, at the instant, with the candidates by label', () => {
    const world = new World({ seed: 4, tieBreaker: 'seeded' });
    tied(world);
    const source = world.clock.tieBreaker as ScheduleSource;
    const ties = world.trace.entriesOf('clock.tie');
    expect(ties.map((e) => e.chose)).toEqual(source.choices);
    expect(ties.map((e) => e.step)).toEqual([0, 1, 2, 3, 4]);
    expect(ties.map((e) => e.t)).toEqual([10, 10, 10, 10, 20]);
    expect(ties[0]?.candidates).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(ties[4]?.candidates).toEqual(['b0', 'b1']);
  });

  test('the schedule read back from the trace replays the run', () => {
    const world = new World({ seed: 5, tieBreaker: 'seeded' });
    const order = tied(world);
    const schedule = world.trace.entriesOf('clock.tie').map((e) => e.chose);
    const again = new World({ seed: 5, tieBreaker: new ReplaySource(schedule) });
    expect(tied(again)).toEqual(order);
    expect(again.trace.toJSONL()).toBe(world.trace.toJSONL());
  });

  test('a FIFO world makes no choice and records no tie', () => {
    const world = new World({ seed: 4 });
    expect(tied(world)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'b0', 'b1']);
    expect(world.trace.entriesOf('clock.tie')).toEqual([]);
  });

  test('with the trace disabled, choices are still made and recorded by the source, not the trace', () => {
    const world = new World({ seed: 4, tieBreaker: 'seeded', trace: { enabled: false } });
    tied(world);
    expect(world.trace.entries).toEqual([]);
    expect((world.clock.tieBreaker as ScheduleSource).choices).toHaveLength(5);
  });

  test('the timeline shows ties at the "all" level only', () => {
    const world = new World({ seed: 4, tieBreaker: 'seeded' });
    tied(world);
    expect(formatTimeline(world.trace.entries, 'all').filter((l) => l.includes('clock.tie'))).toHaveLength(5);
    expect(formatTimeline(world.trace.entries, 'net').some((l) => l.includes('clock.tie'))).toBe(false);
  });
});

describe('naming the strategy in WorldOptions', () => {
  test("'pct' is PCT with its defaults, drawn from the world RNG's ties fork", () => {
    const a = new World({ seed: 8, tieBreaker: 'pct' });
    const b = new World({ seed: 8, tieBreaker: 'pct' });
    expect(a.clock.tieBreaker).toBeInstanceOf(PctSource);
    expect(tied(a)).toEqual(tied(b));
  });

  test('a function builds the source from the ties fork, so the seed alone fixes the schedule', () => {
    const forks: string[] = [];
    const make = (rng: Rng): PctSource => {
      forks.push(rng.path);
      return new PctSource(rng, { depth: 2, steps: 5 });
    };
    const a = new World({ seed: 3, tieBreaker: make });
    const b = new World({ seed: 3, tieBreaker: make });
    expect(forks).toEqual(['root/ties', 'root/ties']);
    expect(tied(a)).toEqual(tied(b));
    expect((a.clock.tieBreaker as PctSource).choices).toEqual((b.clock.tieBreaker as PctSource).choices);
  });

  test("'seeded' keeps drawing from the same fork as before schedule sources existed", () => {
    // The ties fork of seed 4, drawn directly, gives the same choices as the world's source.
    const world = new World({ seed: 4, tieBreaker: 'seeded' });
    const direct = new World({ seed: 4, tieBreaker: (rng) => new SeededSource(rng) });
    expect(tied(world)).toEqual(tied(direct));
  });

  test('an unknown strategy name is refused with ERR_INVALID_OPTIONS', () => {
    let code: string | undefined;
    try {
      new World({ seed: 1, tieBreaker: 'random' as never });
    } catch (err) {
      code = (err as { code?: string }).code;
    }
    expect(code).toBe('ERR_INVALID_OPTIONS');
  });

  test('the earlier class names are the schedule sources', () => {
    expect(SeededTieBreaker).toBe(SeededSource);
    expect(ReplayTieBreaker).toBe(ReplaySource);
  });
});
