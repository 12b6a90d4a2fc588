/**
 * `detnet run` for a Tcl client: a `.tcl` file (on the default loopback world, or on the world
 * of `--world W.json`), or a scenario file whose client is Tcl. Called by run-command.ts once
 * it has read the options.
 *
 * Owns: the default loopback world of a bare script (one machine whose `localhost` answers
 * `::1` then `127.0.0.1`, nothing listening: a self-contained script opens its own `socket
 * -server`), putting a script into a world file, the output formats of a Tcl client —
 * `stdout` (only what the script wrote: diffable against `tclsh FILE.tcl`), `timeline` (the
 * trace on the detnet backends, then the script's output; tclsh: the output), `jsonl` (the
 * raw trace entries), `obs` (the normalised §13 observation lines, tcl-observations.ts: the
 * same on every backend, tclsh included, so `diff` compares them) — and the exit status (the script's: 0, or 1 after an uncaught error or
 * `exit 1`; stderr gets its errorInfo as tclsh prints it).
 *
 * Does not: run anything itself (tcl-script-run.ts, tclsh-script.ts).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { DetnetError } from '../errors.js';
import type { ScenarioBackend } from '../scenario/backend.js';
import type { Scenario } from '../scenario/scenario.js';
import { simBackend } from '../scenario/sim-backend.js';
import { withTclClient } from '../scenario/client-kind.js';
import { runTclScenario, type TclScenarioRun } from '../scenario/tcl-script-run.js';
import { detnetTclObservations, tclshTclObservations } from '../scenario/tcl-observations.js';
import { toJSONL } from '../trace/observation.js';
import { formatTimeline, type TimelineLevel } from '../trace/timeline.js';
import { EXIT, UsageError, type Streams } from './command.js';
import { displayPath } from './scenario-files.js';

/** The world a bare `.tcl` file runs on: loopback, `localhost` = `::1`, `127.0.0.1`. */
export function defaultTclWorld(name: string): Scenario {
  return {
    name,
    description: 'A Tcl script on the default loopback world: localhost is ::1 then 127.0.0.1',
    hosts: [{ name: 'localhost', addresses: ['::1', '127.0.0.1'] }],
    client: { tcl: 'return' },
  };
}

/** A kebab-case scenario name from a script's file name (`Seed Example.tcl` → `seed-example`). */
function nameOf(file: string): string {
  const stem = basename(file).replace(/\.tcl$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return stem === '' ? 'script' : stem;
}

/** The scenario `detnet run FILE.tcl [--world W]` runs: the world (or the default) with the script as its client. */
export function scriptScenario(file: string, world: Scenario | null): Scenario {
  let tcl: string;
  try {
    tcl = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${displayPath(file)}: cannot read the file: ${err instanceof Error ? err.message : String(err)}`);
  }
  return withTclClient(world ?? defaultTclWorld(nameOf(file)), tcl);
}

/** What the Tcl client run prints and how. */
export interface TclRunSettings {
  readonly backend: 'sim' | 'node' | 'tclsh';
  readonly format: 'stdout' | 'timeline' | 'jsonl' | 'obs';
  readonly level: TimelineLevel;
  readonly traceAll: boolean;
}

/** Runs a Tcl client as `detnet run` does; returns the exit code. */
export async function runTclClient(scenario: Scenario, s: TclRunSettings, { out, err }: Streams): Promise<number> {
  if (s.backend === 'tclsh') {
    if (s.format === 'jsonl') throw new UsageError('--format jsonl needs a detnet backend: tclsh records no raw trace (use --format obs or stdout)');
    const { runTclClientInTclsh } = await import('../scenario/tclsh-script.js');
    const r = notRunnable(() => runTclClientInTclsh(scenario, { obs: s.format === 'obs' }));
    if (s.format === 'obs') out.write(toJSONL(tclshTclObservations(r)));
    else for (const line of r.stdout) out.write(`${line}\n`);
    for (const line of r.stderr) err.write(`${line}\n`);
    if (r.timedOut) err.write('detnet: tclsh was killed at the scenario\'s time limit\n');
    return r.status === 0 ? EXIT.ok : EXIT.failed;
  }
  let backend: ScenarioBackend;
  let world: ReturnType<typeof simBackend>['world'] | null = null;
  if (s.backend === 'sim') {
    const sim = simBackend(scenario);
    backend = sim;
    world = sim.world;
  } else {
    const { nodeBackend } = await import('../scenario/node-backend.js');
    backend = notRunnable(() => nodeBackend(scenario));
  }
  const run: TclScenarioRun = await runTclScenario(scenario, backend, { ...(world === null ? {} : { traces: [world.trace] }), trace: s.traceAll ? 'all' : 'sockets' });
  switch (s.format) {
    case 'stdout':
      for (const line of run.stdout) out.write(`${line}\n`);
      break;
    case 'jsonl':
      for (const e of run.entries) out.write(`${JSON.stringify(e)}\n`);
      break;
    case 'obs':
      out.write(toJSONL(detnetTclObservations(run)));
      break;
    case 'timeline':
      out.write([`scenario ${scenario.name} (Tcl client) on ${run.backend}${[...run.ports].map(([r, p]) => `, $${r} = ${p}`).join('')}`, '', `timeline (${run.backend === 'sim' ? 'virtual' : 'real'} ms; level ${s.level}):`, ...formatTimeline(run.entries, s.level), '', 'stdout:', ...run.stdout.map((l) => `  ${l}`), ''].join('\n'));
      break;
  }
  for (const line of run.stderr) err.write(`${line}\n`);
  return run.status === 0 ? EXIT.ok : EXIT.failed;
}

/** `fn`, with a scenario the backend cannot run turned into a `UsageError` (exit 2). */
function notRunnable<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DetnetError && (e.code === 'ERR_SCENARIO_NOT_RUNNABLE' || e.code === 'ERR_SCENARIO_NOT_RENDERABLE' || e.code === 'ERR_TCLSH_UNAVAILABLE')) throw new UsageError(e.message);
    throw e;
  }
}
