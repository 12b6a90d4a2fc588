/**
 * `expr` semantics: evaluates a parsed expression tree to a Tcl value.
 *
 * Owns: operand conversion (a substituted operand stays a string until an operator needs a
 * number, so `expr {$x}` returns `$x` unchanged), integer arithmetic exact at any size
 * (bigint beyond 2^53), Tcl's floor division and modulo, int/double promotion, string
 * comparison when an operand is not numeric, `eq ne in ni`, lazy `&& || ?:`, the math
 * functions, and Tcl's error texts (`divide by zero`, `can't use non-numeric string as operand
 * of "+"`, `domain error: argument not in valid range`, ...).
 * Does not: parse (expr-parse.ts).
 * Departs from Tcl: results that would need more than 131072 bits (`2**10000000`) are an
 * error rather than a long computation; there is no `rand()` (no hidden randomness).
 */
import { TclFailure } from './errors.js';
import { substParts, evalScript, type Gen } from './eval.js';
import { parseExpr, type Node } from './expr-parse.js';
import { listView } from './list.js';
import { Dbl, formatNum, needBool, normInt, parseNum, type Num } from './number.js';
import type { TclContext } from './context.js';

type Val = Num | string;

/** Largest integer result, in bits (a guard against `2**99999999` running for minutes). */
const MAX_BITS = 1 << 17;

function domain(message: string, detail: string): TclFailure {
  return new TclFailure(message, `ARITH DOMAIN {${detail}}`);
}

function numeric(v: Val, op: string): Num {
  if (typeof v !== 'string') return v;
  const n = parseNum(v);
  if (n !== undefined) return n;
  if (v === '') throw domain(`can't use empty string as operand of "${op}"`, 'empty string');
  throw domain(`can't use non-numeric string as operand of "${op}"`, 'non-numeric string');
}

function integer(v: Val, op: string): number | bigint {
  const n = numeric(v, op);
  if (n instanceof Dbl) throw domain(`can't use floating-point value as operand of "${op}"`, 'floating-point value');
  return n;
}

function toFloat(n: Num): number {
  return n instanceof Dbl ? n.v : Number(n);
}

function truthy(v: Val): boolean {
  if (typeof v !== 'string') return v instanceof Dbl ? v.v !== 0 : v !== 0 && v !== 0n;
  return needBool(v);
}

function big(a: number | bigint): bigint {
  return typeof a === 'bigint' ? a : BigInt(a);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

function intArith(op: string, a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    if (op === '+') {
      const r = a + b;
      if (Number.isSafeInteger(r)) return r;
    } else if (op === '-') {
      const r = a - b;
      if (Number.isSafeInteger(r)) return r;
    } else if (op === '*') {
      const r = a * b;
      if (Number.isSafeInteger(r)) return r;
    } else if ((op === '/' || op === '%') && Math.abs(a) < 2 ** 31 && b !== 0) {
      const q = Math.floor(a / b);
      return op === '/' ? q : a - q * b;
    }
  }
  const x = big(a);
  const y = big(b);
  switch (op) {
    case '+': return normInt(x + y);
    case '-': return normInt(x - y);
    case '*': return normInt(x * y);
    case '/':
    case '%': {
      if (y === 0n) throw new TclFailure('divide by zero', 'ARITH DIVZERO {divide by zero}');
      const q = floorDiv(x, y);
      return normInt(op === '/' ? q : x - q * y);
    }
    case '**': return intPow(x, y);
    case '&': return normInt(x & y);
    case '|': return normInt(x | y);
    case '^': return normInt(x ^ y);
    case '<<':
    case '>>': {
      if (y < 0n) throw new TclFailure('negative shift argument', 'ARITH DOMAIN {domain error: argument not in valid range}');
      if (op === '>>') return normInt(y > 100_000n ? (x < 0n ? -1n : 0n) : x >> y);
      if (x !== 0n && y > BigInt(MAX_BITS)) throw new TclFailure('integer value too large to represent', 'ARITH IOVERFLOW');
      return normInt(x << y);
    }
  }
  throw new TclFailure(`unknown operator "${op}"`);
}

