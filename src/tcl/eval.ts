/**
 * The evaluator: runs a parsed script — substitutes each word, invokes each command — and the
 * two runners that drive it, synchronously or with `await`.
 *
 * Written once for both modes, like src/socket/blocking.ts: evaluation is a generator that
 * yields a Promise only where a command must wait on a real driver (`socket`, `gets`, `vwait`,
 * `update`, `after ms` in async mode). `runSync` drives it on the simulated world, where those
 * commands block by running the world and never yield; `runAsync` awaits each yielded Promise.
 * A command decides which way to go from `TclContext.awaitable`.
 *
 * Owns: word substitution, `{*}` expansion, the command budget (counted per invoked command),
 * the nesting limit, and turning every exception into a Tcl error with errorInfo lines
 * (`while executing` / `invoked from within`) and the line of the failing command. Errors that
 * are not Tcl's — a JavaScript bug — become `internal error: ...` (fatal: `catch` does not see
 * it; the interpreter keeps the original for tests in `internalErrors`).
 * Does not: know any command (commands/*.ts) or own variables (tcl-interp.ts).
 */
import { AssertionError, DetnetError } from '../errors.js';
import { TclError } from '../socket/tcl-error.js';
import { nestingFailure, TclControl, TclFailure, TCL_BREAK, TCL_CONTINUE } from './errors.js';
import { formatList, parseList } from './list.js';
import { lineAt, type Part, type Script, type Word } from './parse-script.js';
import type { CommandFn, Gen, TclContext } from './context.js';

export type { CommandFn, CommandResult, Gen } from './context.js';

/** Deepest nesting of script evaluations (Tcl's default recursion limit). */
export const MAX_DEPTH = 1000;

/** Longest command text errorInfo quotes (Tcl's limit), then `...`. */
const INFO_TEXT_LIMIT = 150;

function commandText(source: string, start: number, end: number): string {
  let e = end;
  while (e > start && ' \t\n\r\v\f;'.includes(source[e - 1] as string)) e--;
  const text = source.slice(start, e);
  return text.length > INFO_TEXT_LIMIT ? `${text.slice(0, INFO_TEXT_LIMIT)}...` : text;
}

/**
 * Where an inline body's text starts in the script: a braced word that is the body, or holds it
 * (a `switch` arm inside its pattern list); -1 if the body was computed (then it is not inline).
 */
function bodyOffset(words: readonly Word[], body: string): number {
  for (const w of words) if (w.literal === body) return w.start;
  for (const w of words) {
    const i = w.literal === undefined ? -1 : w.literal.indexOf(body);
    if (i >= 0) return w.start + 1 + i;
  }
  return -1;
}

/** Adds a command's text to errorInfo as Tcl does. */
function addErrorInfo(f: TclFailure, text: string): void {
  f.errorInfo += f.traced ? `\n    invoked from within\n"${text}"` : `\n    while executing\n"${text}"`;
  f.traced = true;
}

/**
 * Codes of failures `catch` must not see: runaway loops, the command budget and internal
 * errors, and `exit` (also when they come back from a handler script as a `TclScriptError`).
 */
export const FATAL_CODES: ReadonlySet<string> = new Set(['ERR_LOOP_LIMIT', 'ERR_CLOCK_LOOP_LIMIT', 'ERR_TCL_BUDGET', 'ERR_TCL_INTERNAL', 'ERR_TCL_EXIT']);

