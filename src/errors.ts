/**
 * Misuse errors (`ERR_*` codes) shared by every layer, and the assertion helper for broken
 * invariants.
 *
 * Owns: the `DetnetError` shape for misuse. Network conditions have their own error type with a
 * POSIX code (src/sim/net-error.ts); a broken invariant is an `AssertionError`, which means a
 * bug in detnet, never a condition a caller should handle.
 */
import { showValue } from './show-value.js';

/** An error caused by how detnet was called. `code` always starts with `ERR_`. */
export class DetnetError extends Error {
  readonly code: string;
  constructor(code: `ERR_${string}`, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DetnetError';
    this.code = code;
  }
}

/** A broken internal invariant: a bug in detnet. */
export class AssertionError extends Error {
  readonly code = 'ERR_ASSERTION';
  constructor(message: string) {
    super(`detnet invariant broken: ${message}`);
    this.name = 'AssertionError';
  }
}

/** Throws an `AssertionError` when `condition` is false. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

/**
 * An argument of the wrong type (TypeError semantics): `ERR_INVALID_ARG_TYPE`, naming the
 * argument, what it must be and what it was.
 */
export function invalidArgType(name: string, expected: string, value: unknown): DetnetError {
  return new DetnetError('ERR_INVALID_ARG_TYPE', `${name} must be ${expected}, got ${showValue(value)}`);
}

/** An argument of the right type but not one of the allowed values: `ERR_INVALID_ARG_VALUE`. */
export function invalidArgValue(name: string, expected: string, value: unknown): DetnetError {
  return new DetnetError('ERR_INVALID_ARG_VALUE', `${name} must be ${expected}, got ${showValue(value)}`);
}

/** A number outside its range (RangeError semantics): `ERR_OUT_OF_RANGE`. */
export function outOfRange(name: string, expected: string, value: unknown): DetnetError {
  return new DetnetError('ERR_OUT_OF_RANGE', `${name} must be ${expected}, got ${showValue(value)}`);
}
