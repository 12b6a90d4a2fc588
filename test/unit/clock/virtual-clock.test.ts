// VirtualClock: ordering, cancel, the advance family, the runaway guard and what a throwing
// callback leaves behind. Each test builds its expectation from the schedule it wrote, not from
// the clock's output.
import { describe, expect, test } from 'vitest';
import { VirtualClock, ClockLoopLimitError } from '../../../src/clock/virtual-clock.js';
import { DetnetError } from '../../../src/errors.js';

/** A clock plus a log of `label@time` strings, one per firing. */
function logged(): { clock: VirtualClock; log: string[]; at: (delay: number, label: string, body?: () => void) => number } {
  const clock = new VirtualClock();
  const log: string[] = [];
  const at = (delay: number, label: string, body?: () => void): number =>
    clock.setTimer(
      delay,
      () => {
        log.push(`${label}@${clock.now()}`);
        body?.();
      },
      label,
    );
  return { clock, log, at };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('ordering', () => {
  test('timers fire in due-time order whatever order they were scheduled in', () => {
    const { clock, log, at } = logged();
    at(30, 'c');
    at(10, 'a');
    at(20, 'b');
    clock.runUntilIdle();
    expect(log).toEqual(['a@10', 'b@20', 'c@30']);
  });

  test('timers due at the same instant fire in scheduling order', () => {
    const { clock, log, at } = logged();
    for (const label of ['first', 'second', 'third', 'fourth']) at(5, label);
    clock.runUntilIdle();
    expect(log).toEqual(['first@5', 'second@5', 'third@5', 'fourth@5']);
  });

  test('a zero-delay timer scheduled by a callback runs after the timers already due at that instant', () => {
    const { clock, log, at } = logged();
    at(5, 'a', () => at(0, 'child'));
    at(5, 'b');
    clock.runUntilIdle();
    expect(log).toEqual(['a@5', 'b@5', 'child@5']);
  });

  test('runNext fires exactly one timer, moves time to its due time, and reports an empty queue', () => {
    const { clock, log, at } = logged();
    at(7, 'a');
    at(9, 'b');
    expect(clock.runNext()).toBe(true);
    expect(log).toEqual(['a@7']);
    expect(clock.now()).toBe(7);
    expect(clock.runNext()).toBe(true);
    expect(clock.runNext()).toBe(false);
    expect(clock.now()).toBe(9);
  });

  test('nextDue and pendingCount describe the queue without changing it', () => {
    const { clock, at } = logged();
    expect(clock.nextDue()).toBeUndefined();
    at(4, 'a');
    at(2, 'b');
    expect(clock.nextDue()).toBe(2);
    expect(clock.pendingCount).toBe(2);
    expect(clock.now()).toBe(0);
  });

  test('the clock can start at a chosen time and delays count from it', () => {
    const clock = new VirtualClock({ start: 1000 });
    let firedAt = -1;
    clock.setTimer(5, () => (firedAt = clock.now()));
    clock.runUntilIdle();
    expect(firedAt).toBe(1005);
  });
});

describe('cancel', () => {
  test('a cancelled timer never fires and clearTimer reports whether it was pending', () => {
    const { clock, log, at } = logged();
    const a = at(5, 'a');
    at(6, 'b');
    expect(clock.clearTimer(a)).toBe(true);
    expect(clock.clearTimer(a)).toBe(false);
    expect(clock.pendingCount).toBe(1);
    clock.runUntilIdle();
    expect(log).toEqual(['b@6']);
  });

  test('clearing a fired or never-issued id returns false and cancels nothing', () => {
    const { clock, log, at } = logged();
    const a = at(1, 'a');
    clock.runNext();
    at(2, 'b');
    expect(clock.clearTimer(a)).toBe(false);
    expect(clock.clearTimer(987654)).toBe(false);
    expect(clock.clearTimer(Number.NaN)).toBe(false);
    clock.runUntilIdle();
    expect(log).toEqual(['a@1', 'b@3']);
  });

  test('the id of a fired timer does not cancel a newer timer, even one reusing its storage', () => {
    // Ids are generational: the table reuses a freed slot, but the old id must stay dead.
    const { clock, log, at } = logged();
    const ids = new Set<number>();
    const old = at(1, 'old');
    ids.add(old);
    clock.runNext();
    const newer = at(1, 'newer');
    expect(ids.has(newer)).toBe(false);
    expect(clock.clearTimer(old)).toBe(false);
    clock.runUntilIdle();
    expect(log).toEqual(['old@1', 'newer@2']);
  });

  test('every id handed out is a distinct positive integer', () => {
    const clock = new VirtualClock();
    const seen = new Set<number>();
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 20; i++) seen.add(clock.setTimer(i % 3, () => {}));
      clock.runUntilIdle();
    }
    expect(seen.size).toBe(1000);
    for (const id of seen) expect(Number.isSafeInteger(id) && id > 0).toBe(true);
  });

  test('a callback can cancel a later timer before it fires', () => {
    const { clock, log, at } = logged();
    let victim = 0;
    at(1, 'killer', () => clock.clearTimer(victim));
    victim = at(2, 'victim');
    clock.runUntilIdle();
    expect(log).toEqual(['killer@1']);
  });

  test('a callback can cancel a timer due at the same instant', () => {
    const { clock, log, at } = logged();
    let victim = 0;
    at(3, 'killer', () => clock.clearTimer(victim));
    victim = at(3, 'victim');
    at(3, 'survivor');
    clock.runUntilIdle();
    expect(log).toEqual(['killer@3', 'survivor@3']);
  });
});

