/**
 * The Tcl parser: a script's text becomes a list of commands, each a list of words, each a
 * list of parts (literal text, a variable reference, a command substitution), following the
 * twelve rules of Tcl(n).
 *
 * Owns: words and their grouping (`{}` with nesting and backslash-newline, `""` with
 * substitutions, bare words), argument expansion `{*}`, `$name`, `$name(index)`, `${name}`,
 * `[script]` (parsed here, recursively), backslash sequences, comments, command ends (`;`,
 * newline, `]` in a substitution), and Tcl's syntax error texts: `missing close-brace`,
 * `missing close-bracket`, `missing "`, `missing )`, `extra characters after close-brace`,
 * `extra characters after close-quote`, `missing close-brace for variable name`.
 *
 * A syntax error does not stop the commands before it: Tcl parses and runs one command at a
 * time, so `puts a; set x {` prints `a` and then fails. The parsed script therefore keeps the
 * commands that parsed and the error (with its offset) that ends it; the evaluator runs the
 * commands, then raises the error.
 *
 * Does not: substitute anything (eval.ts does) or cache (script-cache.ts does).
 * Departs from Tcl: `[` nesting deeper than `MAX_NESTING` is a syntax error (Tcl would run out
 * of C stack much later); the message is Tcl's own for runaway nesting.
 */
import { backslash, isSpace } from './backslash.js';
import { TclFailure } from './errors.js';

/** A variable reference: `$name`, `${name}` or `$name(index)` (the index is substituted). */
export interface VarPart {
  readonly kind: 'var';
  readonly name: string;
  readonly index: Word | undefined;
}

/** A command substitution `[script]`. */
export interface CmdPart {
  readonly kind: 'cmd';
  readonly script: Script;
}

export type Part = string | VarPart | CmdPart;

/** One word: its parts; `literal` when it has no substitution (the common case). */
export interface Word {
  readonly parts: readonly Part[];
  readonly literal: string | undefined;
  /** `{*}word`: the word's value is a list whose elements become words. */
  readonly expand: boolean;
  /** Offset of the word's first character in the script (for errorInfo lines of bodies). */
  readonly start: number;
}

/** One command: its words and where its text is in the script (for error messages). */
export interface Command {
  readonly words: readonly Word[];
  readonly start: number;
  readonly end: number;
}

/** A syntax error: Tcl's message and the offset of the command it ends. */
export interface SyntaxError {
  readonly message: string;
  readonly start: number;
}

/** A parsed script: the commands that parsed, then the syntax error that stopped it, if any. */
export interface Script {
  readonly source: string;
  readonly commands: readonly Command[];
  readonly error: SyntaxError | undefined;
}

/** Deepest `[` nesting the parser follows (it recurses once per level). */
const MAX_NESTING = 1000;

/** Thrown inside the parser; becomes the script's `error`. */
class ParseFailure {
  constructor(readonly message: string) {}
}

/** Whether `ch` may be part of a variable name after `$` (ASCII word characters, `::`, Unicode letters). */
function isNameChar(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) return true;
  return c > 127 && /[\p{L}\p{N}_]/u.test(ch);
}

class Parser {
  pos = 0;
  constructor(
    readonly src: string,
    readonly depth: number,
  ) {}

  /** Parses commands until the end (top level) or the `]` that closes a substitution. */
  script(nested: boolean): Script {
    const commands: Command[] = [];
    const src = this.src;
    for (;;) {
      this.skipBetweenCommands();
      if (this.pos >= src.length) {
        if (nested) throw new ParseFailure('missing close-bracket');
        return { source: src, commands, error: undefined };
      }
      if (nested && src[this.pos] === ']') {
        this.pos++;
        return { source: src, commands, error: undefined };
      }
      const start = this.pos;
      if (src[this.pos] === '#') {
        this.skipComment();
        continue;
      }
      try {
        const words = this.command(nested);
        if (words.length > 0) commands.push({ words, start, end: this.pos });
      } catch (e) {
        if (nested || !(e instanceof ParseFailure)) throw e;
        return { source: src, commands, error: { message: e.message, start } };
      }
    }
  }

  private skipBetweenCommands(): void {
    const src = this.src;
    while (this.pos < src.length) {
      const ch = src[this.pos];
      if (isSpace(ch) || ch === '\n' || ch === ';') this.pos++;
      else if (ch === '\\' && src[this.pos + 1] === '\n') this.pos = backslash(src, this.pos).end;
      else break;
    }
  }

