/**
 * One measurement process of `npm run bench -- compare`:
 * `node dist/bench/compare-child.js <root> <workload>` loads detnet from `<root>/dist/src`,
 * builds the named workload (bench/compare-workloads.ts), warms it up, measures it, and prints
 * one JSON line on stdout: `{"workload":…,"rate":…,"samples":[…]}` (rate = median sample, in
 * the workload's unit per second of this process's CPU time).
 *
 * Owns: the per-process method — WARMUP untimed steps, then SAMPLES samples each of at least
 * SAMPLE_CPU_MS of this process's CPU time (`process.cpuUsage`, user + system), the median
 * reported. CPU time rather than wall time because the machine is shared: another process's
 * work stretches wall time but mostly not our CPU time.
 * Does not own: which commits are compared, rounds, or aggregation (bench/compare.ts).
 *
 * Departs from reality: a single process's figure is one draw of a bimodal lottery (see
 * bench/compare.ts on V8's pretenuring); it means little alone.
 */
import { median } from './harness.js';
import { loadModules, workloadNamed, WORKLOADS } from './compare-workloads.js';

/** Untimed steps before sampling, to let the JIT settle. */
const WARMUP = 40;
/** Timed samples; the median is reported. */
const SAMPLES = 9;
/** Least CPU time of one sample, in ms. */
const SAMPLE_CPU_MS = 200;

/** CPU time this process has used (user + system), in ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function main(argv: readonly string[]): Promise<number> {
  const [root, name] = argv;
  const workload = name === undefined ? undefined : workloadNamed(name);
  if (root === undefined || workload === undefined) {
    console.error(`usage: node compare-child.js <root> <workload>; workloads: ${WORKLOADS.map((w) => w.name).join(', ')}`);
    return 2;
  }
  const step = workload.build(await loadModules(root));
  for (let i = 0; i < WARMUP; i++) step();
  const samples: number[] = [];
  for (let k = 0; k < SAMPLES; k++) {
    const start = cpuMs();
    let ops = 0;
    let ms: number;
    do {
      ops += step();
      ms = cpuMs() - start;
    } while (ms < SAMPLE_CPU_MS);
    samples.push((ops / ms) * 1000);
  }
  console.log(JSON.stringify({ workload: workload.name, rate: median(samples), samples: samples.map(Math.round) }));
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
