/**
 * The observation trace of one interpreter's commands: every command run through it is
 * recorded as a `kind: 'obs'` entry whose fields are exactly a line of docs/spec.md §13 —
 * `{op, result}` or `{op, error, errorcode}` — and it keeps the stack of commands running, so
 * that an event delivered inside one says `during` which.
 *
 * Owns: the three ways a command runs — a plain function (`traced`), a command body run
 * synchronously (`tracedOp`, through `runSync`), a Promise form (`tracedAsync`: the driver
 * settles first and the whole command runs under `Driver.whileLive`, so disposing the driver
 * rejects it instead of stranding it) — and how results and errors are rendered.
 *
 * Does not: decide what a command does, or run event handlers (event-scripts.ts).
 *
 * Departs from Tcl: errors that are not Tcl's (`DetnetError`, e.g. a `vwait` that would wait
 * forever) are shown with their `ERR_*` code as the errorcode.
 */
import { DetnetError } from '../errors.js';
import type { Trace } from '../trace/trace.js';
import { runSync, type Op } from './blocking.js';
import type { Driver } from './driver.js';
import { TclError } from './tcl-error.js';

/**
 * A command's text as its trace line shows it, or a function that builds it: the text is read
 * only when a trace entry or a `during` field needs it, so a command whose text quotes a
 * script or data (`fileevent`, `after`, `puts`, `socket`) costs nothing extra with the trace off.
 */
export type OpText = string | (() => string);

/** The text of `op`. */
export function opText(op: OpText): string {
  return typeof op === 'string' ? op : op();
}

/** How a command's result becomes the `result` field: "" for nothing, 1/0 for booleans. */
export function defaultRender(result: unknown): string {
  if (result === undefined || result === null) return '';
  if (typeof result === 'boolean') return result ? '1' : '0';
  return String(result);
}

/** Runs and records one interpreter's commands (see the module header). */
export class CommandTracer {
  /** The commands running now, innermost last (Promise forms may interleave). */
  private readonly during: OpText[] = [];
  /**
   * Called as each command starts, before it runs (strict background errors throw the error a
   * handler left pending from here); undefined costs one check per command.
   */
  beforeCommand: (() => void) | undefined = undefined;

  constructor(
    readonly trace: Trace,
    private readonly driver: Driver,
  ) {}

  /** Records an observation line at the driver's current time. */
  record(fields: Readonly<Record<string, string>>): void {
    this.trace.record(this.driver.clock.now(), 'obs', fields);
  }

  private recordError(op: OpText, err: unknown): void {
    if (!this.trace.enabled) return;
    if (err instanceof TclError) this.record({ op: opText(op), error: err.message, errorcode: err.errorCode });
    else if (err instanceof DetnetError) this.record({ op: opText(op), error: err.message, errorcode: err.code });
  }

  /** The innermost running command's text, or `toplevel`. */
  get current(): string {
    const op = this.during[this.during.length - 1];
    return op === undefined ? 'toplevel' : opText(op);
  }

  /** Runs `fn` as the command `op` without recording it (events inside say `during` op). */
  untraced<T>(op: OpText, fn: () => T): T {
    this.during.push(op);
    try {
      this.beforeCommand?.();
      return fn();
    } finally {
      this.during.pop();
    }
  }

  /** Runs `fn` as the traced command `op`. */
  traced<T>(op: OpText, fn: () => T, render: (result: T) => string = defaultRender): T {
    this.during.push(op);
    try {
      this.beforeCommand?.();
      const result = fn();
      // Checked here so that a disabled trace does not even build the entry's fields.
      if (this.trace.enabled) this.record({ op: opText(op), result: render(result) });
      return result;
    } catch (err) {
      this.recordError(op, err);
      throw err;
    } finally {
      this.during.pop();
    }
  }

  /**
   * `traced(op, () => runSync(driver, body), render)` without a closure per command (channel
   * commands run through here once or more per connect).
   */
  tracedOp<T>(op: OpText, body: Op<T>, render: (result: T) => string = defaultRender): T {
    this.during.push(op);
    try {
      this.beforeCommand?.();
      const result = runSync(this.driver, body);
      if (this.trace.enabled) this.record({ op: opText(op), result: render(result) });
      return result;
    } catch (err) {
      this.recordError(op, err);
      throw err;
    } finally {
      this.during.pop();
    }
  }

  /** Promise form of `traced`: settles the driver first; rejects with ERR_DRIVER_DISPOSED on dispose. */
  async tracedAsync<T>(opIn: OpText, fn: () => Promise<T>, render: (result: T) => string = defaultRender): Promise<T> {
    // Built now: the caller's arguments may change while the command waits.
    const op = opText(opIn);
    this.during.push(op);
    try {
      this.beforeCommand?.();
      // What the kernel has done is visible first (Driver.settleAsync).
      const result = await this.driver.whileLive(this.driver.settleAsync().then(fn));
      if (this.trace.enabled) this.record({ op, result: render(result) });
      return result;
    } catch (err) {
      this.recordError(op, err);
      throw err;
    } finally {
      const i = this.during.lastIndexOf(op);
      if (i >= 0) this.during.splice(i, 1);
    }
  }
}