  private skipComment(): void {
    const src = this.src;
    while (this.pos < src.length) {
      const ch = src[this.pos];
      if (ch === '\\') this.pos += 2;
      else if (ch === '\n') {
        this.pos++;
        return;
      } else this.pos++;
    }
    this.pos = Math.min(this.pos, src.length);
  }

  /** Skips word separators; returns whether the command ended (and consumes its terminator). */
  private skipSpace(nested: boolean): boolean {
    const src = this.src;
    while (this.pos < src.length) {
      const ch = src[this.pos];
      if (isSpace(ch)) this.pos++;
      else if (ch === '\\' && src[this.pos + 1] === '\n') this.pos = backslash(src, this.pos).end;
      else if (ch === '\n' || ch === ';') {
        this.pos++;
        return true;
      } else if (nested && ch === ']') return true; // left for script() to consume
      else return false;
    }
    return true;
  }

  private command(nested: boolean): Word[] {
    const words: Word[] = [];
    for (;;) {
      words.push(this.word(nested));
      if (this.skipSpace(nested)) return words;
    }
  }

  /** Whether the character at `pos` may follow a closing brace or quote. */
  private atWordEnd(nested: boolean): boolean {
    const ch = this.src[this.pos];
    return ch === undefined || isSpace(ch) || ch === '\n' || ch === ';' || (nested && ch === ']') || (ch === '\\' && this.src[this.pos + 1] === '\n');
  }

  private word(nested: boolean): Word {
    const src = this.src;
    let expand = false;
    if (src.startsWith('{*}', this.pos)) {
      const after = src[this.pos + 3];
      if (after !== undefined && !isSpace(after) && after !== '\n' && after !== ';' && !(nested && after === ']')) {
        expand = true;
        this.pos += 3;
      }
    }
    const ch = src[this.pos];
    const start = this.pos;
    if (ch === '{') {
      const text = this.braced();
      if (!this.atWordEnd(nested)) throw new ParseFailure('extra characters after close-brace');
      return { parts: [text], literal: text, expand, start };
    }
    if (ch === '"') {
      this.pos++;
      const parts = this.parts(nested, 'quote');
      if (!this.atWordEnd(nested)) throw new ParseFailure('extra characters after close-quote');
      return makeWord(parts, expand, start);
    }
    return makeWord(this.parts(nested, 'bare'), expand, start);
  }

  /** A braced word from its `{`; returns its text (backslash-newline replaced by a space). */
  private braced(): string {
    const src = this.src;
    let depth = 1;
    let i = this.pos + 1;
    let out = '';
    let from = i;
    while (i < src.length) {
      const ch = src[i];
      if (ch === '\\') {
        if (src[i + 1] === '\n') {
          out += src.slice(from, i) + ' ';
          i = backslash(src, i).end;
          from = i;
          continue;
        }
        i += 2;
        continue;
      }
      if (ch === '{') depth++;
      else if (ch === '}' && --depth === 0) {
        out += src.slice(from, i);
        this.pos = i + 1;
        return out;
      }
      i++;
    }
    throw new ParseFailure(`missing close-brace${commentHint(src, this.pos)}`);
  }

  /**
   * Parts of a bare word (ends at a separator or command end), a quoted word (ends at `"`) or
   * an array index (ends at `)`).
   */
  parts(nested: boolean, mode: 'bare' | 'quote' | 'index' | 'all'): Part[] {
    const src = this.src;
    const parts: Part[] = [];
    let text = '';
    for (;;) {
      if (this.pos >= src.length) {
        if (mode === 'quote') throw new ParseFailure('missing "');
        if (mode === 'index') throw new ParseFailure('missing )');
        break;
      }
      const ch = src[this.pos] as string;
      if (mode === 'bare' && (isSpace(ch) || ch === '\n' || ch === ';' || (nested && ch === ']'))) break;
      if (mode === 'quote' && ch === '"') {
        this.pos++;
        break;
      }
      if (mode === 'index' && ch === ')') {
        this.pos++;
        break;
      }
      if (ch === '\\') {
        if (mode === 'bare' && src[this.pos + 1] === '\n') break; // a word separator
        const b = backslash(src, this.pos);
        text += b.text;
        this.pos = b.end;
      } else if (ch === '$') {
        const v = this.variable();
        if (typeof v === 'string') text += v;
        else {
          if (text !== '') parts.push(text);
          text = '';
          parts.push(v);
        }
      } else if (ch === '[') {
        if (text !== '') parts.push(text);
        text = '';
        parts.push(this.substitution());
      } else {
        text += ch;
        this.pos++;
      }
    }
    if (text !== '' || parts.length === 0) parts.push(text);
    return parts;
  }

