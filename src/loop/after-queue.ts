/**
 * `after` timers and `after idle` callbacks: the part of Tcl's event loop in tclTimer.c.
 *
 * Owns: the pending handlers by id (`after#N`, one counter for both kinds), the list of timers
 * that came due on the clock, the idle list, cancellation, and the two batch rules:
 * - a *timer batch* (Tcl's TimerHandlerEventProc) runs every timer that was due when it
 *   started, in (due time, creation) order — whatever order the clock's tie-breaker fired the
 *   underlying clock timers in — and none that came due during it. Tcl stops at the first
 *   timer later than the batch's start time or newer than the batch; here both mean "came due
 *   after the batch started" (a timer created during the batch can only come due during it),
 *   so one sequence number stands for both;
 * - an *idle batch* (TclServiceIdle) runs the idle callbacks that exist when it starts; ones
 *   they schedule carry a newer generation and wait for the next batch.
 * Each handler is removed from its list just before it runs, so a handler may cancel a later
 * member of its own batch, or service the loop (a nested `update`) that runs the rest of it.
 *
 * Does not: decide when batches run (the event loop does), run anything on its own, or catch
 * handler exceptions (the runner passed to a batch does).
 *
 * Departs from reality: Tcl's `after ms` with a negative delay means 0, as here; a NaN or
 * infinite delay is a misuse error (`ERR_INVALID_DELAY`) rather than a Tcl "expected integer".
 */
import { assertDelay, type Clock, type TimerId } from '../clock/clock.js';
import { Fifo } from './fifo.js';
import type { Trace } from '../trace/trace.js';
import { DetnetError } from '../errors.js';

/** Tcl-style id of an `after` or `after idle` handler: `after#N`. */
export type AfterId = string;

/** A handler as a batch runner sees it. */
export interface AfterHandler {
  readonly id: AfterId;
  readonly label: string;
  readonly handler: () => void;
}

interface TimerEntry extends AfterHandler {
  /** Creation number (the N of `after#N`). */
  readonly n: number;
  readonly due: number;
  state: 'scheduled' | 'due' | 'done' | 'cancelled';
  timer: TimerId | undefined;
  /** Order in which entries came due (set when the clock fires the timer). */
  dueSeq: number;
}

interface IdleEntry extends AfterHandler {
  readonly generation: number;
  state: 'idle' | 'done' | 'cancelled';
}

function dueBefore(a: TimerEntry, b: TimerEntry): boolean {
  return a.due < b.due || (a.due === b.due && a.n < b.n);
}

function assertHandler(handler: unknown): void {
  if (typeof handler !== 'function') throw new DetnetError('ERR_INVALID_HANDLER', 'event handler must be a function');
}

export class AfterQueue {
  /** Timers that came due, sorted by (due, creation); cancelled ones are skipped at the head. */
  private readonly due = new Fifo<TimerEntry>();
  private readonly idle = new Fifo<IdleEntry>();
  /** Pending entries by id, in creation order (`after info`). */
  private readonly pending = new Map<AfterId, TimerEntry | IdleEntry>();
  private nextId = 0;
  private dueCounter = 0;
  private idleGeneration = 0;

  constructor(
    private readonly clock: Clock,
    private readonly trace: Trace | undefined,
    /** Called when a timer comes due or an idle callback is added (wakes an async waiter). */
    private readonly onReady: () => void,
  ) {}

  /** `after ms script`: schedules `handler` on the clock; it only becomes *due* there. */
  after(ms: number, handler: () => void, label: string): AfterId {
    assertDelay(typeof ms === 'number' && ms < 0 ? 0 : ms);
    assertHandler(handler);
    const delay = Math.max(0, ms);
    const n = this.nextId++;
    const entry: TimerEntry = {
      id: `after#${n}`,
      n,
      label,
      handler,
      due: this.clock.now() + delay,
      state: 'scheduled',
      timer: undefined,
      dueSeq: 0,
    };
    entry.timer = this.clock.setTimer(delay, () => this.cameDue(entry), `${entry.id} ${label}`);
    this.pending.set(entry.id, entry);
    this.trace?.record(this.clock.now(), 'loop.after', { id: entry.id, label, ms: delay, due: entry.due });
    return entry.id;
  }

