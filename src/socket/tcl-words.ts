/**
 * Tcl word and value helpers: quoting a string as one list element, rendering a command for
 * the observation trace, and parsing Tcl booleans and integers with Tcl's error messages.
 *
 * Owns: text conventions only. Departs from Tcl: the quoting covers the characters detnet's
 * traces can contain (spaces, braces, quotes, backslashes, newlines), not every corner of
 * Tcl_Merge.
 */
import { TclError } from './tcl-error.js';

/** Quotes `word` as a single Tcl list element (braces when needed, `{}` for empty). */
export function tclQuote(word: string): string {
  if (word === '') return '{}';
  if (!/[\s{}"\\;$[\]]/.test(word)) return word;
  // Braces work unless the word has unbalanced braces or ends with a backslash.
  let depth = 0;
  let balanced = true;
  for (const ch of word) {
    if (ch === '{') depth++;
    else if (ch === '}' && --depth < 0) balanced = false;
  }
  if (balanced && depth === 0 && !word.endsWith('\\')) return `{${word}}`;
  return word.replace(/([\\{}"\s;$[\]])/g, (m) => (m === '\n' ? '\\n' : m === '\t' ? '\\t' : `\\${m}`));
}

/** Joins words into a Tcl list / command string, quoting each. */
export function tclList(words: readonly string[]): string {
  return words.map(tclQuote).join(' ');
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
