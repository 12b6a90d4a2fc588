/**
 * Tcl word and value helpers: quoting a string as one list element, rendering a command for
 * the observation trace, and parsing Tcl booleans and integers with Tcl's error messages.
 *
 * Owns: text conventions only. Departs from Tcl: the quoting covers the characters detnet's
 * traces can contain (spaces, braces, quotes, backslashes, newlines), not every corner of
 * Tcl_Merge.
 */
import { TclError } from './tcl-error.js';

const BARE = /^[^\s{}[\]$;"\\]+$/;

/**
 * Whether `word` can be written inside braces: its braces balance as Tcl counts them inside a
 * braced word (a brace after a backslash does not count), and no backslash ends it or starts a
 * backslash-newline (which Tcl substitutes even inside braces).
 */
function braceable(word: string): boolean {
  let depth = 0;
  for (let i = 0; i < word.length; i++) {
    const ch = word[i];
    if (ch === '\\') {
      if (i + 1 >= word.length || word[i + 1] === '\n') return false;
      i++;
    } else if (ch === '{') depth++;
    else if (ch === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * Quotes one word as Tcl's `list` would: bare when nothing is special, `{braced}` when braces
 * balance and no backslash ends it, else backslash-escaped. The empty word is `{}`.
 */
export function tclQuote(word: string): string {
  if (word === '') return '{}';
  if (BARE.test(word) && !word.startsWith('#')) return word;
  if (braceable(word)) return `{${word}}`;
  return word.replace(/[\s{}[\]$;"\\]/g, (ch) => {
    if (ch === '\n') return '\\n';
    if (ch === '\t') return '\\t';
    if (ch === '\r') return '\\r';
    return `\\${ch}`;
  });
}


const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);

/** Parses a Tcl boolean (`1`, `true`, `yes`, `on`, ... case-insensitive; any integer). */
export function parseTclBoolean(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (TRUE_WORDS.has(v)) return true;
  if (FALSE_WORDS.has(v)) return false;
  if (/^[-+]?\d+$/.test(v)) return Number(v) !== 0;
  throw TclError.usage(`expected boolean value but got "${value}"`, 'ERR_TCL_BAD_BOOLEAN');
}

/** Parses a Tcl integer, with Tcl's message on failure. */
export function parseTclInteger(value: string): number {
  const v = value.trim();
  if (!/^[-+]?\d+$/.test(v)) throw TclError.usage(`expected integer but got "${value}"`, 'ERR_TCL_BAD_INTEGER');
  return Number(v);
}
