/**
 * `string` (length index range equal compare match map first last trim trimleft trimright
 * toupper tolower is repeat reverse cat) and `format`, plus Tcl's glob matching.
 *
 * Owns: index arithmetic (`end`, `end-N`, `N+M`), glob patterns (`*`, `?`, `[a-z]`, `\x`),
 * `format` conversions `%d %i %u %s %c %x %X %o %f %e %E %g %G %%` with flags, width,
 * precision and `*`.
 * Departs from Tcl: lengths and indices count UTF-16 code units (the same for text without
 * characters beyond the Basic Multilingual Plane).
 */
import { TclFailure, wrongArgs } from '../errors.js';
import { parseList as parseListLocal } from '../list.js';
import { Dbl, needInt, needNumber, parseNum } from '../number.js';
import type { TclContext } from '../context.js';

/** Reads a Tcl index (`3`, `end`, `end-1`, `2+1`) against a length. */
export function parseIndex(text: string, length: number): number {
  const m = /^\s*(end|[-+]?\d+)(?:([-+])(\d+))?\s*$/.exec(text);
  if (m === null) {
    throw new TclFailure(`bad index "${text}": must be integer?[+-]integer? or end?[+-]integer?`, 'TCL VALUE INDEX');
  }
  let base = m[1] === 'end' ? length - 1 : Number(m[1]);
  if (m[2] !== undefined) base += (m[2] === '-' ? -1 : 1) * Number(m[3]);
  return base;
}

/** A regular expression from a script, with a Tcl error for a bad pattern. */
export function regex(pattern: string, nocase: boolean): RegExp {
  try {
    return new RegExp(pattern, nocase ? 'i' : '');
  } catch (err) {
    throw new TclFailure(`couldn't compile regular expression pattern: ${(err as Error).message}`, 'REGEXP');
  }
}

/** Tcl's `string match`. */
export function globMatch(pattern: string, str: string, nocase = false): boolean {
  const p = nocase ? pattern.toLowerCase() : pattern;
  const s = nocase ? str.toLowerCase() : str;
  return matchAt(p, 0, s, 0);
}

function matchAt(p: string, pi: number, s: string, si: number): boolean {
  while (pi < p.length) {
    const c = p[pi]!;
    if (c === '*') {
      while (p[pi] === '*') pi++;
      if (pi === p.length) return true;
      for (let k = si; k <= s.length; k++) if (matchAt(p, pi, s, k)) return true;
      return false;
    }
    if (si >= s.length) return false;
    if (c === '?') {
      pi++;
      si++;
      continue;
    }
    if (c === '[') {
      const close = p.indexOf(']', pi + 1);
      const set = close < 0 ? p.slice(pi + 1) : p.slice(pi + 1, close);
      const ch = s[si]!;
      let hit = false;
      for (let k = 0; k < set.length; k++) {
        if (set[k + 1] === '-' && k + 2 < set.length) {
          const lo = set[k]!;
          const hi = set[k + 2]!;
          if ((ch >= lo && ch <= hi) || (ch >= hi && ch <= lo)) hit = true;
          k += 2;
        } else if (set[k] === ch) hit = true;
      }
      if (!hit) return false;
      pi = close < 0 ? p.length : close + 1;
      si++;
      continue;
    }
    if (c === '\\' && pi + 1 < p.length) pi++;
    if (p[pi] !== s[si]) return false;
    pi++;
    si++;
  }
  return si === s.length;
}

function trimSet(chars: string | undefined): (ch: string) => boolean {
  if (chars === undefined) return (ch) => /\s/.test(ch) || ch === '\0';
  return (ch) => chars.includes(ch);
}

function trimLeft(s: string, chars: string | undefined): string {
  const test = trimSet(chars);
  let i = 0;
  while (i < s.length && test(s[i]!)) i++;
  return s.slice(i);
}

