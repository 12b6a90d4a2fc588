/**
 * Readiness bits: what a socket reports as `select` would (readable, writable, exception).
 *
 * Owns: the three bit values every layer agrees on. Sources below the event loop (the
 * simulated kernel, the drivers) report them; the notifier (src/loop/notifier.ts) matches them
 * against watch masks. They live here, at the bottom, so a socket can report readiness without
 * importing the loop above it; the notifier re-exports them under their old import path.
 */

/** Data, EOF or an error can be read without blocking (or a listener has a connection). */
export const READABLE = 1;
/** A write would not block (or a connect has finished, either way). */
export const WRITABLE = 2;
/** An exceptional condition (Tcl's "exception" file events). */
export const EXCEPTION = 4;
