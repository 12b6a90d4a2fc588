/**
 * `RealClock`: the `Clock` port over Node's timers and monotonic time.
 *
 * Owns: the only use of `setTimeout`/`performance.now` in src/ besides the Node driver. Time is
 * milliseconds since the clock was created, from the monotonic `performance.now()` (wall-clock
 * jumps do not move it). By default a pending timer keeps the process alive, like Tcl's
 * `after`; pass `{ unref: true }` for timers that must not.
 *
 * Does not own: ordering of timers due together (Node decides; there is no tie-breaker here)
 * or errors thrown by callbacks, which surface as Node's uncaught exceptions, as with any timer.
 *
 * Departs from Node: a delay longer than Node's limit (2^31 − 1 ms, about 24.8 days) is honoured
 * by chaining timers instead of firing after 1 ms with a TimeoutOverflowWarning.
 */
import { assertCallback, assertDelay, assertTask, type Clock, type TimerId, type TimerLabel, type TimerTask } from './clock.js';

/** The longest delay one Node timer can hold. */
const MAX_NODE_DELAY = 0x7fff_ffff;

/** Options of `new RealClock(options)`. */
export interface RealClockOptions {
  /** Unref every timer so that pending timers do not keep the process alive (default false). */
  readonly unref?: boolean;
}

/** The `Clock` port on Node's timers: real time, real waiting. */
export class RealClock implements Clock {
  private readonly origin = performance.now();
  private nextId = 1;
  private readonly timers = new Map<TimerId, ReturnType<typeof setTimeout>>();
  private readonly unref: boolean;

  constructor(options: RealClockOptions = {}) {
    this.unref = options.unref ?? false;
  }

  now(): number {
    return performance.now() - this.origin;
  }

  /** Runs `callback` once after `delayMs`; `label` is accepted for the `Clock` port and unused. */
  setTimer(delayMs: number, callback: () => void, _label?: TimerLabel): TimerId {
    assertDelay(delayMs);
    assertCallback(callback);
    const id = this.nextId++;
    this.arm(id, this.now() + delayMs, delayMs, callback);
    return id;
  }

  /** Runs `task.fire()` once after `delayMs`. */
  schedule(delayMs: number, task: TimerTask): TimerId {
    assertTask(task);
    return this.setTimer(delayMs, () => task.fire());
  }

  /** Arms one Node timer for `id`, re-arming for the rest when `delayMs` exceeds Node's limit. */
  private arm(id: TimerId, due: number, delayMs: number, callback: () => void): void {
    const long = delayMs > MAX_NODE_DELAY;
    const handle = setTimeout(
      () => {
        if (long) {
          this.arm(id, due, Math.max(0, due - this.now()), callback);
          return;
        }
        this.timers.delete(id);
        callback();
      },
      long ? MAX_NODE_DELAY : delayMs,
    );
    if (this.unref) handle.unref();
    this.timers.set(id, handle);
  }

  clearTimer(id: TimerId): boolean {
    const handle = this.timers.get(id);
    if (handle === undefined) return false;
    clearTimeout(handle);
    this.timers.delete(id);
    return true;
  }

  /** Number of timers still pending. */
  get pendingCount(): number {
    return this.timers.size;
  }

  /** Cancels every pending timer (used when a real world shuts down). */
  clearAll(): void {
    for (const handle of this.timers.values()) clearTimeout(handle);
    this.timers.clear();
  }
}

/**
 * Resolves after one turn of the host's event loop (`setImmediate`, or a 0 ms timer where there
 * is none): every microtask and `process.nextTick` queued before it has run by then. The net
 * facade's `runAsync` (src/net-facade/run-async.ts) waits on it between virtual events, so
 * promise chains in user code settle as they would between two real I/O callbacks. Real time is
 * not read; only the host loop's turn is used.
 */
export function nextHostTurn(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}
