/**
 * Benchmark `connect`: complete async connects per second through channel, connect machine,
 * event loop and simulated world — `socket -async` to a name with two addresses (the first
 * refuses, the second accepts and replies one line), a readable handler that reads the line,
 * `close`, `vwait` — with tracing off, as a property test would run it.
 *
 * Baseline: the issue's goal (100,000 connects/s on one core), so ratio ≥ 1 means the goal is
 * met. A second row runs the same walk with the trace on (not kept), to show what recording costs.
 *
 * Method (why it is not `compareSpeeds`): the two variants are measured one after the other, each
 * in its own world, trace-off first. Interleaving them would let the trace-on variant's type
 * feedback (entry objects, emit paths) deoptimise the code the trace-off row is meant to measure.
 * Each variant gets a warm-up of WARMUP_CONNECTS (enough for the JIT to settle), then SAMPLES
 * samples of at least SAMPLE_MS each; the median is reported. The server app `forget`s finished
 * connections and every batch ends with the world idle, so no state piles up across batches: each
 * sample measures the same steady state, not a growing heap.
 *
 * The workload's code lives in bench/compare-workloads.ts (`connectWorkload`), run here on the
 * current tree's modules (bench/current-modules.ts) and by `npm run bench -- compare` on two
 * commits' builds; this file owns the method above and the rows.
 */
import { median, nowMs, result, type BenchResult, type Workload } from './harness.js';
import { BATCH, connectWorkload } from './compare-workloads.js';
import { CURRENT_MODULES } from './current-modules.js';

const GOAL = 100_000;
const WARMUP_CONNECTS = 100_000;
const SAMPLES = 15;
const SAMPLE_MS = 100;

/** Median connects/s of `work` after a warm-up. */
function measure(work: Workload): number {
  for (let done = 0; done < WARMUP_CONNECTS; ) done += work();
  const speeds: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    let ops = 0;
    const start = nowMs();
    let ms: number;
    do {
      ops += work();
      ms = nowMs() - start;
    } while (ms < SAMPLE_MS);
    speeds.push((ops / ms) * 1000);
  }
  return median(speeds);
}

export async function run(): Promise<BenchResult[]> {
  const off = measure(connectWorkload(CURRENT_MODULES, false));
  const on = measure(connectWorkload(CURRENT_MODULES, true));
  return [
    result('connect.two-candidates-refused-then-reply', { batch: BATCH, trace: 'off' }, 'connects/s', { detnet: off, baseline: GOAL }, 'goal'),
    result('connect.two-candidates-refused-then-reply', { batch: BATCH, trace: 'on' }, 'connects/s', { detnet: on, baseline: GOAL }, 'goal'),
  ];
}
