/**
 * `SeededSource`: uniformly random tie choices drawn from an `Rng` — the default strategy for
 * exploration.
 *
 * Owns: one draw per tie, uniform over the candidates. Every choice is recorded (see
 * schedule-source.ts), so a run is reproducible from its seed or from its choice list.
 *
 * Does not own: the seed. Pass a fork dedicated to ties (a world uses its RNG's `ties` fork)
 * so that other draws, such as latency, cannot shift the order and vice versa.
 *
 * Departs from reality: uniform choice is not how hardware orders simultaneous events; it is
 * the simplest distribution that gives every interleaving a chance.
 */
import type { Rng } from '../random/rng.js';
import { RecordingSource, type TieCandidate } from './schedule-source.js';

/** Chooses each tie uniformly at random from `rng` and records the choice. */
export class SeededSource extends RecordingSource {
  readonly name = 'seeded';
  constructor(private readonly rng: Rng) {
    super();
  }

  protected pick(candidates: readonly TieCandidate[]): number {
    return this.rng.index(candidates.length);
  }
}
