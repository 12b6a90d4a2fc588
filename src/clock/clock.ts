/**
 * The `Clock` port: the only way any detnet code learns the time or waits.
 *
 * Owns: the interface, nothing else. `VirtualClock` (deterministic, driven by the caller) and
 * `RealClock` (Node's timers) implement it. Times are milliseconds as plain numbers; a virtual
 * clock starts at 0 and only moves when its owner advances it.
 */

/** Opaque handle of a scheduled timer. Ids are positive integers from a counter. */
export type TimerId = number;

/** A source of time and one-shot timers. */
export interface Clock {
  /** Current time in milliseconds since the clock's epoch (0 for a virtual clock). */
  now(): number;
  /**
   * Runs `callback` once, `delayMs` (≥ 0, finite) after now. `label` names the timer in traces
   * and in runaway-loop errors.
   */
  setTimer(delayMs: number, callback: () => void, label?: string): TimerId;
  /** Cancels a timer; returns whether it was still pending. Unknown ids are ignored. */
  clearTimer(id: TimerId): boolean;
}

/** Throws a `RangeError` with code `ERR_INVALID_DELAY` unless `delayMs` is a finite number ≥ 0. */
export function assertDelay(delayMs: number): void {
  if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0) {
    const err = new RangeError(`invalid timer delay ${String(delayMs)}: expected a finite number >= 0`);
    (err as RangeError & { code: string }).code = 'ERR_INVALID_DELAY';
    throw err;
  }
}