describe('timer tasks', () => {
  /** A task that records when it fired and names itself. */
  function task(name: string, fired: string[], clock: VirtualClock): { fire(): void; timerLabel(): string } {
    return { fire: () => fired.push(`${name}@${clock.now()}`), timerLabel: () => `task ${name}` };
  }

  test('a scheduled task fires once at its due time, in order with ordinary timers of the same instant', () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    clock.setTimer(5, () => fired.push(`a@${clock.now()}`));
    clock.schedule(5, task('t', fired, clock));
    clock.setTimer(5, () => fired.push(`b@${clock.now()}`));
    clock.schedule(2, task('early', fired, clock));
    clock.runUntilIdle();
    expect(fired).toEqual(['early@2', 'a@5', 't@5', 'b@5']);
    expect(clock.pendingCount).toBe(0);
  });

  test('a task is its own label (in the runaway report) and can be cancelled by its id', () => {
    const clock = new VirtualClock({ loopLimit: 3 });
    const fired: string[] = [];
    const id = clock.schedule(1, task('cancelled', fired, clock));
    expect(clock.clearTimer(id)).toBe(true);
    const again = { fire: () => clock.schedule(1, again), timerLabel: () => 'task again' };
    clock.schedule(1, again);
    let err: unknown;
    try {
      clock.runUntilIdle();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ClockLoopLimitError);
    expect((err as ClockLoopLimitError).lastEvents.map((t) => t.label)).toEqual(['task again', 'task again', 'task again']);
    expect(fired).toEqual([]);
  });

  test.each([[null], [() => undefined], [{ fire: () => undefined }], [{ timerLabel: () => 'x' }]])('a task without fire() and timerLabel() (%o) is refused when scheduled', (bad) => {
    const clock = new VirtualClock();
    expect(codeOf(() => clock.schedule(1, bad as never))).toBe('ERR_INVALID_CALLBACK');
    expect(clock.pendingCount).toBe(0);
  });
});

