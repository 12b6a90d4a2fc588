/**
 * `expr` syntax: an expression's text becomes a tree, parsed once per text and cached.
 *
 * Owns: tokens (numbers, `$var`, `[script]`, `"quoted"`, `{braced}`, function calls, the
 * boolean barewords, operators), Tcl 8.6's precedence (unary, `**` right-associative,
 * `* / %`, `+ -`, shifts, relations, `== !=`, `eq ne`, `in ni`, `& ^ |`, `&& ||`, `?:`) and
 * Tcl's syntax error texts (`missing operand at _@_`, `invalid bareword "x"`, ...).
 * Does not: evaluate (expr-eval.ts).
 */
import { nestingFailure, TclFailure } from './errors.js';
import { parseNum, type Num } from './number.js';
import { scanAt, type Operand } from './parse-script.js';

export type Node =
  | { readonly t: 'lit'; readonly v: Num | string }
  | { readonly t: 'sub'; readonly o: Operand }
  | { readonly t: 'un'; readonly op: string; readonly a: Node }
  | { readonly t: 'bin'; readonly op: string; readonly a: Node; readonly b: Node }
  | { readonly t: 'if'; readonly c: Node; readonly a: Node; readonly b: Node }
  | { readonly t: 'fn'; readonly name: string; readonly args: readonly Node[] };

/** Binding power of each binary operator (higher binds tighter). */
const BINARY: Readonly<Record<string, number>> = {
  '||': 2, '&&': 3, '|': 4, '^': 5, '&': 6, in: 7, ni: 7, eq: 8, ne: 8, '==': 9, '!=': 9,
  '<': 10, '>': 10, '<=': 10, '>=': 10, '<<': 11, '>>': 11, '+': 12, '-': 12, '*': 13, '/': 13, '%': 13, '**': 14,
};
const UNARY_POWER = 15;
const OPERATORS = ['**', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '*', '/', '%', '+', '-', '<', '>', '&', '|', '^', '!', '~', '?', ':', '(', ')', ','];
const BOOL_WORDS = /^(true|false|yes|no|on|off|inf|infinity|nan)$/i;
/** Deepest nesting of parentheses and operators followed (recursion guard). */
const MAX_EXPR_DEPTH = 500;

type Token = { k: 'op'; v: string; at: number } | { k: 'node'; v: Node; at: number } | { k: 'fn'; v: string; at: number } | { k: 'end'; at: number };

class ExprParser {
  private pos = 0;
  private tok: Token;
  private depth = 0;
  constructor(private readonly src: string) {
    this.tok = this.next();
  }

  private fail(kind: string, message: string, at: number): never {
    const mark = `${this.src.slice(0, at)}_@_${this.src.slice(at)}`;
    throw new TclFailure(`${message} at _@_\nin expression "${mark}"`, `TCL PARSE EXPR ${kind}`);
  }

  private next(): Token {
    const src = this.src;
    while (this.pos < src.length && /\s/.test(src[this.pos] as string)) this.pos++;
    const at = this.pos;
    if (at >= src.length) return { k: 'end', at };
    const ch = src[at] as string;
    if (ch === '$' || ch === '[' || ch === '"' || ch === '{') {
      const { operand, end } = scanAt(src, at);
      this.pos = end;
      return { k: 'node', v: typeof operand === 'string' ? { t: 'lit', v: operand } : { t: 'sub', o: operand }, at };
    }
    const num = /^(?:0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?|[0-9]+\.?(?:[eE][-+]?[0-9]+)?)/.exec(src.slice(at, at + 400));
    if (num !== null) {
      let end = at + num[0].length;
      while (end < src.length && /[A-Za-z0-9_.]/.test(src[end] as string)) end++;
      const text = src.slice(at, end);
      const v = parseNum(text);
      if (v === undefined) {
        const octal = /^0[0-9]+$/.test(text) ? ' (invalid octal number?)' : '';
        throw new TclFailure(
          `invalid bareword "${text}"\nin expression "${src}";\nshould be "$${text}" or "{${text}}" or "${text}(...)" or ...${octal}`,
          octal ? 'TCL PARSE EXPR BADNUMBER OCTAL' : 'TCL PARSE EXPR BAREWORD',
        );
      }
      this.pos = end;
      return { k: 'node', v: { t: 'lit', v }, at };
    }
    const word = /^[A-Za-z_][A-Za-z0-9_:]*/.exec(src.slice(at, at + 200));
    if (word !== null) {
      const w = word[0];
      this.pos = at + w.length;
      if (w === 'eq' || w === 'ne' || w === 'in' || w === 'ni') return { k: 'op', v: w, at };
      let p = this.pos;
      while (p < src.length && /\s/.test(src[p] as string)) p++;
      if (src[p] === '(') {
        this.pos = p + 1;
        return { k: 'fn', v: w, at };
      }
      if (BOOL_WORDS.test(w)) return { k: 'node', v: { t: 'lit', v: parseNum(w) ?? w }, at };
      throw new TclFailure(
        `invalid bareword "${w}"\nin expression "${src}";\nshould be "$${w}" or "{${w}}" or "${w}(...)" or ...`,
        'TCL PARSE EXPR BAREWORD',
      );
    }
    for (const op of OPERATORS) {
      if (src.startsWith(op, at)) {
        this.pos = at + op.length;
        return { k: 'op', v: op, at };
      }
    }
    throw new TclFailure(`invalid character "${String.fromCodePoint(src.codePointAt(at) as number)}"\nin expression "${src}"`, 'TCL PARSE EXPR BADCHAR');
  }

