/**
 * Tie-breakers: who runs first when several timers are due at the same virtual instant.
 *
 * Owns: the choice among simultaneous events, the main knob of race exploration. The clock asks
 * only when two or more timers share the earliest due time; FIFO (scheduling order) is the
 * default and costs nothing. A seeded breaker draws from an `Rng` and records its choices, and
 * a replay breaker plays recorded choices back, so any explored ordering can be reproduced from
 * either its seed or its choice list.
 *
 * Does not own: which timers are tied (the clock decides) or the Rng's seed.
 *
 * Departs from reality: a real kernel orders simultaneous events by accidents of hardware and
 * scheduling; here the order is a value you can choose, record and replay.
 */
import type { TimerId } from './clock.js';
import type { Rng } from '../random/rng.js';

/** What a tie-breaker sees of each candidate: its id, label and scheduling sequence. */
export interface TieCandidate {
  readonly id: TimerId;
  readonly label: string;
  readonly seq: number;
}

/**
 * Chooses which of `candidates` (≥ 2, in scheduling order, all due at `now`) runs next and
 * returns its index. An index that is not an integer in range makes the clock throw
 * `ERR_INVALID_TIE_CHOICE` (and leaves every timer pending).
 */
export interface TieBreaker {
  readonly name: string;
  choose(candidates: readonly TieCandidate[], now: number): number;
}

/** Scheduling order: the earliest-scheduled candidate runs first (like Tcl and fake-timers). */
export const fifoTieBreaker: TieBreaker = { name: 'fifo', choose: () => 0 };

/** Reverse scheduling order: the latest-scheduled candidate runs first (a cheap adversary). */
export const lifoTieBreaker: TieBreaker = { name: 'lifo', choose: (candidates) => candidates.length - 1 };

/** A tie-breaker that draws each choice from `rng` and records it in `choices`. */
export class SeededTieBreaker implements TieBreaker {
  readonly name = 'seeded';
  /** Every choice made so far, in order: feed it to `ReplayTieBreaker` to replay the run. */
  readonly choices: number[] = [];
  constructor(private readonly rng: Rng) {}
  choose(candidates: readonly TieCandidate[]): number {
    const choice = this.rng.index(candidates.length);
    this.choices.push(choice);
    return choice;
  }
}

/**
 * Plays back a list of choices (as recorded by `SeededTieBreaker`); past the end of the list,
 * or where a recorded index no longer fits, it falls back to FIFO (index 0) and counts the
 * fallback in `fallbacks`. A shrunk or edited choice list therefore always replays to
 * completion, and `fallbacks === 0` tells a caller the replay followed the list exactly.
 */
export class ReplayTieBreaker implements TieBreaker {
  readonly name = 'replay';
  private next = 0;
  private fallbackCount = 0;
  constructor(private readonly recorded: readonly number[]) {}

  choose(candidates: readonly TieCandidate[]): number {
    const choice = this.recorded[this.next++];
    if (choice !== undefined && Number.isInteger(choice) && choice >= 0 && choice < candidates.length) return choice;
    this.fallbackCount++;
    return 0;
  }

  /** How many choices have been asked for so far. */
  get used(): number {
    return this.next;
  }

  /** How many times the recorded list was exhausted or did not fit, and FIFO was used. */
  get fallbacks(): number {
    return this.fallbackCount;
  }
}
