// Values as Tcl writes them: list quoting round-trips any element, doubles print in a form that
// reads back to the same number, and the parser keeps what a script needs for errors.
import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { formatList, parseList, parseScript } from '../../../src/tcl/index.js';
import { formatDouble, parseInt64, parseNum, Dbl } from '../../../src/tcl/number.js';
import { lineAt } from '../../../src/tcl/parse-script.js';
import { propertyParams } from '../../helpers/property.js';

const FILE = 'test/unit/tcl/values.test.ts';
const tclChar = fc.constantFrom('a', ' ', '{', '}', '[', ']', '"', '\\', '$', ';', '\n', '\t', '#', 'é', '\u0000');

describe('list values', () => {
  test('formatList then parseList gives back every element, whatever it holds', () => {
    const element = fc.oneof(fc.string(), fc.array(tclChar, { maxLength: 12 }).map((c) => c.join('')));
    fc.assert(
      fc.property(fc.array(element, { maxLength: 8 }), (items) => {
        expect(parseList(formatList(items))).toEqual(items);
      }),
      propertyParams('tcl list round trip', FILE),
    );
  });

  it('quotes as Tcl_Merge does', () => {
    expect(formatList(['', 'a b', '{', '#x', 'y', 'a]'])).toBe('{} {a b} \\{ #x y a\\]');
    expect(formatList(['x', '#y'])).toBe('x #y');
    expect(formatList(['#y', 'x'])).toBe('{#y} x');
  });
});

describe('doubles', () => {
  test('formatDouble reads back to the same double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = formatDouble(x);
        const back = parseNum(text);
        expect(back).toBeInstanceOf(Dbl);
        expect(Object.is((back as Dbl).v, x) || (x === 0 && (back as Dbl).v === 0)).toBe(true);
      }),
      propertyParams('tcl double round trip', FILE),
    );
  });

  it('prints as tclsh does around the exponent thresholds', () => {
    expect([1e16, 1e17, 1e-4, 1e-5, 0.5, 100, -2.5e-7].map(formatDouble)).toEqual([
      '10000000000000000.0',
      '1e+17',
      '0.0001',
      '1e-5',
      '0.5',
      '100.0',
      '-2.5e-7',
    ]);
  });
});

describe('integers', () => {
  it('reads integers of every size and base exactly', () => {
    expect(['0', '-7', '123456789012345', '9999999999999999', '-9223372036854775809', '0x1f', '010', '0b101', '0o17', ' 42 '].map(parseInt64)).toEqual([
      0, -7, 123456789012345, 9999999999999999n, -9223372036854775809n, 31, 8, 5, 15, 42,
    ]);
    expect(['', '-', '08', '1.5', '+', '1e3', '0x'].map(parseInt64)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('parser', () => {
  it('keeps the commands before a syntax error and the error\'s offset', () => {
    const s = parseScript('puts a\nputs b\nset x {');
    expect(s.commands).toHaveLength(2);
    expect(s.error?.message).toBe('missing close-brace');
    expect(lineAt(s.source, s.error?.start ?? -1)).toBe(3);
  });

  it('marks words without substitution as literals (they cost nothing to evaluate)', () => {
    const s = parseScript('set {a b} "c d" e$f [g]');
    expect(s.commands[0]?.words.map((w) => w.literal)).toEqual(['set', 'a b', 'c d', undefined, undefined]);
  });

  it('counts lines across backslash-newlines and braces', () => {
    const src = 'set a {\n}\nputs \\\n  x\nfoo';
    const s = parseScript(src);
    expect(s.commands.map((c) => lineAt(src, c.start))).toEqual([1, 3, 5]);
  });
});
