/**
 * Parity, leg (c): every scenario of the table runs in real tclsh 8.6 on loopback and must give
 * exactly its pinned trace. This leg never skips: without tclsh (CI installs Debian's tcl8.6)
 * or, for scenarios that name hosts, without a private hosts file (`unshare -rm`), its tests
 * fail with the reason. The one explicit opt-out, DETNET_NO_PRIVATE_HOSTS=1, leaves the
 * host-naming scenarios out of this leg on a machine that cannot create a mount namespace, and
 * says so; CI ignores it.
 */
import { describe, expect, it } from 'vitest';
import { renderTcl } from '../../src/scenario/tcl-render.js';
import { runScenarioInTclsh, tclshEnvironment } from '../../src/scenario/tclsh-runner.js';
import { diffObservations } from '../../src/trace/observation.js';
import { loadParityTable } from './table.js';

const table = loadParityTable();
const env = tclshEnvironment();
const optOut = process.env['DETNET_NO_PRIVATE_HOSTS'] === '1' && !process.env['CI'];

describe('parity table: real tclsh', () => {
  it('has at least the 20 scenarios issue 5 asks for, each with a pinned trace', () => {
    expect(table.length).toBeGreaterThanOrEqual(20);
    for (const c of table) expect(c.scenario.expect?.trace?.length ?? 0, c.file).toBeGreaterThan(0);
  });

  it('finds tclsh 8.6 on this machine (the leg fails rather than skips without it)', () => {
    expect(env.tclsh, env.notes.join('; ')).not.toBeNull();
    expect(env.version).toMatch(/^8\.6\./);
  });

  if (!optOut) {
    it('can give tclsh a private hosts file, so localhost can answer ::1 then 127.0.0.1', () => {
      expect(env.privateHosts, env.notes.join('; ')).toBe(true);
    });
  }

  for (const c of table) {
    const expected = c.expected('tclsh');
    if (expected === null) continue; // the scenario says tclsh does not run it, and why
    if (optOut && renderTcl(c.scenario).hosts !== null) {
      console.warn(`[parity] ${c.scenario.name}: left out of the tclsh leg (DETNET_NO_PRIVATE_HOSTS=1)`);
      continue;
    }
    it(`${c.scenario.name}: tclsh prints the pinned trace`, () => {
      // The pin was recorded from tclsh and checked against the reference; a difference here
      // means this machine's tclsh or kernel disagrees with the recording.
      const run = runScenarioInTclsh(c.scenario);
      const diff = diffObservations(expected, run.lines, { expected: 'pinned', actual: 'tclsh' });
      expect(diff, diff ?? '').toBeNull();
    });
  }
});
