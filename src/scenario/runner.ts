/**
 * The scenario runner: runs a scenario on detnet's `Interp` over a backend — the simulated
 * world (sim-backend.ts) or real loopback sockets (node-backend.ts) — and returns its §13
 * observation trace, raw and normalised, with the trace entries behind it: the detnet half of
 * the parity suite, and the one run behind the CLI's timeline (src/cli/traced-run.ts).
 *
 * Owns: the backend contract, the order of a run (topology, client script, teardown, result),
 * the hard time limit of a real run, the merge of the run's trace entries (the interpreter's
 * and any other trace the caller names, such as the world's: both emit each entry
 * synchronously as it is recorded, so one list fed by both subscriptions is the true causal
 * order, even among entries of equal time), which entries belong to the client script, and
 * turning a failure into one `ERR_SCENARIO_RUN` error (`ScenarioRunError`) that carries the
 * run so far. The steps themselves run in run.ts, the topology in topology.ts.
 *
 * On Linux, loopback packets sent by one command have been processed by the kernel before the
 * script's next command runs; the drivers model that themselves (`Driver.settle` on the sim,
 * `Driver.settleAsync` — one turn of Node's event loop before each Promise-form command — on
 * real sockets). Within one command (an `update`, a `vwait`) nothing catches up beyond what
 * the interpreter itself does, which is where the one declared Node difference of the parity
 * table comes from.
 */
import { assert, DetnetError } from '../errors.js';
import { isMeta, normalise, type MetaLine, type NoteLine, type ObservationLine } from '../trace/observation.js';
import type { Interp } from '../socket/interp.js';
import type { Trace, TraceEntry } from '../trace/trace.js';
import { isBlockingDriver, type Driver } from '../socket/driver.js';
import type { ScenarioBackend } from './backend.js';
import { assertRealRunnable } from './backend-support.js';
import { assertLoopbackScenario } from './loopback-guard.js';
import { Run } from './run.js';
import { DEFAULT_SCENARIO_TIMEOUT_MS, type Scenario } from './scenario.js';
import { validateScenario } from './validate.js';
import { clientSteps, isTclClient } from './client-kind.js';

export { REFUSED_PORT_BASE } from './topology.js';
export type { ScenarioBackend } from './backend.js';

/** How to run a scenario beyond its backend. */
export interface RunScenarioOptions {
  /**
   * Other traces to merge into `ScenarioRun.entries` (the simulated world's): their entries so
   * far, then every new one in the order recorded, interleaved with the interpreter's.
   */
  readonly traces?: readonly Trace[];
  /**
   * Deliveries of one socket at one instant without progress before the run stops with
   * `ERR_RUNAWAY_HANDLER` (default 10,000); fuzzers lower it to stop runaways sooner.
   */
  readonly runawayLimit?: number;
  /**
   * Events one `update` or `vwait` of the script may service before the run stops with
   * `ERR_LOOP_LIMIT` (default `SCENARIO_LOOP_LIMIT`).
   */
  readonly loopLimit?: number;
  /** Trace entries the run may record before it stops (default `SCENARIO_ENTRY_LIMIT`). */
  readonly entryLimit?: number;
  /** Called with the run's interpreter before set-up (the HTML report records snapshots through it). */
  readonly onInterp?: (interp: Interp<Driver>) => void;
}

/**
 * Default `loopLimit` of a scenario run: 20,000 events per `update` or `vwait`, a fiftieth of
 * the event loop's own default. A scenario file is small, shared data; a wait that services
 * more events than that is a runaway with progress (a writable handler that writes forever to
 * a peer at zero latency, say), and stopping it at a million would cost seconds and gigabytes.
 */
export const SCENARIO_LOOP_LIMIT = 20_000;

/**
 * Default `entryLimit`: trace entries a scenario run may record (the interpreter's and the
 * merged traces' together) before it stops with `ERR_TRACE_LIMIT`. Checked before every step,
 * a polling loop's included, so a run stops at most one step past it.
 */
