/**
 * `TclInterp`: a Tcl interpreter bound to one socket `Interp` (src/socket/interp.ts) — the
 * state a script sees (variables in call frames, the command table, procs) and the public API
 * to run scripts on it.
 *
 * Owns: call frames and variables (scalars and arrays, `upvar`/`global` links), the command
 * table, the parse cache (each script body is parsed once: procs, loop bodies and handler
 * scripts are looked up by their text), the command budget, stdout/stderr capture, and the
 * conversion of a failed evaluation into `TclScriptError`.
 * Does not: implement commands (commands/*.ts) or evaluate (eval.ts).
 * Departs from Tcl: no namespaces beyond the global one (`::name` is the global `name`, and
 * command names may contain `::`); `clock` reads the driver's clock (virtual on the sim).
 */
import type { Driver } from '../socket/driver.js';
import type { Interp } from '../socket/interp.js';
import { TclControl, TclFailure, TclScriptError, TCL_BREAK, TCL_CONTINUE, TCL_ERROR, TCL_OK, TCL_RETURN } from './errors.js';
import type { CommandFn, Frame, Gen, ProcDef, TclContext, Var } from './context.js';
import { evalScript, runAsync, runSync, toTcl } from './eval.js';
import { parseScript, type Script } from './parse-script.js';
import { installCommands } from './commands/install.js';

declare module '../trace/trace.js' {
  interface TraceKindMap {
    /** A Tcl script wrote a line to stdout or stderr (`puts`). */
    'tcl.output': { channel: 'stdout' | 'stderr'; line: string };
    /** A command a Tcl script evaluated, as its words (only with `traceCommands`). */
    'tcl.command': { command: string };
  }
}

/** Options of a `TclInterp`: where script output goes, the command budget, the script's name. */
export interface TclInterpOptions {
  /** Receives each line a script writes to stdout (default: kept in `stdout` only). */
  readonly onStdout?: (line: string) => void;
  /** Receives each line written to stderr (default: kept in `stderr` only). */
  readonly onStderr?: (line: string) => void;
  /** Most commands one `eval`/`evalAsync` may invoke (default 10,000,000). */
  readonly budget?: number;
  /** Name the script is reported under in errorInfo (`(file "NAME" line N)`; default `script`). */
  readonly scriptName?: string;
  /** Also record every output line in the socket interpreter's trace (`tcl.output`; default true). */
  readonly traceOutput?: boolean;
  /**
   * Also record every command evaluated, bookkeeping included, as a `tcl.command` entry
   * (default false). Off, the trace has the socket and event commands the socket `Interp`
   * records, so traces of scripts that differ only in bookkeeping stay comparable; on, it is
   * a teacher's step-by-step view.
   */
  readonly traceCommands?: boolean;
}

/** Largest number of distinct script texts kept parsed. */
const CACHE_LIMIT = 2000;

/**
 * A Tcl interpreter bound to one socket `Interp`: `eval` runs a script synchronously (on the
 * simulated world, blocking commands run the world), `evalAsync` runs it on any driver.
 */
export class TclInterp {
  /** The command table (built-ins, procs, registered commands). */
  readonly commands = new Map<string, CommandFn>();
  /** Proc definitions by name (for `info procs`, `info body`, `info args`). */
  readonly procs = new Map<string, ProcDef>();
  /** Lines written to stdout so far (a `-nonewline` tail is flushed at the end of `eval`). */
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  /** JavaScript errors turned into `internal error: ...` (a bug: tests assert this stays empty). */
  readonly internalErrors: unknown[] = [];
  readonly budget: number;
  readonly traceCommands: boolean;
  /** @internal */ commandCount = 0;
  /** @internal */ depth = 0;
  /** @internal Line of the outermost command a break/continue/return left. */
  controlLine = 0;
  /** @internal whether the running evaluation may yield Promises (eval.ts runners). */
  awaitable = false;
  /** @internal */ frames: Frame[];
  /** @internal Script text of pending `after` handlers by id (for `after info`). */
  readonly afterScripts = new Map<string, { readonly text: string; readonly kind: 'timer' | 'idle' }>();
  /** @internal `interp bgerror` command prefix (empty: call the `bgerror` proc if any). */
  bgerrorHandler = '';
  /** @internal */ fatal: TclFailure | undefined = undefined;
  /** The code the script passed to `exit`, once it called it (the run then ends without an error). */
  exitCode: number | undefined = undefined;
  private readonly cache = new Map<string, Script>();
  private readonly busyHandlers = new Set<string>();
  private readonly partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  private readonly scriptName: string;
  private running = false;

