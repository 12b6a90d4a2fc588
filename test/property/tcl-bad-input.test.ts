// Bad input for the Tcl interpreter (issue 10, item 7): random token soups, mutations of
// working scripts, deep nesting and huge words. Whatever the script, a run ends with a result
// or a TclScriptError that carries Tcl's message and a line number inside the script — never
// a JavaScript exception, a JavaScript stack trace in the message, a hang (the command budget
// and the sim's forever-wait detection bound every run), or an internal error.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { TclScriptError } from '../../src/tcl/index.js';
import { propertyParams } from '../helpers/property.js';
import { runOurs, runTclsh, simTcl } from '../helpers/tcl.js';
import { SCRIPTS, SYNTAX_ERRORS } from '../unit/tcl/tclsh-table.js';

const FILE = 'test/property/tcl-bad-input.test.ts';
/** Small enough that a runaway script ends in milliseconds. */
const BUDGET = 20_000;

type Outcome = { ok: true; result: string } | { ok: false; error: TclScriptError };

/** Runs `script` on a fresh interpreter and checks the outcome's shape. */
function runChecked(script: string): Outcome {
  const { tcl, interp } = simTcl({ budget: BUDGET });
  let outcome: Outcome;
  try {
    outcome = { ok: true, result: tcl.eval(script) };
  } catch (err) {
    // Anything but a TclScriptError escaping is a failure of the property.
    expect(err).toBeInstanceOf(TclScriptError);
    outcome = { ok: false, error: err as TclScriptError };
  } finally {
    interp.close();
  }
  expect(tcl.internalErrors).toEqual([]);
  if (!outcome.ok) {
    const e = outcome.error;
    if (e.code !== 'ERR_TCL_RETURN') {
      expect(e.message).not.toMatch(/\n\s+at .*\(|\.ts:\d+|\.js:\d+/);
      expect(e.errorInfo).not.toMatch(/\n\s+at .*\(|\.ts:\d+|\.js:\d+/);
      const lines = script.split('\n').length;
      expect(e.line).toBeGreaterThanOrEqual(1);
      expect(e.line).toBeLessThanOrEqual(lines);
      expect(e.errorInfo).toContain(`line ${e.line})`);
    }
  }
  return outcome;
}

/** Tokens that matter to Tcl's parser, plus a few commands and words. */
const TOKENS = [
  '{', '}', '[', ']', '"', '$', '\\', ';', '\n', ' ', ' ', '(', ')', '#', '{*}', '\\\n', '\\x', '\\u00', '::',
  'set x ', 'puts ', 'expr ', 'if ', 'while ', 'proc p ', 'p ', 'list ', 'lindex ', 'string length ', 'incr x ',
  'foreach i ', 'catch ', 'return ', 'break', 'continue', 'error ', 'format %d ', 'dict get ', 'after 1 ', 'vwait v ',
  'socket ', 'gets ', 'a', 'b', '1', '0', '-', '+', '*', '/', '==', '&&', '?', ':', ',', 'x(', '$x', '${x}',
];

const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((t) => t.join(''));

/** A working script from the parity table with characters inserted, deleted or replaced. */
const mutated = fc
  .record({
    base: fc.constantFrom(...SCRIPTS.map((s) => s.script), ...SYNTAX_ERRORS.map((s) => s.script)),
    edits: fc.array(
      fc.record({ at: fc.nat(), kind: fc.constantFrom('insert', 'delete', 'replace'), ch: fc.constantFrom('{', '}', '[', ']', '"', '$', '\\', ';', '\n', ' ', '(', ')') }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ base, edits }) => {
    let s = base;
    for (const e of edits) {
      const at = s.length === 0 ? 0 : e.at % s.length;
      if (e.kind === 'insert') s = s.slice(0, at) + e.ch + s.slice(at);
      else if (e.kind === 'delete') s = s.slice(0, at) + s.slice(at + 1);
      else s = s.slice(0, at) + e.ch + s.slice(at + 1);
    }
    return s;
  });

describe('bad Tcl input ends in a result or a Tcl error with a line number', () => {
  test('random token soups', () => {
    fc.assert(fc.property(soup, (script) => void runChecked(script)), propertyParams('tcl token soup', FILE, 500));
  });

  test('mutated working scripts', () => {
    fc.assert(fc.property(mutated, (script) => void runChecked(script)), propertyParams('tcl mutated scripts', FILE, 500));
  });

  test('deep nesting of brackets, braces, quotes, parentheses and calls', () => {
    const depth = fc.integer({ min: 1, max: 3000 });
    const shape = fc.constantFrom('bracket', 'brace', 'paren', 'proc', 'quote-bracket', 'unbalanced');
    fc.assert(
      fc.property(shape, depth, (kind, n) => {
        const script = {
          bracket: `puts ${'[list '.repeat(n)}x${']'.repeat(n)}`,
          brace: `set x ${'{'.repeat(n)}a${'}'.repeat(n)}\nputs [string length $x]`,
          paren: `expr {${'('.repeat(n)}1${')'.repeat(n)}}`,
          proc: `proc p {n} { if {$n > 0} { p [expr {$n - 1}] } }\np ${n}`,
          'quote-bracket': `puts "${'[list "'.repeat(Math.min(n, 400))}x${'"]'.repeat(Math.min(n, 400))}"`,
          unbalanced: `puts a\n${'{['.repeat(n)}`,
        }[kind];
        runChecked(script);
      }),
      propertyParams('tcl deep nesting', FILE, 60),
    );
  });

  test('huge words and long lines', () => {
    const size = fc.integer({ min: 1_000, max: 400_000 });
    const ch = fc.constantFrom('a', ' ', '{', '"', '\\', '$', '[');
    fc.assert(
      fc.property(size, ch, (n, c) => {
        const word = c.repeat(n);
        runChecked(`set x "${word}"\nputs [string length $x]`);
        runChecked(`set y {${word}}\nllength $y`);
      }),
      propertyParams('tcl huge words', FILE, 40),
    );
  });
});

describe('pinned bad inputs', () => {
  // Each of these is a shape the generators above reach; pinned so a regression names itself.
  test('a runaway loop stops at the command budget with a clear, fatal error', () => {
    const r = runChecked('set i 0\nwhile 1 { catch { incr i } }');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('ERR_TCL_BUDGET');
      expect(r.error.message).toMatch(/command budget exceeded/);
      expect(r.error.line).toBe(2);
    }
  });

  test('unbounded recursion is Tcl\'s "too many nested evaluations", not a JavaScript stack overflow', () => {
    const r = runChecked('proc p {} { p }\np');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe('too many nested evaluations (infinite loop?)');
  });

  test('a break outside a loop is an error on the line of the break', () => {
    const r = runChecked('puts a\n\nbreak');
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.error.message, r.error.line]).toEqual(['invoked "break" outside of a loop', 3]);
  });

  test('a vwait nothing can satisfy fails instead of hanging', () => {
    const r = runChecked('vwait forever');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.errorCode).toMatch(/^DETNET ERR_/);
  });
});

