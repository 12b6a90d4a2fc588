// VirtualClock against a naive reference clock: a plain array of pending timers scanned for the
// minimum (due, seq) at every step. Random programs — schedules, cancels, advance, advanceTo,
// runNext, runUntilIdle — whose timer callbacks themselves schedule, cancel and throw, must give
// the same firings (which timer, at what time, in what order), the same cancel results, the same
// errors and the same visible state after every step. The heap, the slot table, the lazy tie
// list and the error handling all have to be right for that to hold; the reference is short
// enough to be right by inspection. The reference also keeps each timer's causal chain (the
// seq of the timer that started it, inherited by timers scheduled from a callback); with the
// PCT breaker, whose choices depend on chains, a wrong chain shows up as a different order.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { propertyParams } from '../helpers/property.js';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { SeededTieBreaker, fifoTieBreaker, lifoTieBreaker, type TieBreaker } from '../../src/clock/tie-breaker.js';
import { Rng } from '../../src/random/rng.js';
import { PctSource } from '../../src/clock/pct-source.js';

/** What both clocks must offer the driver. */
interface ClockUnderTest {
  now(): number;
  setTimer(delay: number, callback: () => void, label: string): number;
  clearTimer(id: number): boolean;
  advance(ms: number): void;
  advanceTo(time: number): void;
  runNext(): boolean;
  runUntilIdle(): void;
  nextDue(): number | undefined;
  readonly pendingCount: number;
}

interface RefTimer {
  readonly id: number;
  readonly due: number;
  readonly seq: number;
  readonly label: string;
  readonly chain: number;
  readonly callback: () => void;
}

/** The reference: obviously correct, O(n) per step. Same semantics as VirtualClock's header. */
class NaiveClock implements ClockUnderTest {
  private time = 0;
  private seq = 0;
  private pending: RefTimer[] = [];
  /** Chain of the timer whose callback is running; -1 outside callbacks. */
  private firing = -1;
  constructor(private readonly tieBreaker: TieBreaker) {}
  now(): number {
    return this.time;
  }
  setTimer(delay: number, callback: () => void, label: string): number {
    const seq = this.seq++;
    const chain = this.firing < 0 ? seq : this.firing;
    this.pending.push({ id: seq + 1, due: this.time + delay, seq, label, chain, callback });
    return seq + 1;
  }
  clearTimer(id: number): boolean {
    const before = this.pending.length;
    this.pending = this.pending.filter((t) => t.id !== id);
    return this.pending.length !== before;
  }
  get pendingCount(): number {
    return this.pending.length;
  }
  nextDue(): number | undefined {
    return this.pending.length === 0 ? undefined : Math.min(...this.pending.map((t) => t.due));
  }
  /** Removes the next timer: the earliest due; among those, the breaker's pick in seq order. */
  private take(): RefTimer | undefined {
    const due = this.nextDue();
    if (due === undefined) return undefined;
    const tied = this.pending.filter((t) => t.due === due).sort((a, b) => a.seq - b.seq);
    const chosen = (tied.length > 1 ? tied[this.tieBreaker.choose(tied, due)] : tied[0]) as RefTimer;
    this.pending = this.pending.filter((t) => t !== chosen);
    return chosen;
  }
  private fire(timer: RefTimer): void {
    this.time = Math.max(this.time, timer.due);
    const outer = this.firing;
    this.firing = timer.chain;
    try {
      timer.callback();
    } finally {
      this.firing = outer;
    }
  }
  runNext(): boolean {
    const timer = this.take();
    if (timer === undefined) return false;
    this.fire(timer);
    return true;
  }
  private runTo(until: number): void {
    let first: { error: unknown } | undefined;
    for (let due = this.nextDue(); due !== undefined && due <= until; due = this.nextDue()) {
      try {
        this.fire(this.take() as RefTimer);
      } catch (error) {
        first ??= { error };
      }
    }
    if (until !== Infinity) this.time = Math.max(this.time, until);
    if (first !== undefined) throw first.error;
  }
  advance(ms: number): void {
    this.runTo(this.time + ms);
  }
  advanceTo(time: number): void {
    this.runTo(Math.max(time, this.time));
  }
  runUntilIdle(): void {
    this.runTo(Infinity);
  }
}

/** What a timer does when it fires. */
interface Behaviour {
  /** Delays of children to schedule. */
  readonly schedules: readonly number[];
  /** Timers to cancel, as offsets back from the newest timer created so far. */
  readonly cancels: readonly number[];
  readonly throws: boolean;
}

type Step =
  | { readonly op: 'schedule'; readonly delay: number }
  | { readonly op: 'cancel'; readonly back: number }
  | { readonly op: 'advance'; readonly ms: number }
  | { readonly op: 'advanceTo'; readonly offset: number }
  | { readonly op: 'runNext' }
  | { readonly op: 'runUntilIdle' };

