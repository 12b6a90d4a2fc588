/**
 * What the evaluator and the commands see of an interpreter: `TclContext`, the interface
 * `TclInterp` implements, with the shapes it shares (frames, variables, command functions).
 *
 * Owns: types only. It exists so that eval.ts and commands/*.ts depend on this interface and
 * not on tcl-interp.ts (which installs the commands), keeping the import graph acyclic.
 */
import { DetnetError } from '../errors.js';
import type { BlockingDriver, Driver } from '../socket/driver.js';
import type { Interp } from '../socket/interp.js';
import type { TclFailure } from './errors.js';
import type { Script } from './parse-script.js';

/** A running evaluation: yields Promises (async mode only), returns the result. */
export type Gen<T> = Generator<Promise<unknown>, T, unknown>;

/** What a command returns: its result now, or an evaluation to run (`yield*`). */
export type CommandResult = string | Gen<string>;

/** A command's implementation: `argv[0]` is the command name as invoked. */
export type CommandFn = (ti: TclContext, argv: string[]) => CommandResult;

/** A variable: a scalar value, or an array; `writes` counts writes (for `vwait`). */
export interface Var {
  value: string | undefined;
  array: Map<string, string> | undefined;
  writes: number;
}

/** A call frame: the global frame (level 0) or a proc's. */
export interface Frame {
  readonly vars: Map<string, Var>;
  readonly level: number;
  /** The words of the proc call (for `info level`). */
  readonly call: readonly string[];
}

/** A proc's definition. */
export interface ProcDef {
  readonly params: readonly (readonly [string, string | undefined])[];
  readonly body: string;
}

/** The interpreter state and services commands use (implemented by `TclInterp`). */
export interface TclContext {
  readonly interp: Interp<Driver>;
  readonly commands: Map<string, CommandFn>;
  readonly procs: Map<string, ProcDef>;
  readonly internalErrors: unknown[];
  readonly budget: number;
  readonly afterScripts: Map<string, { readonly text: string; readonly kind: 'timer' | 'idle' }>;
  commandCount: number;
  /** Record every evaluated command as a `tcl.command` trace entry (default: off). */
  readonly traceCommands: boolean;
  depth: number;
  controlLine: number;
  awaitable: boolean;
  frames: Frame[];
  bgerrorHandler: string;
  /** A fatal failure (budget, `exit`, internal error) raised in an async handler task: every evaluation stops at its next wait. */
  fatal: TclFailure | undefined;
  /** The code `exit` was called with, once it was. */
  exitCode: number | undefined;
  readonly frame: Frame;
  evalText(text: string): Gen<string>;
  parse(text: string): Script;
  runHandler(text: string, key?: string, origin?: 'after' | 'event' | 'bgerror'): void;
  /** Whether the handler task started under `key` is still running (an async run awaits inside it). */
  handlerBusy(key: string): boolean;
  write(channel: 'stdout' | 'stderr', text: string): void;
  setVar(name: string, value: string): void;
  lookup(name: string, create: boolean): Var | undefined;
  readVar(name: string, index: string | undefined): string;
  writeVar(name: string, index: string | undefined, value: string): string;
  getByName(full: string): string;
  setByName(full: string, value: string): string;
  existsByName(full: string): boolean;
  unsetByName(full: string): boolean;
}

/**
 * The socket interpreter for a command's synchronous branch, which runs only when the
 * evaluation cannot await (`eval`, on a blocking driver): the capability check, made here once.
 */
export function blockingInterp(ti: TclContext): Interp<BlockingDriver> {
  const interp = ti.interp;
  if (interp.isBlocking()) return interp;
  throw new DetnetError('ERR_SYNC_ON_REAL_DRIVER', `a synchronous Tcl evaluation needs a blocking driver (the ${interp.driver.kind} driver is not); use evalAsync`);
}
