/**
 * `VirtualClock`: deterministic time that moves only when its owner advances it.
 *
 * Owns: the timer queue of a simulated world. Timers sit in a min-heap ordered by (due time,
 * scheduling sequence) and in an id map, so scheduling and cancelling are O(log n). When two or
 * more timers are due at the same instant a pluggable `TieBreaker` picks the next one (FIFO by
 * default). A runaway guard stops any single run after `loopLimit` firings with a
 * `ClockLoopLimitError` that names the last timers fired.
 *
 * Exceptions: the clock's state is updated before a callback runs (the timer is removed and
 * `now` is its due time), so a throwing callback never leaves it half-advanced. `advance` and
 * `runUntilIdle` keep firing the remaining due timers and then re-throw the first error, as
 * fake-timers does; `runNext` re-throws at once.
 *
 * Departs from reality: time is discrete and nothing happens between timers.
 */
import { assertDelay, type Clock, type TimerId } from './clock.js';
import { TimerHeap, type HeapEntry } from './timer-heap.js';
import { fifoTieBreaker, type TieBreaker } from './tie-breaker.js';
import { DetnetError } from '../errors.js';

interface Timer extends HeapEntry {
  readonly id: TimerId;
  readonly label: string;
  readonly callback: () => void;
}

/** A fired timer as remembered for runaway diagnostics. */
export interface FiredTimer {
  readonly id: TimerId;
  readonly label: string;
  readonly at: number;
}

/** Thrown when one run fires more timers than `loopLimit`: almost always a runaway loop. */
export class ClockLoopLimitError extends DetnetError {
  constructor(
    readonly limit: number,
    readonly lastEvents: readonly FiredTimer[],
  ) {
    super(
      'ERR_CLOCK_LOOP_LIMIT',
      `virtual clock fired more than ${limit} timers in one run (runaway loop?); last: ` +
        lastEvents.map((e) => `${e.label}@${e.at}`).join(', '),
    );
    this.name = 'ClockLoopLimitError';
  }
}

export interface VirtualClockOptions {
  /** Start time in ms (default 0). */
  readonly start?: number;
  /** Most timers one `advance`/`runUntilIdle` call may fire (default 1,000,000). */
  readonly loopLimit?: number;
  /** Order of timers due at the same instant (default FIFO). */
  readonly tieBreaker?: TieBreaker;
}

const HISTORY = 16;

export class VirtualClock implements Clock {
  private current: number;
  private seq = 0;
  private nextId = 1;
  private readonly heap = new TimerHeap<Timer>();
  private readonly byId = new Map<TimerId, Timer>();
  /** Ring buffer of the last HISTORY timers fired (for runaway diagnostics). */
  private readonly history: (Timer | undefined)[] = new Array<Timer | undefined>(HISTORY);
  private readonly useTieBreaker: boolean;
  readonly loopLimit: number;
  readonly tieBreaker: TieBreaker;
  /** Total timers fired since creation. */
  fired = 0;

  constructor(options: VirtualClockOptions = {}) {
    this.current = options.start ?? 0;
    this.loopLimit = options.loopLimit ?? 1_000_000;
    this.tieBreaker = options.tieBreaker ?? fifoTieBreaker;
    this.useTieBreaker = this.tieBreaker !== fifoTieBreaker;
  }

  now(): number {
    return this.current;
  }

  setTimer(delayMs: number, callback: () => void, label = 'timer'): TimerId {
    assertDelay(delayMs);
    const id = this.nextId++;
    const timer: Timer = { id, label, callback, due: this.current + delayMs, seq: this.seq++, index: -1 };
    this.heap.push(timer);
    this.byId.set(id, timer);
    return id;
  }

  clearTimer(id: TimerId): boolean {
    const timer = this.byId.get(id);
    if (timer === undefined) return false;
    this.byId.delete(id);
    this.heap.remove(timer);
    return true;
  }

  /** Number of timers still pending. */
  get pendingCount(): number {
    return this.heap.size;
  }

  /** Due time of the earliest pending timer, or undefined. */
  nextDue(): number | undefined {
    return this.heap.peek()?.due;
  }

  /**
   * Fires the earliest pending timer (moving `now` to its due time). Returns false if none is
   * pending. An exception from the callback propagates after the clock's state is consistent.
   */
  runNext(): boolean {
    const timer = this.takeNext();
    if (timer === undefined) return false;
    this.fire(timer);
    return true;
  }

  /**
   * Moves time forward by `ms`, firing every timer due up to and including the new time, in
   * order; timers scheduled meanwhile fire too if they fall inside the window.
   */
  advance(ms: number): void {
    assertDelay(ms);
    this.runWhile(this.current + ms, () => true);
  }

  /** Moves time to the absolute instant `time` (≥ now), firing everything due up to it. */
  advanceTo(time: number): void {
    this.advance(Math.max(0, time - this.current));
  }

  /** Fires timers until none is pending. */
  runUntilIdle(): void {
    this.runWhile(Infinity, () => true);
  }

  /**
   * Fires timers one by one while `keepGoing()` is true before each firing and timers are due
   * no later than `until`; returns whether it stopped because `keepGoing` became false.
   */
  runWhile(until: number, keepGoing: () => boolean): boolean {
    let count = 0;
    let firstError: unknown;
    let failed = false;
    const target = until;
    for (;;) {
      if (!keepGoing()) {
        this.finishRun(failed, firstError);
        return true;
      }
      const top = this.heap.peek();
      if (top === undefined || top.due > target) break;
      if (++count > this.loopLimit) throw new ClockLoopLimitError(this.loopLimit, this.recentTimers());
      const timer = this.takeNext() as Timer;
      try {
        this.fire(timer);
      } catch (err) {
        if (!failed) {
          failed = true;
          firstError = err;
        }
      }
    }
    if (target !== Infinity && target > this.current) this.current = target;
    this.finishRun(failed, firstError);
    return false;
  }

  private finishRun(failed: boolean, error: unknown): void {
    if (failed) throw error;
  }

  /** Removes and returns the next timer to fire, asking the tie-breaker when several are due. */
  private takeNext(): Timer | undefined {
    const top = this.heap.pop();
    if (top === undefined || !this.useTieBreaker) return top;
    const next = this.heap.peek();
    if (next === undefined || next.due !== top.due) return top;
    const tied: Timer[] = [top];
    while (this.heap.peek()?.due === top.due) tied.push(this.heap.pop() as Timer);
    const choice = this.tieBreaker.choose(tied, top.due);
    const chosen = tied[choice] ?? top;
    for (const t of tied) if (t !== chosen) this.heap.push(t);
    return chosen;
  }

  private fire(timer: Timer): void {
    this.byId.delete(timer.id);
    if (timer.due > this.current) this.current = timer.due;
    this.history[this.fired++ % HISTORY] = timer;
    timer.callback();
  }

  /** The last few timers fired (oldest first), for diagnostics. */
  recentTimers(): readonly FiredTimer[] {
    const out: FiredTimer[] = [];
    for (let i = Math.max(0, this.fired - HISTORY); i < this.fired; i++) {
      const entry = this.history[i % HISTORY];
      if (entry !== undefined) out.push({ id: entry.id, label: entry.label, at: entry.due });
    }
    return out;
  }
}
