/**
 * `ReplaySource`: plays a recorded list of tie choices back.
 *
 * Owns: following a schedule (from any source's `choices`, or `parseSchedule` of a string a
 * user pasted). Past the end of the list, or where a recorded index no longer fits the
 * candidates, it falls back to FIFO (index 0) and counts the fallback, so a shrunk or edited
 * list always replays to completion and `fallbacks === 0` tells a caller the replay followed
 * the list exactly. What it actually chose is recorded like any source's choices.
 *
 * Does not own: checking that the program replayed is the one recorded; same program and
 * seed give the same ties, which is detnet's determinism promise.
 *
 * Departs from reality: nothing beyond what every schedule source does.
 */
import { DetnetError } from '../errors.js';
import { RecordingSource, type TieCandidate } from './schedule-source.js';

/** Replays `recorded` choices; see the module header for the fallback rule. */
export class ReplaySource extends RecordingSource {
  readonly name = 'replay';
  private fallbackCount = 0;
  private readonly recorded: readonly number[];

  constructor(recorded: readonly number[]) {
    super();
    if (!Array.isArray(recorded)) {
      throw new DetnetError('ERR_INVALID_SCHEDULE', `a replayed schedule must be an array of choices, got ${typeof recorded}`);
    }
    this.recorded = [...(recorded as readonly number[])];
  }

  protected pick(candidates: readonly TieCandidate[], _now: number, step: number): number {
    const choice = this.recorded[step];
    if (choice !== undefined && Number.isInteger(choice) && choice >= 0 && choice < candidates.length) return choice;
    this.fallbackCount++;
    return 0;
  }

  /** How many choices have been asked for so far. */
  get used(): number {
    return this.choices.length;
  }

  /** How many times the recorded list was exhausted or did not fit, and FIFO was used. */
  get fallbacks(): number {
    return this.fallbackCount;
  }
}