describe('advance and advanceTo', () => {
  test('advance fires timers due up to and including the new time and stops there', () => {
    const { clock, log, at } = logged();
    at(10, 'edge');
    at(11, 'after');
    clock.advance(10);
    expect(log).toEqual(['edge@10']);
    expect(clock.now()).toBe(10);
    expect(clock.pendingCount).toBe(1);
  });

  test('advance moves time by the full amount even when nothing is due', () => {
    const clock = new VirtualClock();
    clock.advance(25);
    clock.advance(0);
    expect(clock.now()).toBe(25);
  });

  test('timers scheduled during advance fire in the same call if they fall inside the window', () => {
    const { clock, log, at } = logged();
    at(2, 'a', () => {
      at(3, 'inside'); // due 5
      at(9, 'outside'); // due 11
    });
    clock.advance(10);
    expect(log).toEqual(['a@2', 'inside@5']);
    expect(clock.now()).toBe(10);
    expect(clock.nextDue()).toBe(11);
  });

  test('advanceTo goes to an absolute time', () => {
    const { clock, log, at } = logged();
    clock.advance(4);
    at(3, 'a'); // due 7
    clock.advanceTo(7);
    expect(log).toEqual(['a@7']);
    expect(clock.now()).toBe(7);
  });

  test('advanceTo a past time never moves time backwards but fires what is due now', () => {
    const { clock, log, at } = logged();
    clock.advance(10);
    at(0, 'now');
    clock.advanceTo(3);
    expect(log).toEqual(['now@10']);
    expect(clock.now()).toBe(10);
  });

  test('runWhile stops before the first firing for which keepGoing is false and leaves time there', () => {
    const { clock, log, at } = logged();
    at(1, 'a');
    at(2, 'b');
    at(3, 'c');
    const stopped = clock.runWhile(100, () => log.length < 2);
    expect(stopped).toBe(true);
    expect(log).toEqual(['a@1', 'b@2']);
    expect(clock.now()).toBe(2);
  });

  test('runWhile that runs out of timers in its window reports it and moves time to the bound', () => {
    const { clock, at } = logged();
    at(1, 'a');
    expect(clock.runWhile(50, () => true)).toBe(false);
    expect(clock.now()).toBe(50);
  });
});

describe('runaway guard', () => {
  test('a self-rescheduling timer stops with a named error that lists the last timers fired', () => {
    const clock = new VirtualClock({ loopLimit: 100 });
    const spin = (): void => void clock.setTimer(0, spin, 'spin');
    clock.setTimer(3, spin, 'spin');
    let error: unknown;
    try {
      clock.runUntilIdle();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ClockLoopLimitError);
    const limitError = error as ClockLoopLimitError;
    expect(limitError.code).toBe('ERR_CLOCK_LOOP_LIMIT');
    expect(limitError.limit).toBe(100);
    expect(limitError.lastEvents).toHaveLength(16);
    expect(limitError.lastEvents.every((e) => e.label === 'spin' && e.at === 3)).toBe(true);
    expect(limitError.message).toContain('spin@3');
    expect(clock.fired).toBe(100);
  });

  test('after the guard trips the clock is consistent and can keep running', () => {
    const clock = new VirtualClock({ loopLimit: 10 });
    let spins = 0;
    const spin = (): void => {
      if (++spins < 15) clock.setTimer(1, spin, 'spin');
    };
    clock.setTimer(1, spin, 'spin');
    expect(() => clock.runUntilIdle()).toThrow(ClockLoopLimitError);
    expect(clock.pendingCount).toBe(1);
    expect(clock.now()).toBe(10);
    clock.runUntilIdle(); // the remaining five firings fit in a fresh run
    expect(spins).toBe(15);
    expect(clock.pendingCount).toBe(0);
  });

  test('the loop limit counts per run, not over the clock lifetime', () => {
    const clock = new VirtualClock({ loopLimit: 5 });
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 5; i++) clock.setTimer(1, () => {});
      clock.advance(1);
    }
    expect(clock.fired).toBe(20);
  });

  test('an error thrown earlier in the run travels as the cause of the loop-limit error', () => {
    const clock = new VirtualClock({ loopLimit: 3 });
    const boom = new Error('boom');
    clock.setTimer(1, () => {
      throw boom;
    });
    for (let i = 0; i < 5; i++) clock.setTimer(2, () => {});
    let error: unknown;
    try {
      clock.runUntilIdle();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ClockLoopLimitError);
    expect((error as Error).cause).toBe(boom);
  });
});

