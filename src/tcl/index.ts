/**
 * detnet's Tcl interpreter: real Tcl scripts (client and server) on a socket `Interp` — the
 * simulated world or real Node sockets.
 *
 * Why our own interpreter and not `tcl-js` (npm, v2.9.0, evaluated for this issue): it is
 * async-only (every command is awaited), so a `vwait` on the simulated world could not run the
 * world synchronously inside a command; its syntax errors are its own ("uneven amount of curly
 * braces" where Tcl says `missing close-brace`); it lacks `string`, `catch`, `try`, `dict`,
 * `format`, `lsort`, `after`, the `in` operator, and treats `010` as decimal; and its README
 * still calls it a work in progress. Tcl's parser is twelve rules, and what we need of its
 * commands is a few hundred lines each, so writing it gives exact messages and one evaluator
 * that runs both synchronously (sim) and with `await` (Node).
 *
 * Layout: parse-script.ts (the twelve rules, syntax errors), backslash.ts, list.ts,
 * number.ts, expr-parse.ts / expr-eval.ts, eval.ts (evaluator and its sync/async runners),
 * tcl-interp.ts (frames, variables, public API), commands/*.ts (one family each).
 *
 * Departs from Tcl: no namespaces beyond `::`, no `rand()`, `clock` is the driver's clock,
 * handler scripts on the Node driver cannot block (see commands/channels.ts).
 */
export { TclInterp, type TclInterpOptions } from './tcl-interp.js';
export type { CommandFn, CommandResult, Frame, Gen, TclContext, Var } from './context.js';
export { TclScriptError } from './errors.js';
export { awaitValue } from './eval.js';
export { parseList, formatList, quoteElement } from './list.js';
export { parseScript, type Script } from './parse-script.js';
