/**
 * The `Clock` port: the only way any detnet code learns the time or waits.
 *
 * Owns: the interface, nothing else. `VirtualClock` (deterministic, driven by the caller) and
 * `RealClock` (Node's timers) implement it. Times are milliseconds as plain numbers; a virtual
 * clock starts at 0 and only moves when its owner advances it.
 *
 * Does not own: ordering of simultaneous timers (see tie-breaker.ts) or the event loop.
 * Departs from reality: none by itself; each implementation says how it does.
 */
import { DetnetError } from '../errors.js';

/** Opaque handle of a scheduled timer: a positive integer, never reused by the same clock. */
export type TimerId = number;

/**
 * A timer label whose text is built only when someone reads it: a tie reported to a schedule
 * source, a runaway diagnostic. Packets are timers on the hot path, and a string per packet
 * (connection, addresses, kind) would cost more than the rest of scheduling it; the object
 * that already knows those fields is passed instead. `timerLabel()` must give the same text
 * every time (it is read at a tie and again in a report).
 */
export interface LazyLabel {
  timerLabel(): string;
}

/**
 * A timer that is its own callback and label: `schedule` runs `fire()` once. It lets a caller
 * whose timer is an object anyway (a packet in flight) schedule it without a closure per timer.
 */
export interface TimerTask extends LazyLabel {
  fire(): void;
}

/** What `setTimer` takes as a label: its text, or an object that builds it on demand. */
export type TimerLabel = string | LazyLabel;

/** The text of `label`. */
export function labelText(label: TimerLabel): string {
  return typeof label === 'string' ? label : label.timerLabel();
}

/** A source of time and one-shot timers. */
export interface Clock {
  /** Current time in milliseconds since the clock's epoch (0 for a virtual clock). */
  now(): number;
  /**
   * Runs `callback` once, `delayMs` (≥ 0, finite) after now. `label` names the timer in traces
   * and in runaway-loop errors; a `LazyLabel` is turned into text only when shown.
   */
  setTimer(delayMs: number, callback: () => void, label?: TimerLabel): TimerId;
  /** Runs `task.fire()` once, `delayMs` after now; the task is its own label. */
  schedule(delayMs: number, task: TimerTask): TimerId;
  /** Cancels a timer; returns whether it was still pending. Unknown ids are ignored. */
  clearTimer(id: TimerId): boolean;
}

/** Throws a `DetnetError` with code `ERR_INVALID_DELAY` unless `delayMs` is a finite number ≥ 0. */
export function assertDelay(delayMs: number): void {
  if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0) {
    throw new DetnetError('ERR_INVALID_DELAY', `invalid timer delay ${String(delayMs)}: expected a finite number >= 0`);
  }
}

/** Throws a `DetnetError` with code `ERR_INVALID_CALLBACK` unless `task` has `fire` and `timerLabel` methods. */
export function assertTask(task: unknown): void {
  const t = task as Partial<TimerTask> | null;
  if (typeof t !== 'object' || t === null || typeof t.fire !== 'function' || typeof t.timerLabel !== 'function') {
    throw new DetnetError('ERR_INVALID_CALLBACK', `timer task must be an object with fire() and timerLabel() methods, got ${t === null ? 'null' : typeof t}`);
  }
}

/** Throws a `DetnetError` with code `ERR_INVALID_CALLBACK` unless `callback` is a function. */
export function assertCallback(callback: unknown): void {
  if (typeof callback !== 'function') {
    throw new DetnetError('ERR_INVALID_CALLBACK', `timer callback must be a function, got ${typeof callback}`);
  }
}