  /** An expression operand at `pos` (see `scanAt`). */
  operand(): Operand | string {
    const ch = this.src[this.pos];
    if (ch === '$') return this.variable();
    if (ch === '[') return this.substitution();
    if (ch === '{') {
      const text = this.braced();
      return { parts: [text], literal: text, expand: false, start: 0 };
    }
    this.pos++;
    return makeWord(this.parts(false, 'quote'), false, 0);
  }

  private substitution(): CmdPart {
    if (this.depth >= MAX_NESTING) throw new ParseFailure('too many nested evaluations (infinite loop?)');
    const inner = new Parser(this.src, this.depth + 1);
    inner.pos = this.pos + 1;
    const script = inner.script(true);
    this.pos = inner.pos;
    return { kind: 'cmd', script };
  }

  /** A `$` reference at `pos`; a lone `$` is returned as literal text. */
  private variable(): VarPart | string {
    const src = this.src;
    const start = this.pos + 1;
    if (src[start] === '{') {
      const close = src.indexOf('}', start + 1);
      if (close < 0) throw new ParseFailure('missing close-brace for variable name');
      this.pos = close + 1;
      return { kind: 'var', name: src.slice(start + 1, close), index: undefined };
    }
    let i = start;
    while (i < src.length) {
      const ch = src[i] as string;
      if (isNameChar(ch)) i++;
      else if (ch === ':' && src[i + 1] === ':') {
        i += 2;
        while (src[i] === ':') i++;
      } else break;
    }
    // `$(i)` is element `i` of the array with the empty name; a `$` before anything else is text.
    if (i === start && src[i] !== '(') {
      this.pos = start;
      return '$';
    }
    const name = src.slice(start, i);
    this.pos = i;
    if (src[i] !== '(') return { kind: 'var', name, index: undefined };
    this.pos = i + 1;
    const index = makeWord(this.parts(true, 'index'), false, this.pos);
    return { kind: 'var', name, index };
  }
}

/**
 * Tcl's guess for an unclosed brace: after the open brace, a `{` that follows a `#` (itself
 * after whitespace) on the same line — a brace inside what the writer meant as a comment.
 */
function commentHint(src: string, start: number): string {
  let comment = false;
  for (let i = start + 1; i < src.length; i++) {
    const c = src[i];
    if (c === '\n') comment = false;
    else if (c === '#' && (isSpace(src[i - 1]) || src[i - 1] === '\n')) comment = true;
    else if (c === '{' && comment) return ': possible unbalanced brace in comment';
  }
  return '';
}

function makeWord(parts: Part[], expand: boolean, start: number): Word {
  const only = parts.length === 1 ? parts[0] : undefined;
  return { parts, literal: typeof only === 'string' ? only : undefined, expand, start };
}

/** Parses a script (see the module header for how syntax errors are kept). */
export function parseScript(source: string): Script {
  return new Parser(source, 0).script(false);
}

/** Parses text for `subst`: every `$`, `[` and backslash is substituted, nothing ends it. */
export function parseSubst(source: string): readonly Part[] | SyntaxError {
  try {
    return new Parser(source, 0).parts(false, 'all');
  } catch (e) {
    if (e instanceof ParseFailure) return { message: e.message, start: 0 };
    throw e;
  }
}

/** 1-based line of `offset` in `source`. */
export function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let i = source.indexOf('\n'); i >= 0 && i < offset; i = source.indexOf('\n', i + 1)) line++;
  return line;
}

/** What `scanAt` found: a variable, a command substitution, or a quoted/braced word. */
export type Operand = VarPart | CmdPart | Word;

/**
 * Scans one operand of an expression at `pos` (`src[pos]` is `$`, `[`, `"` or `{`); returns it
 * and where it ends. A syntax error is thrown as a Tcl error with Tcl's message.
 */
export function scanAt(src: string, pos: number): { operand: Operand | string; end: number } {
  const p = new Parser(src, 0);
  p.pos = pos;
  try {
    const operand = p.operand();
    return { operand, end: p.pos };
  } catch (e) {
    if (e instanceof ParseFailure) throw new TclFailure(e.message, 'TCL PARSE');
    throw e;
  }
}
