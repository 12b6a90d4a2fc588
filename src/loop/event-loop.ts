/**
 * Tcl's event loop on a `Clock`: `after`, `after idle`, `after cancel`, `update`, `vwait`, and
 * file events from the `Notifier`.
 *
 * Owns: the event queue and the order in which timer handlers, file handlers and idle
 * callbacks run, and background errors (Tcl's `bgerror`). Nothing here runs on its own: a
 * handler runs only while someone services the loop (`update`, `vwait`, `doOneEvent`). A timer
 * that comes due on the clock just queues its handler — so a blocking channel operation that
 * runs the simulated world forward does not run handlers, exactly as in Tcl.
 *
 * On a `VirtualClock`, `update` and `vwait` run synchronously. `vwait` throws
 * `WouldWaitForeverError` when nothing pending (no queued event, idle callback, ready file
 * event or clock timer) could ever wake it — the way a lost notification shows up in a test
 * instead of hanging CI — and `VwaitBudgetError` when waiting would pass its virtual-time
 * budget. On any other clock only the Promise forms (`vwaitAsync`) may wait.
 *
 * Order of one `doOneEvent` (as Tcl_DoOneEvent): a queued event; else queue what is ready (due
 * timers, ready file events) and run the first; else run the idle callbacks that exist now;
 * else, if allowed to wait, move the virtual clock to its next timer.
 */
import type { Clock, TimerId } from '../clock/clock.js';
import { VirtualClock } from '../clock/virtual-clock.js';
import { Notifier, type NotifierOptions, type ReadinessSource } from './notifier.js';
import type { Trace } from '../trace/trace.js';
import { DetnetError } from '../errors.js';

/** Tcl-style id of an `after` or `after idle` handler: `after#N`. */
export type AfterId = string;

/** Thrown by `vwait` when no pending event could ever satisfy it. */
export class WouldWaitForeverError extends DetnetError {
  constructor(readonly waitingFor: string, readonly at: number) {
    super(
      'ERR_WOULD_WAIT_FOREVER',
      `vwait ${waitingFor} would wait forever: no timer, idle callback or ready file event is pending (virtual time ${at} ms)`,
    );
    this.name = 'WouldWaitForeverError';
  }
}

/** Thrown by `vwait` when its virtual-time budget runs out before the condition holds. */
export class VwaitBudgetError extends DetnetError {
  constructor(readonly waitingFor: string, readonly budgetMs: number, readonly at: number) {
    super('ERR_VWAIT_BUDGET', `vwait ${waitingFor} still unsatisfied after its budget of ${budgetMs} ms (virtual time ${at} ms)`);
    this.name = 'VwaitBudgetError';
  }
}

/** A background error: an exception thrown by an event handler. */
export interface BackgroundError {
  readonly error: unknown;
  readonly handler: string;
  readonly at: number;
}

export interface EventLoopOptions {
  readonly trace?: Trace;
  readonly notifier?: NotifierOptions;
  /** Background error handler (Tcl's `bgerror`); errors are recorded in `backgroundErrors` either way. */
  readonly onBackgroundError?: (error: BackgroundError) => void;
}

export interface VwaitOptions {
  /** Longest virtual time the wait may cover, in ms (default: unlimited). */
  readonly budgetMs?: number;
}

type QueuedEvent =
  | { readonly kind: 'timer'; readonly id: AfterId; readonly label: string; readonly handler: () => void }
  | { readonly kind: 'file'; readonly source: ReadinessSource };

interface IdleCallback {
  readonly id: AfterId;
  readonly label: string;
  readonly handler: () => void;
}

export class EventLoop {
  readonly notifier: Notifier;
  readonly backgroundErrors: BackgroundError[] = [];
  private readonly queue: QueuedEvent[] = [];
  private head = 0;
  private idle: IdleCallback[] = [];
  private readonly timers = new Map<AfterId, TimerId>();
  private readonly queuedTimers = new Set<AfterId>();
  private readonly vars = new Map<string, { value: string; writes: number }>();
  private nextAfter = 0;
  private readonly virtual: VirtualClock | undefined;
  private readonly trace: Trace | undefined;
  private readonly onBackgroundError: ((error: BackgroundError) => void) | undefined;
  private wakers: (() => void)[] = [];

