/**
 * One scenario run on the simulated world, kept for a picture: its trace rows, the set-up
 * entries behind the lanes, an interpreter snapshot after every entry, and a one-line
 * outcome — a `RunReport`, as `detnet html` writes it and the sandbox shows it.
 *
 * Owns: `reportScenario` (run + snapshots + outcome) and the replay command it states. The
 * snapshots are taken through `runScenario`'s `onInterp` hook and a trace subscription
 * (src/socket/inspect.ts), so runs without a report pay nothing.
 *
 * Does not: render (report.ts), read files or use Node built-ins: the browser runs it too.
 *
 * Departs from `detnet run`: same-instant events may be ordered by the seeded tie-breaker
 * (`ties: 'seeded'`), which a scenario file cannot ask for yet; the replay command says so.
 */
import { ScenarioRunError, runScenario, type ScenarioRun } from '../scenario/runner.js';
import type { Scenario } from '../scenario/scenario.js';
import { simBackend } from '../scenario/sim-backend.js';
import { recordSnapshots, type SnapshotRecorder } from '../socket/inspect.js';
import { DEFAULT_PROFILE } from '../socket/profiles.js';
import { diffObservations } from '../trace/observation.js';
import type { RunReport } from './report.js';

/** How to run a scenario for a report. */
export interface ReportOptions {
  /** Replaces the scenario's profile (`name` or `name+bug+…`). */
  readonly profile?: string;
  /** Replaces the scenario's seed. */
  readonly seed?: number;
  /** Same-instant order: `fifo` (as `detnet run`) or `seeded` (races become visible). Default fifo. */
  readonly ties?: 'fifo' | 'seeded';
  /** How the replay command names the scenario (a path or a built-in name). */
  readonly source?: string;
}

/** A run for a report, with the raw run behind it (for comparisons and tests). */
export interface ScenarioReport {
  readonly report: RunReport;
  readonly run: ScenarioRun;
  /** Why the run stopped early, or null. */
  readonly failure: string | null;
}

/** The command that replays a run with these settings. */
export function replayCommand(source: string, profile: string, seed: number, ties: string): string {
  const quoted = /^[\w./+-]+$/.test(source) ? source : `'${source.replace(/'/g, `'\\''`)}'`;
  return `npx detnet html ${quoted} --profile ${profile} --seed ${seed}${ties === 'fifo' ? '' : ` --ties ${ties}`} -o run.html`;
}

/** The one-line outcome of a run: a failure, the expectations' verdict, or timeouts seen. */
function outcomeOf(scenario: Scenario, run: ScenarioRun, failure: string | null): { text: string; failed: boolean } {
  if (failure !== null) return { text: `✗ the run stopped early: ${failure}`, failed: true };
  const timeouts = run.lines.flatMap((l) => ('note' in l && l.note === 'vwait-timeout' ? [String(l.value)] : []));
  const expected = scenario.expect?.trace;
  if (expected !== undefined) {
    const diff = diffObservations(expected, run.lines, { expected: 'expected', actual: 'sim' });
    if (diff === null) return { text: `✓ expectations met: the trace equals expect.trace (${run.lines.length} lines)`, failed: false };
    return { text: `✗ expectations failed: ${diff.split('\n')[0] ?? 'the trace differs'}`, failed: true };
  }
  if (timeouts.length > 0) return { text: `✗ vwait ${timeouts.join(', ')} timed out: what it waited for was never reported`, failed: true };
  return { text: '✓ the run completed (the scenario states no expectations)', failed: false };
}

/** Runs `input` on the simulated world with snapshots and returns its report. */
export async function reportScenario(input: Scenario, options: ReportOptions = {}): Promise<ScenarioReport> {
  const scenario: Scenario = {
    ...input,
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  };
  const ties = options.ties ?? 'fifo';
  const backend = simBackend(scenario, { tieBreaker: ties });
  let recorder: SnapshotRecorder | null = null;
  let run: ScenarioRun;
  let failure: string | null = null;
  try {
    run = await runScenario(scenario, backend, {
      traces: [backend.world.trace],
      onInterp: (interp) => {
        recorder = recordSnapshots(interp, [interp.trace, backend.world.trace]);
      },
    });
  } catch (err) {
    if (!(err instanceof ScenarioRunError)) throw err;
    run = err.partial;
    failure = err.reason;
  } finally {
    (recorder as SnapshotRecorder | null)?.stop();
  }
  const snaps = recorder as SnapshotRecorder | null;
  const profile = scenario.profile ?? DEFAULT_PROFILE.name;
  const seed = scenario.seed ?? 1;
  const outcome = outcomeOf(scenario, run, failure);
  const report: RunReport = {
    scenario: scenario.name,
    description: scenario.description,
    profile,
    seed,
    ties,
    replay: replayCommand(options.source ?? scenario.name, profile, seed, ties),
    outcome: outcome.text,
    failed: outcome.failed,
    rows: run.script,
    context: run.entries,
    snapshots: run.script.map((e) => snaps?.at.get(e) ?? null),
  };
  return { report, run, failure };
}