  /** The lookahead token (a method, so narrowing before `expression()` does not stick). */
  private current(): Token {
    return this.tok;
  }

  private advance(): Token {
    const t = this.tok;
    this.tok = this.next();
    return t;
  }

  parse(): Node {
    if (this.tok.k === 'end') throw new TclFailure(`empty expression\nin expression "${this.src}"`, 'TCL PARSE EXPR EMPTY');
    const node = this.expression(0);
    const t: Token = this.current();
    if (t.k === 'op' && t.v === ')') throw new TclFailure(`unbalanced close paren\nin expression "${this.src}"`, 'TCL PARSE EXPR UNBALANCED');
    if (t.k !== 'end') this.fail('MISSING', 'missing operator', t.at);
    return node;
  }

  private expression(minPower: number): Node {
    if (++this.depth > MAX_EXPR_DEPTH) throw nestingFailure();
    try {
      let left = this.unary();
      for (;;) {
        const t = this.tok;
        if (t.k !== 'op') break;
        if (t.v === '?') {
          if (minPower > 1) break;
          this.advance();
          const a = this.expression(1);
          const colon = this.tok;
          if (colon.k !== 'op' || colon.v !== ':') this.fail('MISSING', 'missing operator ":"', colon.at);
          this.advance();
          const b = this.expression(1);
          left = { t: 'if', c: left, a, b };
          continue;
        }
        const power = BINARY[t.v];
        if (power === undefined || power < minPower) break;
        this.advance();
        // `**` is right-associative: its right side may hold another `**`.
        const right = this.expression(t.v === '**' ? power : power + 1);
        left = { t: 'bin', op: t.v, a: left, b: right };
      }
      return left;
    } finally {
      this.depth--;
    }
  }

  private unary(): Node {
    const t = this.advance();
    if (t.k === 'node') return t.v;
    if (t.k === 'fn') return this.call(t.v);
    if (t.k === 'op') {
      if (t.v === '-' || t.v === '+' || t.v === '!' || t.v === '~') {
        if (++this.depth > MAX_EXPR_DEPTH) throw nestingFailure();
        try {
          return { t: 'un', op: t.v, a: this.expression(UNARY_POWER) };
        } finally {
          this.depth--;
        }
      }
      if (t.v === '(') {
        const inner = this.expression(0);
        const close = this.tok;
        if (close.k !== 'op' || close.v !== ')') throw new TclFailure(`unbalanced open paren\nin expression "${this.src}"`, 'TCL PARSE EXPR UNBALANCED');
        this.advance();
        return inner;
      }
    }
    return this.fail('MISSING', 'missing operand', t.at);
  }

  private call(name: string): Node {
    const args: Node[] = [];
    if (this.tok.k === 'op' && this.tok.v === ')') {
      this.advance();
      return { t: 'fn', name, args };
    }
    for (;;) {
      args.push(this.expression(0));
      const t: Token = this.advance();
      if (t.k === 'op' && t.v === ')') return { t: 'fn', name, args };
      if (!(t.k === 'op' && t.v === ',')) {
        if (t.k === 'end') throw new TclFailure(`unbalanced open paren\nin expression "${this.src}"`, 'TCL PARSE EXPR UNBALANCED');
        this.fail('MISSING', 'missing function argument separator', t.at);
      }
    }
  }
}

const cache = new Map<string, Node>();
const CACHE_LIMIT = 2000;

/** Parses an expression (cached by text). */
export function parseExpr(text: string): Node {
  let node = cache.get(text);
  if (node === undefined) {
    node = new ExprParser(text).parse();
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(text, node);
  }
  return node;
}