export const SCENARIO_ENTRY_LIMIT = 250_000;

/** One run of a scenario on a detnet backend (or the part of it done before it stopped). */
export interface ScenarioRun {
  readonly backend: 'sim' | 'node';
  /** Every kept line with real names and ports, `meta` declarations included. */
  readonly raw: readonly ObservationLine[];
  /** Normalised, without `meta`: what parity compares. */
  readonly lines: readonly ObservationLine[];
  /**
   * Every trace entry recorded during the run, set-up and teardown included: the
   * interpreter's and those of `options.traces`, in recording order.
   */
  readonly entries: readonly TraceEntry[];
  /**
   * The entries of the client script: `entries` from the end of set-up to the start of
   * teardown (to the end when the run stopped during the script), less the interpreter lines
   * `raw` leaves out. What a timeline shows.
   */
  readonly script: readonly TraceEntry[];
  /** The child listeners' reports, also the last lines of `raw`; none if teardown never ended. */
  readonly notes: readonly NoteLine[];
  /**
   * `lines` with the time each was recorded (virtual ms on the sim, real ms on node; the
   * listeners' notes at the end of teardown): what `detnet run --format obs --times` prints.
   */
  readonly timed: readonly TimedLine[];
}

/** An observation line with the time it was recorded (`null`: no time, e.g. a run cut short). */
export interface TimedLine {
  readonly t: number | null;
  readonly line: ObservationLine;
}

/** Pairs normalised lines with the times of the raw non-meta lines they came from (one each). */
function timedLines(raw: readonly { readonly t: number | null; readonly line: ObservationLine }[], lines: readonly ObservationLine[]): TimedLine[] {
  const times = raw.filter((r) => !isMeta(r.line)).map((r) => r.t);
  assert(times.length === lines.length, `normalisation kept ${lines.length} of ${times.length} lines`);
  return lines.map((line, i) => ({ t: times[i] ?? null, line }));
}

/**
 * `ERR_SCENARIO_RUN`: a run stopped in a way a Tcl script could not catch. The message names
 * the scenario and backend and ends with the normalised trace so far; `reason` is why it
 * stopped, and `partial` what the run recorded until then.
 */