function intPow(x: bigint, y: bigint): number | bigint {
  if (y < 0n) {
    if (x === 0n) throw domain('exponentiation of zero by negative power', 'exponentiation of zero by negative power');
    if (x === 1n) return 1;
    if (x === -1n) return y % 2n === 0n ? 1 : -1;
    return 0;
  }
  const bits = x < 0n ? (-x).toString(2).length : x.toString(2).length;
  if (x !== 0n && x !== 1n && x !== -1n && BigInt(bits) * y > BigInt(MAX_BITS)) {
    throw new TclFailure('exponent too large', 'ARITH IOVERFLOW');
  }
  return normInt(x ** y);
}

function floatArith(op: string, a: number, b: number): Dbl {
  switch (op) {
    case '+': return new Dbl(a + b);
    case '-': return new Dbl(a - b);
    case '*': return new Dbl(a * b);
    case '/':
      if (b === 0 && !Number.isNaN(a) && a === 0) throw domain('domain error: argument not in valid range', 'domain error: argument not in valid range');
      return new Dbl(a / b);
    case '**': return new Dbl(a ** b);
  }
  throw domain(`can't use floating-point value as operand of "${op}"`, 'floating-point value');
}

function compare(a: Val, b: Val): number {
  const x = typeof a === 'string' ? parseNum(a) : a;
  const y = typeof b === 'string' ? parseNum(b) : b;
  if (x !== undefined && y !== undefined) {
    if (x instanceof Dbl || y instanceof Dbl) {
      const p = toFloat(x);
      const q = toFloat(y);
      return p < q ? -1 : p > q ? 1 : p === q ? 0 : NaN;
    }
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const s = typeof a === 'string' ? a : formatNum(a);
  const t = typeof b === 'string' ? b : formatNum(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

function text(v: Val): string {
  return typeof v === 'string' ? v : formatNum(v);
}

function binary(op: string, a: Val, b: Val): Val {
  switch (op) {
    case 'eq': return text(a) === text(b) ? 1 : 0;
    case 'ne': return text(a) !== text(b) ? 1 : 0;
    case 'in': return listView(text(b)).includes(text(a)) ? 1 : 0;
    case 'ni': return listView(text(b)).includes(text(a)) ? 0 : 1;
    case '<': return compare(a, b) < 0 ? 1 : 0;
    case '>': return compare(a, b) > 0 ? 1 : 0;
    case '<=': return compare(a, b) <= 0 ? 1 : 0;
    case '>=': return compare(a, b) >= 0 ? 1 : 0;
    case '==': return compare(a, b) === 0 ? 1 : 0;
    case '!=': return compare(a, b) !== 0 ? 1 : 0;
    case '&':
    case '|':
    case '^':
    case '<<':
    case '>>':
    case '%':
      return intArith(op, integer(a, op), integer(b, op));
  }
  const x = numeric(a, op);
  const y = numeric(b, op);
  if (x instanceof Dbl || y instanceof Dbl) return floatArith(op, toFloat(x), toFloat(y));
  return intArith(op, x, y);
}

function unary(op: string, a: Val): Val {
  if (op === '!') return truthy(a) ? 0 : 1;
  if (op === '~') {
    const n = integer(a, op);
    return typeof n === 'number' ? -n - 1 : normInt(~n);
  }
  const n = numeric(a, op);
  if (op === '+') return n;
  if (n instanceof Dbl) return new Dbl(-n.v);
  return typeof n === 'number' ? (n === 0 ? 0 : -n) : normInt(-n);
}

function checked(v: number): Dbl {
  if (Number.isNaN(v)) throw domain('domain error: argument not in valid range', 'domain error: argument not in valid range');
  return new Dbl(v);
}

function roundHalfAway(v: number): number | bigint {
  const r = v < 0 ? -Math.round(-v) : Math.round(v);
  return Number.isSafeInteger(r) ? r : normInt(BigInt(r));
}

function truncate(n: Num): number | bigint {
  if (!(n instanceof Dbl)) return n;
  if (!Number.isFinite(n.v)) throw domain('integer value too large to represent', 'integer value too large to represent');
  const t = Math.trunc(n.v);
  return Number.isSafeInteger(t) ? t : normInt(BigInt(t));
}

const UNARY_MATH: Readonly<Record<string, (x: number) => number>> = {
  sqrt: Math.sqrt, exp: Math.exp, log: Math.log, log10: Math.log10, sin: Math.sin, cos: Math.cos, tan: Math.tan,
  asin: Math.asin, acos: Math.acos, atan: Math.atan, sinh: Math.sinh, cosh: Math.cosh, tanh: Math.tanh,
};

function needArgs(name: string, args: readonly Val[], n: number): void {
  if (args.length < n) throw new TclFailure(`not enough arguments for math function "${name}"`, 'TCL WRONGARGS');
  if (args.length > n) throw new TclFailure(`too many arguments for math function "${name}"`, 'TCL WRONGARGS');
}

function fnArg(v: Val): Num {
  if (typeof v !== 'string') return v;
  const n = parseNum(v);
  if (n === undefined) throw new TclFailure(`expected number but got "${v}"`, 'TCL VALUE NUMBER');
  return n;
}

function callFn(name: string, args: readonly Val[]): Val {
  const math = UNARY_MATH[name];
  if (math !== undefined) {
    needArgs(name, args, 1);
    return checked(math(toFloat(fnArg(args[0]!))));
  }
  switch (name) {
    case 'abs': {
      needArgs(name, args, 1);
      const n = fnArg(args[0]!);
      if (n instanceof Dbl) return new Dbl(Math.abs(n.v));
      return typeof n === 'number' ? Math.abs(n) : normInt(n < 0n ? -n : n);
    }
    case 'int':
    case 'wide':
    case 'entier':
      needArgs(name, args, 1);
      return truncate(fnArg(args[0]!));
    case 'double':
      needArgs(name, args, 1);
      return new Dbl(toFloat(fnArg(args[0]!)));
    case 'bool':
      needArgs(name, args, 1);
      return truthy(args[0]!) ? 1 : 0;
    case 'round': {
      needArgs(name, args, 1);
      const n = fnArg(args[0]!);
      return n instanceof Dbl ? roundHalfAway(n.v) : n;
    }
    case 'floor':
    case 'ceil': {
      needArgs(name, args, 1);
      const x = toFloat(fnArg(args[0]!));
      return new Dbl(name === 'floor' ? Math.floor(x) : Math.ceil(x));
    }
    case 'isqrt': {
      needArgs(name, args, 1);
      const n = truncate(fnArg(args[0]!));
      if (n < 0) throw domain('square root of negative argument', 'domain error: argument not in valid range');
      return Math.floor(Math.sqrt(Number(n)));
    }
    case 'pow':
    case 'atan2':
    case 'fmod':
    case 'hypot': {
      needArgs(name, args, 2);
      const x = toFloat(fnArg(args[0]!));
      const y = toFloat(fnArg(args[1]!));
      if (name === 'pow') return checked(x ** y);
      if (name === 'atan2') return checked(Math.atan2(x, y));
      if (name === 'hypot') return checked(Math.hypot(x, y));
      return checked(x % y);
    }
    case 'max':
    case 'min': {
      if (args.length === 0) throw new TclFailure(`not enough arguments to math function "${name}"`, 'NONE');
      let best = fnArg(args[0]!);
      for (const a of args.slice(1)) {
        const n = fnArg(a);
        const c = compare(n, best);
        if (name === 'max' ? c > 0 : c < 0) best = n;
      }
      return best;
    }
  }
  throw new TclFailure(`invalid command name "tcl::mathfunc::${name}"`, `TCL LOOKUP COMMAND tcl::mathfunc::${name}`);
}

function* ev(ti: TclContext, node: Node): Gen<Val> {
  switch (node.t) {
    case 'lit':
      return node.v;
    case 'sub': {
      const o = node.o;
      if ('parts' in o) return o.literal ?? (yield* substParts(ti, o.parts));
      if (o.kind === 'cmd') return yield* evalScript(ti, o.script);
      const index = o.index === undefined ? undefined : (o.index.literal ?? (yield* substParts(ti, o.index.parts)));
      return ti.readVar(o.name, index);
    }
    case 'un':
      return unary(node.op, yield* ev(ti, node.a));
    case 'bin': {
      if (node.op === '&&') return truthy(yield* ev(ti, node.a)) && truthy(yield* ev(ti, node.b)) ? 1 : 0;
      if (node.op === '||') return truthy(yield* ev(ti, node.a)) || truthy(yield* ev(ti, node.b)) ? 1 : 0;
      const a = yield* ev(ti, node.a);
      const b = yield* ev(ti, node.b);
      return binary(node.op, a, b);
    }
    case 'if':
      return truthy(yield* ev(ti, node.c)) ? yield* ev(ti, node.a) : yield* ev(ti, node.b);
    case 'fn': {
      const args: Val[] = [];
      for (const a of node.args) args.push(yield* ev(ti, a));
      return callFn(node.name, args);
    }
  }
}

/** Whether a tree holds no command substitution (then `evPlain` evaluates it without generators). */
function isPlain(node: Node): boolean {
  let known = plain.get(node);
  if (known === undefined) {
    known = plainNow(node);
    plain.set(node, known);
  }
  return known;
}
const plain = new WeakMap<Node, boolean>();

function plainNow(node: Node): boolean {
  switch (node.t) {
    case 'lit':
      return true;
    case 'sub': {
      const o = node.o;
      if ('parts' in o) return o.parts.every((p) => typeof p === 'string' || (p.kind === 'var' && p.index === undefined));
      return o.kind === 'var' && (o.index === undefined || o.index.literal !== undefined);
    }
    case 'un':
      return plainNow(node.a);
    case 'bin':
      return plainNow(node.a) && plainNow(node.b);
    case 'if':
      return plainNow(node.c) && plainNow(node.a) && plainNow(node.b);
    case 'fn':
      return node.args.every(plainNow);
  }
}

/** `ev` for plain trees (the common `$i < $n`): the same semantics, no generators. */
function evPlain(ti: TclContext, node: Node): Val {
  switch (node.t) {
    case 'lit':
      return node.v;
    case 'sub': {
      const o = node.o;
      if ('parts' in o) {
        if (o.literal !== undefined) return o.literal;
        let out = '';
        for (const p of o.parts) out += typeof p === 'string' ? p : p.kind === 'var' ? ti.readVar(p.name, undefined) : '';
        return out;
      }
      if (o.kind === 'var') return ti.readVar(o.name, o.index?.literal);
      throw new TclFailure('internal error: command substitution in a plain expression');
    }
    case 'un':
      return unary(node.op, evPlain(ti, node.a));
    case 'bin':
      if (node.op === '&&') return truthy(evPlain(ti, node.a)) && truthy(evPlain(ti, node.b)) ? 1 : 0;
      if (node.op === '||') return truthy(evPlain(ti, node.a)) || truthy(evPlain(ti, node.b)) ? 1 : 0;
      return binary(node.op, evPlain(ti, node.a), evPlain(ti, node.b));
    case 'if':
      return truthy(evPlain(ti, node.c)) ? evPlain(ti, node.a) : evPlain(ti, node.b);
    case 'fn':
      return callFn(node.name, node.args.map((a) => evPlain(ti, a)));
  }
}

function* evaluate(ti: TclContext, text: string): Gen<Val> {
  const tree = parseExpr(text);
  return isPlain(tree) ? evPlain(ti, tree) : yield* ev(ti, tree);
}

/** `expr text`: the value as Tcl prints it. */
export function* exprString(ti: TclContext, text: string): Gen<string> {
  const v = yield* evaluate(ti, text);
  if (typeof v !== 'string') return formatNum(v);
  // A lone operand that reads as a number comes back in canonical form (`010` is 8), as in Tcl.
  const n = parseNum(v);
  return n === undefined ? v : formatNum(n);
}

/** An expression used as a condition (`if`, `while`, `for`). */
export function* exprBool(ti: TclContext, text: string): Gen<boolean> {
  return truthy(yield* evaluate(ti, text));
}
