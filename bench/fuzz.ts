/**
 * The long fuzz run of issue 9's "Keep it so": `npm run bench -- fuzz` judges 100,000 inputs
 * (DETNET_FUZZ_INPUTS to change it, DETNET_SEED to pick the seed) — mutated built-in scenario
 * files, random JSON and values only the API can pass — with the same generators and judge as
 * the bounded CI suite (test/helpers/scenario-fuzz.ts), under the product's default limits.
 *
 * Owns: drawing the inputs in seeded chunks, counting outcomes, and reporting them as result
 * rows (the counts in `params`; the speed in inputs/s against a goal). Defects — a raw
 * exception, an error without a path, a trace past its bound — are printed with their input's
 * chunk seed so one can be replayed; the run fails (exit 1) if there is any.
 *
 * Departs from reality: not a benchmark of speed first; the figure that matters is `defects`.
 */
import fc from 'fast-check';
import { apiValueArb, corpus, judge, mutatedFileArb, randomJsonArb, type Outcome } from '../test/helpers/scenario-fuzz.js';
import { nowMs, type BenchResult } from './harness.js';

/** Inputs judged per family and chunk; each chunk is drawn from its own seed. */
const CHUNK = 500;
/** The speed a fuzz run should reach, to compare runs across changes. */
const GOAL_PER_SECOND = 1000;

interface Tally {
  inputs: number;
  invalid: number;
  ran: number;
  failed: Map<string, number>;
  defects: string[];
  maxEntries: number;
  slowestMs: number;
  ms: number;
}

async function family(name: string, arb: fc.Arbitrary<unknown>, inputs: number, seed: number): Promise<Tally> {
  const t: Tally = { inputs: 0, invalid: 0, ran: 0, failed: new Map(), defects: [], maxEntries: 0, slowestMs: 0, ms: 0 };
  const start = nowMs();
  for (let chunk = 0; t.inputs < inputs; chunk++) {
    const chunkSeed = seed + chunk;
    for (const input of fc.sample(arb, { seed: chunkSeed, numRuns: Math.min(CHUNK, inputs - t.inputs) })) {
      const began = nowMs();
      let outcome: Outcome;
      try {
        outcome = await judge(input);
      } catch (err) {
        outcome = { kind: 'defect', detail: `judge threw ${err instanceof Error ? err.message : String(err)}` };
      }
      t.slowestMs = Math.max(t.slowestMs, nowMs() - began);
      t.inputs++;
      if (outcome.kind === 'invalid') t.invalid++;
      else if (outcome.kind === 'ran') {
        t.ran++;
        t.maxEntries = Math.max(t.maxEntries, outcome.entries);
      } else if (outcome.kind === 'failed') {
        t.failed.set(outcome.code, (t.failed.get(outcome.code) ?? 0) + 1);
        t.maxEntries = Math.max(t.maxEntries, outcome.entries);
      } else t.defects.push(`${name} chunk seed ${chunkSeed}: ${outcome.detail}`);
    }
    if (chunk % 20 === 19) console.log(`fuzz: ${name}: ${t.inputs}/${inputs}`);
  }
  t.ms = nowMs() - start;
  return t;
}

function row(name: string, t: Tally, seed: number): BenchResult {
  const failed = [...t.failed].sort(([a], [b]) => a.localeCompare(b));
  const speed = (t.inputs / t.ms) * 1000;
  return {
    benchmark: `fuzz.${name}`,
    params: {
      seed,
      inputs: t.inputs,
      invalid: t.invalid,
      ran: t.ran,
      stopped: failed.reduce((n, [, v]) => n + v, 0),
      ...Object.fromEntries(failed.map(([code, n]) => [code, n])),
      defects: t.defects.length,
      maxEntries: t.maxEntries,
      slowestMs: Math.round(t.slowestMs),
      heapMB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    },
    unit: 'inputs/s',
    detnet: Math.round(speed),
    baseline: GOAL_PER_SECOND,
    baselineName: 'goal',
    ratio: Math.round((speed / GOAL_PER_SECOND) * 100) / 100,
  };
}

/** Runs the fuzz families; half the inputs are mutated files, the rest random JSON and API values. */
export async function run(): Promise<BenchResult[]> {
  const total = Number(process.env['DETNET_FUZZ_INPUTS'] ?? 100_000);
  const seed = Number(process.env['DETNET_SEED'] ?? 20261124);
  const files = corpus();
  const families: [string, fc.Arbitrary<unknown>, number][] = [
    ['mutated-files', mutatedFileArb(files), Math.round(total * 0.5)],
    ['random-json', randomJsonArb, Math.round(total * 0.3)],
    ['api-values', apiValueArb(files), total - Math.round(total * 0.5) - Math.round(total * 0.3)],
  ];
  const rows: BenchResult[] = [];
  const defects: string[] = [];
  for (const [name, arb, n] of families) {
    const t = await family(name, arb, n, seed);
    rows.push(row(name, t, seed));
    defects.push(...t.defects);
  }
  for (const d of defects.slice(0, 20)) console.log(`fuzz: defect: ${d}`);
  if (defects.length > 0) process.exitCode = 1;
  return rows;
}