  constructor(readonly clock: Clock, options: EventLoopOptions = {}) {
    this.virtual = clock instanceof VirtualClock ? clock : undefined;
    this.trace = options.trace;
    this.onBackgroundError = options.onBackgroundError;
    this.notifier = new Notifier(clock, options.notifier, options.trace);
    this.notifier.onWake = () => this.wake();
  }

  // ---- after ---------------------------------------------------------------------------------

  /** `after ms script`: queues `handler` once `ms` have passed; returns its id. */
  after(ms: number, handler: () => void, label = 'after'): AfterId {
    const id: AfterId = `after#${this.nextAfter++}`;
    const timer = this.clock.setTimer(
      ms,
      () => {
        this.timers.delete(id);
        this.queuedTimers.add(id);
        this.push({ kind: 'timer', id, label, handler });
      },
      `after:${label}`,
    );
    this.timers.set(id, timer);
    return id;
  }

  /** `after idle script`: runs `handler` when the loop has nothing else to do. */
  afterIdle(handler: () => void, label = 'idle'): AfterId {
    const id: AfterId = `after#${this.nextAfter++}`;
    this.idle.push({ id, label, handler });
    this.wake();
    return id;
  }

  /** `after cancel id`: cancels a pending timer or idle callback; returns whether it was pending. */
  cancel(id: AfterId): boolean {
    const timer = this.timers.get(id);
    if (timer !== undefined) {
      this.timers.delete(id);
      return this.clock.clearTimer(timer);
    }
    if (this.queuedTimers.delete(id)) return true; // due and queued, not yet run: skipped when reached
    const before = this.idle.length;
    this.idle = this.idle.filter((cb) => cb.id !== id);
    return this.idle.length !== before;
  }

  // ---- variables (for vwait) -----------------------------------------------------------------

  /** `set name value`: writes a variable; wakes a `vwait` on it even if the value is unchanged. */
  set(name: string, value: string | number = '1'): void {
    const v = this.vars.get(name);
    if (v === undefined) this.vars.set(name, { value: String(value), writes: 1 });
    else {
      v.value = String(value);
      v.writes++;
    }
    this.wake();
  }

  /** Value of a variable, or undefined if never set. */
  get(name: string): string | undefined {
    return this.vars.get(name)?.value;
  }

  private writes(name: string): number {
    return this.vars.get(name)?.writes ?? 0;
  }

  // ---- servicing -----------------------------------------------------------------------------

  private push(event: QueuedEvent): void {
    this.queue.push(event);
    this.wake();
  }

  private shift(): QueuedEvent | undefined {
    if (this.head >= this.queue.length) return undefined;
    const event = this.queue[this.head++];
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return event;
  }

  private get queuedCount(): number {
    return this.queue.length - this.head;
  }

  /** Queues file events for ready sources and (virtual clock) fires clock timers due now. */
  private gather(): void {
    if (this.virtual !== undefined) this.virtual.runWhile(this.virtual.now(), () => this.queuedCount === 0);
    this.notifier.collect((source) => this.queue.push({ kind: 'file', source }));
  }

  /**
   * Processes one event, as Tcl_DoOneEvent. Returns false if nothing was processed (and, with
   * `mayWait` on a virtual clock, no clock timer was pending either).
   */
  doOneEvent(mayWait = false): boolean {
    let event = this.shift();
    if (event === undefined) {
      this.gather();
      event = this.shift();
    }
    if (event !== undefined) {
      this.run(event);
      return true;
    }
    if (this.idle.length > 0) {
      this.runIdle();
      return true;
    }
    if (mayWait && this.virtual !== undefined) return this.virtual.runNext();
    return false;
  }

  private run(event: QueuedEvent): void {
    if (event.kind === 'timer') {
      if (!this.queuedTimers.delete(event.id)) return; // cancelled after it came due
      this.trace?.record(this.clock.now(), 'loop.timer', { id: event.id, label: event.label });
      this.guard(event.handler, event.label);
    } else {
      this.notifier.deliver(event.source, (err, label) => this.backgroundError(err, label));
    }
  }

