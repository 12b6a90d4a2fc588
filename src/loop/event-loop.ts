/**
 * Tcl's event loop on a `Clock`: `after`, `after idle`, `after cancel`, `update`, `vwait`, and
 * file events from the `Notifier`.
 *
 * Owns: the event queue, the order in which timer handlers, file handlers and idle callbacks
 * run, loop variables (for `vwait`), and background errors (Tcl's `bgerror`). Nothing here runs
 * on its own: a handler runs only while someone services the loop (`update`, `vwait`,
 * `doOneEvent`). A timer that comes due on the clock just marks its handler due — so a blocking
 * channel operation that runs the simulated world forward does not run handlers, as in Tcl.
 *
 * One `doOneEvent` is Tcl_DoOneEvent (tclNotify.c, tclTimer.c):
 * 1. service the oldest queued event, if any;
 * 2. else one pass: let everything due on the virtual clock up to now happen, queue one file
 *    event per deliverable source (newest source first), then — if some `after` timer is due
 *    and none is queued — one *timer event*; service the oldest queued event;
 * 3. else run the idle callbacks that exist now (ones they schedule wait for the next pass);
 * 4. else, if allowed to wait, move the virtual clock to its next timer and start over.
 * What a timer event and an idle batch run is `AfterQueue`'s business (after-queue.ts).
 *
 * On a steppable clock (`SteppableClock`, e.g. `VirtualClock`), `update` and `vwait` run
 * synchronously. `vwait` throws
 * `WouldWaitForeverError` when nothing pending could ever wake it and `VwaitBudgetError` when
 * waiting would pass its virtual-time budget; `update`/`vwait` throw `EventLoopLimitError`
 * after `loopLimit` events (a runaway). On any other clock only `vwaitAsync` may wait
 * (`ERR_SYNC_WAIT_ON_REAL_CLOCK` otherwise).
 *
 * Departs from reality: Tcl calls the bgerror handler from an idle callback; here it is called
 * at once (the error is still recorded and traced first). A handler exception that is a
 * detnet invariant or runaway error (`AssertionError`, `EventLoopLimitError`,
 * `ClockLoopLimitError`, the notifier's `RunawayHandlerError`) is not a script error and propagates instead; so does the engine's
 * stack overflow, as `StackExhaustedError` (its depth is the engine's, not the program's).
 * About 470 lines: `vwait` and `vwaitAsync` are the same loop for two kinds of clock and read
 * best next to `doOneEvent` and the pass they drive; timers and idle callbacks live in
 * after-queue.ts, the error classes in loop-errors.ts.
 */
import { assertDelay, type Clock } from '../clock/clock.js';
import { isSteppable, type SteppableClock } from '../clock/steppable-clock.js';
import { ClockLoopLimitError } from '../clock/virtual-clock.js';
import { Notifier, type NotifierOptions, type ReadinessSource } from './notifier.js';
import { Fifo } from './fifo.js';
import { AfterQueue, type AfterHandler, type AfterId } from './after-queue.js';
import { EventLoopLimitError, isStackOverflow, RunawayHandlerError, StackExhaustedError, VwaitBudgetError, WouldWaitForeverError } from './loop-errors.js';
import type { Trace } from '../trace/trace.js';
import { AssertionError, DetnetError } from '../errors.js';

export { EventLoopLimitError, RunawayHandlerError, StackExhaustedError, VwaitBudgetError, WouldWaitForeverError } from './loop-errors.js';
export type { AfterId } from './after-queue.js';

/** A background error: an exception thrown by an event handler. */
export interface BackgroundError {
  readonly error: unknown;
  /** Label of the handler that threw. */
  readonly handler: string;
  /** Clock time of the throw, in ms. */
  readonly at: number;
}

/** How an `EventLoop` is set up: its trace, its notifier's delivery, background errors and the runaway limit. */
export interface EventLoopOptions {
  readonly trace?: Trace;
  readonly notifier?: NotifierOptions;
  /** Background error handler (Tcl's `bgerror`); errors are recorded in `backgroundErrors` either way. */
  readonly onBackgroundError?: (error: BackgroundError) => void;
  /** Most events one `update`/`vwait`/waiting `doOneEvent` may service (default 1,000,000). */
  readonly loopLimit?: number;
}

