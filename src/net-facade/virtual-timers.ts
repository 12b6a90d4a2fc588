/**
 * Timers for user code on the world clock: `setTimeout`, `setInterval`, `setImmediate`, their
 * `clear*` functions and `queueMicrotask`, shaped like Node's globals, as an object a client
 * takes as a parameter (or a test installs in place of the globals itself).
 *
 * Owns: Node's delay rules (a delay that is not a number in [1, 2^31 − 1] becomes 1 ms), the
 * `Timeout` object (`ref`/`unref`/`hasRef`/`refresh`/`close`, `Symbol.toPrimitive` giving its
 * id, so `clearTimeout(Number(t))` works), intervals re-armed from their due time, and extra
 * arguments passed to the callback.
 *
 * Does not: patch globals (installing is the caller's choice) or settle promises (run-async.ts).
 *
 * Departs from Node: `setImmediate` is a 0 ms world timer (it runs after the world events
 * already due now, not in a separate check phase); `ref`/`unref` are recorded but nothing
 * keeps a virtual world alive; `queueMicrotask` is the host's own (microtasks are not timed).
 */
import type { Clock, TimerId } from '../clock/clock.js';
import { invalidArgType } from '../errors.js';

const TIMEOUT_MAX = 2 ** 31 - 1;

type Callback = (...args: unknown[]) => void;

/** A pending `setTimeout`/`setInterval`/`setImmediate`, as Node returns it. */
export class VirtualTimeout {
  private refed = true;
  /** @internal */
  clockId: TimerId | null = null;

  constructor(
    private readonly owner: VirtualTimers,
    /** The id `Number(timeout)` gives (unique per `VirtualTimers`). */
    readonly id: number,
    /** @internal */ readonly delayMs: number,
    /** @internal */ readonly repeat: boolean,
    /** @internal */ readonly run: () => void,
  ) {}

  /** Marks the timer as keeping the process alive (recorded only). */
  ref(): this {
    this.refed = true;
    return this;
  }

  /** Marks the timer as not keeping the process alive (recorded only). */
  unref(): this {
    this.refed = false;
    return this;
  }

  hasRef(): boolean {
    return this.refed;
  }

  /** Re-arms the timer for its full delay from now (Node's `timeout.refresh()`). */
  refresh(): this {
    this.owner.rearm(this);
    return this;
  }

  /** Cancels the timer. */
  close(): this {
    this.owner.cancel(this);
    return this;
  }

  [Symbol.toPrimitive](): number {
    return this.id;
  }
}

/** Node's timer functions over a virtual clock. */
export class VirtualTimers {
  private nextId = 1;
  private readonly live = new Map<number, VirtualTimeout>();

  constructor(private readonly clock: Clock) {}

  /** Runs `callback(...args)` once after `delay` ms of world time (Node's coercion of `delay`). */
  readonly setTimeout = (callback: Callback, delay?: number, ...args: unknown[]): VirtualTimeout => this.add(callback, delay, args, false);

  /** Runs `callback(...args)` every `delay` ms of world time until cleared. */
  readonly setInterval = (callback: Callback, delay?: number, ...args: unknown[]): VirtualTimeout => this.add(callback, delay, args, true);

  /** Runs `callback(...args)` after the world events due now (a 0 ms world timer). */
  readonly setImmediate = (callback: Callback, ...args: unknown[]): VirtualTimeout => this.add(callback, 0, args, false, 0);

  /** Cancels a timer given as the object or its id; anything else is ignored, as in Node. */
  readonly clearTimeout = (timer: VirtualTimeout | number | undefined | null): void => {
    const t = typeof timer === 'number' ? this.live.get(timer) : timer;
    if (t instanceof VirtualTimeout) this.cancel(t);
  };

  readonly clearInterval = this.clearTimeout;
  readonly clearImmediate = this.clearTimeout;

  /** The host's `queueMicrotask`: microtasks are not timed; `runAsync` lets them settle. */
  readonly queueMicrotask = (callback: () => void): void => {
    if (typeof callback !== 'function') throw invalidArgType('callback', 'a function', callback);
    globalThis.queueMicrotask(callback);
  };

  /** Timers still pending. */
  get pending(): number {
    return this.live.size;
  }

  private add(callback: Callback, delay: number | undefined, args: readonly unknown[], repeat: boolean, fixedMs?: number): VirtualTimeout {
    if (typeof callback !== 'function') throw invalidArgType('callback', 'a function', callback);
    const n = Number(delay);
    const ms = fixedMs ?? (n >= 1 && n <= TIMEOUT_MAX ? Math.trunc(n) : 1);
    const t: VirtualTimeout = new VirtualTimeout(this, this.nextId++, ms, repeat, () => {
      t.clockId = null;
      if (repeat) this.arm(t);
      else this.live.delete(t.id);
      callback(...args);
    });
    this.live.set(t.id, t);
    this.arm(t);
    return t;
  }

  private arm(t: VirtualTimeout): void {
    t.clockId = this.clock.setTimer(t.delayMs, t.run, t.repeat ? 'user:interval' : 'user:timeout');
  }

  /** @internal */
  rearm(t: VirtualTimeout): void {
    if (t.clockId !== null) this.clock.clearTimer(t.clockId);
    this.live.set(t.id, t);
    this.arm(t);
  }

  /** @internal */
  cancel(t: VirtualTimeout): void {
    if (t.clockId !== null) this.clock.clearTimer(t.clockId);
    t.clockId = null;
    this.live.delete(t.id);
  }
}
