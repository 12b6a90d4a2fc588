// Tie-breakers decide the order of timers due at the same instant. These tests pin down what a
// breaker is asked, that seeded orders can be recorded and replayed exactly, and that a broken
// breaker cannot corrupt the clock.
import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../../../src/clock/virtual-clock.js';
import {
  ReplayTieBreaker,
  SeededTieBreaker,
  fifoTieBreaker,
  lifoTieBreaker,
  type TieBreaker,
  type TieCandidate,
} from '../../../src/clock/tie-breaker.js';
import { Rng } from '../../../src/random/rng.js';

/**
 * A workload rich in ties: five timers at t=1, three at t=2, and callbacks that add zero-delay
 * children (which join the tie at their instant). Returns the firing order as labels.
 */
function tiedWorkload(tieBreaker: TieBreaker): string[] {
  const clock = new VirtualClock({ tieBreaker });
  const log: string[] = [];
  const add = (delay: number, label: string, children = 0): void => {
    clock.setTimer(
      delay,
      () => {
        log.push(label);
        for (let c = 0; c < children; c++) add(0, `${label}.${c}`);
      },
      label,
    );
  };
  for (let i = 0; i < 5; i++) add(1, `a${i}`, i % 2);
  for (let i = 0; i < 3; i++) add(2, `b${i}`, 2);
  clock.runUntilIdle();
  return log;
}

describe('what a tie-breaker is asked', () => {
  test('only instants with two or more due timers consult the breaker, with candidates in scheduling order', () => {
    const calls: { now: number; labels: string[]; seqs: number[] }[] = [];
    const spy: TieBreaker = {
      name: 'spy',
      choose(candidates: readonly TieCandidate[], now: number) {
        calls.push({ now, labels: candidates.map((c) => c.label), seqs: candidates.map((c) => c.seq) });
        return 0;
      },
    };
    const clock = new VirtualClock({ tieBreaker: spy });
    clock.setTimer(5, () => {}, 'x');
    clock.setTimer(5, () => {}, 'y');
    clock.setTimer(9, () => {}, 'alone');
    clock.runUntilIdle();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ now: 5, labels: ['x', 'y'] });
    const seqs = calls[0]?.seqs ?? [];
    expect(seqs[0]).toBeLessThan(seqs[1] as number);
  });

  test('candidates carry the ids setTimer returned', () => {
    let seen: number[] = [];
    const clock = new VirtualClock({
      tieBreaker: {
        name: 'ids',
        choose(candidates) {
          seen = candidates.map((c) => c.id);
          return 0;
        },
      },
    });
    const ids = [clock.setTimer(1, () => {}), clock.setTimer(1, () => {})];
    clock.runNext();
    expect(seen).toEqual(ids);
  });

  test('a cancelled timer is no longer offered as a candidate', () => {
    const offered: string[][] = [];
    const clock = new VirtualClock({
      tieBreaker: {
        name: 'record',
        choose(candidates) {
          offered.push(candidates.map((c) => c.label));
          return 0;
        },
      },
    });
    let doomed = 0;
    clock.setTimer(1, () => clock.clearTimer(doomed), 'killer');
    doomed = clock.setTimer(1, () => {}, 'doomed');
    clock.setTimer(1, () => {}, 'other');
    clock.runUntilIdle();
    expect(offered).toEqual([['killer', 'doomed', 'other']]);
  });

  test('the LIFO breaker runs simultaneous timers newest first', () => {
    const clock = new VirtualClock({ tieBreaker: lifoTieBreaker });
    const log: string[] = [];
    for (const label of ['a', 'b', 'c']) clock.setTimer(3, () => log.push(label));
    clock.setTimer(4, () => log.push('later'));
    clock.runUntilIdle();
    expect(log).toEqual(['c', 'b', 'a', 'later']);
  });
});

