/**
 * The two fixed tie orders, FIFO and LIFO, and the names tie-breaking had before schedule
 * sources (kept because the public barrel and existing callers use them).
 *
 * Owns: `fifoTieBreaker` — scheduling order, the clock's default, which it recognises and
 * never even asks (zero cost) — and `lifoTieBreaker`, newest first, a cheap fixed adversary.
 * Both are stateless and record nothing: FIFO's schedule is all zeros (an empty replay list
 * reproduces it); to record LIFO-like or any other order use a `ScheduleSource`.
 *
 * Does not own: the tie vocabulary and the recording strategies (schedule-source.ts and the
 * `*-source.ts` files); `SeededTieBreaker`/`ReplayTieBreaker` are aliases of
 * `SeededSource`/`ReplaySource`.
 *
 * Departs from reality: a real kernel's order of simultaneous events is not a policy at all.
 */
import type { TieBreaker } from './schedule-source.js';
import { SeededSource } from './seeded-source.js';
import { ReplaySource } from './replay-source.js';

export type { TieBreaker, TieCandidate } from './schedule-source.js';

/** Scheduling order: the earliest-scheduled candidate runs first (like Tcl and fake-timers). */
export const fifoTieBreaker: TieBreaker = { name: 'fifo', choose: () => 0 };

/** Reverse scheduling order: the latest-scheduled candidate runs first (a cheap adversary). */
export const lifoTieBreaker: TieBreaker = { name: 'lifo', choose: (candidates) => candidates.length - 1 };

/** The earlier name of `SeededSource`. */
export const SeededTieBreaker = SeededSource;
/** The earlier name of `SeededSource`. */
export type SeededTieBreaker = SeededSource;
/** The earlier name of `ReplaySource`. */
export const ReplayTieBreaker = ReplaySource;
/** The earlier name of `ReplaySource`. */
export type ReplayTieBreaker = ReplaySource;
