/**
 * `RealClock`: the `Clock` port over Node's timers and monotonic time.
 *
 * Owns: the only use of `setTimeout`/`performance.now` in src/ besides the Node driver. Time is
 * milliseconds since the clock was created, from the monotonic `performance.now()` (wall-clock
 * jumps do not move it). Timers are unref'd only if asked, so by default a pending timer keeps
 * the process alive, like Tcl's `after`.
 */
import { assertDelay, type Clock, type TimerId } from './clock.js';

export class RealClock implements Clock {
  private readonly origin = performance.now();
  private nextId = 1;
  private readonly timers = new Map<TimerId, ReturnType<typeof setTimeout>>();

  now(): number {
    return performance.now() - this.origin;
  }

  setTimer(delayMs: number, callback: () => void): TimerId {
    assertDelay(delayMs);
    const id = this.nextId++;
    const handle = setTimeout(() => {
      this.timers.delete(id);
      callback();
    }, delayMs);
    this.timers.set(id, handle);
    return id;
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
