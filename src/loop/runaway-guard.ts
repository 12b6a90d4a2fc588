/**
 * The notifier's runaway guard: a source whose file event is delivered over and over at one
 * virtual instant, with nothing changing in between, has a handler that can never stop (it
 * neither reads what is readable nor removes itself); after `runawayLimit` such deliveries the
 * guard throws `RunawayHandlerError`, naming the handlers that kept firing.
 *
 * Owns: the count per source (kept in the notifier's record as `idleAt`/`idle`, reset by any
 * report of the source), the limit's default and check, and the error's wording. Does not:
 * decide what a delivery is (notifier.ts) or how a channel names its scripts (the interpreter
 * passes `describeWatch`).
 *
 * Departs from reality: real Tcl lets such a handler spin forever.
 */
import { DetnetError } from '../errors.js';
import { EXCEPTION, READABLE, WRITABLE } from '../net/readiness.js';
import { RunawayHandlerError } from './loop-errors.js';
import type { ReadinessSource, Watch } from './watch.js';

/** Default of `NotifierOptions.runawayLimit`. */
export const DEFAULT_RUNAWAY_LIMIT = 10_000;

/** How a runaway error names a watch; undefined (or an undefined answer): `watch <label>`. */
export type DescribeWatch = ((watch: Watch, mask: number) => string | undefined) | undefined;

/** What the guard reads and counts in the notifier's record of a source. */
export interface GuardedSource {
  readonly source: ReadinessSource;
  /** Watches, oldest first. */
  readonly watches: readonly Watch[];
  /** Virtual time of the latest delivery, and deliveries since then with no report from the source. */
  idleAt: number;
  idle: number;
}

/** The limit given, checked (a positive integer), or the default. */
export function checkRunawayLimit(limit: number | undefined): number {
  const checked = limit ?? DEFAULT_RUNAWAY_LIMIT;
  if (!Number.isSafeInteger(checked) || checked < 1) {
    throw new DetnetError('ERR_INVALID_OPTION', `runawayLimit must be a positive integer, got ${String(checked)}`);
  }
  return checked;
}

/** Counts a delivery of `mask` at `now`; throws `RunawayHandlerError` once past `limit`. */
export function countDelivery(record: GuardedSource, mask: number, now: number, limit: number, describe: DescribeWatch): void {
  if (record.idleAt !== now) {
    record.idleAt = now;
    record.idle = 0;
  }
  if (++record.idle <= limit) return;
  const handlers: string[] = [];
  for (let i = record.watches.length - 1; i >= 0; i--) {
    const w = record.watches[i] as Watch;
    const bits = mask & w.mask;
    if (!w.effective || bits === 0) continue;
    handlers.push(describe?.(w, bits) ?? `watch ${w.label}`);
  }
  throw new RunawayHandlerError(record.source.name, maskWords(mask), handlers, limit, now);
}

/** A source's effective watches as `describe` names them, newest first, or `file:<name>`. */
export function describeWatches(source: ReadinessSource, watches: readonly Watch[], describe: DescribeWatch): string {
  const names = watches.filter((w) => w.effective).map((w) => describe?.(w, w.mask) ?? `watch ${w.label}`);
  return names.length === 0 ? `file:${source.name}` : `${source.name}: ${names.reverse().join(' and ')}`;
}

/** The event kinds of a mask, for messages. */
function maskWords(mask: number): string[] {
  const words: string[] = [];
  if ((mask & READABLE) !== 0) words.push('readable');
  if ((mask & WRITABLE) !== 0) words.push('writable');
  if ((mask & EXCEPTION) !== 0) words.push('exception');
  return words;
}