function trimRight(s: string, chars: string | undefined): string {
  const test = trimSet(chars);
  let i = s.length;
  while (i > 0 && test(s[i - 1]!)) i--;
  return s.slice(0, i);
}

const CLASSES: Readonly<Record<string, (s: string) => boolean>> = {
  integer: (s) => s !== '' && parseNum(s) !== undefined && !(parseNum(s) instanceof Dbl),
  double: (s) => s !== '' && parseNum(s) !== undefined,
  digit: (s) => /^\d*$/.test(s),
  alpha: (s) => /^[A-Za-z]*$/.test(s),
  alnum: (s) => /^[A-Za-z0-9]*$/.test(s),
  space: (s) => /^\s*$/.test(s),
  upper: (s) => /^[A-Z]*$/.test(s),
  lower: (s) => /^[a-z]*$/.test(s),
  boolean: (s) => /^(1|0|true|false|yes|no|on|off)$/i.test(s),
  true: (s) => /^(1|true|yes|on)$/i.test(s),
  false: (s) => /^(0|false|no|off)$/i.test(s),
  xdigit: (s) => /^[0-9A-Fa-f]*$/.test(s),
  wordchar: (s) => /^\w*$/.test(s),
};

const SUBCOMMANDS = 'bytelength, cat, compare, equal, first, index, is, last, length, map, match, range, repeat, replace, reverse, tolower, totitle, toupper, trim, trimleft, trimright, wordend, or wordstart';

function stringCmd(_ti: TclContext, argv: string[]): string {
  const sub = argv[1];
  const a = argv.slice(2);
  const need = (min: number, max: number, usage: string): void => {
    if (a.length < min || a.length > max) throw wrongArgs(`string ${sub} ${usage}`);
  };
  switch (sub) {
    case 'length':
      need(1, 1, 'string');
      return String(a[0]!.length);
    case 'index': {
      need(2, 2, 'string charIndex');
      const i = parseIndex(a[1]!, a[0]!.length);
      return a[0]![i] ?? '';
    }
    case 'range': {
      need(3, 3, 'string first last');
      const s = a[0]!;
      const from = Math.max(0, parseIndex(a[1]!, s.length));
      const to = Math.min(s.length - 1, parseIndex(a[2]!, s.length));
      return from > to ? '' : s.slice(from, to + 1);
    }
    case 'equal':
    case 'compare': {
      let nocase = false;
      let length = -1;
      let i = 0;
      for (; i < a.length - 2; i++) {
        if (a[i] === '-nocase') nocase = true;
        else if (a[i] === '-length') length = needInt(a[++i]!);
        else throw new TclFailure(`bad option "${a[i]}": must be -nocase or -length`, 'TCL LOOKUP INDEX option');
      }
      if (a.length - i !== 2) throw wrongArgs(`string ${sub} ?-nocase? ?-length int? string1 string2`);
      let x = a[i]!;
      let y = a[i + 1]!;
      if (nocase) [x, y] = [x.toLowerCase(), y.toLowerCase()];
      if (length >= 0) [x, y] = [x.slice(0, length), y.slice(0, length)];
      if (sub === 'equal') return x === y ? '1' : '0';
      return x < y ? '-1' : x > y ? '1' : '0';
    }
    case 'match': {
      const nocase = a[0] === '-nocase';
      const rest = nocase ? a.slice(1) : a;
      if (rest.length !== 2) throw wrongArgs('string match ?-nocase? pattern string');
      return globMatch(rest[0]!, rest[1]!, nocase) ? '1' : '0';
    }
    case 'map': {
      const nocase = a[0] === '-nocase';
      const rest = nocase ? a.slice(1) : a;
      if (rest.length !== 2) throw wrongArgs('string map ?-nocase? charMap string');
      return stringMap(rest[0]!, rest[1]!, nocase);
    }
    case 'first':
    case 'last': {
      need(2, 3, 'needleString haystackString ?startIndex?');
      const [needle, hay] = [a[0]!, a[1]!];
      if (sub === 'first') {
        const start = a[2] === undefined ? 0 : Math.max(0, parseIndex(a[2], hay.length));
        return needle === '' ? '-1' : String(hay.indexOf(needle, start));
      }
      const start = a[2] === undefined ? hay.length : parseIndex(a[2], hay.length);
      return needle === '' || start < 0 ? '-1' : String(hay.lastIndexOf(needle, start));
    }
    case 'trim':
      need(1, 2, 'string ?chars?');
      return trimRight(trimLeft(a[0]!, a[1]), a[1]);
    case 'trimleft':
      need(1, 2, 'string ?chars?');
      return trimLeft(a[0]!, a[1]);
    case 'trimright':
      need(1, 2, 'string ?chars?');
      return trimRight(a[0]!, a[1]);
    case 'toupper':
      need(1, 1, 'string');
      return a[0]!.toUpperCase();
    case 'tolower':
      need(1, 1, 'string');
      return a[0]!.toLowerCase();
    case 'repeat': {
      need(2, 2, 'string count');
      const n = needInt(a[1]!);
      // Departs from Tcl (2 GB): a 16M-character cap keeps a script from exhausting memory.
      if (n * a[0]!.length > 1 << 24) throw new TclFailure('string size overflow, must be less than 16777216', 'TCL MEMORY');
      return n <= 0 ? '' : a[0]!.repeat(n);
    }
    case 'reverse':
      need(1, 1, 'string');
      return [...a[0]!].reverse().join('');
    case 'cat':
      return a.join('');
    case 'is': {
      const cls = a[0];
      const strict = a[1] === '-strict';
      const value = a[a.length - 1];
      const test = cls === undefined ? undefined : CLASSES[cls];
      if (test === undefined || value === undefined || a.length < 2) {
        throw wrongArgs('string is class ?-strict? ?-failindex var? str');
      }
      if (value === '' && !strict) return '1';
      return test(value) ? '1' : '0';
    }
  }
  if (sub === undefined) throw wrongArgs('string subcommand ?arg ...?');
  throw new TclFailure(`unknown or ambiguous subcommand "${sub}": must be ${SUBCOMMANDS}`, 'TCL LOOKUP SUBCOMMAND');
}

