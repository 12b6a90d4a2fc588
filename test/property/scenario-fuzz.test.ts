/**
 * The fuzz suite of issue 9's "Keep it so", bounded for CI: mutated scenario files, random
 * JSON and values only the API can pass, each validated and — if valid — run on the simulated
 * backend. Every input must end in a typed error with a path (ERR_SCENARIO_INVALID), a run, or
 * a run that stops with a typed error, within its budget: never a raw exception, a hang (the
 * test timeout), a trace past its bound, or heap growth past a coarse bound. The long run of
 * the same inputs is `npm run bench -- fuzz` (100,000 inputs).
 *
 * The last suite calls the API itself (test/helpers/api-fuzz.ts): random sequences of calls on
 * a World, an Interp and its Channels, half of them with awkward arguments. Every call must
 * return, throw a typed error, or (a Promise form waiting for time) stay pending — never throw
 * a raw TypeError, break an invariant or hang.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiCallsArb, judgeCalls } from '../helpers/api-fuzz.js';
import { propertyParams } from '../helpers/property.js';
import { apiValueArb, corpus, judge, mutatedFileArb, randomJsonArb, type Outcome } from '../helpers/scenario-fuzz.js';

const FILE = 'test/property/scenario-fuzz.test.ts';
const FILES = corpus();
/** Coarse bound on heap growth over one suite, in bytes: traces are capped well below it. */
const HEAP_GROWTH = 768 * 2 ** 20;
/** Runaways stop sooner than by default, to keep the suite to seconds (the bench uses the defaults). */
const LIMITS = { runawayLimit: 500, loopLimit: 10_000 };

/** Runs `arb`'s inputs through the judge; returns the outcome counts. */
async function fuzz(name: string, arb: fc.Arbitrary<unknown>, runs: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapMax = heapBefore;
  await fc.assert(
    fc.asyncProperty(arb, async (input) => {
      const outcome: Outcome = await judge(input, LIMITS);
      const key = outcome.kind === 'failed' ? `failed:${outcome.code}` : outcome.kind;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      heapMax = Math.max(heapMax, process.memoryUsage().heapUsed);
      expect(outcome.kind === 'defect' ? outcome.detail : 'ok').toBe('ok');
    }),
    propertyParams(name, FILE, runs),
  );
  expect(heapMax - heapBefore).toBeLessThan(HEAP_GROWTH);
  console.log(`[fuzz] ${name}: ${[...counts].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  return counts;
}

describe('scenario fuzzing', () => {
  it('mutated built-in files end in a typed error with a path, a run, or a typed stop', async () => {
    const counts = await fuzz('mutated scenario files', mutatedFileArb(FILES), 300);
    // Not vacuous: some mutants are rejected and some still run.
    expect(counts.get('invalid') ?? 0).toBeGreaterThan(0);
    expect((counts.get('ran') ?? 0) + [...counts].filter(([k]) => k.startsWith('failed:')).reduce((n, [, v]) => n + v, 0)).toBeGreaterThan(0);
  });

  it('random JSON is rejected with a typed error and a path', async () => {
    const counts = await fuzz('random JSON as a scenario', randomJsonArb, 300);
    expect(counts.get('invalid')).toBe(300);
  });

  it('values only the API can pass (BigInt, holes, cycles, functions) are rejected with a path or run', async () => {
    const counts = await fuzz('API values as a scenario', apiValueArb(FILES), 300);
    expect(counts.get('invalid') ?? 0).toBeGreaterThan(0);
  });
});

describe('API call fuzzing', () => {
  it('random calls on World, Interp and Channel return, throw a typed error, or wait — never a raw error', async () => {
    const counts = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(apiCallsArb, async (calls) => {
        const outcomes = await judgeCalls(calls);
        for (const o of outcomes) {
          const key = typeof o === 'string' ? o : 'defect';
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        expect(outcomes.filter((o) => typeof o !== 'string')).toEqual([]);
      }),
      propertyParams('random API calls', FILE, 300),
    );
    console.log(`[fuzz] API calls: ${[...counts].map(([k, v]) => `${k} ${v}`).join(', ')}`);
    // Not vacuous: calls both succeed and are refused with typed errors.
    expect(counts.get('ok') ?? 0).toBeGreaterThan(100);
    expect(counts.get('typed') ?? 0).toBeGreaterThan(100);
  });
});
