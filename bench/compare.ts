/**
 * Benchmark `compare` (run only when named): `npm run bench -- compare` measures the sim and
 * connect workloads of the current tree against another commit, side by side in one run — the
 * check issue 8 asks of its change ("within 10% of the figures before it, old commit vs new").
 *
 * Options (environment):
 * - `DETNET_COMPARE_AGAINST`: the git revision to compare against (default `470965e`, the
 *   commit before the per-host kernel split).
 * - `DETNET_COMPARE_ROUNDS`: rounds (default 7); each round runs every workload once per side.
 * - `DETNET_COMPARE_NODE_FLAGS`: extra `node` flags for every measurement process, e.g.
 *   `--no-allocation-site-pretenuring` (none by default: the default VM is what users run).
 *
 * Owns: building the baseline and running the rounds. The baseline is extracted with
 * `git archive <rev> | tar -x` into a temporary directory (no worktree, nothing in the repo
 * changes), given the current repo's `node_modules` by a symlink and compiled with the current
 * repo's TypeScript; the directory is removed afterwards, also on failure. The current side is
 * the `dist/` that `npm run bench` has just built. Each measurement is a separate process
 * (bench/compare-child.ts, the same compiled child for both sides, loading each side's
 * `dist/src`), old then new for each workload, the order swapped every round.
 * Does not own: the workloads (bench/compare-workloads.ts), the per-process method
 * (bench/compare-child.ts), aggregation and rows (bench/compare-report.ts).
 *
 * Why separate processes: run in one process, the two commits distort each other through
 * shared JIT state and heap (measured: 0.93 or 1.23 depending on which world was built first).
 * Why median *and* best: across processes the figures are bimodal — V8's allocation-site
 * pretenuring sometimes tenures the sim's short-lived packet objects and that process runs at
 * about half speed, on either commit (`--no-allocation-site-pretenuring` removes the slow mode).
 * The rows give per workload the median over processes and the best process, each with its
 * ratio new/old; params count each side's slow-mode processes. The verdict (within 10% or not)
 * is on the ratio of medians.
 *
 * Departs from reality: figures are per second of each process's CPU time on this machine; the
 * ratios are what carry over to another machine.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DetnetError } from '../src/errors.js';
import { formatSpeed, repoRoot, type BenchResult } from './harness.js';
import { WORKLOADS } from './compare-workloads.js';
import { compareSides, comparisonRows, parseCompareOptions, verdict, type CompareOptions } from './compare-report.js';

/** Longest one measurement process may take (warm-up + samples take a few seconds). */
const CHILD_TIMEOUT_MS = 300_000;
/** Longest the baseline's extraction or compilation may take. */
const BUILD_TIMEOUT_MS = 600_000;
/** Enough for the repository's tar archive and for tsc's error listing. */
const MAX_BUFFER = 512 * 1024 * 1024;

/** Runs a command to completion; throws with its output when it fails. Returns its stdout. */
function exec(command: string, args: readonly string[], options: SpawnSyncOptions = {}): Buffer {
  const r = spawnSync(command, args, { timeout: BUILD_TIMEOUT_MS, maxBuffer: MAX_BUFFER, ...options });
  if (r.error !== undefined) throw new Error(`compare: ${command} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) {
    const output = `${r.stdout?.toString() ?? ''}${r.stderr?.toString() ?? ''}`.trim().split('\n').slice(0, 40).join('\n');
    throw new Error(`compare: ${command} ${args.join(' ')} exited with ${r.status ?? r.signal}\n${output}`);
  }
  return r.stdout as Buffer;
}

/** The commit `rev` names in the repository at `root` (a full hash); a `DetnetError` if it names none. */
function resolveCommit(root: string, rev: string): string {
  const r = spawnSync('git', ['-C', root, 'rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new DetnetError('ERR_INVALID_ARG_VALUE', `DETNET_COMPARE_AGAINST must name a commit of ${root}, got ${JSON.stringify(rev)}`);
  return r.stdout.trim();
}

/** Extracts `commit` into `dir` and compiles it there with the current repo's TypeScript. */
function buildBaseline(root: string, commit: string, dir: string): void {
  const archive = exec('git', ['-C', root, 'archive', '--format=tar', commit]);
  exec('tar', ['-x', '-C', dir], { input: archive });
  if (!existsSync(join(dir, 'tsconfig.build.json'))) throw new Error(`compare: ${commit} has no tsconfig.build.json; cannot build it this way`);
  symlinkSync(realpathSync(join(root, 'node_modules')), join(dir, 'node_modules'), 'dir');
  exec(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.build.json')]);
}

/** Runs one measurement process on the tree at `root`; returns its rate. */
function measureOnce(child: string, root: string, workload: string, options: CompareOptions): number {
  const r = spawnSync(process.execPath, [...options.nodeFlags, child, root, workload], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: CHILD_TIMEOUT_MS,
  });
  if (r.error !== undefined) throw new Error(`compare: ${workload} on ${root}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`compare: ${workload} on ${root} exited with ${r.status ?? r.signal}`);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  let rate: unknown;
  try {
    rate = (JSON.parse(last) as { rate?: unknown }).rate;
  } catch {
    rate = undefined;
  }
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) {
    throw new Error(`compare: ${workload} on ${root} printed no rate (last line: ${JSON.stringify(last)})`);
  }
  return rate;
}

export async function run(): Promise<BenchResult[]> {
  const options = parseCompareOptions(process.env);
  const root = repoRoot();
  const child = fileURLToPath(new URL('./compare-child.js', import.meta.url));
  const commit = resolveCommit(root, options.against);
  const short = commit.slice(0, 12);
  const dir = mkdtempSync(join(tmpdir(), 'detnet-compare-'));
  try {
    console.log(`compare: building ${options.against} (${short}) in ${dir}`);
    buildBaseline(root, commit, dir);
    const sides = { old: dir, new: root } as const;
    const rates = WORKLOADS.map(() => ({ old: [] as number[], new: [] as number[] }));
    const flags = options.nodeFlags.length > 0 ? `, node flags ${options.nodeFlags.join(' ')}` : '';
    console.log(`compare: ${options.rounds} rounds, old = ${short}, new = ${root} (its dist/)${flags}`);
    for (let round = 0; round < options.rounds; round++) {
      // Old first in even rounds, new first in odd ones: neither side always gets the warmer machine.
      const order = round % 2 === 0 ? (['old', 'new'] as const) : (['new', 'old'] as const);
      WORKLOADS.forEach((w, i) => {
        const got = rates[i] as { old: number[]; new: number[] };
        for (const side of order) got[side].push(measureOnce(child, sides[side], w.name, options));
        const last = (xs: readonly number[]): string => formatSpeed(xs[xs.length - 1] as number);
        console.log(`compare: round ${round + 1}/${options.rounds} ${w.name}: old ${last(got.old)}, new ${last(got.new)} ${w.unit}`);
      });
    }
    const results: BenchResult[] = [];
    const verdicts: string[] = [];
    WORKLOADS.forEach((w, i) => {
      const got = rates[i] as { old: number[]; new: number[] };
      const c = compareSides(got.old, got.new);
      console.log(`compare: ${w.name} per process: old ${got.old.map(formatSpeed).join(' ')}; new ${got.new.map(formatSpeed).join(' ')}`);
      results.push(...comparisonRows(w, c, { against: options.against, commit: short }, options.rounds));
      verdicts.push(verdict(w.name, c, options.against));
    });
    for (const line of verdicts) console.log(line);
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
