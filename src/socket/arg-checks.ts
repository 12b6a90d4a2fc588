/**
 * Argument checks of the public methods of `Interp` and `Channel`, for JavaScript callers
 * (and TypeScript callers who cast): a wrong type or value fails at the call with a typed
 * `DetnetError` — `ERR_INVALID_ARG_TYPE` (a TypeError's meaning), `ERR_INVALID_ARG_VALUE` (not
 * one of the allowed values), `ERR_OUT_OF_RANGE` (a RangeError's meaning) — before anything is
 * traced: it is the caller's bug, not something a Tcl script could observe.
 *
 * Owns: the checks only. Each runs once per public call, never inside a loop, and costs a
 * `typeof` or two: the hot path (a channel command per connect) keeps its speed.
 *
 * Departs from Tcl: Tcl has no types to check; its words are all strings.
 */
import { invalidArgType, invalidArgValue, outOfRange } from '../errors.js';
import type { Script } from './channel-scripts.js';

/** An options argument: undefined (the defaults) or an object. */
export function checkOptions(name: string, options: unknown): void {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw invalidArgType(name, 'an options object', options);
  }
}

/** A host name or address argument: a string. */
export function checkHost(name: string, host: unknown): asserts host is string {
  if (typeof host !== 'string') throw invalidArgType(name, 'a string (host name or address)', host);
}

/** A script argument: `{ text: string, run: function }`. */
export function checkScript(name: string, script: unknown): asserts script is Script {
  const s = script as Partial<Script> | null;
  if (typeof s !== 'object' || s === null || typeof s.text !== 'string' || typeof s.run !== 'function') {
    throw invalidArgType(name, 'a script { text: string, run: () => void }', script);
  }
}

/** A callback argument: a function. */
export function checkFunction(name: string, fn: unknown): void {
  if (typeof fn !== 'function') throw invalidArgType(name, 'a function', fn);
}

/** A variable name argument: a string. */
export function checkName(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') throw invalidArgType(name, 'a string', value);
}

/** A fileevent kind: `readable` or `writable`. */
export function checkKind(name: string, kind: unknown): asserts kind is 'readable' | 'writable' {
  if (kind !== 'readable' && kind !== 'writable') throw invalidArgValue(name, "'readable' or 'writable'", kind);
}

/** A fileevent script: a script, or null to remove the handler. */
export function checkScriptOrNull(name: string, script: unknown): void {
  if (script !== null) checkScript(name, script);
}

/** Text to write: a string. */
export function checkText(name: string, text: unknown): asserts text is string {
  if (typeof text !== 'string') throw invalidArgType(name, 'a string', text);
}

/** A count of characters: undefined (everything) or an integer >= 0. */
export function checkCount(name: string, count: unknown): void {
  if (count === undefined) return;
  if (typeof count !== 'number') throw invalidArgType(name, 'a number', count);
  if (!Number.isInteger(count) || count < 0) throw outOfRange(name, 'an integer >= 0', count);
}

/** The argument of `configure`: an option name, or a record of option names to string values. */
export function checkConfigure(arg: unknown): void {
  if (typeof arg === 'string') return;
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) {
    throw invalidArgType('configure argument', "an option name or a record such as { '-blocking': '0' }", arg);
  }
  for (const [key, value] of Object.entries(arg)) {
    if (typeof value !== 'string') throw invalidArgType(`configure value of ${key}`, 'a string', value);
  }
}

/**
 * For a Promise form: undefined if `check` passes, else a Promise rejected with its error (an
 * async API reports misuse by rejecting, never by throwing at some callers and not others).
 */
export function rejectedIf(check: () => void): Promise<never> | undefined {
  try {
    check();
    return undefined;
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * A number argument (a port, a delay): of type number. Its value (NaN, negative, too high) is
 * the command's to judge, as Tcl judges its words; only the type is checked here, before the
 * command's text is built from it.
 */
export function checkNumber(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number') throw invalidArgType(name, 'a number', value);
}
