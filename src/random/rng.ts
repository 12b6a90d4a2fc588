/**
 * Seeded randomness: one generator per world, with named, independent forks.
 *
 * Owns: every random draw in detnet. Built on pure-rand's xoroshiro128+ (the generator family
 * fast-check uses) rather than a home-made PRNG; this file only derives seeds and shapes draws.
 *
 * Forks: every `Rng` has a 128-bit key. The root key is a hash of the seed; a fork's key is a
 * hash of its parent's key and its name, and its generator starts from that key. A fork
 * therefore depends only on (seed, chain of names) — never on how much the parent or any
 * sibling has drawn — so adding a new fork, or drawing more from one fork, cannot change what
 * another fork produces: a latency draw cannot shift the tie-breaking order of a race
 * exploration. Forking twice with the same name gives the same stream (by design: a name is an
 * address). `fork('a').fork('b')` and `fork('a/b')` are different streams; `path` is only a
 * label.
 *
 * Does not own: choosing seeds (scenarios and property suites do) or keeping one Rng per world.
 *
 * Departs from reality: real kernels use entropy; here everything that would be random is a
 * pure function of the seed.
 */
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { DetnetError } from '../errors.js';

/** 32-bit FNV-1a hash of a string; `basis` seeds it. Weak avalanche alone: finish with `mix32`. */
export function fnv1a32(text: string, basis = 0x811c9dc5): number {
  let hash = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
export function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const GOLDEN = 0x9e3779b9;

/** A 128-bit key as four unsigned 32-bit words. */
type Key = readonly [number, number, number, number];

/** The root key of `seed` (a safe integer, negative allowed): all 53 bits reach every word. */
function rootKey(seed: number): Key {
  const low = seed >>> 0; // ToUint32 keeps the low 32 bits, two's complement for negatives
  const high = Math.floor(seed / 0x1_0000_0000) | 0;
  const words = [0, 1, 2, 3].map((i) => mix32(mix32(low ^ Math.imul(i + 1, GOLDEN)) ^ high ^ (i << 28)));
  return words as unknown as Key;
}

/** The key of the fork `name` of a parent with key `parent`. */
function childKey(parent: Key, name: string): Key {
  // One word summarising the whole parent key, so every child word depends on all of it.
  let whole = 0;
  for (const w of parent) whole = (mix32(whole ^ w) + GOLDEN) >>> 0;
  const words = parent.map((w, i) => mix32(fnv1a32(name, mix32(whole ^ Math.imul(i + 1, GOLDEN))) ^ w));
  return words as unknown as Key;
}

/** Validates a user-supplied seed: a safe integer. */
export function assertSeed(seed: number): void {
  if (!Number.isSafeInteger(seed)) {
    throw new DetnetError('ERR_INVALID_SEED', `seed must be a safe integer, got ${String(seed)}`);
  }
}

/**
 * Hand-off from `fork` to the constructor (synchronous, so never observed by anyone else): lets
 * forks be built by the one constructor, keeping every `Rng` the same object shape.
 */
let pendingFork: { readonly path: string; readonly key: Key } | undefined;

/** A seeded random source. Not shared between worlds; fork it for independent streams. */
export class Rng {
  /** The root seed this generator descends from. */
  readonly seed: number;
  /** Names from the root, `root/<name>/<name>…`, for traces and error messages. */
  readonly path: string;
  private readonly key: Key;
  private readonly gen: RandomGenerator;

  /** The root generator of `seed` (a safe integer). */
  constructor(seed: number) {
    assertSeed(seed);
    const fork = pendingFork;
    pendingFork = undefined;
    this.seed = seed;
    this.path = fork?.path ?? 'root';
    this.key = fork?.key ?? rootKey(seed);
    this.gen = Rng.generator(this.key);
  }

  private static generator(key: Key): RandomGenerator {
    // xoroshiro128+ must not start from the all-zero state (it would stay there).
    const state = key[0] === 0 && key[1] === 0 && key[2] === 0 && key[3] === 0 ? [1, 0, 0, 0] : [...key];
    return xoroshiro128plusFromState(state.map((w) => w | 0));
  }

  /**
   * An independent generator named `name` (a non-empty string). The same (seed, chain of names)
   * always gives the same stream, whatever has been drawn from this generator or its other forks.
   */
  fork(name: string): Rng {
    if (typeof name !== 'string' || name === '') {
      throw new DetnetError('ERR_INVALID_FORK_NAME', `fork name must be a non-empty string, got ${JSON.stringify(name)}`);
    }
    pendingFork = { path: `${this.path}/${name}`, key: childKey(this.key, name) };
    return new Rng(this.seed);
  }

  /** Integer uniformly in [from, to] (both included; safe integers, `from <= to`). */
  int(from: number, to: number): number {
    if (!(Number.isSafeInteger(from) && Number.isSafeInteger(to) && from <= to)) {
      throw new DetnetError('ERR_INVALID_RANGE', `invalid integer range [${String(from)}, ${String(to)}]`);
    }
    return uniformInt(this.gen, from, to);
  }

  /** Float uniformly in [0, 1), with 53 bits of precision (two 32-bit draws). */
  float(): number {
    const high = this.gen.next() >>> 5; // 27 bits
    const low = this.gen.next() >>> 6; // 26 bits
    return (high * 0x400_0000 + low) / 0x20_0000_0000_0000;
  }

  /** Index uniformly in [0, length) for a positive integer `length`. */
  index(length: number): number {
    if (!(Number.isSafeInteger(length) && length > 0)) {
      throw new DetnetError('ERR_INVALID_RANGE', `index range length must be a positive integer, got ${String(length)}`);
    }
    return uniformInt(this.gen, 0, length - 1);
  }

  /** True with probability `p` (0 ≤ p ≤ 1). */
  chance(p: number): boolean {
    if (!(p >= 0 && p <= 1)) throw new DetnetError('ERR_INVALID_RANGE', `probability must be in [0, 1], got ${String(p)}`);
    return this.float() < p;
  }

  /** A uniformly chosen element of the non-empty `items`. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new DetnetError('ERR_INVALID_RANGE', 'cannot pick from an empty list');
    return items[this.index(items.length)] as T;
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = uniformInt(this.gen, 0, i);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** Exponentially distributed value with the given mean (finite, ≥ 0). */
  exponential(mean: number): number {
    if (!(Number.isFinite(mean) && mean >= 0)) {
      throw new DetnetError('ERR_INVALID_RANGE', `exponential mean must be a finite number >= 0, got ${String(mean)}`);
    }
    // 1 - float() is in (0, 1], so the logarithm is finite.
    return -mean * Math.log(1 - this.float());
  }
}