  private runIdle(): void {
    // Tcl runs the idle callbacks that exist now; ones they schedule wait for the next pass.
    const batch = this.idle;
    this.idle = [];
    for (const cb of batch) {
      this.trace?.record(this.clock.now(), 'loop.idle', { id: cb.id, label: cb.label });
      this.guard(cb.handler, cb.label);
    }
  }

  private guard(handler: () => void, label: string): void {
    try {
      handler();
    } catch (err) {
      this.backgroundError(err, label);
    }
  }

  private backgroundError(error: unknown, handler: string): void {
    const entry: BackgroundError = { error, handler, at: this.clock.now() };
    this.backgroundErrors.push(entry);
    const message = error instanceof Error ? error.message : String(error);
    this.trace?.record(this.clock.now(), 'loop.bgerror', { handler, message });
    this.onBackgroundError?.(entry);
  }

  /**
   * `update`: processes every event that is ready now, idle callbacks included, without moving
   * time. Returns the number of events processed.
   */
  update(): number {
    let n = 0;
    while (this.doOneEvent(false)) n++;
    return n;
  }

  /**
   * `vwait`: services the loop until `what` holds. A string waits for the next write of that
   * variable; a function waits until it returns true (checked before every event).
   * Virtual clocks only; see `vwaitAsync` otherwise.
   */
  vwait(what: string | (() => boolean), options: VwaitOptions = {}): void {
    const clock = this.requireVirtual('vwait');
    const done = this.condition(what);
    const label = typeof what === 'string' ? what : 'condition';
    const deadline = options.budgetMs === undefined ? Infinity : clock.now() + options.budgetMs;
    this.trace?.record(clock.now(), 'loop.vwait', { what: label });
    while (!done()) {
      if (this.doOneEvent(false)) continue;
      const next = clock.nextDue();
      if (next === undefined) throw new WouldWaitForeverError(label, clock.now());
      if (next > deadline) {
        clock.advanceTo(deadline);
        throw new VwaitBudgetError(label, options.budgetMs ?? Infinity, clock.now());
      }
      clock.runNext();
    }
  }

  /** Promise form of `vwait`, for any clock; rejects with `VwaitBudgetError` after `budgetMs` of clock time. */
  async vwaitAsync(what: string | (() => boolean), options: VwaitOptions = {}): Promise<void> {
    if (this.virtual !== undefined) {
      this.vwait(what, options);
      return;
    }
    const done = this.condition(what);
    const label = typeof what === 'string' ? what : 'condition';
    let expired = false;
    const budget =
      options.budgetMs === undefined
        ? undefined
        : this.clock.setTimer(options.budgetMs, () => {
            expired = true;
            this.wake();
          });
    try {
      for (;;) {
        while (!done() && this.doOneEvent(false)) {
          /* keep servicing */
        }
        if (done()) return;
        if (expired) throw new VwaitBudgetError(label, options.budgetMs ?? Infinity, this.clock.now());
        await new Promise<void>((resolve) => this.wakers.push(resolve));
      }
    } finally {
      if (budget !== undefined) this.clock.clearTimer(budget);
    }
  }

  private condition(what: string | (() => boolean)): () => boolean {
    if (typeof what === 'function') return what;
    const start = this.writes(what);
    return () => this.writes(what) !== start;
  }

  private requireVirtual(op: string): VirtualClock {
    if (this.virtual === undefined) {
      throw new DetnetError('ERR_SYNC_WAIT_ON_REAL_CLOCK', `${op} cannot wait synchronously on a real clock; use ${op}Async`);
    }
    return this.virtual;
  }

  /** Wakes pending `vwaitAsync` calls so they re-check (real clock). */
  private wake(): void {
    if (this.wakers.length === 0) return;
    const wakers = this.wakers;
    this.wakers = [];
    for (const w of wakers) w();
  }

  /** Whether anything is queued, idle, or deliverable right now. */
  hasPendingWork(): boolean {
    return this.queuedCount > 0 || this.idle.length > 0 || this.notifier.hasReady();
  }
}
