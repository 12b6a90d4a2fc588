/**
 * Seeded randomness: one generator per world, with named, independent forks.
 *
 * Owns: every random draw in detnet. Built on pure-rand's xoroshiro128+ (the generator family
 * fast-check uses) rather than a home-made PRNG. A fork is derived from the root seed and the
 * fork's name only (FNV-1a of the name mixed into the seed), so adding a new fork, or drawing
 * more from one fork, never changes what another fork produces: a latency draw cannot shift the
 * tie-breaking order of a race exploration.
 *
 * Departs from reality: real kernels use entropy; here everything that would be random is a
 * pure function of the seed.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { DetnetError } from '../errors.js';

/** 32-bit FNV-1a hash of a string, used to derive fork seeds from names. */
export function fnv1a32(text: string, basis = 0x811c9dc5): number {
  let hash = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Validates a user-supplied seed: a safe integer. */
export function assertSeed(seed: number): void {
  if (!Number.isSafeInteger(seed)) {
    throw new DetnetError('ERR_INVALID_SEED', `seed must be a safe integer, got ${String(seed)}`);
  }
}

/** A seeded random source. Not shared between worlds; fork it for independent streams. */
export class Rng {
  readonly seed: number;
  readonly path: string;
  private readonly gen: RandomGenerator;

  constructor(seed: number, path = 'root') {
    assertSeed(seed);
    this.seed = seed;
    this.path = path;
    // Mix the high bits of a 53-bit seed and the path into the 32-bit generator seed.
    const high = Math.floor(seed / 0x1_0000_0000) >>> 0;
    this.gen = xoroshiro128plus(fnv1a32(path, (seed ^ Math.imul(high, 0x9e3779b1)) >>> 0) | 0);
  }

  /** An independent generator named `name`; the same (seed, path, name) always gives the same stream. */
  fork(name: string): Rng {
    return new Rng(this.seed, `${this.path}/${name}`);
  }

  /** Integer uniformly in [from, to] (both included). */
  int(from: number, to: number): number {
    if (!(Number.isSafeInteger(from) && Number.isSafeInteger(to) && from <= to)) {
      throw new DetnetError('ERR_INVALID_RANGE', `invalid integer range [${from}, ${to}]`);
    }
    return uniformInt(this.gen, from, to);
  }

  /** Float uniformly in [0, 1), 32 bits of precision. */
  float(): number {
    return (this.gen.next() >>> 0) / 0x1_0000_0000;
  }

  /** Index uniformly in [0, length). */
  index(length: number): number {
    return this.int(0, length - 1);
  }

  /** Exponentially distributed value with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }
}
