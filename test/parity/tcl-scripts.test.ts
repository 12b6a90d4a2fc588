/**
 * Parity of Tcl scripts: every script of scenarios/parity-tcl, and every seed-page example of
 * examples/tcl on the world of scenarios/default.json, runs on detnet's interpreter over the
 * simulated world and over real loopback sockets, and in real tclsh 8.6, and all three write
 * the same stdout (normalised: tcl-table.ts) and record the same observation trace (what
 * `detnet run FILE.tcl --format obs` prints: src/scenario/tcl-observations.ts). tclsh is the
 * reference: what it writes and records is what the other two must reproduce. Like the step
 * table's tclsh leg, this never skips for want of tclsh; a backend is left out only where a
 * difference is declared with its reason (the step twin's, or tcl-table.ts's lists).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scriptScenario } from '../../src/cli/tcl-run.js';
import { loadScenario } from '../../src/cli/scenario-files.js';
import { nodeBackend } from '../../src/scenario/node-backend.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { simBackend } from '../../src/scenario/sim-backend.js';
import { detnetTclObservations, tclshTclObservations } from '../../src/scenario/tcl-observations.js';
import { runTclScenario } from '../../src/scenario/tcl-script-run.js';
import { runTclClientInTclsh } from '../../src/scenario/tclsh-script.js';
import { diffObservations } from '../../src/trace/observation.js';
import type { Backend } from './table.js';
import { loadTclParityTable, normaliseStdout, TCL_OBS_DIFFERENCES } from './tcl-table.js';

const table = loadTclParityTable();
const EXAMPLES_DIR = fileURLToPath(new URL('../../examples/tcl/', import.meta.url));
const DEFAULT_WORLD = loadScenario(fileURLToPath(new URL('../../scenarios/default.json', import.meta.url)), { strict: true });
const examples = readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith('.tcl'))
  .sort()
  .map((file) => ({ file, scenario: scriptScenario(`${EXAMPLES_DIR}${file}`, DEFAULT_WORLD), skip: (_b: Backend): string | undefined => undefined }));

/** One script's three-way check: stdout, then the normalised observation trace. */
async function checkThreeWays(c: { readonly file: string; readonly scenario: Scenario; skip(b: Backend): string | undefined }): Promise<void> {
  const reference = runTclClientInTclsh(c.scenario);
  expect(reference.status, reference.stderr.join('\n')).toBe(0);
  const expected = normaliseStdout(reference.stdout);
  // A script that prints nothing would pass vacuously.
  expect(expected.length).toBeGreaterThan(0);
  const traced = runTclClientInTclsh(c.scenario, { obs: true });
  // The tracing wrappers must not change what the script does.
  expect(normaliseStdout(traced.stdout), `tclsh with the tracing wrappers\n${traced.stderr.join('\n')}`).toEqual(expected);
  const expectedObs = tclshTclObservations(traced);
  expect(expectedObs.length).toBeGreaterThan(0);
  for (const backend of ['sim', 'node'] as const) {
    if (c.skip(backend) !== undefined) continue;
    const run = await runTclScenario(c.scenario, backend === 'sim' ? simBackend(c.scenario) : nodeBackend(c.scenario));
    expect(normaliseStdout(run.stdout), `${backend}\n${run.stderr.join('\n')}`).toEqual(expected);
    if (TCL_OBS_DIFFERENCES[c.file]?.[backend] !== undefined) continue;
    expect(diffObservations(expectedObs, detnetTclObservations(run), { expected: 'tclsh', actual: backend })).toBeNull();
  }
}

describe('Tcl parity table: sim, Node and tclsh write the same stdout and record the same observations', () => {
  it('has a Tcl twin of every step parity scenario and at least 15 scripts of its own', () => {
    expect(table.filter((c) => c.twin).length).toBeGreaterThanOrEqual(38);
    expect(table.filter((c) => !c.twin).length).toBeGreaterThanOrEqual(15);
  });

  it('compares the observation trace of nearly every script on both detnet backends', () => {
    const declared = Object.values(TCL_OBS_DIFFERENCES).flatMap((d) => Object.keys(d)).length;
    expect(declared).toBeLessThanOrEqual(10);
    for (const file of Object.keys(TCL_OBS_DIFFERENCES)) expect([...table, ...examples].some((c) => c.file === file), file).toBe(true);
  });

  for (const c of table) {
    it(`${c.file} writes the same lines and records the same observations on every backend it runs on`, () => checkThreeWays(c), 30_000);
  }
});

describe('seed-page examples on the default world: the same stdout and observations on sim, Node and tclsh', () => {
  it('has the seed page examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
  });

  for (const c of examples) {
    it(`examples/tcl/${c.file} writes the same lines and records the same observations on every backend`, () => checkThreeWays(c), 30_000);
  }
});
