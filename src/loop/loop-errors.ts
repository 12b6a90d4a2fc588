/**
 * The named errors of the event loop: "would wait forever", "budget exhausted", "runaway".
 *
 * Owns: the error classes and their messages. All are misuse-or-hang signals of a *simulated*
 * program (`DetnetError` with an `ERR_*` code), never network conditions: a network failure
 * reaches a script as a channel error, not as one of these.
 *
 * Departs from reality: real Tcl 8.6 only has the first one, and only in non-threaded builds
 * (`can't wait for variable "x": would wait forever`); a threaded tclsh simply blocks. On a
 * virtual clock detnet can prove that nothing could ever wake a `vwait`, so it always reports
 * it; the message starts with Tcl's own wording.
 */
import { DetnetError } from '../errors.js';

/**
 * Thrown by `vwait` on a virtual clock when nothing pending — no queued event, idle callback,
 * due or scheduled timer, ready file event, or clock timer of any kind — could ever satisfy it.
 * This is how a lost notification shows up in a test instead of hanging CI.
 */
export class WouldWaitForeverError extends DetnetError {
  constructor(
    /** The variable name, or `condition` for a predicate. */
    readonly waitingFor: string,
    /** Virtual time when the loop ran dry, in ms. */
    readonly at: number,
  ) {
    super(
      'ERR_WOULD_WAIT_FOREVER',
      `can't wait for variable "${waitingFor}": would wait forever ` +
        `(no timer, idle callback or ready file event is pending; virtual time ${at} ms)`,
    );
    this.name = 'WouldWaitForeverError';
  }
}

/** Thrown by `vwait` when its virtual-time budget runs out before the condition holds. */
export class VwaitBudgetError extends DetnetError {
  constructor(
    readonly waitingFor: string,
    readonly budgetMs: number,
    /** Virtual time when the budget ran out (start + budget), in ms. */
    readonly at: number,
  ) {
    super(
      'ERR_VWAIT_BUDGET',
      `vwait ${waitingFor} still unsatisfied after its budget of ${budgetMs} ms (virtual time ${at} ms)`,
    );
    this.name = 'VwaitBudgetError';
  }
}

/**
 * Thrown when one `update`, `vwait` or waiting `doOneEvent` services more than `loopLimit`
 * events: a level-triggered source whose handler never consumes its readiness, an idle
 * callback that re-arms itself, or timers that re-arm forever. Real Tcl would spin or hang.
 */
export class EventLoopLimitError extends DetnetError {
  constructor(
    readonly operation: string,
    readonly limit: number,
    /** Labels of the last events serviced, oldest first. */
    readonly lastEvents: readonly string[],
  ) {
    super(
      'ERR_LOOP_LIMIT',
      `${operation} serviced more than ${limit} events (runaway handler?); last: ${lastEvents.join(', ')}`,
    );
    this.name = 'EventLoopLimitError';
  }
}

/**
 * Thrown when the JavaScript stack runs out while a handler runs: handlers nested deeper than
 * the engine's stack holds. Its depth depends on the engine, not on the simulated program, so
 * it is never a script error (which would end the trace at a depth that differs between runs):
 * it stops the servicing call. The interpreter's nesting limit normally ends such a recursion
 * first, with Tcl's own error.
 */
export class StackExhaustedError extends DetnetError {
  constructor(
    /** The handler that was running when the stack ran out. */
    readonly handler: string,
    cause: unknown,
  ) {
    super('ERR_STACK_EXHAUSTED', `the JavaScript stack ran out in handler ${handler}: handlers nest deeper than the engine allows (lower the recursion limit)`, { cause });
    this.name = 'StackExhaustedError';
  }
}

/** Whether `err` is the engine's own stack overflow (V8: `RangeError: Maximum call stack size exceeded`). */
export function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message);
}

/**
 * Thrown when one source's file event is delivered `limit` times at one virtual instant while
 * the source reports no change at all — no data read or arriving, no readiness rising or
 * falling: a handler that keeps firing and does nothing that could end it, typically a writable
 * handler that never removes itself. Real Tcl spins at 100% CPU; waiting for `loopLimit`
 * events would cost seconds and gigabytes of trace, so the notifier stops it early and names it.
 */
export class RunawayHandlerError extends DetnetError {
  constructor(
    /** The source's trace name (e.g. `sim:local/3`). */
    readonly source: string,
    /** The event kinds delivered (`readable`, `writable`, `exception`). */
    readonly events: readonly string[],
    /** The handlers that kept firing, each as the notifier or its owner describes it. */
    readonly handlers: readonly string[],
    readonly limit: number,
    /** Virtual time at which it was stopped, in ms. */
    readonly at: number,
  ) {
    super(
      'ERR_RUNAWAY_HANDLER',
      `${handlers.join(' and ')} fired ${limit} times at virtual time ${at} ms while ${source} stayed ${events.join(' and ')} ` +
        'and reported no progress (a handler that never removes itself and never reads or writes?)',
    );
    this.name = 'RunawayHandlerError';
  }
}
