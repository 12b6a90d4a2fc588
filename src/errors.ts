/**
 * Misuse errors (`ERR_*` codes) shared by every layer, and the assertion helper for broken
 * invariants.
 *
 * Owns: the `DetnetError` shape for misuse. Network conditions have their own error type with a
 * POSIX code (src/sim/net-error.ts); a broken invariant is an `AssertionError`, which means a
 * bug in detnet, never a condition a caller should handle.
 */

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
