/**
 * Procedures and call frames: `proc`, `return`, `apply`, `uplevel`, `upvar`, `global`,
 * `variable`, and the call of a proc itself.
 *
 * Owns: argument binding with Tcl's `wrong # args: should be "name a ?b? ?arg ...?"`, how a
 * `return` (with `-code`/`-level`) ends a proc, `break`/`continue` escaping a proc as Tcl's
 * error, errorInfo's `(procedure "name" line N)` line, and frame-level arithmetic for `upvar`
 * and `uplevel` (`N` relative, `#N` absolute).
 * Departs from Tcl: `variable` links to the global namespace (the only one there is).
 */
import { TclControl, TclFailure, TCL_BREAK, TCL_CONTINUE, TCL_ERROR, TCL_OK, TCL_RETURN, wrongArgs } from '../errors.js';
import { evalBody, toTcl, type Gen } from '../eval.js';
import { formatList, parseList } from '../list.js';
import { needInt } from '../number.js';
import type { Frame, TclContext } from '../context.js';

type Params = readonly (readonly [string, string | undefined])[];

function parseParams(spec: string, procName: string): Params {
  return parseList(spec).map((p) => {
    const parts = parseList(p);
    if (parts.length === 0 || parts.length > 2) {
      throw new TclFailure(
        parts.length === 0 ? `argument with no name` : `too many fields in argument specifier "${p}"`,
        'TCL OPERATION PROC FORMALARGUMENTFORMAT',
      );
    }
    void procName;
    return [parts[0] as string, parts[1]] as const;
  });
}

function usage(name: string, params: Params): string {
  const words = [name];
  params.forEach(([p, def], i) => {
    if (p === 'args' && i === params.length - 1) words.push('?arg ...?');
    else words.push(def === undefined ? p : `?${p}?`);
  });
  return words.join(' ');
}

/** Runs a proc (or lambda) body in a new frame with the arguments bound. */
function* callBody(ti: TclContext, label: string, params: Params, body: string, argv: readonly string[], skip: number): Gen<string> {
  const vars = new Map<string, { value: string | undefined; array: Map<string, string> | undefined; writes: number }>();
  const args = argv.slice(skip);
  let i = 0;
  for (let p = 0; p < params.length; p++) {
    const [name, def] = params[p]!;
    if (name === 'args' && p === params.length - 1) {
      vars.set(name, { value: formatRest(args.slice(i)), array: undefined, writes: 0 });
      i = args.length;
      continue;
    }
    const value = i < args.length ? args[i++] : def;
    if (value === undefined) throw wrongArgs(usage(argv.slice(0, skip).join(' '), params));
    vars.set(name, { value, array: undefined, writes: 0 });
  }
  if (i < args.length) throw wrongArgs(usage(argv.slice(0, skip).join(' '), params));
  const frame: Frame = { vars, level: ti.frames.length, call: argv };
  ti.frames.push(frame);
  try {
    return yield* ti.evalText(body);
  } catch (err) {
    const e = toTcl(ti, err);
    if (e instanceof TclControl) return endOfProc(e);
    e.errorInfo += `\n    (${label} line ${e.line ?? 1})`;
    throw e;
  } finally {
    ti.frames.pop();
  }
}

function formatRest(rest: readonly string[]): string {
  return rest.length === 0 ? '' : formatList(rest);
}

/** What a `return`/`break`/`continue` reaching the end of a proc makes of the call. */
function endOfProc(e: TclControl): string {
  if (e.code === TCL_BREAK || e.code === TCL_CONTINUE) {
    throw new TclFailure(`invoked "${e.code === TCL_BREAK ? 'break' : 'continue'}" outside of a loop`, 'TCL RESULT');
  }
  if (e.level > 1) throw new TclControl(TCL_RETURN, e.value, e.returnCode, e.level - 1, e.errorCode);
  return applyCode(e.returnCode, e.value, e.errorCode);
}

/** Completes with `code` as the result of a command (used by `return -level 0` and procs). */
function applyCode(code: number, value: string, errorCode: string): string {
  if (code === TCL_OK) return value;
  if (code === TCL_ERROR) throw new TclFailure(value, errorCode);
  if (code === TCL_RETURN) throw new TclControl(TCL_RETURN, value);
  if (code === TCL_BREAK || code === TCL_CONTINUE) throw new TclControl(code, value);
  throw new TclControl(TCL_RETURN, value, code, 1);
}

const CODES: Readonly<Record<string, number>> = { ok: 0, error: 1, return: 2, break: 3, continue: 4 };

/** Reads a completion code (`ok`, `error`, ... or an integer). */
export function parseCode(text: string): number {
  const c = CODES[text];
  if (c !== undefined) return c;
  if (/^-?\d+$/.test(text)) return Number(text);
  throw new TclFailure(`bad completion code "${text}": must be ok, error, return, break, continue, or an integer`, 'TCL RESULT ILLEGAL_CODE');
}

function returnCmd(_ti: TclContext, argv: string[]): string {
  let code = TCL_OK;
  let level = 1;
  let errorCode = 'NONE';
  let i = 1;
  while (i + 1 < argv.length && argv[i]!.startsWith('-')) {
    const opt = argv[i]!;
    const val = argv[i + 1]!;
    if (opt === '-code') code = parseCode(val);
    else if (opt === '-level') level = needInt(val);
    else if (opt === '-errorcode') errorCode = val;
    else if (opt === '-options') {
      const kv = parseList(val);
      for (let k = 0; k + 1 < kv.length; k += 2) {
        if (kv[k] === '-code') code = parseCode(kv[k + 1]!);
        else if (kv[k] === '-level') level = needInt(kv[k + 1]!);
        else if (kv[k] === '-errorcode') errorCode = kv[k + 1]!;
      }
    }
    i += 2;
  }
  if (argv.length - i > 1) throw wrongArgs('return ?-option value ...? ?result?');
  const value = argv[i] ?? '';
  if (code === TCL_ERROR && errorCode === 'NONE') errorCode = 'NONE';
  if (level === 0) return applyCode(code, value, errorCode);
  throw new TclControl(TCL_RETURN, value, code, level, errorCode);
}

