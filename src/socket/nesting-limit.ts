/**
 * Tcl's nesting limit for event handlers: how deep handlers that service the event loop
 * (`update` or `vwait` in a fileevent, `after` or accept script) may nest before Tcl refuses
 * to evaluate one more — `too many nested evaluations (infinite loop?)`, errorCode
 * `TCL LIMIT STACK`.
 *
 * Owns: the depth count and the error. The interpreter enters before it runs a handler and
 * leaves after; a refused handler raises the error as its own, so it becomes a background
 * error and (for a fileevent) the handler is deleted, as in Tcl.
 *
 * What real tclsh 8.6.13 does (checked with a loopback script whose readable handler is a proc
 * that calls `update` on a connection that stays readable): with `interp recursionlimit` L a
 * handler at nesting depth d (1 = called from the top level's `update` or `vwait`) is evaluated
 * at level 2d + 1 — its fileevent script, then the proc — so with Tcl's default L = 1000, 499
 * handlers nest and the 500th fails before its first command. The error goes to the background
 * error handler; the fileevent is deleted, every outer `update` returns, and the outer `vwait`
 * carries on. The same count is kept here.
 *
 * Departs from reality: the default limit is 200 levels (99 nested handlers), not Tcl's 1000.
 * A nested handler costs about twenty JavaScript frames, and V8's default stack (about 1 MB)
 * runs out near 500 nested handlers — it must never be the JavaScript stack that decides where
 * a trace ends, so the modelled limit stays well inside it. Raise it (up to Tcl's 1000) only
 * with a larger stack (`node --stack-size`). If the stack still runs out first, the event loop
 * stops the run with `ERR_STACK_EXHAUSTED` instead of treating it as a script error.
 */
import { DetnetError } from '../errors.js';
import { TclError } from './tcl-error.js';

/** Tcl 8.6's default `interp recursionlimit`. */
export const TCL_RECURSION_LIMIT = 1000;
/** detnet's default: see the module header for why it is below Tcl's. */
export const DEFAULT_RECURSION_LIMIT = 200;

/** Levels of Tcl evaluation one nested handler costs: its event script and the proc it calls. */
const LEVELS_PER_HANDLER = 2;

/** Tcl's error for an evaluation past the recursion limit. */
function nestingError(): TclError {
  return new TclError('too many nested evaluations (infinite loop?)', 'ERR_TCL_NESTING', 'TCL LIMIT STACK');
}

/** The nesting depth of running handlers, checked against a recursion limit in Tcl's levels. */
export class NestingLimit {
  private depth = 0;

  constructor(readonly limit: number = DEFAULT_RECURSION_LIMIT) {
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new DetnetError('ERR_INVALID_OPTION', `recursionLimit must be a positive integer, got ${String(limit)}`);
    }
  }

  /** How many handlers are running, one inside another. */
  get handlers(): number {
    return this.depth;
  }

  /** Runs `handler` one level deeper; throws Tcl's nesting error instead if that passes the limit. */
  run(handler: () => void): void {
    // The top level's command is level 1; the handler about to run is at depth + 1.
    if (1 + LEVELS_PER_HANDLER * (this.depth + 1) > this.limit) throw nestingError();
    this.depth++;
    try {
      handler();
    } finally {
      this.depth--;
    }
  }
}