/** Options of `vwait`/`vwaitAsync`: how much time the wait may cover before it gives up. */
export interface VwaitOptions {
  /** Longest virtual (or, for `vwaitAsync` on a real clock, real) time the wait may cover, in ms. */
  readonly budgetMs?: number;
}

/** What `vwait` waits for: the next write of a variable, or a predicate becoming true. */
export type VwaitTarget = string | (() => boolean);

/**
 * A queued event: a file event is queued as its source (no wrapper object per event), the timer
 * event as `TIMER_EVENT`.
 */
type QueuedEvent = ReadinessSource | null;
const TIMER_EVENT = null;
/** `runWhile`'s condition when a pass lets everything due up to now happen. */
const ALWAYS = (): boolean => true;
/** Events serviced by `vwaitAsync` before it lets the host run (sockets, timers). */
const YIELD_EVERY = 64;
/** How many serviced events a runaway error names. */
const HISTORY = 8;

function isFatal(err: unknown): boolean {
  return (
    err instanceof AssertionError ||
    err instanceof EventLoopLimitError ||
    err instanceof ClockLoopLimitError ||
    err instanceof RunawayHandlerError ||
    err instanceof StackExhaustedError
  );
}

/**
 * Tcl's event loop on a clock: the after queue, idle and file events from the notifier, and
 * `update`/`vwait`/`doOneEvent`; handler errors go to the background error handler. Running it
 * on a world's virtual clock shares that world's time (see the module header).
 */
export class EventLoop {
  readonly notifier: Notifier;
  /** Every background error so far, oldest first. */
  readonly backgroundErrors: BackgroundError[] = [];
  readonly loopLimit: number;
  /** Background error handler (Tcl's `interp bgerror`); may be replaced at any time. */
  onBackgroundError: ((error: BackgroundError) => void) | undefined;
  private readonly queue = new Fifo<QueuedEvent>();
  private readonly afters: AfterQueue;
  private timerEventQueued = false;
  private depth = 0;
  private readonly vars = new Map<string, { value: string | undefined; writes: number }>();
  /** The clock's steppable capability, if it has one (a virtual clock): sync waits need it. */
  private readonly virtual: SteppableClock | undefined;
  private readonly trace: Trace | undefined;
  private wakers: (() => void)[] = [];
  /**
   * Ring buffer of the last serviced events for runaway diagnostics: a handler's label, or the
   * source of a file event (its `file:<name>` label is built only if a runaway error names it).
   */
  private readonly recent: (string | ReadinessSource)[] = [];
  private recentNext = 0;

  constructor(
    readonly clock: Clock,
    options: EventLoopOptions = {},
  ) {
    this.virtual = isSteppable(clock) ? clock : undefined;
    this.trace = options.trace;
    this.onBackgroundError = options.onBackgroundError;
    this.loopLimit = options.loopLimit ?? 1_000_000;
    if (!Number.isSafeInteger(this.loopLimit) || this.loopLimit < 1) throw new DetnetError('ERR_INVALID_OPTION', `loopLimit must be a positive integer, got ${String(this.loopLimit)}`);
    this.notifier = new Notifier(clock, options.notifier, options.trace);
    this.notifier.onWake = () => this.wake();
    this.afters = new AfterQueue(clock, options.trace, () => this.wake());
  }

  // ---- after ---------------------------------------------------------------------------------

  /**
   * `after ms script`: `handler` becomes due `ms` from now and runs the next time the loop is
   * serviced after that. A negative `ms` counts as 0 (as Tcl); NaN or infinite is
   * `ERR_INVALID_DELAY`. Returns the id for `cancel`.
   */
  after(ms: number, handler: () => void, label = 'after'): AfterId {
    return this.afters.after(ms, handler, label);
  }