  private cameDue(entry: TimerEntry): void {
    entry.timer = undefined;
    entry.state = 'due';
    entry.dueSeq = this.dueCounter++;
    this.due.insertSorted(entry, dueBefore);
    this.onReady();
  }

  /** `after idle script`. */
  afterIdle(handler: () => void, label: string): AfterId {
    assertHandler(handler);
    const entry: IdleEntry = { id: `after#${this.nextId++}`, label, handler, generation: this.idleGeneration, state: 'idle' };
    this.idle.push(entry);
    this.pending.set(entry.id, entry);
    this.trace?.record(this.clock.now(), 'loop.after-idle', { id: entry.id, label });
    this.onReady();
    return entry.id;
  }

  /** `after cancel id`: whether a scheduled, due-but-not-run, or idle handler was cancelled. */
  cancel(id: AfterId): boolean {
    const entry = this.pending.get(id);
    if (entry === undefined) return false;
    this.pending.delete(id);
    let was: 'scheduled' | 'due' | 'idle' = 'idle';
    if ('due' in entry) {
      was = entry.state === 'scheduled' ? 'scheduled' : 'due';
      if (entry.timer !== undefined) this.clock.clearTimer(entry.timer);
      entry.timer = undefined;
    }
    entry.state = 'cancelled';
    this.trace?.record(this.clock.now(), 'loop.cancel', { id, was });
    return true;
  }

  /** Ids of pending handlers, oldest first. */
  ids(): AfterId[] {
    return [...this.pending.keys()];
  }

  /** Whether some timer is due and not yet run. */
  hasDue(): boolean {
    return this.firstDue() !== undefined;
  }

  /** Whether some idle callback is waiting. */
  hasIdle(): boolean {
    return this.firstIdle() !== undefined;
  }

  private firstDue(): TimerEntry | undefined {
    for (let e = this.due.peek(); e !== undefined; e = this.due.peek()) {
      if (e.state === 'due') return e;
      this.due.shift(); // cancelled
    }
    return undefined;
  }

  private firstIdle(): IdleEntry | undefined {
    for (let e = this.idle.peek(); e !== undefined; e = this.idle.peek()) {
      if (e.state === 'idle') return e;
      this.idle.shift(); // cancelled
    }
    return undefined;
  }

  /** One timer batch; `run` is called for each handler (after it left the lists). */
  runTimerBatch(run: (h: AfterHandler) => void): void {
    const cameDueBefore = this.dueCounter;
    for (let e = this.firstDue(); e !== undefined; e = this.firstDue()) {
      if (e.dueSeq >= cameDueBefore) break;
      this.due.shift();
      e.state = 'done';
      this.pending.delete(e.id);
      this.trace?.record(this.clock.now(), 'loop.timer', { id: e.id, label: e.label, due: e.due });
      run(e);
    }
  }

  /** One idle batch; returns false (and does nothing) if no idle callback was waiting. */
  runIdleBatch(run: (h: AfterHandler) => void): boolean {
    if (this.firstIdle() === undefined) return false;
    const generation = this.idleGeneration++;
    for (let e = this.idle.peek(); e !== undefined; e = this.idle.peek()) {
      if (e.state !== 'idle') {
        this.idle.shift();
        continue;
      }
      if (e.generation > generation) break; // scheduled by this batch: next one
      this.idle.shift();
      e.state = 'done';
      this.pending.delete(e.id);
      this.trace?.record(this.clock.now(), 'loop.idle', { id: e.id, label: e.label });
      run(e);
    }
    return true;
  }
}