  constructor(
    /** The socket interpreter the channel and event commands act on. */
    readonly interp: Interp<Driver>,
    private readonly options: TclInterpOptions = {},
  ) {
    this.budget = options.budget ?? 10_000_000;
    this.traceCommands = options.traceCommands === true;
    this.scriptName = options.scriptName ?? 'script';
    this.frames = [{ vars: new Map(), level: 0, call: [] }];
    installCommands(this);
  }

  // ---- running scripts ----

  /**
   * Runs `script` at the global level synchronously (simulated world); returns its result.
   * `exit` ends it normally (see `exitCode`).
   */
  eval(script: string): string {
    const outermost = !this.running;
    try {
      return this.top(() => runSync(this, this.evalGlobal(script)));
    } catch (err) {
      if (outermost && err instanceof TclScriptError && err.code === 'ERR_TCL_EXIT') return '';
      throw err;
    }
  }

  /** Runs `script` at the global level; blocking commands await (any driver). */
  async evalAsync(script: string): Promise<string> {
    const outermost = !this.running;
    this.enter();
    try {
      return await runAsync(this, this.evalGlobal(script));
    } catch (err) {
      const e = this.publicError(err);
      if (outermost && e.code === 'ERR_TCL_EXIT') return '';
      throw e;
    } finally {
      this.leave();
    }
  }

  /** Registers a command (`detnet::received`, ...); replaces one of the same name. */
  register(name: string, fn: CommandFn): void {
    this.commands.set(name, fn);
  }

  /** A global variable's value (undefined when unset or an array). */
  getVar(name: string): string | undefined {
    return this.frames[0]!.vars.get(name)?.value;
  }

  /** Sets a global variable. */
  setVar(name: string, value: string): void {
    this.writeVarIn(this.frames[0]!, name, undefined, value);
  }

  private top<T>(fn: () => T, where?: string): T {
    this.enter();
    try {
      return fn();
    } catch (err) {
      throw this.publicError(err, where);
    } finally {
      this.leave();
    }
  }

  private enter(): void {
    // A handler script run from inside a script is not a new top-level run: only the
    // outermost run resets the budget.
    if (!this.running) {
      this.commandCount = 0;
      this.fatal = undefined;
    }
    this.running = true;
  }

  private leave(): void {
    if (this.depth === 0) {
      this.running = false;
      this.flushOutput();
    }
  }

  private *evalGlobal(script: string): Gen<string> {
    const saved = this.frames;
    this.frames = [saved[0]!];
    try {
      return yield* this.evalText(script);
    } catch (err) {
      // `return` at the top level ends the script with its value, as in tclsh.
      if (err instanceof TclControl && err.code === TCL_RETURN && err.level <= 1) {
        if (err.returnCode === TCL_OK) return err.value;
        if (err.returnCode === TCL_ERROR) throw new TclFailure(err.value, err.errorCode);
      }
      throw err;
    } finally {
      this.frames = saved;
    }
  }

  /** @internal Evaluates script text in the current frame. */
  evalText(text: string): Gen<string> {
    // Not a generator itself: the caller's `yield*` goes straight to evalScript's.
    return evalScript(this, this.parse(text));
  }

  /** @internal Parses `text` once; later calls with the same text reuse the result. */
  parse(text: string): Script {
    let script = this.cache.get(text);
    if (script === undefined) {
      script = parseScript(text);
      if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(text, script);
    }
    return script;
  }

  /** Whether the handler task started under `key` is still running (async runs only). */
  handlerBusy(key: string): boolean {
    return this.busyHandlers.has(key);
  }