describe('exceptions in callbacks', () => {
  test('advance keeps firing after a throwing callback, ends at its target and rethrows the first error', () => {
    const { clock, log, at } = logged();
    const first = new Error('first');
    at(1, 'a', () => {
      throw first;
    });
    at(2, 'b', () => {
      throw new Error('second');
    });
    at(3, 'c');
    let caught: unknown;
    try {
      clock.advance(10);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBe(first);
    expect(log).toEqual(['a@1', 'b@2', 'c@3']);
    expect(clock.now()).toBe(10);
    expect(clock.pendingCount).toBe(0);
  });

  test('runNext rethrows at once with the timer consumed and time at its due time', () => {
    const { clock, log, at } = logged();
    at(4, 'bad', () => {
      throw new Error('bad');
    });
    at(6, 'good');
    expect(() => clock.runNext()).toThrow('bad');
    expect(clock.now()).toBe(4);
    expect(clock.pendingCount).toBe(1);
    clock.runUntilIdle();
    expect(log).toEqual(['bad@4', 'good@6']);
  });

  test('a throwing callback inside runUntilIdle does not stop the rest of the queue', () => {
    const { clock, log, at } = logged();
    at(1, 'bad', () => {
      throw new Error('bad');
    });
    at(1, 'same-instant');
    at(2, 'later');
    expect(() => clock.runUntilIdle()).toThrow('bad');
    expect(log).toEqual(['bad@1', 'same-instant@1', 'later@2']);
  });
});

describe('misuse', () => {
  test.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY], ['5' as unknown as number]])(
    'setTimer with delay %s throws ERR_INVALID_DELAY and schedules nothing',
    (delay) => {
      const clock = new VirtualClock();
      let error: unknown;
      try {
        clock.setTimer(delay, () => {});
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(DetnetError);
      expect((error as DetnetError).code).toBe('ERR_INVALID_DELAY');
      expect(clock.pendingCount).toBe(0);
    },
  );

  test('advance with a negative or non-finite duration throws ERR_INVALID_DELAY', () => {
    const clock = new VirtualClock();
    expect(codeOf(() => clock.advance(-5))).toBe('ERR_INVALID_DELAY');
    expect(codeOf(() => clock.advance(Number.POSITIVE_INFINITY))).toBe('ERR_INVALID_DELAY');
    expect(clock.now()).toBe(0);
  });

  test('a callback that is not a function is refused when scheduled, not when fired', () => {
    const clock = new VirtualClock();
    expect(codeOf(() => clock.setTimer(1, 'oops' as unknown as () => void))).toBe('ERR_INVALID_CALLBACK');
    expect(clock.pendingCount).toBe(0);
  });

  test('invalid times and options are refused with their own codes', () => {
    const clock = new VirtualClock();
    expect(codeOf(() => clock.advanceTo(Number.NaN))).toBe('ERR_INVALID_TIME');
    expect(codeOf(() => clock.runWhile(Number.NaN, () => true))).toBe('ERR_INVALID_TIME');
    expect(codeOf(() => new VirtualClock({ start: Number.NaN }))).toBe('ERR_INVALID_TIME');
    expect(codeOf(() => new VirtualClock({ loopLimit: 0 }))).toBe('ERR_INVALID_LOOP_LIMIT');
    expect(codeOf(() => new VirtualClock({ loopLimit: 2.5 }))).toBe('ERR_INVALID_LOOP_LIMIT');
  });
});
