/**
 * Tie-breakers: who runs first when several timers are due at the same virtual instant.
 *
 * Owns: the choice among simultaneous events, the main knob of race exploration. The clock asks
 * only when two or more timers share the earliest due time; FIFO (scheduling order) is the
 * default and costs nothing. A seeded breaker draws from an `Rng` and records its choices, and
 * a replay breaker plays recorded choices back, so any explored ordering can be reproduced from
 * either its seed or its choice list.
 */
import type { Rng } from '../random/rng.js';

/** What a tie-breaker sees of each candidate: its label and scheduling sequence. */
export interface TieCandidate {
  readonly label: string;
  readonly seq: number;
}

/** Chooses which of `candidates` (≥ 2, in scheduling order) runs next; returns its index. */
export interface TieBreaker {
  readonly name: string;
  choose(candidates: readonly TieCandidate[], now: number): number;
}

/** Scheduling order: the earliest-scheduled candidate runs first (like Tcl and fake-timers). */
export const fifoTieBreaker: TieBreaker = { name: 'fifo', choose: () => 0 };

/** A tie-breaker that draws each choice from `rng` and records it in `choices`. */
export class SeededTieBreaker implements TieBreaker {
  readonly name = 'seeded';
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
 * or where a recorded index no longer fits, it falls back to FIFO (index 0). A shrunk or edited
 * choice list therefore always replays to completion.
 */
export class ReplayTieBreaker implements TieBreaker {
  readonly name = 'replay';
  private next = 0;
  constructor(private readonly recorded: readonly number[]) {}
  choose(candidates: readonly TieCandidate[]): number {
    const choice = this.recorded[this.next++] ?? 0;
    return choice < candidates.length ? choice : 0;
  }
}
