/**
 * Shared measurement helpers for detnet's benchmarks, and the result format they all write.
 *
 * Owns: how a benchmark times a workload (calibrated batches, warm-up, interleaved repeats,
 * median), the `BenchResult` record, writing `bench/results/<name>.json` and printing a table.
 * Does not own: any workload — each `bench/<name>.ts` builds its own and returns its results;
 * `bench/run.ts` writes and prints them.
 *
 * Method: detnet and its baseline run in one process, alternately (A, B, A, B, …), so drift in
 * CPU frequency or GC pressure hits both sides alike. Each sample repeats the workload until it
 * has taken at least `minSampleMs`, so sub-millisecond workloads are not lost in timer noise;
 * the reported figure is the median of the samples. Speeds are operations per second, so a
 * higher `ratio` (detnet speed / baseline speed) is better for detnet.
 *
 * Departs from reality: these are micro-benchmarks on one machine; the ratio is the figure to
 * compare across machines, not the absolute speeds.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One row of a benchmark's results, as written to `bench/results/<name>.json`. */
export interface BenchResult {
  /** Dotted name of the measured workload, e.g. `clock.random-timers`. */
  benchmark: string;
  /** The workload's parameters (sizes, ratios), for the table and for reproducing it. */
  params: Record<string, number | string>;
  /** Unit of `detnet` and `baseline`, e.g. `timers fired/s`. */
  unit: string;
  /** detnet's speed in `unit` (median). */
  detnet: number;
  /** The baseline's speed in `unit` (median). */
  baseline: number;
  /** What the baseline is, e.g. `@sinonjs/fake-timers createClock()`. */
  baselineName: string;
  /** detnet speed / baseline speed; above 1 means detnet is faster. */
  ratio: number;
}

/** How to sample one side of a comparison. */
export interface MeasureOptions {
  /** Untimed runs before sampling, to let the JIT settle (default 3 batches). */
  readonly warmup?: number;
  /** Timed samples per side (default 9; the median is reported). */
  readonly repeats?: number;
  /** Least wall time of one sample; the workload is repeated until it is reached (default 30). */
  readonly minSampleMs?: number;
}

/** A workload: runs once and returns how many operations it performed. */
export type Workload = () => number;

/** Monotonic milliseconds. Benchmarks may read real time; src/ may not. */
export function nowMs(): number {
  return performance.now();
}

/** Median of a non-empty list of numbers. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Runs `work` `times` times; returns total operations and elapsed milliseconds. */
function timeBatch(work: Workload, times: number): { ops: number; ms: number } {
  let ops = 0;
  const start = nowMs();
  for (let i = 0; i < times; i++) ops += work();
  return { ops, ms: nowMs() - start };
}

/** How many runs of `work` make a sample of at least `minSampleMs`. */
function calibrate(work: Workload, minSampleMs: number): number {
  let times = 1;
  for (;;) {
    const { ms } = timeBatch(work, times);
    if (ms >= minSampleMs) return times;
    // Grow towards the target, at most ×10 per step, at least ×2.
    const factor = ms <= 0 ? 10 : Math.min(10, Math.max(2, Math.ceil((minSampleMs * 1.2) / ms)));
    times *= factor;
  }
}

/**
 * Measures two workloads side by side and returns each one's median speed in operations per
 * second. Samples alternate between the two (starting with a different side each round) so that
 * neither gets a systematically warmer or cooler machine.
 */
export function compareSpeeds(
  detnet: Workload,
  baseline: Workload,
  options: MeasureOptions = {},
): { detnet: number; baseline: number } {
  const repeats = options.repeats ?? 9;
  const minSampleMs = options.minSampleMs ?? 30;
  const warmup = options.warmup ?? 3;
  const timesA = calibrate(detnet, minSampleMs);
  const timesB = calibrate(baseline, minSampleMs);
  for (let i = 0; i < warmup; i++) {
    timeBatch(detnet, timesA);
    timeBatch(baseline, timesB);
  }
  const speedsA: number[] = [];
  const speedsB: number[] = [];
  const sampleA = (): void => {
    const { ops, ms } = timeBatch(detnet, timesA);
    speedsA.push((ops / ms) * 1000);
  };
  const sampleB = (): void => {
    const { ops, ms } = timeBatch(baseline, timesB);
    speedsB.push((ops / ms) * 1000);
  };
  for (let i = 0; i < repeats; i++) {
    if (i % 2 === 0) {
      sampleA();
      sampleB();
    } else {
      sampleB();
      sampleA();
    }
  }
  return { detnet: median(speedsA), baseline: median(speedsB) };
}

/** Builds a `BenchResult` from two speeds, computing the ratio. */
export function result(
  benchmark: string,
  params: Record<string, number | string>,
  unit: string,
  speeds: { detnet: number; baseline: number },
  baselineName: string,
): BenchResult {
  return {
    benchmark,
    params,
    unit,
    detnet: Math.round(speeds.detnet),
    baseline: Math.round(speeds.baseline),
    baselineName,
    ratio: Math.round((speeds.detnet / speeds.baseline) * 100) / 100,
  };
}

/** The repository root: the nearest ancestor of this module holding a package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('bench: cannot find the repository root (no package.json above bench/)');
    dir = parent;
  }
  return dir;
}

/**
 * Writes `results` to `bench/results/<name>.json` (a pretty-printed JSON array) under the
 * repository root, whether run from `bench/` or from `dist/bench/`; returns the file's path.
 */
export function writeResults(name: string, results: BenchResult[]): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new RangeError(`bench: invalid results name ${JSON.stringify(name)}`);
  const dir = join(repoRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

/** Formats a speed compactly: 1234567 → "1.23M". */
export function formatSpeed(value: number): string {
  if (value >= 1e9) return `${(value / 1e9).toFixed(2)}G`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return value.toFixed(value >= 10 ? 0 : 2);
}

/** Renders `results` as a Markdown table (the form the README shows). */
export function formatTable(results: readonly BenchResult[]): string {
  const header = ['benchmark', 'params', 'unit', 'detnet', 'baseline', 'ratio'];
  const rows = results.map((r) => [
    r.benchmark,
    Object.entries(r.params)
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
    r.unit,
    formatSpeed(r.detnet),
    `${formatSpeed(r.baseline)} (${r.baselineName})`,
    `${r.ratio.toFixed(2)}×`,
  ]);
  const lines = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  return lines.join('\n');
}

/** Prints `results` as a Markdown table on stdout. */
export function printTable(results: readonly BenchResult[]): void {
  console.log(formatTable(results));
}