describe('syntax errors of mutated scripts match tclsh', () => {
  // One batch through one tclsh process. For every mutated script whose tclsh run ends in a
  // syntax error: our run must end in an error too (a syntax error is never missed), and when
  // both runs printed the same lines before it, with the same message. (A run may stop
  // earlier at a runtime corner the two interpreters treat differently — e.g. when tclsh
  // compiles a script that holds a syntax error, `catch {return -code error}` sets
  // `::errorCode` — and then the messages are not comparable.)
  const PARSE_ERROR = /^error: (missing|extra characters|unbalanced|invalid bareword|invalid character)/;
  test('mutations of the table scripts', () => {
    const params = propertyParams('tcl syntax errors vs tclsh', FILE, 300);
    const scripts = fc.sample(mutated, { seed: params.seed ?? 0, numRuns: params.numRuns ?? 300 });
    const theirs = runTclsh(scripts);
    expect(theirs.length).toBe(scripts.length);
    let compared = 0;
    scripts.forEach((script, i) => {
      const expected = theirs[i] ?? [];
      if (!PARSE_ERROR.test(expected.at(-1) ?? '')) return;
      const ours = runOurs(script, { budget: BUDGET });
      expect({ script, endsInError: ours.at(-1)?.startsWith('error: ') }).toEqual({ script, endsInError: true });
      if (JSON.stringify(ours.slice(0, -1)) !== JSON.stringify(expected.slice(0, -1))) return;
      compared++;
      expect({ script, out: ours }).toEqual({ script, out: expected });
    });
    // Guard against a vacuous pass: the mutations do produce comparable syntax errors.
    expect(compared).toBeGreaterThan(20);
  });
});
