/**
 * How results other than "ok" travel through the Tcl evaluator, and the error a caller of the
 * interpreter sees.
 *
 * Owns: `TclFailure` (a Tcl error on its way up: message, errorCode, the errorInfo being
 * built, the line of the outermost command), `TclControl` (`break`, `continue`, `return`), and
 * `TclScriptError`, the one public error type: a script error as Tcl reports it, never a
 * JavaScript stack trace. Internal values are plain classes, not `Error`s: scripts throw and
 * catch them in loops, and capturing a JavaScript stack each time would cost more than the
 * command itself.
 * Does not: decide what is catchable (eval.ts: `fatal` failures — the command budget,
 * runaway loops, internal errors — pass through `catch` and `try`).
 */
import { DetnetError } from '../errors.js';

/** Tcl's result codes. */
export const TCL_OK = 0;
export const TCL_ERROR = 1;
export const TCL_RETURN = 2;
export const TCL_BREAK = 3;
export const TCL_CONTINUE = 4;

/** A Tcl error travelling up the evaluator. */
export class TclFailure {
  /** errorInfo so far: the message, then `while executing` / `invoked from within` lines. */
  errorInfo: string;
  /** Whether a command's text has been added to errorInfo yet. */
  traced = false;
  /** Line (1-based) of the failing command in the innermost script body left so far. */
  line: number | undefined;
  /**
   * Set while the failure leaves a body Tcl compiles inline (`if`, `while`, `for`, `switch`,
   * `try`): the enclosing script then adds no errorInfo line and counts the line from the body's
   * place in its own text, as tclsh reports it.
   */
  inlineBody: string | undefined;
  constructor(
    readonly message: string,
    readonly errorCode: string = 'NONE',
    /** Not catchable by `catch`/`try`: the command budget, runaway loops, internal errors. */
    readonly fatal = false,
    /** The detnet code for callers (`ERR_TCL_SCRIPT`, `ERR_TCL_BUDGET`, ...). */
    readonly code: `ERR_${string}` = 'ERR_TCL_SCRIPT',
  ) {
    this.errorInfo = message;
  }
}

/** `break`, `continue`, or `return` (with the code and level `return` was given). */
export class TclControl {
  constructor(
    readonly code: typeof TCL_RETURN | typeof TCL_BREAK | typeof TCL_CONTINUE,
    readonly value = '',
    /** For `return -code c -level n`: what the proc `n` levels up returns as. */
    readonly returnCode = TCL_OK,
    readonly level = 1,
    readonly errorCode = 'NONE',
  ) {}
}

/** The error a script raised, as the caller of `TclInterp` sees it. */
export class TclScriptError extends DetnetError {
  constructor(
    message: string,
    /** Tcl's `$::errorCode`. */
    readonly errorCode: string,
    /** Tcl's `$::errorInfo`, ending with the script's name and line. */
    readonly errorInfo: string,
    /** 1-based line, in the evaluated script, of the command that failed. */
    readonly line: number,
    code: `ERR_${string}` = 'ERR_TCL_SCRIPT',
  ) {
    super(code, message);
    this.name = 'TclScriptError';
  }
}

/** Tcl's error for nesting too deep (evaluations, or an expression's own depth), with its errorCode. */
export function nestingFailure(): TclFailure {
  return new TclFailure('too many nested evaluations (infinite loop?)', 'TCL LIMIT STACK');
}

/** A `wrong # args` error with Tcl's text. */
export function wrongArgs(usage: string): TclFailure {
  return new TclFailure(`wrong # args: should be "${usage}"`, 'TCL WRONGARGS');
}
