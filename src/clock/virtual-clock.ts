/**
 * `VirtualClock`: deterministic time that moves only when its owner advances it.
 *
 * Owns: the timer queue of a simulated world. Timers sit in a queue ordered by due time, then
 * scheduling sequence (timer-queue.ts: a heap whose entries, once it is large, may be buckets
 * of timers due at one instant), and in a slot table that maps ids to them (timer-table.ts);
 * scheduling, firing and cancelling are O(log n) (O(1) for a timer that joins a bucket), and
 * with the default FIFO order the clock allocates nothing per timer. A timer is a callback or
 * a `TimerTask` (`schedule`: an object that is its own callback and label, as a packet in
 * flight is). When two or more timers are due at the same instant a pluggable `TieBreaker` — normally a recording `ScheduleSource` (schedule-source.ts) — picks
 * the next one (FIFO by default, which costs nothing). Each accepted choice is reported to
 * `onTie`, which is how a world puts every choice in its trace. A runaway guard stops any
 * single run after `loopLimit` firings with a `ClockLoopLimitError` naming the last timers.
 *
 * Chains: every timer belongs to a causal chain, named by the `seq` of the timer that started
 * it. A timer scheduled while no callback of this clock is running starts a new chain; one
 * scheduled from inside a callback joins the chain of the timer firing. Tie candidates carry
 * it, so that PCT can treat a chain as a thread.
 *
 * Ties: with a non-FIFO breaker, the timers due at the earliest instant are moved out of the
 * queue into a "tied" list (in scheduling order) and the breaker chooses among them; timers
 * scheduled meanwhile for that same instant join the end of the list. If the breaker throws or
 * answers out of range, the tied timers go back into the queue: the clock is exactly as before.
 *
 * Exceptions: the clock's state is updated before a callback runs (the timer is no longer
 * pending and `now` is its due time), so a throwing callback never leaves it half-advanced.
 * `advance`, `advanceTo`, `runUntilIdle` and `runWhile` keep firing the remaining due timers and
 * then re-throw the first error, as fake-timers does; `runNext` re-throws at once.
 *
 * Does not own: what timers mean (the event loop and the simulated network schedule them) or
 * the trace (callers record what they fire; `onTie` hands tie choices to whoever records them).
 *
 * Departs from reality: time is discrete and nothing happens between timers.
 */
import { assertCallback, assertDelay, assertTask, labelText, type TimerId, type TimerLabel, type TimerTask } from './clock.js';
import type { SteppableClock } from './steppable-clock.js';
import { TimerQueue } from './timer-queue.js';
import { TimerTable, type TimerAction } from './timer-table.js';
import { fifoTieBreaker } from './tie-breaker.js';
import type { TieBreaker, TieCandidate, TieDecision } from './schedule-source.js';
import { DetnetError, invalidArgType } from '../errors.js';

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
    /** The first error a callback threw earlier in the same run, if any. */
    cause?: unknown,
  ) {
    super(
      'ERR_CLOCK_LOOP_LIMIT',
      `virtual clock fired more than ${limit} timers in one run (runaway loop?); last: ` +
        lastEvents.map((e) => `${e.label}@${e.at}`).join(', '),
      cause === undefined ? undefined : { cause },
    );
    this.name = 'ClockLoopLimitError';
  }
}

/** Options of `new VirtualClock(options)`. */
export interface VirtualClockOptions {
  /** Start time in ms, a finite number (default 0). */
  readonly start?: number;
  /** Most timers one `advance`/`advanceTo`/`runUntilIdle`/`runWhile` call may fire (default 1,000,000). */
  readonly loopLimit?: number;
  /** Order of timers due at the same instant (default FIFO). */
  readonly tieBreaker?: TieBreaker;
  /**
   * Called after each choice the tie-breaker made and the clock accepted, before the chosen
   * timer fires (never with FIFO, which is not asked). For tracing; it must not touch the clock.
   */
  readonly onTie?: (decision: TieDecision) => void;
}

/** How many fired timers a `ClockLoopLimitError` reports. */
const HISTORY = 16;

/** Deterministic `Clock` driven by its owner; see the module header for the full contract. */
export class VirtualClock implements SteppableClock {
  /** The `SteppableClock` capability: the owner moves time (steppable-clock.ts). */
  readonly steppable = true as const;
  private current: number;
  private seq = 0;
  private readonly queue = new TimerQueue();
  private readonly table = new TimerTable();
  /** Ids of the timers due at `tiedDue` taken out of the queue for the tie-breaker, in seq order. */
  private tied: TimerId[] = [];
  private tiedDue = 0;
  /** How many ids in `tied` are still pending (cancelled ones are dropped lazily). */
  private tiedLive = 0;
  /** Ring buffers of the last HISTORY timers fired (for runaway diagnostics). */
  private readonly historyIds: TimerId[] = [];
  private readonly historyLabels: TimerLabel[] = [];
  private readonly historyAt: number[] = [];
  private firedCount = 0;
  /** Chain of the timer whose callback is running, or -1 outside callbacks. */
  private firingChain = -1;
  /** Tie decisions made so far (the next decision's step). */
  private tieSteps = 0;
  private readonly onTie: ((decision: TieDecision) => void) | undefined;
  private readonly useTieBreaker: boolean;
  readonly loopLimit: number;
  readonly tieBreaker: TieBreaker;