  /** `after idle script`: runs `handler` when the loop has nothing else ready. */
  afterIdle(handler: () => void, label = 'idle'): AfterId {
    return this.afters.afterIdle(handler, label);
  }

  /**
   * `after cancel id`: cancels a timer that is still scheduled, one that is due but has not
   * run, or an idle callback — also a later member of the batch that is running. Returns
   * whether something was cancelled (Tcl returns nothing).
   */
  cancel(id: AfterId): boolean {
    return this.afters.cancel(id);
  }

  /** `after info`: ids of the pending `after` and `after idle` handlers, oldest first. */
  afterInfo(): AfterId[] {
    return this.afters.ids();
  }

  // ---- variables (for vwait) -----------------------------------------------------------------

  /** `set name value`: writes a variable; wakes a `vwait` on it even if the value is unchanged. */
  set(name: string, value: string | number = '1'): void {
    const text = String(value);
    const v = this.vars.get(name);
    if (v === undefined) this.vars.set(name, { value: text, writes: 1 });
    else {
      v.value = text;
      v.writes++;
    }
    if (this.trace?.enabled) this.trace.record(this.clock.now(), 'loop.set', { name, value: text });
    this.wake();
  }

  /** `unset name`: removes a variable; like a write, it wakes a `vwait` on it. */
  unset(name: string): void {
    const v = this.vars.get(name);
    if (v === undefined || v.value === undefined) return;
    v.value = undefined;
    v.writes++;
    this.trace?.record(this.clock.now(), 'loop.unset', { name });
    this.wake();
  }

  /** Value of a variable, or undefined if never set or unset. */
  get(name: string): string | undefined {
    return this.vars.get(name)?.value;
  }

  // ---- servicing -----------------------------------------------------------------------------

  /**
   * Processes one event, as Tcl_DoOneEvent: a queued event, else a pass's first event, else the
   * current idle callbacks. Returns whether something ran. With `mayWait` (virtual clock only)
   * it moves the clock forward until something runs, and returns false only when nothing on
   * the clock is left.
   */
  doOneEvent(mayWait = false): boolean {
    if (!mayWait) return this.serviceReady();
    const clock = this.requireVirtual('doOneEvent(mayWait)');
    for (let waits = 0; ; waits++) {
      if (this.serviceReady()) return true;
      if (waits >= this.loopLimit) throw this.runaway('doOneEvent');
      if (!this.waitForClock(clock)) return false;
    }
  }

  /** Steps 1–3 of `doOneEvent`: never waits. */
  private serviceReady(): boolean {
    if (this.serviceQueued()) return true;
    this.pass();
    if (this.serviceQueued()) return true;
    return this.runIdleBatch();
  }

  /** One notifier pass: the world catches up to now, file events then the timer event queue. */
  private pass(): void {
    const virtual = this.virtual;
    if (virtual !== undefined) virtual.runWhile(virtual.now(), ALWAYS);
    this.notifier.collect(this.enqueueFile);
    if (!this.timerEventQueued && this.afters.hasDue()) {
      this.timerEventQueued = true;
      this.queue.push(TIMER_EVENT);
    }
  }

  /** Queues the file event of `source` (the notifier's `collect` callback, made once). */
  private readonly enqueueFile = (source: ReadinessSource): void => {
    this.queue.push(source);
  };

  private readonly fileHandlerFailed = (err: unknown, label: string): void => {
    this.handlerFailed(err, label);
  };

  private serviceQueued(): boolean {
    const event = this.queue.shift();
    if (event === undefined) return false;
    if (event === TIMER_EVENT) {
      this.timerEventQueued = false;
      this.afters.runTimerBatch(this.runHandler);
    } else {
      this.note(event);
      this.notifier.deliver(event, this.fileHandlerFailed);
    }
    return true;
  }

  /** Runs the idle callbacks that exist now; returns false if there were none. */
  private runIdleBatch(): boolean {
    return this.afters.runIdleBatch(this.runHandler);
  }

  /** Runs a timer or idle handler; its exception becomes a background error. */
  private readonly runHandler = (h: AfterHandler): void => {
    this.note(`${h.id}:${h.label}`);
    try {
      h.handler();
    } catch (err) {
      this.handlerFailed(err, h.label);
    }
  };

