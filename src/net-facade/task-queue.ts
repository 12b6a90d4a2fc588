/**
 * The facade's stand-in for Node's `process.nextTick` queue and close phase, on the world clock.
 *
 * Owns: two FIFO queues — next-tick items and close-phase items ('close' events, the ECANCELED
 * report of a cancelled connect) — and one 0 ms world timer that drains them after the current
 * world event: every next-tick item first, then close-phase items one at a time, running any
 * next-tick item a close-phase item queued before the next one (as Node's loop does).
 *
 * Does not: run user promises (real microtasks settle between world events; see run-async.ts).
 *
 * Departs from Node: the drain is a world timer, so other world events already due at the same
 * instant (a packet arriving at the same millisecond) run before it, and a non-FIFO tie-breaker
 * may order it among them; Node runs next-tick items straight after the current callback.
 */
import type { Clock, TimerId } from '../clock/clock.js';

export class TaskQueue {
  private readonly ticks: (() => void)[] = [];
  private readonly closes: (() => void)[] = [];
  private timer: TimerId | null = null;

  constructor(private readonly clock: Clock) {}

  /** Runs `fn` after the current world event, before close-phase items. */
  nextTick(fn: () => void): void {
    this.ticks.push(fn);
    this.arm();
  }

  /** Runs `fn` in the close phase after the current world event. */
  closePhase(fn: () => void): void {
    this.closes.push(fn);
    this.arm();
  }

  /** Drops everything queued (after a modelled internal assertion: the process would be gone). */
  clear(): void {
    this.ticks.length = 0;
    this.closes.length = 0;
  }

  private arm(): void {
    if (this.timer !== null) return;
    this.timer = this.clock.setTimer(0, () => this.drain(), 'net:tick');
  }

  private drain(): void {
    this.timer = null;
    for (;;) {
      const tick = this.ticks.shift();
      if (tick !== undefined) {
        tick();
        continue;
      }
      const close = this.closes.shift();
      if (close === undefined) return;
      close();
    }
  }
}
