/**
 * `PctSource`: probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte,
 * ASPLOS 2010) adapted to same-instant ties.
 *
 * Owns: the PCT schedule. Each *thread* gets a random priority the first time one of its
 * timers is tied (every initial priority is at least `depth`); at every tie the candidate of the
 * highest-priority thread runs (the earliest-scheduled one if its thread has several). Before
 * the run, `depth − 1` distinct *change points* are drawn uniformly from the tie steps
 * `[0, steps)`; the i-th drawn point lowers the priority of the thread that would run at that
 * step to `depth − i`, below every thread not yet lowered, and the choice is made again.
 *
 * What a thread is: by default a timer's causal *chain* (`TieCandidate.chain`): a timer
 * scheduled outside any timer callback starts a chain, and everything scheduled from its
 * callbacks, transitively, belongs to it — one connection attempt and the packets it causes,
 * one fault timeline, one user command. Chains play the part of the paper's threads: a
 * sequence of steps that runs in its own order. `threadOf` can define threads otherwise
 * (e.g. by label).
 *
 * The guarantee, honestly: a *step* here is a tie decision, not every event (events that are
 * not tied have no alternative). If a failure happens whenever d ordering constraints hold,
 * each between timers of different threads that are tied when the constraint is decided, then
 * one run finds it with probability at least 1 / (n · k^(d−1)), where n is the number of
 * threads that take part in ties and k ≥ the number of tie decisions in a run (`steps`). Not
 * covered: orders within one thread (always scheduling order here — use the seeded or
 * exhaustive strategy for those), orders that need different timing rather than a different
 * tie choice, and runs longer than `steps` (change points past the end never fire, so a low
 * estimate only weakens the bound for bugs late in the run).
 *
 * Does not own: estimating k (run once and count `choices`, or take it from a previous run).
 *
 * Departs from reality: a real scheduler has no priorities to flip; PCT is a way to sample
 * interleavings so that shallow bugs are found with a known probability.
 */
import type { Rng } from '../random/rng.js';
import { DetnetError } from '../errors.js';
import { RecordingSource, type TieCandidate } from './schedule-source.js';

/** Options of `new PctSource(rng, options)`. */
export interface PctOptions {
  /** Bug depth d targeted: d − 1 priority change points (integer ≥ 1, default 3). */
  readonly depth?: number;
  /** Estimate k of the tie decisions in one run (integer ≥ depth − 1, default 32). */
  readonly steps?: number;
  /** What a thread is (default: the candidate's causal chain). */
  readonly threadOf?: (candidate: TieCandidate) => number | string;
}

/** Defaults of `PctOptions`. */
export const PCT_DEFAULTS = { depth: 3, steps: 32 } as const;

const byChain = (c: TieCandidate): number => c.chain;

/** Probabilistic concurrency testing over ties; see the module header for the guarantee. */
export class PctSource extends RecordingSource {
  readonly name = 'pct';
  readonly depth: number;
  readonly steps: number;
  /** The change points: tie steps (0-based), in the order drawn; the i-th lowers to depth − 1 − i. */
  readonly changePoints: readonly number[];
  private readonly changeAt = new Map<number, number>();
  private readonly priorities = new Map<number | string, number>();
  private readonly threadOf: (candidate: TieCandidate) => number | string;

  constructor(
    private readonly rng: Rng,
    options: PctOptions = {},
  ) {
    super();
    const depth = options.depth ?? PCT_DEFAULTS.depth;
    const steps = options.steps ?? PCT_DEFAULTS.steps;
    if (!(Number.isSafeInteger(depth) && depth >= 1)) {
      throw new DetnetError('ERR_INVALID_PCT_OPTIONS', `PCT depth must be an integer >= 1, got ${String(depth)}`);
    }
    if (!(Number.isSafeInteger(steps) && steps >= depth - 1 && steps >= 1)) {
      throw new DetnetError(
        'ERR_INVALID_PCT_OPTIONS',
        `PCT steps must be an integer >= max(1, depth - 1) = ${Math.max(1, depth - 1)}, got ${String(steps)}`,
      );
    }
    this.depth = depth;
    this.steps = steps;
    this.threadOf = options.threadOf ?? byChain;
    const points: number[] = [];
    // Distinct points by rejection: depth is small, so a repeat is rare unless steps ≈ depth.
    while (points.length < depth - 1) {
      const p = rng.index(steps);
      if (this.changeAt.has(p)) continue;
      this.changeAt.set(p, points.length + 1);
      points.push(p);
    }
    this.changePoints = points;
  }

  private priorityOf(thread: number | string): number {
    let p = this.priorities.get(thread);
    if (p === undefined) {
      // A uniform draw above `depth` per new thread orders the threads uniformly at random,
      // as the paper's random permutation does, without knowing their number in advance.
      p = this.depth + this.rng.float();
      this.priorities.set(thread, p);
    }
    return p;
  }

  /** Index of the candidate whose thread has the highest priority (the first one on equality). */
  private highest(candidates: readonly TieCandidate[]): number {
    let best = 0;
    let bestPriority = -Infinity;
    for (let i = 0; i < candidates.length; i++) {
      const p = this.priorityOf(this.threadOf(candidates[i] as TieCandidate));
      if (p > bestPriority) {
        best = i;
        bestPriority = p;
      }
    }
    return best;
  }

  protected pick(candidates: readonly TieCandidate[], _now: number, step: number): number {
    const best = this.highest(candidates);
    const change = this.changeAt.get(step);
    if (change === undefined) return best;
    this.priorities.set(this.threadOf(candidates[best] as TieCandidate), this.depth - change);
    return this.highest(candidates);
  }
}