  /**
   * @internal Runs a handler script (fileevent, after, accept) at the global level. On a
   * driver that can block (the sim) it runs to the end at once and its error is thrown (the
   * event loop makes it a background error). On a driver that cannot (Node) it runs as an
   * async evaluation: it completes at once unless a command must wait, and then finishes
   * later, reporting its error as a background error. `key` names a fileevent handler, marked
   * busy while its task runs: the channel asks `handlerBusy` (Script.busy) before delivering
   * the same event again, as Tcl would not deliver it either while the first one blocks.
   * `origin` decides errorInfo's last line, as tclsh writes it: `("after" script)` for timer
   * and idle handlers, nothing for the others; `bgerror` marks the background-error handler
   * itself, whose own error goes to stderr.
   */
  runHandler(text: string, key?: string, origin: 'after' | 'event' | 'bgerror' = 'event'): void {
    const where = origin === 'after' ? '("after" script)' : '';
    if (this.interp.isBlocking()) {
      this.top(() => runSync(this, this.evalGlobal(text)), where);
      return;
    }
    if (key !== undefined) this.busyHandlers.add(key);
    const task = runAsync(this, this.evalGlobal(text));
    task
      .catch((err: unknown) => {
        const e = toTcl(this, err);
        // The budget or `exit` in a handler task ends the whole run (eval.ts, runAsync).
        if (e instanceof TclFailure && e.fatal) this.fatal ??= e;
        // A failing bgerror handler goes to stderr, as in tclsh: reporting it as a background
        // error again would call the handler again, forever.
        else if (origin === 'bgerror') this.write('stderr', `${this.publicError(e, where).errorInfo}\n`);
        else this.interp.loop.reportBackgroundError(this.publicError(e, where), key ?? text);
      })
      .catch((err: unknown) => this.internalErrors.push(err))
      .finally(() => {
        if (key !== undefined) this.busyHandlers.delete(key);
        // The task ended outside the event loop's servicing: a `vwait` on a variable it set
        // must look again, so give the loop an (empty) idle event to wake it.
        this.interp.loop.afterIdle(() => undefined, 'tcl handler done');
      });
  }

  /**
   * The error a caller sees. `where` is errorInfo's last line: by default the script and line
   * (`(file "script" line 3)`); handlers pass their own (possibly empty) one.
   */
  private publicError(err: unknown, where?: string): TclScriptError {
    const e = toTcl(this, err);
    if (e instanceof TclControl) {
      const what = e.code === TCL_BREAK ? 'break' : e.code === TCL_CONTINUE ? 'continue' : undefined;

      const message = what === undefined ? e.value : `invoked "${what}" outside of a loop`;
      const info = `${message}\n    (file "${this.scriptName}" line ${this.controlLine})`;
      return new TclScriptError(message, e.errorCode, info, this.controlLine);
    }
    const line = e.line ?? 0;
    const last = where ?? `(file "${this.scriptName}" line ${line})`;
    const info = last === '' ? e.errorInfo : `${e.errorInfo}\n    ${last}`;
    return new TclScriptError(e.message, e.errorCode, info, line, e.code);
  }

  // ---- output ----

