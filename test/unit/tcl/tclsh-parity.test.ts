/**
 * The interpreter against real tclsh 8.6: every script in the table prints the same stdout,
 * and every syntax error fails with tclsh's message after the same output.
 */
import { describe, expect, it } from 'vitest';
import { HAVE_TCLSH, runOurs, runTclsh } from '../../helpers/tcl.js';
import { QUOTING, SCRIPTS, SYNTAX_ERRORS } from './tclsh-table.js';

const all = [...SYNTAX_ERRORS, ...SCRIPTS, ...QUOTING];
// One tclsh process runs the whole table (a fresh child interpreter per script).
// Never skipped: without tclsh (CI installs Debian's tcl8.6) the first test fails.
const theirs = HAVE_TCLSH ? runTclsh(all.map((s) => s.script)) : [];

describe('scripts print what tclsh prints', () => {
  it('finds tclsh 8.6 on this machine (fails rather than skips without it)', () => {
    expect(HAVE_TCLSH).toBe(true);
  });
  it('tclsh answered every script of the table', () => {
    expect(theirs.length).toBe(all.length);
  });
  for (const [i, entry] of all.entries()) {
    it(`${entry.name}`, () => {
      expect(runOurs(entry.script)).toEqual(theirs[i]);
    });
  }
  it('every syntax error case fails, in tclsh too (the table tests errors, not successes)', () => {
    for (const [i] of SYNTAX_ERRORS.entries()) expect(theirs[i]?.at(-1) ?? '').toMatch(/^error: |^missing|^extra|^invalid/);
  });
});