interface Program {
  readonly behaviours: readonly Behaviour[];
  readonly steps: readonly Step[];
  readonly breaker: 'fifo' | 'lifo' | 'seeded' | 'pct';
  readonly seed: number;
}

/** Bound on timers per program, so that self-scheduling callbacks always terminate. */
const MAX_TIMERS = 150;

/**
 * Runs `program` on `clock` and returns everything observable, with timers named by creation
 * index (ids differ between the two clocks by design).
 */
function execute(clock: ClockUnderTest, program: Program): string[] {
  const log: string[] = [];
  const ids: number[] = [];
  const cancel = (back: number): void => {
    if (ids.length === 0) return;
    const k = ids.length - 1 - (back % ids.length);
    log.push(`cancel #${k} -> ${clock.clearTimer(ids[k] as number)}`);
  };
  const schedule = (delay: number): void => {
    if (ids.length >= MAX_TIMERS) return;
    const k = ids.length;
    const behaviour = program.behaviours[k % program.behaviours.length] as Behaviour;
    ids.push(
      clock.setTimer(
        delay,
        () => {
          log.push(`fire #${k} @${clock.now()}`);
          for (const d of behaviour.schedules) schedule(d);
          for (const b of behaviour.cancels) cancel(b);
          if (behaviour.throws) throw new Error(`boom #${k}`);
        },
        `t${k}`,
      ),
    );
  };
  for (const step of program.steps) {
    try {
      switch (step.op) {
        case 'schedule':
          schedule(step.delay);
          break;
        case 'cancel':
          cancel(step.back);
          break;
        case 'advance':
          clock.advance(step.ms);
          break;
        case 'advanceTo':
          clock.advanceTo(clock.now() + step.offset);
          break;
        case 'runNext':
          log.push(`runNext -> ${clock.runNext()}`);
          break;
        case 'runUntilIdle':
          clock.runUntilIdle();
          break;
      }
    } catch (error) {
      log.push(`threw ${(error as Error).message}`);
    }
    log.push(`${step.op}: now=${clock.now()} pending=${clock.pendingCount} next=${String(clock.nextDue())}`);
  }
  return log;
}

function breakerFor(program: Program): TieBreaker {
  if (program.breaker === 'fifo') return fifoTieBreaker;
  if (program.breaker === 'lifo') return lifoTieBreaker;
  // A fresh breaker per clock: both draw the same stream if asked the same questions.
  if (program.breaker === 'pct') return new PctSource(new Rng(program.seed).fork('ties'), { depth: 3, steps: 12 });
  return new SeededTieBreaker(new Rng(program.seed).fork('ties'));
}

// Small integer delays make ties common; a few fractional ones exercise float due times.
const delayArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 6 }) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 6, noNaN: true }) },
);

const behaviourArb: fc.Arbitrary<Behaviour> = fc.record({
  schedules: fc.array(delayArb, { maxLength: 2 }),
  cancels: fc.array(fc.nat(20), { maxLength: 1 }),
  throws: fc.nat(4).map((n) => n === 0), // one timer in five throws
});

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: delayArb.map((delay) => ({ op: 'schedule' as const, delay })) },
  { weight: 2, arbitrary: fc.nat(20).map((back) => ({ op: 'cancel' as const, back })) },
  { weight: 2, arbitrary: delayArb.map((ms) => ({ op: 'advance' as const, ms })) },
  { weight: 1, arbitrary: fc.integer({ min: -3, max: 8 }).map((offset) => ({ op: 'advanceTo' as const, offset })) },
  { weight: 3, arbitrary: fc.constant({ op: 'runNext' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'runUntilIdle' as const }) },
);

const programArb: fc.Arbitrary<Program> = fc.record({
  // size 'max': fast-check's default size would cap every program at 10 steps.
  behaviours: fc.array(behaviourArb, { minLength: 1, maxLength: 8, size: 'max' }),
  steps: fc.array(stepArb, { maxLength: 40, size: 'max' }),
  breaker: fc.constantFrom('fifo' as const, 'lifo' as const, 'seeded' as const, 'pct' as const),
  seed: fc.integer(),
});

test('VirtualClock fires, cancels, throws and reports exactly like a naive reference clock', () => {
  fc.assert(
    fc.property(programArb, (program) => {
      const expected = execute(new NaiveClock(breakerFor(program)), program);
      const actual = execute(new VirtualClock({ tieBreaker: breakerFor(program) }), program);
      expect(actual).toEqual(expected);
    }),
    propertyParams('virtual clock vs naive reference', 'test/property/clock-reference.test.ts'),
  );
});
