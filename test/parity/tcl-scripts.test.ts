/**
 * Parity of Tcl scripts: every script of scenarios/parity-tcl runs on detnet's interpreter
 * over the simulated world and over real loopback sockets, and in real tclsh 8.6, and all
 * three write the same stdout (normalised: tcl-table.ts). tclsh is the reference: its output
 * is what the other two must reproduce. Like the step table's tclsh leg, this never skips for
 * want of tclsh; a backend is left out only where the script's step twin declares (with its
 * reason) that it differs.
 */
import { describe, expect, it } from 'vitest';
import { nodeBackend } from '../../src/scenario/node-backend.js';
import { simBackend } from '../../src/scenario/sim-backend.js';
import { runTclScenario } from '../../src/scenario/tcl-script-run.js';
import { runTclClientInTclsh } from '../../src/scenario/tclsh-script.js';
import { loadTclParityTable, normaliseStdout } from './tcl-table.js';

const table = loadTclParityTable();

describe('Tcl parity table: sim, Node and tclsh write the same stdout', () => {
  it('has a Tcl twin of every step parity scenario and at least 15 scripts of its own', () => {
    expect(table.filter((c) => c.twin).length).toBeGreaterThanOrEqual(38);
    expect(table.filter((c) => !c.twin).length).toBeGreaterThanOrEqual(15);
  });

  for (const c of table) {
    it(`${c.file} writes the same lines on every backend it runs on`, async () => {
      const reference = runTclClientInTclsh(c.scenario);
      expect(reference.status, reference.stderr.join('\n')).toBe(0);
      const expected = normaliseStdout(reference.stdout);
      // A script that prints nothing would pass vacuously.
      expect(expected.length).toBeGreaterThan(0);
      if (c.skip('sim') === undefined) {
        const sim = await runTclScenario(c.scenario, simBackend(c.scenario));
        expect(normaliseStdout(sim.stdout), `sim\n${sim.stderr.join('\n')}`).toEqual(expected);
      }
      if (c.skip('node') === undefined) {
        const node = await runTclScenario(c.scenario, nodeBackend(c.scenario));
        expect(normaliseStdout(node.stdout), `node\n${node.stderr.join('\n')}`).toEqual(expected);
      }
    }, 30_000);
  }
});
