// Rng properties a user relies on: a named fork's stream is a function of (seed, names) alone,
// so unrelated draws can never perturb it; and integer draws always land inside their range.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { propertyParams } from '../helpers/property.js';
import { Rng } from '../../src/random/rng.js';

const seedArb = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
const nameArb = fc.string({ minLength: 1, maxLength: 12 });

test('a fork draws the same stream however much its parent and siblings drew, before or during', () => {
  fc.assert(
    fc.property(
      seedArb,
      fc.array(nameArb, { minLength: 1, maxLength: 3 }),
      nameArb,
      fc.nat(50),
      fc.array(fc.nat(3), { maxLength: 20, size: 'max' }),
      (seed, path, sibling, parentDraws, interleave) => {
        const walk = (rng: Rng): Rng => path.reduce((r, name) => r.fork(name), rng);
        const quiet = walk(new Rng(seed));
        const expected = interleave.map(() => quiet.int(0, 2 ** 40));

        const busy = new Rng(seed);
        for (let i = 0; i < parentDraws; i++) busy.float();
        const other = busy.fork(sibling);
        const target = walk(busy);
        const got = interleave.map((extra) => {
          for (let i = 0; i < extra; i++) other.int(0, 9);
          return target.int(0, 2 ** 40);
        });
        expect(got).toEqual(expected);
      },
    ),
    propertyParams('rng forks are independent', 'test/property/rng.test.ts'),
  );
});

test('int(from, to) is always an integer within [from, to] for any safe range', () => {
  fc.assert(
    fc.property(seedArb, seedArb, seedArb, (seed, a, b) => {
      const [from, to] = a <= b ? [a, b] : [b, a];
      const rng = new Rng(seed);
      for (let i = 0; i < 20; i++) {
        const v = rng.int(from, to);
        expect(Number.isSafeInteger(v) && v >= from && v <= to).toBe(true);
      }
    }),
    propertyParams('rng int bounds', 'test/property/rng.test.ts'),
  );
});

test('index(length) is always a valid index', () => {
  fc.assert(
    fc.property(seedArb, fc.integer({ min: 1, max: 2 ** 32 + 5 }), (seed, length) => {
      const v = new Rng(seed).index(length);
      expect(Number.isInteger(v) && v >= 0 && v < length).toBe(true);
    }),
    propertyParams('rng index bounds', 'test/property/rng.test.ts'),
  );
});
