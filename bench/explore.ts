/**
 * `npm run bench -- explore`: how fast `detnet/fast-check` finds bugs, how fast it runs cases,
 * and whether it raises false alarms.
 *
 * Rows (bench/results/explore.json; `detnet` is the figure, `params` the rest):
 * - `explore.bug.<id>`: the generic user-level property (examples/generic-property.ts) over
 *   `connectCaseArb()` under `withBugs(DEFAULT_PROFILE, [id])`, 20 fast-check seeds: median
 *   runs to the first counterexample (`detnet`), the max, how many seeds found it within
 *   `RUN_CAP` runs, and the median number of candidates of the shrunk case. A seed that does not
 *   find it counts as `RUN_CAP` (so a median of RUN_CAP means "mostly not found").
 * - `explore.planted.same-instant`: the user's parallel connect helper with its planted
 *   zero-width window (two connects completing in the same instant both report;
 *   examples/connect-helper.ts), same measure; baseline: the same property with every link's
 *   latency drawn from the world RNG (uniform 1–100 ms), as timing was explored before
 *   scripted delays.
 * - `explore.planted.timeout-window`: the timeout helper with its planted 1 ms window after
 *   the user's own timeout (harder: the window is relative to a timer the arbitraries do not
 *   know), same baseline.
 * - `explore.cases`: connect cases per second on one core, generation included.
 * - `explore.false-alarms`: the generic property on the default profile until
 *   DETNET_BENCH_FALSE_ALARM_CASES cases (default 1,000,000) or DETNET_BENCH_FALSE_ALARM_SECONDS
 *   (default 600) of wall time: `detnet` = cases run, `params.failures` the false alarms.
 *
 * Departs from nothing: wall-clock figures of one machine; the run counts do not depend on it.
 */
import fc from 'fast-check';
import { connectCaseArb, explore, runConnectCase, scheduleArb, topologyArb, type ConnectCase } from '../src/fast-check.js';
import { DEFAULT_PROFILE, withBugs, type BugId, type Profile } from '../src/socket/profiles.js';
import { checkGenericProperty } from '../examples/generic-property.js';
import { connectFirstOf, connectWithGrace } from '../examples/connect-helper.js';
import { helperReportsOnceAndTruly, parallelReportsOnceAndTruly, type HelperCase, type ParallelCase } from '../examples/connect-helper-property.js';
import type { LatencyModel } from '../src/sim/latency.js';
import { median, nowMs, type BenchResult } from './harness.js';

const SEEDS = Array.from({ length: 20 }, (_, i) => 1000 + i);
const RUN_CAP = 5_000;
const BUGS: readonly BugId[] = ['13d3af3ad5', '336441ed59', '97069ea11a', '581937ab1e', 'sticky-error', 'intermediate-error', 'addresses-reflect-attempt'];

function genericOn(profile: Profile): (c: ConnectCase) => void {
  return (c) => checkGenericProperty(c, runConnectCase(c, profile));
}

interface Hunt {
  readonly runs: number[];
  readonly sizes: number[];
  readonly found: number;
}

function hunt<T>(arb: fc.Arbitrary<T>, predicate: (c: T) => void, size: (c: T) => number): Hunt {
  const runs: number[] = [];
  const sizes: number[] = [];
  let found = 0;
  for (const seed of SEEDS) {
    const r = explore(arb, predicate, { seed, runs: RUN_CAP });
    if (r.failure === undefined) {
      runs.push(RUN_CAP);
      continue;
    }
    found++;
    runs.push(r.failure.run);
    sizes.push(size(r.failure.counterexample));
  }
  return { runs, sizes, found };
}

function row(benchmark: string, h: Hunt, baseline?: Hunt): BenchResult {
  const m = median(h.runs);
  const b = baseline === undefined ? 0 : median(baseline.runs);
  return {
    benchmark,
    params: {
      seeds: SEEDS.length,
      found: h.found,
      max: Math.max(...h.runs),
      shrunkCandidates: h.sizes.length === 0 ? '-' : median(h.sizes),
      ...(baseline === undefined ? {} : { baselineFound: baseline.found, baselineMax: Math.max(...baseline.runs) }),
      runCap: RUN_CAP,
    },
    unit: 'runs to first counterexample (median; lower is better)',
    detnet: m,
    baseline: b,
    baselineName: baseline === undefined ? 'none' : 'same property, latency from the world RNG (uniform) only',
    ratio: baseline === undefined ? 0 : b / m,
  };
}