function procCmd(ti: TclContext, argv: string[]): string {
  if (argv.length !== 4) throw wrongArgs('proc name args body');
  const name = argv[1]!.replace(/^::/, '');
  const params = parseParams(argv[2]!, name);
  const body = argv[3]!;
  ti.procs.set(name, { params, body });
  ti.commands.set(name, (t, args) => callBody(t, `procedure "${name}"`, params, body, args, 1));
  return '';
}

function applyCmd(ti: TclContext, argv: string[]): Gen<string> {
  if (argv.length < 2) throw wrongArgs('apply lambdaExpr ?arg ...?');
  const lambda = parseList(argv[1]!);
  if (lambda.length < 2 || lambda.length > 3) {
    throw new TclFailure(`can't interpret "${argv[1]}" as a lambda expression`, 'TCL VALUE LAMBDA');
  }
  const params = parseParams(lambda[0]!, 'apply');
  return callBody(ti, `lambda term "${argv[1]}"`, params, lambda[1]!, argv, 2);
}

/** Resolves an optional level argument: returns the target frame index and how many words it used. */
function frameLevel(ti: TclContext, arg: string | undefined, defaultUp: number): { index: number; used: number } {
  const top = ti.frames.length - 1;
  if (arg !== undefined && /^#\d+$/.test(arg)) {
    const n = Number(arg.slice(1));
    if (n > top) throw new TclFailure(`bad level "${arg}"`, 'TCL LOOKUP LEVEL');
    return { index: n, used: 1 };
  }
  if (arg !== undefined && /^\d+$/.test(arg)) {
    const n = Number(arg);
    if (n > top) throw new TclFailure(`bad level "${arg}"`, 'TCL LOOKUP LEVEL');
    return { index: top - n, used: 1 };
  }
  return { index: Math.max(0, top - defaultUp), used: 0 };
}

function* uplevelCmd(ti: TclContext, argv: string[]): Gen<string> {
  if (argv.length < 2) throw wrongArgs('uplevel ?level? command ?arg ...?');
  const { index, used } = frameLevel(ti, argv.length > 2 ? argv[1] : undefined, 1);
  const words = argv.slice(1 + used);
  const script = words.length === 1 ? words[0]! : words.map((w) => w.trim()).join(' ');
  const saved = ti.frames;
  ti.frames = saved.slice(0, index + 1);
  try {
    return yield* evalBody(ti, script, '"uplevel" body');
  } finally {
    ti.frames = saved;
  }
}

/** Makes `local` in the current frame an alias of `other` in frame `index`. */
function link(ti: TclContext, index: number, other: string, local: string): void {
  const target = ti.frames[other.startsWith('::') ? 0 : index]!;
  const name = other.replace(/^::/, '');
  let v = target.vars.get(name);
  if (v === undefined) target.vars.set(name, (v = { value: undefined, array: undefined, writes: 0 }));
  const here = ti.frame;
  const existing = here.vars.get(local);
  if (existing !== undefined && existing !== v && (existing.value !== undefined || existing.array !== undefined)) {
    throw new TclFailure(`variable "${local}" already exists`, 'TCL UPVAR EXISTS');
  }
  here.vars.set(local, v);
}

function upvarCmd(ti: TclContext, argv: string[]): string {
  const hasLevel = argv.length % 2 === 0 && argv.length >= 4;
  const { index, used } = frameLevel(ti, hasLevel ? argv[1] : undefined, 1);
  const pairs = argv.slice(1 + used);
  if (pairs.length === 0 || pairs.length % 2 !== 0) throw wrongArgs('upvar ?level? otherVar localVar ?otherVar localVar ...?');
  for (let i = 0; i < pairs.length; i += 2) link(ti, index, pairs[i]!, pairs[i + 1]!);
  return '';
}

function globalCmd(ti: TclContext, argv: string[]): string {
  if (argv.length < 2) throw wrongArgs('global varName ?varName ...?');
  if (ti.frames.length === 1) return '';
  for (const name of argv.slice(1)) link(ti, 0, name, name.replace(/^.*::/, ''));
  return '';
}

function variableCmd(ti: TclContext, argv: string[]): string {
  if (argv.length < 2) throw wrongArgs('variable ?name value...? name ?value?');
  for (let i = 1; i < argv.length; i += 2) {
    const name = argv[i]!.replace(/^.*::/, '');
    if (ti.frames.length > 1) link(ti, 0, name, name);
    if (i + 1 < argv.length) ti.writeVar(`::${name}`, undefined, argv[i + 1]!);
  }
  return '';
}

/** Installs this family. */
export function install(ti: TclContext): void {
  ti.commands.set('proc', procCmd);
  ti.commands.set('return', returnCmd);
  ti.commands.set('apply', applyCmd);
  ti.commands.set('uplevel', uplevelCmd);
  ti.commands.set('upvar', upvarCmd);
  ti.commands.set('global', globalCmd);
  ti.commands.set('variable', variableCmd);
}
