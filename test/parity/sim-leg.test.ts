/**
 * Parity, leg (a): every scenario of the table runs on the simulated world through detnet's
 * interpreter and must give the pinned tclsh trace (or the trace its `differences` declare
 * for the sim, with the reason). Also: the simulated leg is deterministic — two runs of a
 * scenario give byte-identical raw traces, real ports and channel names included.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/scenario/runner.js';
import { simBackend } from '../../src/scenario/sim-backend.js';
import { diffObservations, toJSONL } from '../../src/trace/observation.js';
import { loadParityTable } from './table.js';

const table = loadParityTable();

describe('parity table: simulated world', () => {
  for (const c of table) {
    const expected = c.expected('sim');
    if (expected === null) continue;
    const why = c.difference('sim');
    it(`${c.scenario.name}: the simulated world gives the ${why === undefined ? 'tclsh' : 'declared sim'} trace`, async () => {
      const run = await runScenario(c.scenario, simBackend(c.scenario));
      const diff = diffObservations(expected, run.lines, { expected: why === undefined ? 'tclsh' : 'declared', actual: 'sim' });
      expect(diff, diff ?? '').toBeNull();
    });
  }

  it('runs every scenario twice with byte-identical raw traces (same seed, same bytes)', async () => {
    for (const c of table) {
      const a = await runScenario(c.scenario, simBackend(c.scenario));
      const b = await runScenario(c.scenario, simBackend(c.scenario));
      expect(toJSONL(b.raw), c.scenario.name).toBe(toJSONL(a.raw));
      // The raw trace really carries real names: normalisation had something to do.
      expect(toJSONL(a.raw), c.scenario.name).toMatch(/sock[0-9]+/);
    }
  });
});
