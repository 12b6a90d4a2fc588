/**
 * What `Interp`'s commands share besides running: the text each command shows in the trace,
 * Tcl's port checks, the checks of the driver and profile an interpreter is made with, the
 * run-time side of the blocking capability, and the translation of driver errors into Tcl's
 * `couldn't open socket: ...`.
 *
 * Does not: run commands (interp.ts) or check argument types in general (arg-checks.ts).
 * What a Tcl script could write (a port that is not an integer, or too high) fails as Tcl
 * fails, as a traced `TclError`; a JavaScript caller's wrong types are misuse (arg-checks.ts).
 *
 * Departs from Tcl: Tcl has no drivers or profiles to check.
 */
import { DetnetError, invalidArgType } from '../errors.js';
import type { VwaitTarget } from '../loop/event-loop.js';
import { NetError, isErrno, tclMessage } from '../net/net-error.js';
import { isBlockingDriver, type BlockingDriver, type Driver } from './driver.js';
import { DEFAULT_PROFILE, profile as lookupProfile, type Profile } from './profiles.js';
import { TclError } from './tcl-error.js';

/** The options of `socket`: `-async`, `-myaddr`, `-myport`. */
export interface SocketOptions {
  readonly async?: boolean;
  readonly myaddr?: string;
  readonly myport?: number;
}

/** The text of a `socket` command for the trace. */
export function socketOp(host: string, port: number, options: SocketOptions): string {
  // The common form without a word list (the same text as the general case below).
  if (options.myaddr === undefined && options.myport === undefined) return `socket ${options.async ? '-async ' : ''}${host} ${port}`;
  const words = ['socket'];
  if (options.async) words.push('-async');
  if (options.myaddr !== undefined) words.push('-myaddr', options.myaddr);
  if (options.myport !== undefined) words.push('-myport', String(options.myport));
  words.push(host, String(port));
  return words.join(' ');
}

/** Tcl's checks of a port word: an integer ≥ 0 (`expected integer`), at most 65535. */
export function checkPorts(port: number, myport: number | undefined): void {
  // Two calls rather than a loop over `[port, myport]`: no array per `socket` command.
  checkOnePort(port);
  if (myport !== undefined) checkOnePort(myport);
}

function checkOnePort(p: number): void {
  if (!Number.isInteger(p) || p < 0) throw TclError.usage(`expected integer but got "${String(p)}"`, 'ERR_TCL_BAD_PORT');
  if (p > 65535) throw new TclError("couldn't open socket: port number too high", 'ERR_TCL_PORT_TOO_HIGH', 'NONE');
}

/** The `vwait` target's word in the trace. */
export function vwaitLabel(target: VwaitTarget): string {
  return typeof target === 'string' ? target : 'condition';
}

// ---- argument checks (JavaScript callers) ---------------------------------------------------

/** `new Interp(driver)`: `driver` must look like a driver (its clock and `openAttempt`). */
export function checkDriver(driver: unknown): asserts driver is Driver {
  const d = driver as Partial<Driver> | null;
  if (typeof d !== 'object' || d === null || typeof d.openAttempt !== 'function' || typeof d.clock?.now !== 'function') {
    throw invalidArgType('Interp driver', 'a driver (SimDriver, NodeDriver)', driver);
  }
}

/**
 * The interpreter's profile: a name (looked up; `ERR_UNKNOWN_PROFILE`) or an object with every
 * field the default profile has, of the same type (`profile: {}` fails here, not at the first
 * connect).
 */
export function resolveProfile(given: unknown): Profile {
  if (given === undefined) return DEFAULT_PROFILE;
  if (typeof given === 'string') return lookupProfile(given);
  if (typeof given !== 'object' || given === null) throw invalidArgType('profile', 'a profile name or a Profile object', given);
  const reference = DEFAULT_PROFILE as unknown as Readonly<Record<string, unknown>>;
  const record = given as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(reference)) {
    const want = reference[key] === null ? 'object' : typeof reference[key];
    const value = record[key];
    if (typeof value !== want || value === null || Array.isArray(value) !== Array.isArray(reference[key])) {
      throw invalidArgType(`profile.${key}`, Array.isArray(reference[key]) ? 'an array' : `a ${want}`, value);
    }
  }
  return given as Profile;
}

/**
 * The run-time side of a synchronous form's `this: Interp<BlockingDriver>`: a JavaScript caller
 * without types who calls one on a driver that cannot block gets `ERR_SYNC_ON_REAL_DRIVER`.
 */
export function blockingDriverOf(driver: Driver, command: string): BlockingDriver {
  if (isBlockingDriver(driver)) return driver;
  throw new DetnetError('ERR_SYNC_ON_REAL_DRIVER', `${command} would block; the ${driver.kind} driver cannot block: use the Promise form (${command}Async)`);
}

// ---- driver errors as Tcl shows them ----------------------------------------------------------

/** Runs `fn`, rethrowing its error translated by `translate`. */
export function translated<T>(fn: () => T, translate: (err: unknown) => unknown): T {
  try {
    return fn();
  } catch (err) {
    throw translate(err);
  }
}

/** Promise form of `translated`. */
export async function translatedAsync<T>(fn: () => Promise<T>, translate: (err: unknown) => unknown): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw translate(err);
  }
}

/** Bind/listen failures become `couldn't open socket: <message>` with a POSIX errorCode. */
export function listenError(err: unknown): unknown {
  return err instanceof NetError && isErrno(err.code) ? TclError.posix("couldn't open socket: ", err.code) : err;
}

/** Name resolution failures become `couldn't open socket: <resolver message>` (errorCode NONE). */
export function resolutionError(err: unknown): unknown {
  if (err instanceof NetError) {
    const message = isErrno(err.code) && err.message === '' ? tclMessage(err.code) : err.message;
    return new TclError(`couldn't open socket: ${message}`, err.code, 'NONE');
  }
  return err;
}
