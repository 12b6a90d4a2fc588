/**
 * One run of a scenario for the command line, on any of the three backends, keeping what a
 * timeline needs: every trace entry, with its virtual time, in the order it was recorded —
 * the world's network events and the interpreter's commands and events merged — and, when a
 * run stops early, a `failure` with the trace so far instead of an exception.
 *
 * Owns: choosing and loading the backend, which entries a timeline shows (the client
 * script's, as `runScenario` delimits them, then the child listeners' reports as notes at the
 * last entry's time), and turning `runScenario`'s `ScenarioRunError` into that `failure`.
 * The run itself — and so its observation lines — is `runScenario`'s (src/scenario/runner.ts),
 * the same the parity suite checks. The tclsh backend has no trace entries (real Tcl prints
 * only observation lines); its lines stand in for them, without times.
 *
 * Does not: format anything (timeline-report.ts) or judge expectations (verdict.ts).
 * Node-only: the node and tclsh backends are loaded on demand, so a simulated run never
 * loads node:net.
 */
import { DetnetError } from '../errors.js';
import { runScenario, ScenarioRunError, type ScenarioBackend, type ScenarioRun, type TimedLine } from '../scenario/runner.js';
import type { Scenario } from '../scenario/scenario.js';
import { simBackend, type SimBackendOptions } from '../scenario/sim-backend.js';
import type { World } from '../sim/world.js';
import { isMeta, type ObservationLine } from '../trace/observation.js';
import type { Trace, TraceEntry } from '../trace/trace.js';
import { UsageError } from './command.js';

/** The backends `detnet run` can use. */
export const BACKENDS = ['sim', 'node', 'tclsh'] as const;
/** One of `BACKENDS`. */
export type BackendName = (typeof BACKENDS)[number];

/** What one run gave. */
export interface TracedRun {
  readonly backend: BackendName;
  /** Whether entry times are meaningful (virtual ms on sim, real ms on node; tclsh: none). */
  readonly timed: boolean;
  /** Kept observation lines with real names, `meta` declarations included (`ScenarioRun.raw`). */
  readonly raw: readonly ObservationLine[];
  /** Normalised lines without `meta`: what expectations are compared with (`ScenarioRun.lines`). */
  readonly lines: readonly ObservationLine[];
  /** Every entry recorded, set-up and teardown included, in recording order (tclsh: none). */
  readonly entries: readonly TraceEntry[];
  /** The entries a timeline shows: the client script's, then the listeners' report notes. */
  readonly shown: readonly TraceEntry[];
  /** `lines` with their times (`ScenarioRun.timed`); tclsh: none. */
  readonly timedLines: readonly TimedLine[];
  /** Why the run stopped before its end, or null when it completed. */
  readonly failure: string | null;
}

/** Runs `scenario` on a detnet backend (sim or node), merging `worldTrace`'s entries if given. */
async function runOnDetnet(scenario: Scenario, backend: ScenarioBackend, worldTrace: Trace | null): Promise<TracedRun> {
  let run: ScenarioRun;
  let failure: string | null = null;
  try {
    run = await runScenario(scenario, backend, worldTrace === null ? {} : { traces: [worldTrace] });
  } catch (err) {
    if (!(err instanceof ScenarioRunError)) throw err;
    run = err.partial;
    failure = err.reason;
  }
  const end = run.entries[run.entries.length - 1]?.t ?? 0;
  const shown = [...run.script, ...run.notes.map((n): TraceEntry => ({ t: end, kind: 'obs', note: n.note, value: n.value }))];
  return { backend: run.backend, timed: true, raw: run.raw, lines: run.lines, entries: run.entries, shown, timedLines: run.timed, failure };
}

/** Runs `scenario` in real tclsh; its observation lines stand in for trace entries. */
async function runInTclsh(scenario: Scenario): Promise<TracedRun> {
  const { runScenarioInTclsh } = await import('../scenario/tclsh-runner.js');
  try {
    const run = runScenarioInTclsh(scenario);
    const shown = run.raw.filter((l) => !isMeta(l)).map((l): TraceEntry => ({ t: 0, kind: 'obs', ...l }));
    return { backend: 'tclsh', timed: false, raw: run.raw, lines: run.lines, entries: [], shown, timedLines: [], failure: null };
  } catch (err) {
    if (err instanceof DetnetError && err.code === 'ERR_SCENARIO_NOT_RENDERABLE') throw new UsageError(err.message);
    if (!(err instanceof DetnetError)) throw err;
    return { backend: 'tclsh', timed: false, raw: [], lines: [], entries: [], shown: [], timedLines: [], failure: err.message };
  }
}

/**
 * Runs `scenario` (already validated) on the simulated world built with `options`, after
 * `prepare` has seen the world (explore and replay: a schedule source, a latency override, the
 * swarm's fault rules).
 */
export function tracedSimRun(scenario: Scenario, options: SimBackendOptions, prepare?: (world: World) => void): Promise<TracedRun> {
  const sim = simBackend(scenario, options);
  prepare?.(sim.world);
  return runOnDetnet(scenario, sim, sim.world.trace);
}

/**
 * Runs `scenario` (already validated) on `backend`. A scenario the backend cannot express
 * (fault rules on node or tclsh) is a `UsageError`; a run that stops early is returned with
 * its `failure` and the trace so far.
 */
export async function tracedRun(scenario: Scenario, backend: BackendName): Promise<TracedRun> {
  switch (backend) {
    case 'sim': {
      const sim = simBackend(scenario);
      return runOnDetnet(scenario, sim, sim.world.trace);
    }
    case 'node': {
      const { nodeBackend } = await import('../scenario/node-backend.js');
      let node: ScenarioBackend;
      try {
        node = nodeBackend(scenario);
      } catch (err) {
        if (err instanceof DetnetError && err.code === 'ERR_SCENARIO_NOT_RUNNABLE') throw new UsageError(err.message);
        throw err;
      }
      return runOnDetnet(scenario, node, null);
    }
    case 'tclsh':
      return runInTclsh(scenario);
  }
}