export class ScenarioRunError extends DetnetError {
  constructor(
    message: string,
    /** Why the run stopped, without the scenario's name or the trace (the cause's message). */
    readonly reason: string,
    /** The run until it stopped. */
    readonly partial: ScenarioRun,
    cause: unknown,
  ) {
    super('ERR_SCENARIO_RUN', message, { cause });
    this.name = 'ScenarioRunError';
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** One list fed by every trace in `traces` as they record, after the entries they already hold. */
function merge(traces: readonly Trace[]): { readonly entries: readonly TraceEntry[]; stop(): void } {
  const entries = traces.flatMap((t) => [...t.entries]);
  const collect = (e: TraceEntry): void => void entries.push(e);
  for (const t of traces) t.on('entry', collect);
  return { entries, stop: () => traces.forEach((t) => t.off('entry', collect)) };
}

/**
 * Runs `scenario` on `backend` and returns its observation trace and trace entries. Throws a
 * `ScenarioRunError` (`ERR_SCENARIO_RUN`, with the run so far) when a step fails in a way a Tcl
 * script could not catch, or a handler raised a background error.
 */
export async function runScenario(input: Scenario, backend: ScenarioBackend, options: RunScenarioOptions = {}): Promise<ScenarioRun> {
  const scenario = validateScenario(input);
  if (isTclClient(scenario)) throw new DetnetError('ERR_SCENARIO_INVALID', `scenario "${scenario.name}" has a Tcl client: run it with runTclScenario (src/scenario/tcl-script-run.ts)`);
  // Real sockets stay on loopback, whichever scenario the backend was built for.
  if (backend.name === 'node') {
    assertRealRunnable(scenario, 'node', 'ERR_SCENARIO_NOT_RUNNABLE');
    assertLoopbackScenario(scenario, 'node', 'ERR_SCENARIO_NOT_RUNNABLE');
  }
  const run = new Run(scenario, backend, {
    loopLimit: options.loopLimit ?? SCENARIO_LOOP_LIMIT,
    ...(options.runawayLimit === undefined ? {} : { runawayLimit: options.runawayLimit }),
  });
  options.onInterp?.(run.interp);
  const recording = merge([...(options.traces ?? []), run.interp.trace]);
  const entries = recording.entries;
  let metas: MetaLine[] = [];
  let notes: NoteLine[] = [];
  let notesAt: number | null = null;
  let scriptFrom = entries.length;
  let scriptTo: number | null = null;
  const traces = [run.interp.trace, ...(options.traces ?? [])];
  const entryLimit = options.entryLimit ?? SCENARIO_ENTRY_LIMIT;
  // The work budget: a full trace would make the observation incomplete, so stop and say so.
  const budget = (): void => {
    const full = traces.find((t) => t.dropped > 0);
    if (full !== undefined) throw new DetnetError('ERR_TRACE_LIMIT', `the trace passed its limit of ${full.limit} entries; later entries were dropped`);
    if (entries.length > entryLimit) throw new DetnetError('ERR_TRACE_LIMIT', `the run recorded more than ${entryLimit} trace entries`);
  };
  run.beforeStep = budget;
  const body = async (): Promise<void> => {
    metas = await run.setup();
    scriptFrom = entries.length;
    // The fault timeline starts with the script, so what it installs at 0 ms shows in its timeline.
    backend.prepare?.(run.ports);
    for (const step of clientSteps(scenario)) await run.step(step);
    budget();
    scriptTo = entries.length;
    notes = await run.teardown();
    notesAt = backend.driver.clock.now();
    const first = run.interp.loop.backgroundErrors[0];
    if (first !== undefined) throw new DetnetError('ERR_SCENARIO_RUN', `a handler raised a background error: ${first.handler}: ${messageOf(first.error)}`);
  };
  // The run so far; called before `run.close()`, whose untraced clean-up the result leaves out.
  const outcome = (): ScenarioRun => {
    const timedRaw = run.timedResult(metas, notes, notesAt);
    const raw = timedRaw.map((l) => l.line);
    const lines = normalise(raw);
    const script = entries.slice(scriptFrom, scriptTo ?? entries.length).filter((e) => !run.excluded.has(e));
    return { backend: backend.name, raw, lines, entries, script, notes, timed: timedLines(timedRaw, lines) };
  };
  try {
    // A simulated run is bounded by virtual time and the world's loop limit; a real one by the clock.
    await (isBlockingDriver(backend.driver) ? body() : withDeadline(body(), backend, scenario.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS));
    return outcome();
  } catch (err) {
    const partial = outcome();
    // The message's trace leaves out the listeners' reports, as it always has.
    const sofar = normalise(run.result(metas, []))
      .map((l) => JSON.stringify(l))
      .join('\n');
    const reason = messageOf(err);
    throw new ScenarioRunError(`scenario "${scenario.name}" failed on ${backend.name}: ${reason}\n--- trace so far ---\n${sofar}`, reason, partial, err);
  } finally {
    recording.stop();
    run.close();
    await backend.dispose();
  }
}

/** `work`, or `ERR_SCENARIO_TIMEOUT` once `ms` of the backend's clock have passed. */
function withDeadline<T>(work: Promise<T>, backend: ScenarioBackend, ms: number): Promise<T> {
  const clock = backend.driver.clock;
  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimer(ms, () => reject(new DetnetError('ERR_SCENARIO_TIMEOUT', `the run passed its time limit of ${ms} ms`)), 'scenario-deadline');
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
