/**
 * The scenario runner: runs a scenario on detnet's `Interp` over a backend — the simulated
 * world (sim-backend.ts) or real loopback sockets (node-backend.ts) — and returns its §13
 * observation trace, raw and normalised: the detnet half of the parity suite.
 *
 * Owns: the backend contract, the order of a run (topology, client script, teardown, result),
 * the hard time limit of a real run, and turning a failure into one `ERR_SCENARIO_RUN` error
 * that carries the trace so far. The steps themselves run in run.ts, the topology in
 * topology.ts.
 *
 * On Linux, loopback packets sent by one command have been processed by the kernel before the
 * script's next command runs; the drivers model that themselves (`Driver.settle` on the sim,
 * `Driver.settleAsync` — one turn of Node's event loop before each Promise-form command — on
 * real sockets). Within one command (an `update`, a `vwait`) nothing catches up beyond what
 * the interpreter itself does, which is where the one declared Node difference of the parity
 * table comes from.
 */
import { DetnetError } from '../errors.js';
import type { Driver } from '../socket/driver.js';
import { normalise, type MetaLine, type ObservationLine } from '../trace/observation.js';
import { Run } from './run.js';
import { DEFAULT_SCENARIO_TIMEOUT_MS, type Scenario } from './scenario.js';
import { validateScenario } from './validate.js';

export { REFUSED_PORT_BASE } from './topology.js';

/** What a backend gives the runner. */
export interface ScenarioBackend {
  readonly name: 'sim' | 'node';
  readonly driver: Driver;
  /** Lets the network run until `done()` or `ms` pass (world time on the sim, real time on node). */
  waitFor(done: () => boolean, ms: number): Promise<boolean>;
  /** Called once after setup with the ports by role (the sim installs its fault timeline). */
  prepare?(ports: ReadonlyMap<string, number>): void;
  /** Releases everything the backend created. */
  dispose(): Promise<void>;
}

/** One run of a scenario on a detnet backend. */
export interface ScenarioRun {
  readonly backend: 'sim' | 'node';
  /** Every kept line with real names and ports, `meta` declarations included. */
  readonly raw: readonly ObservationLine[];
  /** Normalised, without `meta`: what parity compares. */
  readonly lines: readonly ObservationLine[];
}

/**
 * Runs `scenario` on `backend` and returns its observation trace. Throws `ERR_SCENARIO_RUN`
 * (with the trace so far) when a step fails in a way a Tcl script could not catch.
 */
export async function runScenario(input: Scenario, backend: ScenarioBackend): Promise<ScenarioRun> {
  const scenario = validateScenario(input);
  const run = new Run(scenario, backend);
  let metas: MetaLine[] = [];
  const body = async (): Promise<ScenarioRun> => {
    metas = await run.setup();
    for (const step of scenario.client) await run.step(step);
    const notes = await run.teardown();
    const first = run.interp.loop.backgroundErrors[0];
    if (first !== undefined) {
      const message = first.error instanceof Error ? first.error.message : String(first.error);
      throw new DetnetError('ERR_SCENARIO_RUN', `a handler raised a background error: ${first.handler}: ${message}`);
    }
    const raw = run.result(metas, notes);
    return { backend: backend.name, raw, lines: normalise(raw) };
  };
  try {
    // A simulated run is bounded by virtual time and the world's loop limit; a real one by the clock.
    return backend.driver.canBlock ? await body() : await withDeadline(body(), backend, scenario.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS);
  } catch (err) {
    const partial = normalise(run.result(metas, []))
      .map((l) => JSON.stringify(l))
      .join('\n');
    const message = err instanceof Error ? err.message : String(err);
    throw new DetnetError('ERR_SCENARIO_RUN', `scenario "${scenario.name}" failed on ${backend.name}: ${message}\n--- trace so far ---\n${partial}`, { cause: err });
  } finally {
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
