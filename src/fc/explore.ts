/**
 * `explore(arbitrary, predicate, options)`: run N cases of a property, and on a failure return
 * everything needed to understand and replay it — the shrunk case, its schedule with the tie
 * candidates' labels, the timeline at every level, and the exact replay command.
 *
 * Owns: running fast-check with a given seed (no hidden randomness: the caller chooses it),
 * re-running the shrunk counterexample with `captureWorlds` so its world keeps a full trace,
 * and reading the schedule back from that trace's `clock.tie` entries. A pure function of its
 * inputs, so a test helper, a benchmark and the `detnet explore` command can share it.
 *
 * Does not: print (report.ts formats), or choose a seed.
 */
import fc from 'fast-check';
import { formatSchedule } from '../clock/schedule-encoding.js';
import type { World } from '../sim/world.js';
import { formatTimeline } from '../trace/timeline.js';
import { captureWorlds } from './world-from.js';

/** Options of `explore`. */
export interface ExploreOptions<T> {
  /** fast-check seed (required: nothing in detnet draws one from the clock). */
  readonly seed: number;
  /** Cases to run (default 1,000). */
  readonly runs?: number;
  /** fast-check replay path of a known counterexample (`counterexamplePath` of a report). */
  readonly path?: string;
  /** The command that replays a failure, from the report (default: `DETNET_SEED=… DETNET_PATH=… npx vitest run`). */
  readonly replayCommand?: (failure: { readonly seed: number; readonly path: string; readonly counterexample: T }) => string;
}

/** A tie the failing run met: when, among which candidates (their timer labels), and what was chosen. */
export interface TieReport {
  readonly step: number;
  readonly at: number;
  readonly candidates: readonly string[];
  readonly chose: number;
}

/** What a failing property left behind. */
export interface ExploreFailure<T> {
  /** 1-based number of the case that failed first (before shrinking). */
  readonly run: number;
  readonly shrinks: number;
  /** The shrunk case. */
  readonly counterexample: T;
  /** fast-check's path to it (pass as `path` to replay it alone). */
  readonly path: string;
  /** First line of what the property threw (or "returned false"). */
  readonly error: string;
  /** The schedule of the last world the re-run built, in the command-line encoding (`0.1.3x0`). */
  readonly schedule: string;
  /** Its ties with the candidates' labels, as the trace's `clock.tie` entries carry them. */
  readonly ties: readonly TieReport[];
  /** Its timeline at level `all`. */
  readonly timeline: readonly string[];
  /** Worlds the re-run built (the timeline is the last one's). */
  readonly worlds: number;
  /** Whether the re-run failed again (false would mean the property is not deterministic). */
  readonly reproduced: boolean;
  readonly replay: string;
}

/** What `explore` found. */
export interface ExploreReport<T> {
  readonly seed: number;
  /** Cases run (up to and including the first failure). */
  readonly runs: number;
  readonly failure?: ExploreFailure<T>;
}

function firstLine(err: unknown): string {
  if (err === undefined) return 'returned false';
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? '';
}

function tiesOf(world: World | undefined): TieReport[] {
  if (world === undefined) return [];
  return world.trace.entriesOf('clock.tie').map((e) => ({ step: e.step, at: e.t, candidates: e.candidates, chose: e.chose }));
}

/** Re-runs `predicate(value)` with every world keeping its trace; reads the failure back. */
export function rerun<T>(predicate: (value: T) => boolean | void, value: T): Pick<ExploreFailure<T>, 'schedule' | 'ties' | 'timeline' | 'worlds' | 'reproduced'> {
  const captured = captureWorlds(() => predicate(value));
  const world = captured.worlds[captured.worlds.length - 1];
  const ties = tiesOf(world);
  return {
    schedule: formatSchedule(ties.map((t) => t.chose)),
    ties,
    timeline: world === undefined ? [] : formatTimeline(world.trace.entries, 'all'),
    worlds: captured.worlds.length,
    reproduced: captured.threw || captured.result === false,
  };
}

/** The default replay command: the property suite's seed and path, through vitest. */
export function vitestReplay(file = ''): (f: { readonly seed: number; readonly path: string }) => string {
  return (f) => `DETNET_SEED=${f.seed} DETNET_PATH=${f.path} npx vitest run${file === '' ? '' : ` ${file}`}`;
}

/** Runs `options.runs` cases of `predicate` over `arbitrary`; see the module header. */
export function explore<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => boolean | void, options: ExploreOptions<T>): ExploreReport<T> {
  const details = fc.check(fc.property(arbitrary, (v) => predicate(v)), {
    seed: options.seed,
    numRuns: options.runs ?? 1000,
    ...(options.path === undefined ? {} : { path: options.path }),
    endOnFailure: false,
  });
  if (!details.failed || details.counterexample === null) return { seed: options.seed, runs: details.numRuns };
  const counterexample = details.counterexample[0];
  const path = details.counterexamplePath ?? '';
  const replay = (options.replayCommand ?? vitestReplay())({ seed: options.seed, path, counterexample });
  return {
    seed: options.seed,
    runs: details.numRuns,
    failure: {
      run: details.numRuns,
      shrinks: details.numShrinks,
      counterexample,
      path,
      error: firstLine(details.errorInstance ?? undefined),
      ...rerun(predicate, counterexample),
      replay,
    },
  };
}
