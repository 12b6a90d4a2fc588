/**
 * Benchmark runner: `node dist/bench/run.js [name...]` (via `npm run bench -- [name...]`).
 *
 * Owns: the registry of benchmark names, loading each one's module (`./<name>.js`, exporting
 * `async function run(): Promise<BenchResult[]>`), then writing `bench/results/<name>.json` and
 * printing its table. With no names it runs every registered module that has been built; an
 * unknown name is an error that lists the known ones; `ON_REQUEST` runs (fuzz, explore, compare)
 * only run when named; a registered name whose module does not
 * exist yet is reported as "not built yet" (and is an error only when asked for by name). A
 * benchmark that refuses its options (a `DetnetError`, e.g. a bad
 * `DETNET_COMPARE_ROUNDS`) is reported by its message, exit status 2, without a stack trace.
 * Does not own: any workload or measurement method (see bench/harness.ts).
 * Departs from reality: nothing to depart from; a command-line runner.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DetnetError } from '../src/errors.js';
import { printTable, writeResults, type BenchResult } from './harness.js';

/** Every benchmark detnet knows, in the order a full run executes them. */
export const BENCHMARKS = ['clock', 'sim', 'connect', 'real-vs-sim', 'tcl'] as const;
/**
 * Runs that only run when named (`npm run bench -- fuzz`, `-- explore`, `-- compare`): long, and
 * not about detnet against a baseline library (compare measures two commits of detnet).
 */
export const ON_REQUEST = ['fuzz', 'explore', 'compare'] as const;

type BenchModule = { run: () => Promise<BenchResult[]> };

function moduleUrl(name: string): URL {
  return new URL(`./${name}.js`, import.meta.url);
}

/** Whether `name`'s module has been written and compiled next to this runner. */
function isBuilt(name: string): boolean {
  return existsSync(fileURLToPath(moduleUrl(name)));
}

async function runOne(name: string): Promise<void> {
  const mod = (await import(moduleUrl(name).href)) as Partial<BenchModule>;
  if (typeof mod.run !== 'function') throw new Error(`bench: ${name}.js does not export run()`);
  console.log(`\n## ${name}`);
  const results = await mod.run();
  const file = writeResults(name, results);
  printTable(results);
  console.log(`wrote ${file}`);
}

async function main(argv: readonly string[]): Promise<number> {
  const known: readonly string[] = [...BENCHMARKS, ...ON_REQUEST];
  const unknown = argv.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    console.error(`bench: unknown benchmark ${unknown.map((n) => `"${n}"`).join(', ')}; known: ${known.join(', ')}`);
    return 2;
  }
  const requested = argv.length > 0 ? [...new Set(argv)] : [...BENCHMARKS];
  let status = 0;
  for (const name of requested) {
    if (!isBuilt(name)) {
      console.log(`bench: ${name}: not built yet (no ${name}.js next to run.js)`);
      // Asked for by name: the caller expected results, so this is a failure.
      if (argv.length > 0) status = 1;
      continue;
    }
    await runOne(name);
  }
  return status;
}

let status: number;
try {
  status = await main(process.argv.slice(2));
} catch (err) {
  // A misuse error is the caller's mistake (a bad option), not a bug: its message is the report.
  if (!(err instanceof DetnetError)) throw err;
  console.error(`bench: ${err.code}: ${err.message}`);
  status = 2;
}
// A benchmark may have set a failing exit code itself (the fuzz run, on a defect): keep it.
process.exitCode = Math.max(Number(process.exitCode ?? 0), status);