  /** @internal Writes text to stdout/stderr; complete lines go to the sinks. */
  write(channel: 'stdout' | 'stderr', text: string): void {
    let buf = this.partial[channel] + text;
    let nl = buf.indexOf('\n');
    while (nl >= 0) {
      this.emit(channel, buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      nl = buf.indexOf('\n');
    }
    this.partial[channel] = buf;
  }

  /** Emits unterminated output (`puts -nonewline` at the end of a run) as a last line. */
  flushOutput(): void {
    for (const channel of ['stdout', 'stderr'] as const) {
      if (this.partial[channel] !== '') {
        const line = this.partial[channel];
        this.partial[channel] = '';
        this.emit(channel, line);
      }
    }
  }

  private emit(channel: 'stdout' | 'stderr', line: string): void {
    (channel === 'stdout' ? this.stdout : this.stderr).push(line);
    if (this.options.traceOutput !== false) this.interp.trace.record(this.interp.driver.clock.now(), 'tcl.output', { channel, line });
    const sink = channel === 'stdout' ? this.options.onStdout : this.options.onStderr;
    sink?.(line);
  }

  // ---- variables ----

  /** @internal The frame commands run in. */
  get frame(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  /** @internal The variable object for `name` (`::x` is global), created if `create`. */
  lookup(name: string, create: boolean): Var | undefined {
    let frame = this.frames[this.frames.length - 1]!;
    let local = name;
    if (name.charCodeAt(0) === 58 && name.charCodeAt(1) === 58) {
      frame = this.frames[0]!;
      local = name.replace(/^:+/, '');
    }
    let v = frame.vars.get(local);
    if (v === undefined && create) {
      v = { value: undefined, array: undefined, writes: 0 };
      frame.vars.set(local, v);
    }
    return v;
  }

  /** @internal `$name` / `$name(index)`. */
  readVar(name: string, index: string | undefined): string {
    const v = this.lookup(name, false);
    if (index === undefined) {
      if (v?.value !== undefined) return v.value;
      if (v?.array !== undefined) throw new TclFailure(`can't read "${name}": variable is array`, `TCL READ VARNAME`);
      throw new TclFailure(`can't read "${name}": no such variable`, `TCL LOOKUP VARNAME ${name}`);
    }
    const el = v?.array?.get(index);
    if (el !== undefined) return el;
    if (v?.array === undefined) throw new TclFailure(`can't read "${name}(${index})": no such variable`, `TCL LOOKUP VARNAME ${name}`);
    throw new TclFailure(`can't read "${name}(${index})": no such element in array`, `TCL LOOKUP ELEMENT ${name} ${index}`);
  }

  /** @internal Writes `name` or `name(index)`; returns the value. */
  writeVar(name: string, index: string | undefined, value: string): string {
    const v = this.lookup(name, true)!;
    return this.store(v, name, index, value);
  }

  private writeVarIn(frame: Frame, name: string, index: string | undefined, value: string): string {
    let v = frame.vars.get(name);
    if (v === undefined) frame.vars.set(name, (v = { value: undefined, array: undefined, writes: 0 }));
    return this.store(v, name, index, value);
  }

  private store(v: Var, name: string, index: string | undefined, value: string): string {
    if (index === undefined) {
      if (v.array !== undefined) throw new TclFailure(`can't set "${name}": variable is array`, 'TCL WRITE VARNAME');
      v.value = value;
    } else {
      if (v.value !== undefined) throw new TclFailure(`can't set "${name}(${index})": variable isn't array`, 'TCL LOOKUP VARNAME');
      (v.array ??= new Map()).set(index, value);
    }
    v.writes++;
    return value;
  }

  /** @internal Reads a variable named as one word (`a` or `a(i)`). */
  getByName(full: string): string {
    const [name, index] = splitName(full);
    return this.readVar(name, index);
  }

  /** @internal Writes a variable named as one word (`a` or `a(i)`). */
  setByName(full: string, value: string): string {
    const [name, index] = splitName(full);
    return this.writeVar(name, index, value);
  }

  /** @internal Whether a variable named as one word exists. */
  existsByName(full: string): boolean {
    const [name, index] = splitName(full);
    const v = this.lookup(name, false);
    if (v === undefined) return false;
    return index === undefined ? v.value !== undefined || v.array !== undefined : v.array?.has(index) === true;
  }

  /** @internal `unset`; returns false if there was nothing to unset. */
  unsetByName(full: string): boolean {
    const [name, index] = splitName(full);
    const v = this.lookup(name, false);
    if (v === undefined) return false;
    if (index !== undefined) {
      if (v.array?.delete(index) !== true) return false;
    } else {
      if (v.value === undefined && v.array === undefined) return false;
      // The object stays in the frame: links (`upvar`, `global`) and a `vwait` keep seeing it.
      v.value = undefined;
      v.array = undefined;
    }
    v.writes++;
    return true;
  }
}

/** Splits `a(i)` into `['a', 'i']`; a plain name has no index. */
function splitName(full: string): [string, string | undefined] {
  if (full.endsWith(')')) {
    const open = full.indexOf('(');
    if (open >= 0) return [full.slice(0, open), full.slice(open + 1, -1)];
  }
  return [full, undefined];
}

// Type-only shape check of `TclInterp`: an `implements` clause would reach the .d.ts, where these members are stripped.
type _Conforms<T extends TclContext = TclInterp> = T;