function casesPerSecond(): BenchResult {
  const arb = connectCaseArb();
  const predicate = genericOn(DEFAULT_PROFILE);
  const samples: number[] = [];
  for (let s = 0; s < 5; s++) {
    const cases = fc.sample(arb, { seed: 77 + s, numRuns: 4_000 });
    const t0 = nowMs();
    for (const c of cases) {
      try {
        predicate(c);
      } catch {
        // A failure is counted by the false-alarm row; here only the speed matters.
      }
    }
    samples.push(cases.length / ((nowMs() - t0) / 1000));
  }
  const gen = fc.sample(arb, { seed: 5, numRuns: 20_000 });
  const t1 = nowMs();
  fc.sample(arb, { seed: 5, numRuns: gen.length });
  const genRate = gen.length / ((nowMs() - t1) / 1000);
  const run = median(samples);
  const total = 1 / (1 / run + 1 / genRate);
  return {
    benchmark: 'explore.cases',
    params: { runOnly: Math.round(run), generateOnly: Math.round(genRate), goal: 20_000 },
    unit: 'connect cases/s, generation + run + generic property, one core',
    detnet: total,
    baseline: 0,
    baselineName: 'none',
    ratio: 0,
  };
}

function falseAlarms(): BenchResult {
  const target = Number(process.env['DETNET_BENCH_FALSE_ALARM_CASES'] ?? 1_000_000);
  const seconds = Number(process.env['DETNET_BENCH_FALSE_ALARM_SECONDS'] ?? 600);
  const start = nowMs();
  const predicate = genericOn(DEFAULT_PROFILE);
  let cases = 0;
  let failures = 0;
  for (let seed = 1; cases < target && nowMs() - start < seconds * 1000; seed++) {
    const r = fc.check(fc.property(connectCaseArb(), (c) => predicate(c)), { seed, numRuns: Math.min(10_000, target - cases), endOnFailure: true });
    cases += r.numRuns;
    if (r.failed) {
      failures++;
      console.log(`false alarm: seed ${seed}: ${JSON.stringify(r.counterexample)}`);
    }
  }
  const took = (nowMs() - start) / 1000;
  return {
    benchmark: 'explore.false-alarms',
    params: { failures, seconds: Math.round(took), target },
    unit: 'cases run on the default profile (generic property)',
    detnet: cases,
    baseline: 0,
    baselineName: 'none',
    ratio: 0,
  };
}

export async function run(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const bug of BUGS) {
    const h = hunt(connectCaseArb(), genericOn(withBugs(DEFAULT_PROFILE, [bug])), (c) => c.topology.candidates.length);
    out.push(row(`explore.bug.${bug}`, h));
    console.log(`${bug}: found ${h.found}/20, median ${median(h.runs)}`);
  }
  // The way timing was explored before scripted delays: every link draws from the world RNG.
  const rng = fc.constant<LatencyModel>({ kind: 'uniform', minMs: 1, maxMs: 100 });
  const parallel = parallelReportsOnceAndTruly((tcl, host, port, done) => connectFirstOf(tcl, host, port, done, true));
  const psize = (c: ParallelCase): number => c.topology.candidates.length;
  const p1 = hunt(fc.record({ topology: topologyArb({ maxCandidates: 3 }), schedule: scheduleArb() }), parallel, psize);
  const p0 = hunt(fc.record({ topology: topologyArb({ maxCandidates: 3, latency: rng }), schedule: scheduleArb() }), parallel, psize);
  out.push(row('explore.planted.same-instant', p1, p0));
  console.log(`planted same-instant: found ${p1.found}/20, median ${median(p1.runs)}; RNG latency: found ${p0.found}/20, median ${median(p0.runs)}`);
  const helper = helperReportsOnceAndTruly(connectWithGrace);
  const size = (c: HelperCase): number => c.topology.candidates.length;
  const timeout = fc.integer({ min: 1, max: 200 });
  const t1 = hunt(fc.record({ topology: topologyArb({ maxCandidates: 3 }), schedule: scheduleArb(), timeoutMs: timeout }), helper, size);
  const t0 = hunt(fc.record({ topology: topologyArb({ maxCandidates: 3, latency: rng }), schedule: scheduleArb(), timeoutMs: timeout }), helper, size);
  out.push(row('explore.planted.timeout-window', t1, t0));
  console.log(`planted timeout window: found ${t1.found}/20, median ${median(t1.runs)}; RNG latency: found ${t0.found}/20, median ${median(t0.runs)}`);
  out.push(casesPerSecond());
  out.push(falseAlarms());
  return out;
}