  constructor(options: VirtualClockOptions = {}) {
    const start = options.start ?? 0;
    if (!Number.isFinite(start)) throw new DetnetError('ERR_INVALID_TIME', `clock start must be finite, got ${String(start)}`);
    const loopLimit = options.loopLimit ?? 1_000_000;
    if (!(Number.isSafeInteger(loopLimit) && loopLimit > 0)) {
      throw new DetnetError('ERR_INVALID_LOOP_LIMIT', `loopLimit must be a positive integer, got ${String(loopLimit)}`);
    }
    this.current = start;
    this.loopLimit = loopLimit;
    const tieBreaker: unknown = options.tieBreaker ?? fifoTieBreaker;
    // Checked here, not at the first tie: a tie may come hours of virtual time later.
    if (typeof tieBreaker !== 'object' || tieBreaker === null || typeof (tieBreaker as Partial<TieBreaker>).choose !== 'function') {
      throw invalidArgType('tieBreaker', 'an object with a choose(candidates, due) method', tieBreaker);
    }
    this.tieBreaker = tieBreaker as TieBreaker;
    this.useTieBreaker = this.tieBreaker !== fifoTieBreaker;
    this.onTie = options.onTie;
  }

  now(): number {
    return this.current;
  }

  /**
   * Runs `callback` once, `delayMs` (finite, ≥ 0) after now. Returns a unique positive id (see
   * timer-table.ts for how ids are formed); ids of fired or cancelled timers are never reused.
   */
  setTimer(delayMs: number, callback: () => void, label: TimerLabel = 'timer'): TimerId {
    assertDelay(delayMs);
    assertCallback(callback);
    const seq = this.seq++;
    const slot = this.table.add(callback, label, seq, this.firingChain < 0 ? seq : this.firingChain);
    this.queue.push(this.current + delayMs, seq, slot);
    return this.table.idOf(slot);
  }

  /** Runs `task.fire()` once, `delayMs` after now, labelled by the task itself (no closure per timer). */
  schedule(delayMs: number, task: TimerTask): TimerId {
    assertDelay(delayMs);
    assertTask(task);
    const seq = this.seq++;
    const slot = this.table.add(task, task, seq, this.firingChain < 0 ? seq : this.firingChain);
    this.queue.push(this.current + delayMs, seq, slot);
    return this.table.idOf(slot);
  }

  clearTimer(id: TimerId): boolean {
    const slot = this.table.slotOf(id);
    if (slot < 0) return false;
    // Pending but not in the queue: it waits in the tied list, which drops it lazily.
    if (!this.queue.remove(slot)) this.tiedLive--;
    this.table.release(slot);
    return true;
  }

  /** Number of timers still pending. */
  get pendingCount(): number {
    return this.table.size;
  }

  /** Total timers fired since creation. */
  get fired(): number {
    return this.firedCount;
  }

  /** Due time of the earliest pending timer, or undefined. */
  nextDue(): number | undefined {
    return this.tiedLive > 0 ? this.tiedDue : this.queue.peekDue();
  }

  /**
   * Fires the earliest pending timer (moving `now` to its due time). Returns false if none is
   * pending. An exception from the callback propagates after the clock's state is consistent.
   */
  runNext(): boolean {
    const due = this.nextDue();
    if (due === undefined) return false;
    this.fire(this.takeNext(), due);
    return true;
  }

  /**
   * Moves time forward by `ms` (finite, ≥ 0), firing every timer due up to and including the
   * new time, in order; timers scheduled meanwhile fire too if they fall inside the window.
   * Afterwards `now()` is the old time plus `ms` (or later, if a callback moved the clock).
   */
  advance(ms: number): void {
    assertDelay(ms);
    this.runWhile(this.current + ms, () => true);
  }

  /**
   * Moves time to the absolute instant `time`, firing everything due up to it. A `time` in the
   * past fires what is due now and leaves the time unchanged: a virtual clock never goes back.
   */
  advanceTo(time: number): void {
    if (!Number.isFinite(time)) throw new DetnetError('ERR_INVALID_TIME', `advanceTo needs a finite time, got ${String(time)}`);
    this.runWhile(Math.max(time, this.current), () => true);
  }

  /** Fires timers until none is pending (or the loop limit stops a runaway). */
  runUntilIdle(): void {
    this.runWhile(Infinity, () => true);
  }