describe('seeded and replayed orders', () => {
  test("a seeded breaker's recorded choices replay to the identical firing order", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const seeded = new SeededTieBreaker(new Rng(seed));
      const original = tiedWorkload(seeded);
      const replay = new ReplayTieBreaker([...seeded.choices]);
      expect(tiedWorkload(replay)).toEqual(original);
      expect(replay.fallbacks).toBe(0);
      expect(replay.used).toBe(seeded.choices.length);
    }
  });

  test('the same seed gives the same order and different seeds explore different orders', () => {
    const orders = new Set<string>();
    for (let seed = 1; seed <= 20; seed++) {
      const once = tiedWorkload(new SeededTieBreaker(new Rng(seed)));
      expect(tiedWorkload(new SeededTieBreaker(new Rng(seed)))).toEqual(once);
      orders.add(once.join(' '));
    }
    expect(orders.size).toBeGreaterThan(1);
  });

  test('FIFO order of the tied workload is scheduling order, children after the timers already due', () => {
    const expected = ['a0', 'a1', 'a2', 'a3', 'a4', 'a1.0', 'a3.0', 'b0', 'b1', 'b2', 'b0.0', 'b0.1', 'b1.0', 'b1.1', 'b2.0', 'b2.1'];
    expect(tiedWorkload(fifoTieBreaker)).toEqual(expected);
    // The same order through the tie-breaker path: a replay list that is empty falls back to FIFO.
    const replay = new ReplayTieBreaker([]);
    expect(tiedWorkload(replay)).toEqual(expected);
    expect(replay.used).toBeGreaterThan(0);
    expect(replay.fallbacks).toBe(replay.used);
  });

  test('a recorded index that no longer fits falls back to the first candidate', () => {
    const replay = new ReplayTieBreaker([5, 1]);
    const candidates: TieCandidate[] = [
      { id: 1, label: 'a', seq: 0, chain: 0 },
      { id: 2, label: 'b', seq: 1, chain: 1 },
    ];
    expect(replay.choose(candidates, 0)).toBe(0);
    expect(replay.choose(candidates, 0)).toBe(1);
    expect(replay.fallbacks).toBe(1);
  });
});

describe('a misbehaving breaker', () => {
  test('an out-of-range choice throws ERR_INVALID_TIE_CHOICE and leaves every timer pending', () => {
    const clock = new VirtualClock({ tieBreaker: { name: 'bad', choose: () => 7 } });
    clock.setTimer(1, () => {});
    clock.setTimer(1, () => {});
    let code: string | undefined;
    try {
      clock.runNext();
    } catch (err) {
      code = (err as { code?: string }).code;
    }
    expect(code).toBe('ERR_INVALID_TIE_CHOICE');
    expect(clock.pendingCount).toBe(2);
    expect(clock.now()).toBe(0);
  });

  test('after a breaker throws, a timer scheduled for an earlier instant still fires first', () => {
    let fail = true;
    const clock = new VirtualClock({
      tieBreaker: {
        name: 'flaky',
        choose() {
          if (fail) throw new Error('flaky');
          return 0;
        },
      },
    });
    const log: string[] = [];
    clock.setTimer(10, () => log.push('x@' + clock.now()));
    clock.setTimer(10, () => log.push('y@' + clock.now()));
    expect(() => clock.runNext()).toThrow('flaky');
    fail = false;
    clock.setTimer(5, () => log.push('early@' + clock.now()));
    expect(clock.nextDue()).toBe(5);
    clock.runUntilIdle();
    expect(log).toEqual(['early@5', 'x@10', 'y@10']);
  });
});

describe('schedule sources record what they chose', () => {
  test('a seeded source records each choice with the labels it chose among, and prints its schedule', () => {
    const seeded = new SeededTieBreaker(new Rng(11));
    const clock = new VirtualClock({ tieBreaker: seeded });
    for (const label of ['x', 'y', 'z']) clock.setTimer(1, () => {}, label);
    clock.runUntilIdle();
    expect(seeded.choices).toHaveLength(2);
    expect(seeded.decisions.map((d) => d.labels.length)).toEqual([3, 2]);
    expect(seeded.decisions[0]?.labels).toEqual(['x', 'y', 'z']);
    expect(seeded.decisions.every((d) => d.at === 1)).toBe(true);
    expect(seeded.schedule).toBe(seeded.choices.join('.'));
  });

  test('a replay source records what it actually chose, fallbacks included', () => {
    const replay = new ReplayTieBreaker([9, 1]);
    const clock = new VirtualClock({ tieBreaker: replay });
    for (const label of ['x', 'y', 'z']) clock.setTimer(1, () => {}, label);
    clock.runUntilIdle();
    expect(replay.choices).toEqual([0, 1]);
    expect(replay.fallbacks).toBe(1);
  });

  test('a replay source refuses something that is not a list of choices', () => {
    let code: string | undefined;
    try {
      new ReplayTieBreaker('0.1' as unknown as number[]);
    } catch (err) {
      code = (err as { code?: string }).code;
    }
    expect(code).toBe('ERR_INVALID_SCHEDULE');
  });
});
