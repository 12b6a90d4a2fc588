/**
 * Tcl's backslash substitution (Tcl(n) rule 9) and the character classes the parser shares.
 *
 * Owns: decoding one backslash sequence at a position — `\a \b \f \n \r \t \v`, `\xhh` (one or
 * two hex digits, as 8.6), `\uhhhh` (one to four), `\Uhhhhhhhh` (one to eight), `\ooo` (one to
 * three octal digits, eight bits), backslash-newline plus the spaces and tabs after it (one
 * space), and any other character standing for itself.
 * Does not: know about words or commands (parse-script.ts does).
 */

/** Result of decoding one backslash sequence: the text it stands for and where it ends. */
export interface Backslash {
  readonly text: string;
  readonly end: number;
}

const SIMPLE: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/** Whether `ch` separates words (Tcl's TYPE_SPACE: newline is a command end, not a space). */
export function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\v' || ch === '\f' || ch === '\r';
}

function hexValue(ch: string | undefined): number {
  if (ch === undefined) return -1;
  const c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function hexRun(src: string, start: number, max: number): { value: number; end: number } {
  let value = 0;
  let i = start;
  while (i < src.length && i - start < max) {
    const h = hexValue(src[i]);
    if (h < 0) break;
    // \U stops before a digit that would leave the Unicode range (8.6 does the same).
    if (max === 8 && value * 16 + h > 0x10ffff) break;
    value = value * 16 + h;
    i++;
  }
  return { value, end: i };
}

/** Decodes the backslash sequence whose `\` is at `start` (the caller checked `src[start]`). */
export function backslash(src: string, start: number): Backslash {
  const i = start + 1;
  if (i >= src.length) return { text: '\\', end: i };
  const ch = src[i] as string;
  const simple = SIMPLE[ch];
  if (simple !== undefined) return { text: simple, end: i + 1 };
  if (ch === '\n') {
    let j = i + 1;
    while (j < src.length && (src[j] === ' ' || src[j] === '\t')) j++;
    return { text: ' ', end: j };
  }
  if (ch === 'x' || ch === 'u' || ch === 'U') {
    const run = hexRun(src, i + 1, ch === 'x' ? 2 : ch === 'u' ? 4 : 8);
    if (run.end === i + 1) return { text: ch, end: i + 1 };
    return { text: String.fromCodePoint(run.value), end: run.end };
  }
  if (ch >= '0' && ch <= '7') {
    let value = 0;
    let j = i;
    while (j < src.length && j - i < 3 && (src[j] as string) >= '0' && (src[j] as string) <= '7') {
      value = value * 8 + (src.charCodeAt(j) - 48);
      j++;
    }
    return { text: String.fromCharCode(value & 0xff), end: j };
  }
  // Any other character (a whole code point) stands for itself.
  const cp = src.codePointAt(i) as number;
  return { text: String.fromCodePoint(cp), end: i + (cp > 0xffff ? 2 : 1) };
}
