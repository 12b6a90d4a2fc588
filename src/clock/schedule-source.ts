/**
 * Schedule sources: the one interface through which every same-instant choice is made.
 *
 * Owns: the vocabulary of a tie (`TieCandidate`, `TieDecision`), the narrow port the clock
 * calls (`TieBreaker`: choose an index), and `ScheduleSource`, a tie-breaker that also records
 * every choice it makes — as indices (its *schedule*, replayable by `ReplaySource` and
 * printable with `formatSchedule`) and with the candidates' labels (for reports). Every
 * exploring strategy (seeded random, replay, PCT, exhaustive enumeration) extends
 * `RecordingSource`, which does the recording once so that no strategy can forget it.
 *
 * Does not own: which timers are tied or when the breaker is asked (virtual-clock.ts), nor
 * putting choices in a trace (tie-trace.ts). FIFO and LIFO (tie-breaker.ts) are plain
 * stateless tie-breakers: FIFO's schedule is all zeros, which an empty replay list already
 * reproduces, so it has nothing to record.
 *
 * Departs from reality: a kernel orders simultaneous events by accident; here the order is a
 * list of small integers you can choose, record, print and replay.
 */
import type { TimerId } from './clock.js';
import { assert } from '../errors.js';
import { formatSchedule } from './schedule-encoding.js';

/** What a tie-breaker sees of each tied timer. */
export interface TieCandidate {
  readonly id: TimerId;
  /** The label given to `setTimer` (shown in traces and reports). */
  readonly label: string;
  /** Scheduling sequence: candidates are offered in increasing `seq`. */
  readonly seq: number;
  /**
   * The causal chain the timer belongs to: the `seq` of the timer that started it. A timer
   * scheduled while no timer callback runs starts its own chain; one scheduled from inside a
   * callback joins the chain of the timer that is firing. PCT uses chains as its "threads".
   */
  readonly chain: number;
}

/**
 * Chooses which of `candidates` (≥ 2, in scheduling order, all due at `now`) runs next and
 * returns its index. An index that is not an integer in range makes the clock throw
 * `ERR_INVALID_TIE_CHOICE` (and leaves every timer pending). This is the clock's port; a
 * strategy meant for exploration implements `ScheduleSource` instead.
 */
export interface TieBreaker {
  readonly name: string;
  choose(candidates: readonly TieCandidate[], now: number): number;
}

/** One choice the clock accepted, as reported to `VirtualClockOptions.onTie`. */
export interface TieDecision {
  /** 0-based index of this decision in the run: position `step` of the schedule. */
  readonly step: number;
  /** The instant the tied timers are due (the chosen one fires at this time). */
  readonly at: number;
  readonly candidates: readonly TieCandidate[];
  /** Index of the chosen candidate. */
  readonly chose: number;
}

/** A recorded choice, with the labels of the candidates it chose among. */
export interface RecordedChoice {
  readonly at: number;
  readonly labels: readonly string[];
  readonly chose: number;
}

/**
 * A tie-breaker that records every choice it makes. `choices` replayed by `ReplaySource`
 * reproduce the run exactly (given the same program and seed); `decisions` carries the
 * candidates' labels for reporting.
 */
export interface ScheduleSource extends TieBreaker {
  /** Every choice made so far, in order (indices into the candidate lists). */
  readonly choices: readonly number[];
  /** Every choice made so far, with the labels of its candidates. */
  readonly decisions: readonly RecordedChoice[];
  /** `choices` in the command-line encoding of schedule-encoding.ts (e.g. `0.2.1.3x0`). */
  readonly schedule: string;
}

/**
 * Base class of every recording strategy: subclasses implement `pick`; `choose` checks the
 * index (a strategy answering out of range is a bug in detnet, hence an assertion) and records.
 */
export abstract class RecordingSource implements ScheduleSource {
  abstract readonly name: string;
  readonly choices: number[] = [];
  readonly decisions: RecordedChoice[] = [];

  /**
   * The strategy: which of `candidates` (≥ 2) runs next. `step` is the number of choices
   * made before this one.
   */
  protected abstract pick(candidates: readonly TieCandidate[], now: number, step: number): number;

  choose(candidates: readonly TieCandidate[], now: number): number {
    const choice = this.pick(candidates, now, this.choices.length);
    assert(
      Number.isInteger(choice) && choice >= 0 && choice < candidates.length,
      `schedule source "${this.name}" chose ${choice} among ${candidates.length}`,
    );
    this.choices.push(choice);
    this.decisions.push({ at: now, labels: candidates.map((c) => c.label), chose: choice });
    return choice;
  }

  get schedule(): string {
    return formatSchedule(this.choices);
  }
}