  /**
   * Fires timers one by one, in order, while `keepGoing()` is true before each firing and the
   * next timer is due no later than `until` (an absolute time; `Infinity` for no bound). If it
   * stops because no timer is left in the window, time moves to `until` (when finite and later
   * than now). Returns whether it stopped because `keepGoing` became false.
   */
  runWhile(until: number, keepGoing: () => boolean): boolean {
    if (typeof until !== 'number' || Number.isNaN(until)) {
      throw new DetnetError('ERR_INVALID_TIME', `runWhile needs a time bound, got ${String(until)}`);
    }
    let count = 0;
    let failed = false;
    let firstError: unknown;
    let stopped = false;
    for (;;) {
      if (!keepGoing()) {
        stopped = true;
        break;
      }
      const due = this.nextDue();
      if (due === undefined || due > until) break;
      if (++count > this.loopLimit) {
        throw new ClockLoopLimitError(this.loopLimit, this.recentTimers(), failed ? firstError : undefined);
      }
      const slot = this.takeNext();
      try {
        this.fire(slot, due);
      } catch (err) {
        if (!failed) {
          failed = true;
          firstError = err;
        }
      }
    }
    if (!stopped && until !== Infinity && until > this.current) this.current = until;
    if (failed) throw firstError;
    return stopped;
  }

  /**
   * Removes the next timer to fire from the queue and returns its slot; the caller has checked
   * that one is pending (`nextDue() !== undefined`). Asks the tie-breaker when several are due.
   */
  private takeNext(): number {
    // The tie-breaker's path is its own method, so that this one stays small enough to inline.
    return this.useTieBreaker ? this.takeTied() : this.queue.pop();
  }

  /** `takeNext` with a tie-breaker: gathers the timers due at the earliest instant and asks it. */
  private takeTied(): number {
    const { queue, table } = this;
    if (this.tiedLive === 0) {
      this.tied = [];
      this.tiedDue = queue.peekDue() as number;
    }
    // Bring every queued timer due at the tied instant into the list; later seqs go last.
    const due = this.tiedDue;
    while (queue.peekDue() === due) {
      this.tied.push(table.idOf(queue.pop()));
      this.tiedLive++;
    }
    if (this.tiedLive !== this.tied.length) this.tied = this.tied.filter((id) => table.slotOf(id) >= 0);
    const tied = this.tied;
    let choice = 0;
    if (tied.length > 1) {
      const candidates: TieCandidate[] = tied.map((id) => {
        const slot = table.slotOf(id);
        return { id, label: table.labelOf(slot), seq: table.seqOf(slot), chain: table.chainOf(slot) };
      });
      try {
        choice = this.tieBreaker.choose(candidates, due);
        if (!(Number.isInteger(choice) && choice >= 0 && choice < tied.length)) {
          throw new DetnetError(
            'ERR_INVALID_TIE_CHOICE',
            `tie-breaker "${this.tieBreaker.name}" chose ${String(choice)} among ${tied.length} timers`,
          );
        }
      } catch (err) {
        // Nothing has fired: hand the tied timers back to the queue so that the clock is exactly
        // as before (a timer scheduled later for an earlier instant must still come first).
        for (const id of tied) {
          const slot = table.slotOf(id);
          queue.push(due, table.seqOf(slot), slot);
        }
        this.tied = [];
        this.tiedLive = 0;
        throw err;
      }
      const step = this.tieSteps++;
      this.onTie?.({ step, at: due, candidates, chose: choice });
    }
    const chosen = tied[choice] as TimerId;
    tied.splice(choice, 1);
    this.tiedLive--;
    return table.slotOf(chosen);
  }

  /** Fires the timer in `slot`, due at `due`: frees it, moves time, then runs its callback. */
  private fire(slot: number, due: number): void {
    const table = this.table;
    const callback = table.callbackOf(slot);
    const h = this.firedCount++ % HISTORY;
    this.historyIds[h] = table.idOf(slot);
    this.historyLabels[h] = table.labelRefOf(slot);
    this.historyAt[h] = due;
    if (this.useTieBreaker) {
      this.fireInChain(slot, due, callback);
      return;
    }
    // FIFO never reads chains (only tie candidates carry them): no bookkeeping, no try/finally
    // on the hot path of every simulated packet.
    table.release(slot);
    if (due > this.current) this.current = due;
    if (typeof callback === 'function') callback();
    else callback.fire();
  }

  /** `fire` under a tie-breaker: the callback runs as a member of the timer's causal chain. */
  private fireInChain(slot: number, due: number, callback: TimerAction): void {
    const table = this.table;
    const chain = table.chainOf(slot);
    table.release(slot);
    if (due > this.current) this.current = due;
    // Saved and restored: a callback may run the clock again (a blocking command in a handler).
    const outer = this.firingChain;
    this.firingChain = chain;
    try {
      if (typeof callback === 'function') callback();
      else callback.fire();
    } finally {
      this.firingChain = outer;
    }
  }

  /** The last few timers fired (oldest first), for diagnostics. */
  recentTimers(): readonly FiredTimer[] {
    const out: FiredTimer[] = [];
    for (let i = Math.max(0, this.firedCount - HISTORY); i < this.firedCount; i++) {
      const h = i % HISTORY;
      out.push({ id: this.historyIds[h] as TimerId, label: labelText(this.historyLabels[h] as TimerLabel), at: this.historyAt[h] as number });
    }
    return out;
  }
}