function stringMap(mapText: string, s: string, nocase: boolean): string {
  const map = parseListLocal(mapText);
  if (map.length % 2 !== 0) throw new TclFailure('char map list unbalanced', 'TCL OPERATION STRING MAP');
  let out = '';
  let i = 0;
  const hay = nocase ? s.toLowerCase() : s;
  outer: while (i < s.length) {
    for (let k = 0; k < map.length; k += 2) {
      const key = nocase ? map[k]!.toLowerCase() : map[k]!;
      if (key !== '' && hay.startsWith(key, i)) {
        out += map[k + 1]!;
        i += key.length;
        continue outer;
      }
    }
    out += s[i++];
  }
  return out;
}

/** Widest `format` field (a guard against `%999999999d`). */
const MAX_FIELD = 1_000_000;

const FORMAT = /%(?:(\d+)\$)?([-+ 0#]*)(\*|\d+)?(?:\.(\*|\d+))?(?:ll|l|h)?([diouxXcsfeEgG%])/g;

function pad(body: string, width: number, flags: string, numeric: boolean): string {
  if (body.length >= width) return body;
  if (flags.includes('-')) return body + ' '.repeat(width - body.length);
  if (flags.includes('0') && numeric) {
    const sign = /^[-+ ]/.test(body) ? body[0]! : '';
    const digits = sign === '' ? body : body.slice(1);
    return sign + '0'.repeat(width - body.length) + digits;
  }
  return ' '.repeat(width - body.length) + body;
}

function formatCmd(_ti: TclContext, argv: string[]): string {
  if (argv.length < 2) throw wrongArgs('format formatString ?arg ...?');
  const fmt = argv[1]!;
  let next = 2;
  const take = (): string => {
    if (next >= argv.length) throw new TclFailure('not enough arguments for all format specifiers', 'TCL FORMAT FIELDVARMISMATCH');
    return argv[next++]!;
  };
  const bad = fmt.replace(FORMAT, '').indexOf('%');
  if (bad >= 0) throw new TclFailure('format string ended in middle of field specifier', 'TCL FORMAT INCOMPLETE');
  return fmt.replace(FORMAT, (_m, _pos: string | undefined, flags: string, w: string | undefined, p: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    const width = w === '*' ? needInt(take()) : w === undefined ? 0 : Number(w);
    const precision = p === '*' ? needInt(take()) : p === undefined ? undefined : Number(p);
    // Departs from Tcl (which would try): no field wider than a million characters.
    if (width > MAX_FIELD || (precision ?? 0) > MAX_FIELD) throw new TclFailure('format field width too large', 'TCL FORMAT WIDTH');
    const arg = take();
    let body: string;
    switch (conv) {
      case 's':
        body = precision === undefined ? arg : arg.slice(0, precision);
        return pad(body, width, flags, false);
      case 'c':
        {
        const cp = needInt(arg);
        return pad(cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd', width, flags, false);
      }
      case 'd':
      case 'i':
      case 'u':
      case 'x':
      case 'X':
      case 'o': {
        const n = needNumber(arg);
        const v = n instanceof Dbl ? BigInt(Math.trunc(n.v)) : BigInt(n);
        const neg = v < 0n;
        const mag = neg ? -v : v;
        let digits = conv === 'x' || conv === 'X' ? mag.toString(16) : conv === 'o' ? mag.toString(8) : mag.toString();
        if (conv === 'X') digits = digits.toUpperCase();
        if (precision !== undefined) digits = digits.padStart(precision, '0');
        if (flags.includes('#') && mag !== 0n) digits = (conv === 'x' ? '0x' : conv === 'X' ? '0X' : conv === 'o' ? '0' : '') + digits;
        const sign = neg ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
        return pad(sign + digits, width, flags, true);
      }
      default: {
        const n = needNumber(arg);
        const v = n instanceof Dbl ? n.v : Number(n);
        body = formatFloat(v, conv, precision ?? 6, flags.includes('#'));
        if (v >= 0 && flags.includes('+')) body = `+${body}`;
        else if (v >= 0 && flags.includes(' ')) body = ` ${body}`;
        return pad(body, width, flags, Number.isFinite(v));
      }
    }
  });
}

function cExponent(s: string): string {
  // JavaScript writes `1e+5`; C writes at least two exponent digits: `1e+05`.
  return s.replace(/e([-+])(\d)$/, 'e$10$2');
}

function formatFloat(v: number, conv: string, precisionAsked: number, alt: boolean): string {
  // JavaScript formats at most 100 digits after the point (Tcl would print more zeros).
  const precision = Math.min(precisionAsked, 100);
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  let out: string;
  if (conv === 'f') out = v.toFixed(precision);
  else if (conv === 'e' || conv === 'E') out = cExponent(v.toExponential(precision));
  else {
    const p = precision === 0 ? 1 : precision;
    const exp = v === 0 ? 0 : Math.floor(Math.log10(Math.abs(Number(v.toExponential(p - 1)))));
    if (exp < -4 || exp >= p) out = cExponent(v.toExponential(p - 1));
    else out = v.toFixed(Math.max(0, p - 1 - exp));
    if (!alt && out.includes('.')) out = out.replace(/\.?0+(?=e|$)/, '');
  }
  return conv === 'E' || conv === 'G' ? out.toUpperCase() : out;
}

/** Installs this family. */
export function install(ti: TclContext): void {
  ti.commands.set('string', stringCmd);
  ti.commands.set('format', formatCmd);
}
