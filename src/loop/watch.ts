/**
 * The notifier's vocabulary: what can be watched (`ReadinessSource`), a registered watch
 * (`Watch`) and its handler, and the read-only view inspection snapshots get (`WatchView`).
 *
 * Owns: these shapes, and the check of a watch's interest mask, so that drivers, channels and
 * the runaway guard can name them without importing the notifier. Does not: keep any state or
 * deliver anything (notifier.ts).
 *
 * Departs from reality: a source is anything that reports a readiness bit mask; there are no
 * file descriptors.
 */

import { DetnetError } from '../errors.js';
import { EXCEPTION, READABLE, WRITABLE } from '../net/readiness.js';

const ALL_BITS = READABLE | WRITABLE | EXCEPTION;

/** Throws `ERR_INVALID_MASK` unless `mask` is made of READABLE, WRITABLE and EXCEPTION bits. */
export function assertMask(mask: number): void {
  if (!Number.isInteger(mask) || mask < 0 || (mask & ~ALL_BITS) !== 0) {
    throw new DetnetError('ERR_INVALID_MASK', `invalid watch mask ${String(mask)}: expected bits of READABLE|WRITABLE|EXCEPTION`);
  }
}

/** Something whose readiness can be watched: a socket of a driver. */
export interface ReadinessSource {
  /** Stable, deterministic name for traces (e.g. `sim:host/3`). */
  readonly name: string;
  /** Current readiness bits (level). */
  readiness(): number;
  /** Calls `listener` whenever the readiness may have changed; returns an unsubscribe. */
  onReadinessChange(listener: () => void): () => void;
}

/** Called with the ready bits that intersect the watch's mask. */
export type WatchHandler = (readyMask: number) => void;

/** A registered watch; change its mask or remove it. */
export interface Watch {
  readonly label: string;
  readonly source: ReadinessSource;
  readonly mask: number;
  /** Whether the watch has taken effect (see `watchDelayMs`). */
  readonly effective: boolean;
  /** Whether `remove` was called. */
  readonly removed: boolean;
  /** Changes the interest mask (0 keeps the watch but delivers nothing). Throws once removed. */
  setMask(mask: number): void;
  /** Removes the watch; idempotent. A pending delivery to it is dropped. */
  remove(): void;
}

/** One watch as `Notifier.inspectWatches` describes it. */
export interface WatchView {
  readonly source: string;
  readonly label: string;
  readonly mask: number;
  readonly effective: boolean;
  /** The notifier's view of the source's readiness. */
  readonly seen: number;
  /** Bits whose rise was lost before a watch took effect (bug 336441ed59). */
  readonly lost: number;
}