/** Turns anything thrown by a command into a Tcl error or control signal. */
export function toTcl(ti: TclContext, err: unknown): TclFailure | TclControl {
  if (err instanceof TclFailure || err instanceof TclControl) return err;
  if (err instanceof TclError) return new TclFailure(err.message, err.errorCode);
  // The JavaScript stack ran out before MAX_DEPTH (deep nesting inside one level). V8 may
  // report it as a SyntaxError when it happens while compiling a regular expression; no regular
  // expression here, for the same reason.
  if ((err instanceof RangeError || err instanceof SyntaxError) && String(err.message).includes('call stack')) {
    return nestingFailure();
  }
  if (err instanceof AssertionError || !(err instanceof DetnetError)) {
    ti.internalErrors.push(err);
    const message = err instanceof Error ? err.message : String(err);
    return new TclFailure(`internal error: ${message}`, 'DETNET INTERNAL', true, 'ERR_TCL_INTERNAL');
  }
  // A detnet condition a script can meet (a wait that can never end, a runaway event loop):
  // a Tcl error carrying the detnet code. Runaway loops are fatal like the command budget.
  const fatal = FATAL_CODES.has(err.code);
  return new TclFailure(err.message, `DETNET ${err.code}`, fatal, err.code as `ERR_${string}`);
}

function budgetFailure(ti: TclContext): TclFailure {
  return new TclFailure(`command budget exceeded: more than ${ti.budget} commands (a runaway script?)`, 'DETNET ERR_TCL_BUDGET', true, 'ERR_TCL_BUDGET');
}

/** Evaluates a parsed script in the current frame; returns the last command's result. */
export function* evalScript(ti: TclContext, script: Script): Gen<string> {
  // An empty body counts too, so that `while 1 {}` meets the budget.
  if (script.commands.length === 0 && ++ti.commandCount > ti.budget) throw budgetFailure(ti);
  if (++ti.depth > MAX_DEPTH) {
    ti.depth--;
    throw nestingFailure();
  }
  try {
    let result = '';
    const commands = script.commands;
    for (let c = 0; c < commands.length; c++) {
      const cmd = commands[c]!;
      const words = cmd.words;
      try {
        const argv: string[] = [];
        for (let w = 0; w < words.length; w++) {
          const word = words[w]!;
          const value = word.literal ?? (yield* substParts(ti, word.parts));
          if (word.expand) argv.push(...parseList(value));
          else argv.push(value);
        }
        if (argv.length === 0) continue; // `{*}{}` alone: nothing to run
        // `invoke`, inlined: one generator fewer per command on the hot path.
        if (++ti.commandCount > ti.budget) throw budgetFailure(ti);
        // The teacher's view (TclInterpOptions.traceCommands): every command, bookkeeping included.
        if (ti.traceCommands) ti.interp.trace.record(ti.interp.driver.clock.now(), 'tcl.command', { command: formatList(argv) });
        const r = lookupCommand(ti, argv[0]!)(ti, argv);
        result = typeof r === 'string' ? r : yield* r;
      } catch (err) {
        const e = toTcl(ti, err);
        if (e instanceof TclFailure) {
          const at = e.inlineBody === undefined ? -1 : bodyOffset(words, e.inlineBody);
          e.inlineBody = undefined;
          if (at >= 0) {
            // An inline body: no errorInfo line; its line counts from where the body starts here.
            e.line = lineAt(script.source, at) + (e.line ?? 1) - 1;
          } else {
            addErrorInfo(e, commandText(script.source, cmd.start, cmd.end));
            e.line = lineAt(script.source, cmd.start);
          }
        } else ti.controlLine = lineAt(script.source, cmd.start); // a stray break/continue/return: the outermost line wins
        throw e;
      }
    }
    if (script.error !== undefined) {
      const f = new TclFailure(script.error.message, 'NONE');
      addErrorInfo(f, commandText(script.source, script.error.start, script.source.length));
      f.line = lineAt(script.source, script.error.start);
      throw f;
    }
    return result;
  } finally {
    ti.depth--;
  }
}

/**
 * Evaluates a command's body argument: `label` null for a body Tcl compiles inline (`if`,
 * `while`, ...), else the errorInfo label Tcl adds (`"foreach" body`, `"eval" body`, ...).
 */