  /** Moves the virtual clock to its next timer and fires it; false if none is pending. */
  private waitForClock(clock: SteppableClock): boolean {
    const next = clock.nextDue();
    if (next === undefined) return false;
    const from = clock.now();
    if (next > from && this.trace?.enabled) this.trace.record(next, 'clock.advance', { from, to: next });
    clock.runNext();
    return true;
  }

  /**
   * Reports an exception thrown by an event handler that ran outside the loop's own dispatch
   * (e.g. a fileevent script delivered synchronously inside a channel command, §3.5): recorded,
   * traced and passed to `onBackgroundError` exactly like one the loop caught itself.
   */
  reportBackgroundError(error: unknown, handler: string): void {
    this.handlerFailed(error, handler);
  }

  private handlerFailed(error: unknown, handler: string): void {
    if (isFatal(error)) throw error;
    if (isStackOverflow(error)) throw new StackExhaustedError(handler, error);
    const at = this.clock.now();
    const entry: BackgroundError = { error, handler, at };
    this.backgroundErrors.push(entry);
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown } | null)?.code;
    this.trace?.record(at, 'loop.bgerror', { handler, message, code: typeof code === 'string' ? code : null });
    // A throwing bgerror handler is not swallowed either: it propagates out of the servicing call.
    this.onBackgroundError?.(entry);
  }

  /**
   * `update`: processes every event that is ready now, idle callbacks included (and idle
   * callbacks those schedule), without moving time. Returns the number of events processed.
   */
  update(): number {
    this.trace?.record(this.clock.now(), 'loop.update', { depth: this.depth });
    this.depth++;
    try {
      let n = 0;
      while (this.serviceReady()) {
        if (++n > this.loopLimit) throw this.runaway('update');
      }
      return n;
    } finally {
      this.depth--;
    }
  }

  /** `update idletasks`: runs idle callbacks only, until none is left. Returns the batches run. */
  updateIdle(): number {
    let n = 0;
    while (this.runIdleBatch()) {
      if (++n > this.loopLimit) throw this.runaway('update idletasks');
    }
    return n;
  }

  /**
   * `vwait`: services the loop, moving the virtual clock as needed, until `what` holds. A
   * string waits for the next write (or unset) of that variable, even with the same value; a
   * function waits until it returns true (checked before every event, so a predicate that
   * already holds returns at once). Nested calls from handlers work as in Tcl: the inner wait
   * must end before the outer one can. Virtual clocks only; see `vwaitAsync` otherwise.
   */
  vwait(what: VwaitTarget, options: VwaitOptions = {}): void {
    const clock = this.requireVirtual('vwait');
    const { done, label } = this.condition(what);
    const budget = this.budget(options);
    const deadline = budget === undefined ? Infinity : clock.now() + budget;
    const depth = this.depth;
    if (this.trace?.enabled) this.trace.record(clock.now(), 'loop.vwait', { what: label, depth });
    this.depth++;
    let outcome: 'satisfied' | 'forever' | 'budget' | undefined;
    try {
      for (let steps = 0; !done(); steps++) {
        if (steps >= this.loopLimit) throw this.runaway(`vwait ${label}`);
        if (clock.now() > deadline) {
          outcome = 'budget';
          throw new VwaitBudgetError(label, budget ?? Infinity, clock.now());
        }
        if (this.serviceReady()) continue;
        const next = clock.nextDue();
        if (next === undefined) {
          outcome = 'forever';
          throw new WouldWaitForeverError(label, clock.now());
        }
        if (next > deadline) {
          outcome = 'budget';
          if (deadline > clock.now()) this.trace?.record(deadline, 'clock.advance', { from: clock.now(), to: deadline });
          clock.runWhile(deadline, ALWAYS); // time moves to the deadline: nothing is due before it
          throw new VwaitBudgetError(label, budget ?? Infinity, clock.now());
        }
        this.waitForClock(clock);
      }
      outcome = 'satisfied';
    } finally {
      this.depth--;
      if (outcome !== undefined && this.trace?.enabled) this.trace.record(clock.now(), 'loop.vwait.end', { what: label, depth, outcome });
    }
  }

  /**
   * Promise form of `vwait`, for any clock. On a virtual clock it is `vwait`. On a real clock it
   * services what is ready, then sleeps until a timer comes due, a watched source becomes
   * deliverable, an idle callback is added or a variable is written; it yields to the host every
   * few events so sockets keep flowing. Rejects with `VwaitBudgetError` after `budgetMs`.
   * A predicate that depends on anything else is re-checked only when one of those happens.
   */
  async vwaitAsync(what: VwaitTarget, options: VwaitOptions = {}): Promise<void> {
    if (this.virtual !== undefined) {
      this.vwait(what, options);
      return;
    }
    const { done, label } = this.condition(what);
    const budget = this.budget(options);
    const depth = this.depth;
    this.trace?.record(this.clock.now(), 'loop.vwait', { what: label, depth });
    let expired = false;
    const timer =
      budget === undefined
        ? undefined
        : this.clock.setTimer(budget, () => {
            expired = true;
            this.wake();
          });
    try {
      for (;;) {
        let n = 0;
        while (n < YIELD_EVERY && !done() && this.serviceReady()) n++;
        if (done()) {
          this.trace?.record(this.clock.now(), 'loop.vwait.end', { what: label, depth, outcome: 'satisfied' });
          return;
        }
        if (expired) {
          this.trace?.record(this.clock.now(), 'loop.vwait.end', { what: label, depth, outcome: 'budget' });
          throw new VwaitBudgetError(label, budget ?? Infinity, this.clock.now());
        }
        await new Promise<void>((resolve) => {
          if (n === YIELD_EVERY) this.clock.setTimer(0, resolve);
          else this.wakers.push(resolve);
        });
      }
    } finally {
      if (timer !== undefined) this.clock.clearTimer(timer);
    }
  }

  private condition(what: VwaitTarget): { done: () => boolean; label: string } {
    if (typeof what === 'function') return { done: what, label: 'condition' };
    if (typeof what !== 'string') throw new DetnetError('ERR_INVALID_VWAIT', 'vwait needs a variable name or a predicate');
    const start = this.vars.get(what)?.writes ?? 0;
    return { done: () => (this.vars.get(what)?.writes ?? 0) !== start, label: what };
  }

  private budget(options: VwaitOptions): number | undefined {
    if (options.budgetMs !== undefined) assertDelay(options.budgetMs);
    return options.budgetMs;
  }

  private requireVirtual(op: string): SteppableClock {
    if (this.virtual === undefined) {
      throw new DetnetError('ERR_SYNC_WAIT_ON_REAL_CLOCK', `${op} cannot wait synchronously on a real clock; use vwaitAsync`);
    }
    return this.virtual;
  }

  /** Remembers a serviced event for runaway diagnostics (its label is built only if needed). */
  private note(event: string | ReadinessSource): void {
    this.recent[this.recentNext++ % HISTORY] = event;
  }

  private runaway(operation: string): EventLoopLimitError {
    const last: string[] = [];
    for (let i = Math.max(0, this.recentNext - HISTORY); i < this.recentNext; i++) {
      const e = this.recent[i % HISTORY];
      last.push(e === undefined ? '?' : typeof e === 'string' ? e : this.notifier.describeSource(e));
    }
    return new EventLoopLimitError(operation, this.loopLimit, last);
  }

  /** Wakes pending `vwaitAsync` calls so they re-check (real clock). */
  private wake(): void {
    if (this.wakers.length === 0) return;
    const wakers = this.wakers;
    this.wakers = [];
    for (const w of wakers) w();
  }

  /** Whether anything is queued, due, idle, or deliverable right now (without moving time). */
  hasPendingWork(): boolean {
    return this.queue.size > 0 || this.afters.hasDue() || this.afters.hasIdle() || this.notifier.hasReady();
  }
}
