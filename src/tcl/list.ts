/**
 * Tcl lists as strings: splitting a string into elements and joining elements into the
 * canonical string form (Tcl_Merge), with Tcl's error messages.
 *
 * Owns: the list syntax — elements separated by whitespace (newlines included), `{braced}`
 * elements kept verbatim, `"quoted"` and bare elements with backslash substitution — and the
 * quoting that makes any string one element again: bare if nothing is special, `{braced}` if
 * its braces balance and no backslash ends it, else backslash-escaped; `{}` for the empty
 * string; a first element starting with `#` is braced so the list stays a safe command.
 * Does not: cache parsed lists (Tcl's dual representation); callers split again when needed.
 */
import { backslash } from './backslash.js';
import { TclFailure } from './errors.js';

function isListSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\v' || ch === '\f';
}

/**
 * Recently parsed or built lists, newest last: Tcl keeps a list's parsed form next to its
 * string, so `lappend` and `lindex` on a growing list do not re-parse it each time. Found by
 * identity (`===` on the same string object is immediate); a few entries cover a loop's lists.
 * `canonical`: the text is exactly `formatList(items)` (this module wrote it), so appending
 * may extend the text instead of re-quoting every element.
 */
interface Recent {
  readonly text: string;
  readonly items: string[];
  readonly canonical: boolean;
}
const recent: Recent[] = [];
const RECENT_LIMIT = 8;
/** Shorter lists are split again each time: cheaper than the cache's bookkeeping. */
const CACHE_FROM = 64;

function remember(text: string, items: string[], canonical: boolean): void {
  if (recent.length >= RECENT_LIMIT) recent.shift();
  recent.push({ text, items, canonical });
}

function cached(text: string): Recent | undefined {
  for (let i = recent.length - 1; i >= 0; i--) {
    const e = recent[i]!;
    if (e.text === text) return e;
  }
  return undefined;
}

/** Splits `text` into list elements (a fresh array the caller may change); throws Tcl's error for a malformed list. */
export function parseList(text: string): string[] {
  return listView(text).slice();
}

/** `parseList` for callers that only read: the result is shared and must not be changed. */
export function listView(text: string): readonly string[] {
  if (text.length < CACHE_FROM) return split(text);
  const hit = cached(text);
  if (hit !== undefined) return hit.items;
  const items = split(text);
  remember(text, items, false);
  return items;
}

/** `lappend`'s new text: `text` as a list with `more` appended (canonical form, as Tcl). */
export function appendList(text: string, more: readonly string[]): string {
  const hit = text.length < CACHE_FROM ? undefined : cached(text);
  if (hit === undefined || !hit.canonical || hit.items.length === 0) {
    const all = [...listView(text), ...more];
    const out = formatList(all);
    if (out.length >= CACHE_FROM) remember(out, all, true);
    return out;
  }
  let out = text;
  for (const el of more) out += ` ${quoteElement(el, false)}`;
  // The array moves to the new text; the old text's entry must not keep the grown array.
  recent.splice(recent.indexOf(hit), 1);
  hit.items.push(...more);
  remember(out, hit.items, true);
  return out;
}

function split(text: string): string[] {
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  for (;;) {
    while (i < n && isListSpace(text[i])) i++;
    if (i >= n) return out;
    const ch = text[i];
    if (ch === '{') {
      let depth = 1;
      let j = i + 1;
      for (; j < n; j++) {
        const c = text[j];
        if (c === '\\') j++;
        else if (c === '{') depth++;
        else if (c === '}' && --depth === 0) break;
      }
      if (j >= n) throw listError('unmatched open brace in list');
      out.push(text.slice(i + 1, j));
      i = j + 1;
      if (i < n && !isListSpace(text[i])) throw listError(`list element in braces followed by "${trailing(text, i)}" instead of space`);
    } else if (ch === '"') {
      let j = i + 1;
      let el = '';
      while (j < n && text[j] !== '"') {
        if (text[j] === '\\') {
          const b = backslash(text, j);
          el += b.text;
          j = b.end;
        } else el += text[j++];
      }
      if (j >= n) throw listError('unmatched open quote in list');
      out.push(el);
      i = j + 1;
      if (i < n && !isListSpace(text[i])) throw listError(`list element in quotes followed by "${trailing(text, i)}" instead of space`);
    } else {
      let el = '';
      while (i < n && !isListSpace(text[i])) {
        if (text[i] === '\\') {
          const b = backslash(text, i);
          el += b.text;
          i = b.end;
        } else el += text[i++];
      }
      out.push(el);
    }
  }
}

function trailing(text: string, i: number): string {
  let j = i;
  while (j < text.length && !isListSpace(text[j])) j++;
  return text.slice(i, j);
}

function listError(message: string): TclFailure {
  return new TclFailure(message, 'TCL VALUE LIST');
}

/**
 * How Tcl_Merge would write an element: `bare`, `brace` or `escape`. Spaces, `[`, `$`, `;`
 * and backslashes prefer braces; `]` and `"` prefer backslashes; unbalanced braces or a
 * trailing backslash require backslashes; a leading `{` or `"` forbids the bare form.
 */
function quoting(el: string): 'bare' | 'brace' | 'escape' {
  let forbidBare = el[0] === '{' || el[0] === '"';
  let preferBrace = forbidBare;
  let preferEscape = false;
  let requireEscape = false;
  let depth = 0;
  for (let i = 0; i < el.length; i++) {
    const c = el[i];
    switch (c) {
      case '{':
        depth++;
        break;
      case '}':
        if (--depth < 0) requireEscape = true;
        break;
      case ']':
      case '"':
        forbidBare = true;
        preferEscape = true;
        break;
      case '[':
      case '$':
      case ';':
      case ' ':
      case '\f':
      case '\n':
      case '\r':
      case '\t':
      case '\v':
        forbidBare = true;
        preferBrace = true;
        break;
      case '\\':
        forbidBare = true;
        if (i + 1 >= el.length || el[i + 1] === '\n') requireEscape = true;
        else {
          preferBrace = true;
          i++;
        }
        break;
    }
  }
  if (depth !== 0) requireEscape = true;
  if (requireEscape) return 'escape';
  if (!forbidBare) return 'bare';
  if (preferEscape && !preferBrace) return 'escape';
  return 'brace';
}

/** Quotes one string as a list element (`first`: it starts the list, so `#` must be quoted). */
export function quoteElement(el: string, first = false): string {
  if (el === '') return '{}';
  const how = quoting(el);
  if (how === 'bare') return first && el[0] === '#' ? `{${el}}` : el;
  if (how === 'brace') return `{${el}}`;
  let out = '';
  for (let i = 0; i < el.length; i++) {
    const c = el[i] as string;
    if (c === '\n') out += '\\n';
    else if (c === '\t') out += '\\t';
    else if (c === '\r') out += '\\r';
    else if (c === '\v') out += '\\v';
    else if (c === '\f') out += '\\f';
    else if (c === ' ' || c === '{' || c === '}' || c === '[' || c === ']' || c === '$' || c === ';' || c === '"' || c === '\\') out += `\\${c}`;
    else out += c;
  }
  return first && out[0] === '#' ? `\\${out}` : out;
}

/** Joins elements into a list's string form. */
export function formatList(elements: readonly string[]): string {
  let out = '';
  for (let i = 0; i < elements.length; i++) {
    if (i > 0) out += ' ';
    out += quoteElement(elements[i] as string, i === 0);
  }
  return out;
}
