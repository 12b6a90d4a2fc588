// Rng: reproducible streams, forks that do not disturb each other, bounds, and misuse errors.
import { describe, expect, test } from 'vitest';
import { Rng } from '../../../src/random/rng.js';
import { DetnetError } from '../../../src/errors.js';

function ints(rng: Rng, n: number, from = 0, to = 1_000_000): number[] {
  return Array.from({ length: n }, () => rng.int(from, to));
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DetnetError);
    return (err as DetnetError).code;
  }
  return undefined;
}

describe('streams', () => {
  test('the same seed gives the same stream of ints and floats', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    for (let i = 0; i < 200; i++) {
      expect(a.int(-50, 50)).toBe(b.int(-50, 50));
      expect(a.float()).toBe(b.float());
    }
  });

  test('different seeds give different streams, including seeds differing only in high bits', () => {
    const base = ints(new Rng(7), 20).join(',');
    expect(ints(new Rng(8), 20).join(',')).not.toBe(base);
    expect(ints(new Rng(7 + 2 ** 31), 20).join(',')).not.toBe(base);
    expect(ints(new Rng(7 + 2 ** 40), 20).join(',')).not.toBe(base);
    expect(ints(new Rng(-7), 20).join(',')).not.toBe(base);
  });
});

describe('forks', () => {
  test('a fork produces the same stream whatever was drawn from its parent or siblings first', () => {
    const quiet = new Rng(99).fork('latency');
    const expected = ints(quiet, 50);

    const busy = new Rng(99);
    ints(busy, 1000);
    const sibling = busy.fork('ties');
    ints(sibling, 300);
    const latency = busy.fork('latency');
    // Interleave draws from the sibling with draws from the fork under test.
    const got: number[] = [];
    for (let i = 0; i < 50; i++) {
      got.push(latency.int(0, 1_000_000));
      sibling.float();
    }
    expect(got).toEqual(expected);
  });

  test('forks with different names, or of different parents, differ from each other and from the parent', () => {
    const root = new Rng(5);
    const streams = [
      ints(new Rng(5), 20),
      ints(root.fork('a'), 20),
      ints(root.fork('b'), 20),
      ints(root.fork('a').fork('b'), 20),
      ints(root.fork('a/b'), 20),
      ints(new Rng(6).fork('a'), 20),
    ].map((s) => s.join(','));
    expect(new Set(streams).size).toBe(streams.length);
  });

  test('forking the same name twice gives the same stream: a name is an address', () => {
    const root = new Rng(11);
    expect(ints(root.fork('dns'), 30)).toEqual(ints(root.fork('dns'), 30));
  });

  test('a fork records its path from the root and keeps the root seed', () => {
    const child = new Rng(3).fork('world').fork('latency');
    expect(child.path).toBe('root/world/latency');
    expect(child.seed).toBe(3);
  });
});

describe('distributions', () => {
  test('int stays within inclusive bounds and reaches both ends', () => {
    const rng = new Rng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(rng.int(-3, 3));
    // Any value out of bounds, or a non-integer, would show up as an extra element.
    expect([...seen].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
  });

  test('a one-value range always returns that value and huge ranges stay in bounds', () => {
    const rng = new Rng(2);
    expect(rng.int(9, 9)).toBe(9);
    const draws = Array.from({ length: 200 }, () => rng.int(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
    expect(draws.filter((v) => !Number.isSafeInteger(v))).toEqual([]);
    // Both halves of a symmetric range get used.
    expect(draws.some((v) => v < 0) && draws.some((v) => v > 0)).toBe(true);
  });

  test('float is in [0, 1) and spreads across the interval', () => {
    const rng = new Rng(3);
    const buckets = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 5000; i++) {
      const v = rng.float();
      if (!(v >= 0 && v < 1)) outside++;
      else buckets[Math.floor(v * 10)]! += 1;
    }
    expect(outside).toBe(0);
    // Each tenth should get roughly 500 of 5000 draws; 350 is far outside chance for a uniform.
    for (const count of buckets) expect(count).toBeGreaterThan(350);
  });

  test('exponential draws are non-negative with a mean near the requested one', () => {
    const rng = new Rng(4);
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 20_000; i++) {
      const v = rng.exponential(10);
      min = Math.min(min, v);
      sum += v;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(sum / 20_000).toBeGreaterThan(9.5);
    expect(sum / 20_000).toBeLessThan(10.5);
    expect(rng.exponential(0)).toBe(0);
  });

  test('shuffle returns a permutation of its input and pick returns a member', () => {
    const rng = new Rng(5);
    const items = Array.from({ length: 30 }, (_, i) => i);
    const shuffled = rng.shuffle([...items]);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled).not.toEqual(items);
    for (let i = 0; i < 50; i++) expect(items).toContain(rng.pick(items));
  });

  test('chance(0) is never true and chance(1) always is', () => {
    const rng = new Rng(6);
    for (let i = 0; i < 100; i++) {
      expect(rng.chance(0)).toBe(false);
      expect(rng.chance(1)).toBe(true);
    }
  });
});

describe('misuse', () => {
  test.each([[1.5], [Number.NaN], [2 ** 53], [Number.POSITIVE_INFINITY], ['1' as unknown as number]])(
    'seed %s is refused with ERR_INVALID_SEED',
    (seed) => {
      expect(codeOf(() => new Rng(seed))).toBe('ERR_INVALID_SEED');
    },
  );

  test('an empty or inverted integer range is refused with ERR_INVALID_RANGE', () => {
    const rng = new Rng(1);
    expect(codeOf(() => rng.int(3, 2))).toBe('ERR_INVALID_RANGE');
    expect(codeOf(() => rng.int(0.5, 2))).toBe('ERR_INVALID_RANGE');
    expect(codeOf(() => rng.int(0, Number.POSITIVE_INFINITY))).toBe('ERR_INVALID_RANGE');
    expect(codeOf(() => rng.index(0))).toBe('ERR_INVALID_RANGE');
    expect(codeOf(() => rng.pick([]))).toBe('ERR_INVALID_RANGE');
  });

  test('invalid distribution parameters and fork names are refused', () => {
    const rng = new Rng(1);
    expect(codeOf(() => rng.exponential(-1))).toBe('ERR_INVALID_RANGE');
    expect(codeOf(() => rng.exponential(Number.NaN))).toBe('ERR_INVALID_RANGE');
    expect(codeOf(() => rng.chance(1.5))).toBe('ERR_INVALID_RANGE');
    expect(codeOf(() => rng.fork(''))).toBe('ERR_INVALID_FORK_NAME');
  });

  test('a refused call does not consume from the stream', () => {
    const a = new Rng(8);
    const b = new Rng(8);
    expect(codeOf(() => a.int(5, 1))).toBe('ERR_INVALID_RANGE');
    expect(ints(a, 10)).toEqual(ints(b, 10));
  });
});
