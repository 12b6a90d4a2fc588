/**
 * Tcl numbers: reading a string as an integer or a double the way Tcl does, and writing a
 * double the way Tcl prints it.
 *
 * Owns: the value kinds `expr` computes with — integers (a JavaScript number while it is a safe
 * integer, a `bigint` beyond, so 64-bit and larger arithmetic is exact as in Tcl 8.6) and
 * doubles (`Dbl`, so `6.0` stays a double) — integer syntax (`0x`, `0o`, `0b`, `0d`, a leading
 * `0` for octal), `Inf`/`NaN`, and Tcl's double format: the shortest text that reads back the
 * same, exponent form below 1e-4 and from 1e17 (`1e-5`, `1e+17`), `.0` added to integral values.
 * Does not: evaluate operators (expr-eval.ts).
 */
import { TclFailure } from './errors.js';

/** A double as `expr` sees it (boxed so that `2.0` and `2` stay different kinds). */
export class Dbl {
  constructor(readonly v: number) {}
}

/** An integer (number while safe, bigint beyond) or a double. */
export type Num = number | bigint | Dbl;

const SMALL_INT = /^\s*[-+]?[1-9][0-9]{0,14}\s*$|^\s*[-+]?0\s*$/;
const INT = /^\s*([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[dD][0-9]+|0[0-7]*|[1-9][0-9]*)\s*$/;
const FLOAT = /^\s*[-+]?(?:[0-9]+\.?[0-9]*(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?)\s*$/;
const SPECIAL = /^\s*([-+]?)(inf|infinity|nan)\s*$/i;

/** The common case without a regular expression: an optional `-` and 1..15 decimal digits, no leading zero. */
function smallInt(text: string): number | undefined {
  const n = text.length;
  if (n === 0 || n > 16) return undefined;
  let i = text.charCodeAt(0) === 45 ? 1 : 0;
  if (i === n || n - i > 15 || (text.charCodeAt(i) === 48 && n - i > 1)) return undefined;
  let v = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    v = v * 10 + c;
  }
  return text.charCodeAt(0) === 45 ? -v : v;
}

/** Normalises an integer: a number when it is safe, else a bigint. */
export function normInt(v: bigint): number | bigint {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

/** Reads `text` as an integer, or undefined. */
export function parseInt64(text: string): number | bigint | undefined {
  const small = smallInt(text);
  if (small !== undefined) return small;
  if (SMALL_INT.test(text)) return Number(text);
  const m = INT.exec(text);
  if (m === null) return undefined;
  const sign = m[1] === '-' ? -1n : 1n;
  let digits = m[2] as string;
  let v: bigint;
  if (/^0[dD]/.test(digits)) v = BigInt(digits.slice(2));
  else if (/^0[xXoObB]/.test(digits)) v = BigInt(digits.toLowerCase());
  else if (digits.length > 1 && digits[0] === '0') {
    digits = digits.slice(1);
    v = BigInt(`0o${digits}`);
  } else v = BigInt(digits);
  return normInt(sign * v);
}

/** Reads `text` as a Tcl number (integer first, then double), or undefined. */
export function parseNum(text: string): Num | undefined {
  const i = parseInt64(text);
  if (i !== undefined) return i;
  if (FLOAT.test(text)) return new Dbl(Number(text));
  const s = SPECIAL.exec(text);
  if (s !== null) {
    const word = (s[2] as string).toLowerCase();
    if (word === 'nan') return new Dbl(NaN);
    return new Dbl(s[1] === '-' ? -Infinity : Infinity);
  }
  return undefined;
}

/** Tcl's text for a double (tcl_precision 0: shortest round-trip). */
export function formatDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const [mant, expText] = v.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 17) return `${mant}e${exp < 0 ? '-' : '+'}${Math.abs(exp)}`;
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let out: string;
  if (exp < 0) out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  else if (digits.length > exp + 1) out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  else out = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  return neg ? `-${out}` : out;
}

/** The string form of a number. */
export function formatNum(n: Num): string {
  return n instanceof Dbl ? formatDouble(n.v) : String(n);
}

/** Reads an integer argument of a command, with Tcl's message. */
export function needInt(text: string): number {
  const v = parseInt64(text);
  if (v === undefined) throw new TclFailure(`expected integer but got "${text}"`, 'TCL VALUE NUMBER');
  return Number(v);
}

/** Reads a number argument of a command (integer or double), with Tcl's message. */
export function needNumber(text: string): Num {
  const v = parseNum(text);
  if (v === undefined) throw new TclFailure(`expected floating-point number but got "${text}"`, 'TCL VALUE NUMBER');
  return v;
}

const TRUE_WORDS = ['true', 'yes', 'on'];
const FALSE_WORDS = ['false', 'no', 'off'];

/** Reads a Tcl boolean: a number (non-zero is true) or a prefix of true/false/yes/no, on/off. */
export function parseBool(text: string): boolean | undefined {
  if (text === '1') return true;
  if (text === '0') return false;
  const n = parseNum(text);
  if (n !== undefined) return n instanceof Dbl ? n.v !== 0 : n !== 0 && n !== 0n;
  const w = text.trim().toLowerCase();
  if (w === '') return undefined;
  // Prefixes count, except the ambiguous "o" (on/off).
  if (w.length >= 2 || w !== 'o') {
    if (TRUE_WORDS.some((t) => t.startsWith(w) && (t !== 'on' || w.length >= 2))) return true;
    if (FALSE_WORDS.some((f) => f.startsWith(w) && (f !== 'off' || w.length >= 2))) return false;
  }
  return undefined;
}

/** Reads a boolean argument, with Tcl's message. */
export function needBool(text: string): boolean {
  const b = parseBool(text);
  if (b === undefined) throw new TclFailure(`expected boolean value but got "${text}"`, 'TCL VALUE NUMBER');
  return b;
}