export function* evalBody(ti: TclContext, body: string, label: string | null): Gen<string> {
  try {
    return yield* ti.evalText(body);
  } catch (err) {
    if (err instanceof TclFailure) {
      if (label === null) err.inlineBody = body;
      else err.errorInfo += `\n    (${label} line ${err.line ?? 1})`;
    }
    throw err;
  }
}

/** Invokes one command (counted against the budget). */
export function* invoke(ti: TclContext, argv: string[]): Gen<string> {
  if (++ti.commandCount > ti.budget) throw budgetFailure(ti);
  const r = lookupCommand(ti, argv[0]!)(ti, argv);
  return typeof r === 'string' ? r : yield* r;
}

function lookupCommand(ti: TclContext, name: string): CommandFn {
  const fn = ti.commands.get(name) ?? (name.startsWith('::') ? ti.commands.get(name.slice(2)) : undefined);
  if (fn === undefined) throw new TclFailure(`invalid command name "${name}"`, `TCL LOOKUP COMMAND ${name}`);
  return fn;
}

/** Substitutes a word's parts. */
export function* substParts(ti: TclContext, parts: readonly Part[]): Gen<string> {
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (typeof p === 'string') out += p;
    else if (p.kind === 'var') {
      const index = p.index === undefined ? undefined : (p.index.literal ?? (yield* substParts(ti, p.index.parts)));
      out += ti.readVar(p.name, index);
    } else out += yield* evalScript(ti, p.script);
  }
  return out;
}

/** Substitutes one word. */
export function* substWord(ti: TclContext, word: Word): Gen<string> {
  return word.literal ?? (yield* substParts(ti, word.parts));
}

/** Runs an evaluation that must not wait (sync mode: blocking commands block on the world). */
export function runSync<T>(ti: TclContext, gen: Gen<T>): T {
  const was = ti.awaitable;
  ti.awaitable = false;
  try {
    const r = gen.next();
    if (!r.done) {
      gen.return(undefined as T);
      throw new AssertionError('a Tcl command yielded a Promise in synchronous mode');
    }
    return r.value;
  } finally {
    ti.awaitable = was;
  }
}

/**
 * Runs an evaluation, awaiting what its commands yield. Several async evaluations may be
 * in flight at once (the main script, and handler scripts on a driver that cannot block), so
 * each owns its call frames and nesting depth: they are installed while its generator runs
 * and put back when it yields.
 */
export async function runAsync<T>(ti: TclContext, gen: Gen<T>): Promise<T> {
  let frames = ti.frames;
  let depth = ti.depth;
  let r: IteratorResult<Promise<unknown>, T> | undefined;
  let value: unknown;
  let failure: unknown;
  let failed = false;
  for (;;) {
    const outer = { frames: ti.frames, depth: ti.depth, awaitable: ti.awaitable };
    ti.frames = frames;
    ti.depth = depth;
    ti.awaitable = true;
    try {
      r = failed ? gen.throw(failure) : gen.next(value);
    } finally {
      frames = ti.frames;
      depth = ti.depth;
      ti.frames = outer.frames;
      ti.depth = outer.depth;
      ti.awaitable = outer.awaitable;
    }
    if (r.done) return r.value;
    failed = false;
    try {
      value = await r.value;
    } catch (err) {
      failure = err;
      failed = true;
    }
    if (ti.fatal !== undefined) {
      // A handler task hit the budget or called `exit`: this evaluation stops too.
      failure = ti.fatal;
      failed = true;
    }
  }
}

/** A Promise's value inside an evaluation (async mode). */
export function* awaitValue<T>(promise: Promise<T>): Gen<T> {
  return (yield promise) as T;
}

/** In a loop: whether a body's exception means go on (`continue`) or stop (`break`); rethrows the rest. */
export function loopSignal(err: unknown): boolean {
  if (err instanceof TclControl) {
    if (err.code === TCL_BREAK) return false;
    if (err.code === TCL_CONTINUE) return true;
  }
  throw err;
}
