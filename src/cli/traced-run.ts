/**
 * One run of a scenario for the command line, on any of the three backends, keeping what
 * `runScenario` throws away: every trace entry, with its virtual time, in the order it was
 * recorded — the world's network events and the interpreter's commands and events merged.
 *
 * Owns: the merge (both traces emit each entry synchronously as it is recorded, so one list
 * fed by both subscriptions is the true causal order, even among entries of equal time),
 * which entries a timeline shows (the client script's: topology set-up and the untraced
 * teardown are left out, the child listeners' reports appended as notes), and turning a run
 * that stops early into a `failure` with the trace so far instead of an exception.
 *
 * Mirrors `runScenario` (src/scenario/runner.ts) step for step — set-up, client steps,
 * teardown, the background-error check, `Run.result`, `normalise` — because the runner
 * returns only observation lines and the timeline needs the entries; a test checks that both
 * give the same lines for every built-in scenario. The tclsh backend has no trace entries
 * (real Tcl prints only observation lines); its lines stand in for them, without times.
 *
 * Does not: format anything (timeline-report.ts) or judge expectations (verdict.ts).
 * Node-only: the node and tclsh backends are loaded on demand, so a simulated run never
 * loads node:net.
 */
import { DetnetError } from '../errors.js';
import type { Clock } from '../clock/clock.js';
import { Run } from '../scenario/run.js';
import type { ScenarioBackend } from '../scenario/runner.js';
import { DEFAULT_SCENARIO_TIMEOUT_MS, type Scenario } from '../scenario/scenario.js';
import { simBackend } from '../scenario/sim-backend.js';
import { isMeta, normalise, type MetaLine, type NoteLine, type ObservationLine } from '../trace/observation.js';
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
  /** Why the run stopped before its end, or null when it completed. */
  readonly failure: string | null;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** `work`, or an `ERR_SCENARIO_TIMEOUT` rejection once `ms` of `clock` have passed. */
function withDeadline<T>(work: Promise<T>, clock: Clock, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimer(ms, () => reject(new DetnetError('ERR_SCENARIO_TIMEOUT', `the run passed its time limit of ${ms} ms`)), 'cli-deadline');
    work.then(
      (value) => {
        clock.clearTimer(timer);
        resolve(value);
      },
      (err: unknown) => {
        clock.clearTimer(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/** Runs `scenario` on a detnet backend (sim or node), recording into `worldTrace` too if given. */
async function runOnDetnet(scenario: Scenario, name: 'sim' | 'node', backend: ScenarioBackend, worldTrace: Trace | null): Promise<TracedRun> {
  const run = new Run(scenario, backend);
  const entries: TraceEntry[] = worldTrace === null ? [] : [...worldTrace.entries];
  const collect = (e: TraceEntry): void => {
    entries.push(e);
  };
  worldTrace?.on('entry', collect);
  run.interp.trace.on('entry', collect);
  let metas: MetaLine[] = [];
  let notes: NoteLine[] = [];
  let scriptFrom = entries.length;
  let scriptTo: number | null = null;
  let failure: string | null = null;
  const body = async (): Promise<void> => {
    metas = await run.setup();
    scriptFrom = entries.length;
    for (const step of scenario.client) await run.step(step);
    scriptTo = entries.length;
    notes = await run.teardown();
    const first = run.interp.loop.backgroundErrors[0];
    if (first !== undefined) throw new DetnetError('ERR_SCENARIO_RUN', `a handler raised a background error: ${first.handler}: ${messageOf(first.error)}`);
  };
  let raw: ObservationLine[];
  try {
    // A simulated run is bounded by virtual time and the world's loop limit; a real one by the clock.
    await (backend.driver.canBlock ? body() : withDeadline(body(), backend.driver.clock, scenario.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS));
  } catch (err) {
    failure = messageOf(err);
  } finally {
    raw = run.result(metas, notes);
    worldTrace?.off('entry', collect);
    run.interp.trace.off('entry', collect);
    run.close();
    await backend.dispose();
  }
  const end = entries[entries.length - 1]?.t ?? 0;
  const shown = [
    ...entries.slice(scriptFrom, scriptTo ?? entries.length).filter((e) => !run.excluded.has(e)),
    ...notes.map((n): TraceEntry => ({ t: end, kind: 'obs', note: n.note, value: n.value })),
  ];
  return { backend: name, timed: true, raw, lines: normalise(raw), entries, shown, failure };
}

/** Runs `scenario` in real tclsh; its observation lines stand in for trace entries. */
async function runInTclsh(scenario: Scenario): Promise<TracedRun> {
  const { runScenarioInTclsh } = await import('../scenario/tclsh-runner.js');
  try {
    const run = runScenarioInTclsh(scenario);
    const shown = run.raw.filter((l) => !isMeta(l)).map((l): TraceEntry => ({ t: 0, kind: 'obs', ...l }));
    return { backend: 'tclsh', timed: false, raw: run.raw, lines: run.lines, entries: [], shown, failure: null };
  } catch (err) {
    if (err instanceof DetnetError && err.code === 'ERR_SCENARIO_NOT_RENDERABLE') throw new UsageError(err.message);
    if (!(err instanceof DetnetError)) throw err;
    return { backend: 'tclsh', timed: false, raw: [], lines: [], entries: [], shown: [], failure: err.message };
  }
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
      return runOnDetnet(scenario, 'sim', sim, sim.world.trace);
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
      return runOnDetnet(scenario, 'node', node, null);
    }
    case 'tclsh':
      return runInTclsh(scenario);
  }
}
