/**
 * The `SteppableClock` capability: a clock whose owner moves time itself, one timer at a time.
 *
 * Owns: the interface and its runtime test (`isSteppable`), nothing else. `VirtualClock`
 * implements it; `RealClock` cannot (Node's timers fire when Node says so). Code that needs to
 * wait synchronously — the event loop's `vwait`, `doOneEvent(true)` and the catch-up pass of
 * every notifier pass — asks for this capability instead of a concrete class, so a test clock
 * or a future clock can offer it without being a `VirtualClock`.
 *
 * Does not: order timers (the implementation's tie-breaker does) or know about event loops.
 *
 * Departs from reality: a real clock cannot be stepped; that is the point of the type.
 */
import type { Clock } from './clock.js';

/** A clock whose time moves only when its owner fires its timers (`VirtualClock`). */
export interface SteppableClock extends Clock {
  /** Marks the capability at run time (`isSteppable`); always `true`. */
  readonly steppable: true;
  /** Due time of the earliest pending timer, or undefined if none is pending. */
  nextDue(): number | undefined;
  /** Fires the earliest pending timer, moving time to its due time; false if none is pending. */
  runNext(): boolean;
  /**
   * Fires timers in order while `keepGoing()` holds and the next one is due no later than
   * `until` (absolute ms; `Infinity` for no bound). Returns whether `keepGoing` stopped it.
   */
  runWhile(until: number, keepGoing: () => boolean): boolean;
  /** Moves time to the absolute instant `time`, firing everything due up to it (never backwards). */
  advanceTo(time: number): void;
}

/** Whether `clock` offers the steppable capability (the run-time side of the type). */
export function isSteppable(clock: Clock): clock is SteppableClock {
  return (clock as Partial<SteppableClock>).steppable === true;
}
