/**
 * Control flow: `if while for foreach switch break continue catch error try eval expr subst`.
 *
 * Owns: each command's argument forms and Tcl's errors for them, loop handling of
 * `break`/`continue`, and what `catch`/`try` see: every Tcl error except fatal ones (the
 * command budget, runaway event loops, internal errors), which pass through so a
 * `while 1 {catch {...}}` cannot escape the budget. `catch` and `try` set `::errorInfo` and
 * `::errorCode` as Tcl does.
 * Departs from Tcl: `switch -regexp` uses JavaScript regular expressions.
 */
import { TclControl, TclFailure, TCL_BREAK, TCL_CONTINUE, TCL_ERROR, TCL_OK, TCL_RETURN, wrongArgs } from '../errors.js';
import { evalBody, loopSignal, substParts, toTcl, type Gen } from '../eval.js';
import { exprBool, exprString } from '../expr-eval.js';
import { formatList, listView, parseList } from '../list.js';
import { parseSubst } from '../parse-script.js';
import type { TclContext } from '../context.js';
import { globMatch, regex } from './strings.js';
import { parseCode } from './procs.js';

function* ifCmd(ti: TclContext, argv: string[]): Gen<string> {
  let i = 1;
  for (;;) {
    if (i >= argv.length) throw new TclFailure(`wrong # args: no expression after "${argv[i - 1]}" argument`, 'TCL WRONGARGS');
    const cond = argv[i++]!;
    if (argv[i] === 'then') i++;
    if (i >= argv.length) throw new TclFailure(`wrong # args: no script following "${argv[i - 1]}" argument`, 'TCL WRONGARGS');
    const body = argv[i++]!;
    if (yield* exprBool(ti, cond)) return yield* evalBody(ti, body, null);
    if (i >= argv.length) return '';
    if (argv[i] === 'elseif') {
      i++;
      continue;
    }
    if (argv[i] === 'else') i++;
    if (i >= argv.length) throw new TclFailure(`wrong # args: no script following "else" argument`, 'TCL WRONGARGS');
    if (i !== argv.length - 1) throw new TclFailure('wrong # args: extra words after "else" clause in "if" command', 'TCL WRONGARGS');
    return yield* evalBody(ti, argv[i]!, null);
  }
}

function* whileCmd(ti: TclContext, argv: string[]): Gen<string> {
  if (argv.length !== 3) throw wrongArgs('while test command');
  const [, test, body] = argv as [string, string, string];
  while (yield* exprBool(ti, test)) {
    try {
      yield* evalBody(ti, body, null);
    } catch (err) {
      if (!loopSignal(err)) break;
    }
  }
  return '';
}

function* forCmd(ti: TclContext, argv: string[]): Gen<string> {
  if (argv.length !== 5) throw wrongArgs('for start test next command');
  const [, start, test, next, body] = argv as [string, string, string, string, string];
  yield* evalBody(ti, start, null);
  while (yield* exprBool(ti, test)) {
    try {
      yield* evalBody(ti, body, null);
    } catch (err) {
      if (!loopSignal(err)) break;
    }
    yield* evalBody(ti, next, null);
  }
  return '';
}

function* foreachCmd(ti: TclContext, argv: string[]): Gen<string> {
  if (argv.length < 4 || argv.length % 2 !== 0) throw wrongArgs('foreach varList list ?varList list ...? command');
  const body = argv[argv.length - 1]!;
  const groups: { vars: string[]; items: readonly string[] }[] = [];
  let rounds = 0;
  for (let i = 1; i < argv.length - 1; i += 2) {
    const vars = parseList(argv[i]!);
    if (vars.length === 0) throw new TclFailure('foreach varlist is empty', 'TCL OPERATION FOREACH NEEDVARS');
    const items = listView(argv[i + 1]!);
    groups.push({ vars, items });
    rounds = Math.max(rounds, Math.ceil(items.length / vars.length));
  }
  for (let r = 0; r < rounds; r++) {
    for (const g of groups) {
      for (let v = 0; v < g.vars.length; v++) ti.setByName(g.vars[v]!, g.items[r * g.vars.length + v] ?? '');
    }
    try {
      yield* evalBody(ti, body, '"foreach" body');
    } catch (err) {
      if (!loopSignal(err)) break;
    }
  }
  return '';
}

function* switchCmd(ti: TclContext, argv: string[]): Gen<string> {
  let i = 1;
  let mode = 'exact' as 'exact' | 'glob' | 'regexp';
  let nocase = false;
  for (; i < argv.length && argv[i]!.startsWith('-'); i++) {
    const opt = argv[i]!;
    if (opt === '--') {
      i++;
      break;
    }
    if (opt === '-exact' || opt === '-glob' || opt === '-regexp') mode = opt.slice(1) as typeof mode;
    else if (opt === '-nocase') nocase = true;
    else throw new TclFailure(`bad option "${opt}": must be -exact, -glob, -indexvar, -matchvar, -nocase, -regexp, or --`, 'TCL LOOKUP INDEX option');
  }
  if (argv.length - i < 2) throw wrongArgs('switch ?-option ...? string ?pattern body ...? ?default body?');
  const value = argv[i++]!;
  const clauses = argv.length - i === 1 ? parseList(argv[i]!) : argv.slice(i);
  if (clauses.length % 2 !== 0) throw new TclFailure('extra switch pattern with no body', 'TCL OPERATION SWITCH BADARM');
  for (let c = 0; c < clauses.length; c += 2) {
    const pattern = clauses[c]!;
    const last = c === clauses.length - 2;
    const matched =
      (last && pattern === 'default') ||
      (mode === 'exact' && (nocase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value)) ||
      (mode === 'glob' && globMatch(pattern, value, nocase)) ||
      (mode === 'regexp' && regex(pattern, nocase).test(value));
    if (!matched) continue;
    let b = c + 1;
    while (clauses[b] === '-' && b + 2 < clauses.length) b += 2;
    if (clauses[b] === '-') throw new TclFailure(`no body specified for pattern "${clauses[b - 1]}"`, 'TCL OPERATION SWITCH FALLTHROUGH');
    return yield* evalBody(ti, clauses[b]!, null);
  }
  return '';
}

/** Completion of a script: code and result, with fatal errors passed through. */
function* complete(ti: TclContext, script: string): Gen<{ code: number; value: string; failure: TclFailure | undefined; control: TclControl | undefined }> {
  try {
    return { code: TCL_OK, value: yield* evalBody(ti, script, null), failure: undefined, control: undefined };
  } catch (err) {
    const e = toTcl(ti, err);
    if (e instanceof TclControl) {
      const code = e.code === TCL_RETURN ? TCL_RETURN : e.code;
      return { code, value: e.value, failure: undefined, control: e };
    }
    if (e.fatal) throw e;
    ti.writeVar('::errorInfo', undefined, e.errorInfo);
    ti.writeVar('::errorCode', undefined, e.errorCode);
    return { code: TCL_ERROR, value: e.message, failure: e, control: undefined };
  }
}

function options(r: { code: number; failure: TclFailure | undefined; control: TclControl | undefined }): string {
  if (r.failure !== undefined) {
    return formatList(['-code', '1', '-level', '0', '-errorcode', r.failure.errorCode, '-errorinfo', r.failure.errorInfo, '-errorline', String(r.failure.line ?? 1)]);
  }
  if (r.control?.code === TCL_RETURN) return formatList(['-code', String(r.control.returnCode), '-level', String(r.control.level)]);
  return formatList(['-code', String(r.code), '-level', '0']);
}

function* catchCmd(ti: TclContext, argv: string[]): Gen<string> {
  if (argv.length < 2 || argv.length > 4) throw wrongArgs('catch script ?resultVarName? ?optionVarName?');
  const r = yield* complete(ti, argv[1]!);
  if (argv[2] !== undefined) ti.setByName(argv[2], r.value);
  if (argv[3] !== undefined) ti.setByName(argv[3], options(r));
  return String(r.code);
}

function errorCmd(_ti: TclContext, argv: string[]): string {
  if (argv.length < 2 || argv.length > 4) throw wrongArgs('error message ?errorInfo? ?errorCode?');
  const f = new TclFailure(argv[1]!, argv[3] ?? 'NONE');
  if (argv[2] !== undefined && argv[2] !== '') {
    f.errorInfo = argv[2];
    f.traced = true;
  }
  throw f;
}

function* tryCmd(ti: TclContext, argv: string[]): Gen<string> {
  if (argv.length < 2) throw wrongArgs('try body ?handler ...? ?finally script?');
  let finallyScript: string | undefined;
  const handlers: { kind: 'on' | 'trap'; match: string; vars: string[]; body: string }[] = [];
  for (let i = 2; i < argv.length; ) {
    const word = argv[i]!;
    if (word === 'finally' && i === argv.length - 2) {
      finallyScript = argv[i + 1];
      break;
    }
    if ((word === 'on' || word === 'trap') && i + 3 < argv.length) {
      handlers.push({ kind: word, match: argv[i + 1]!, vars: parseList(argv[i + 2]!), body: argv[i + 3]! });
      i += 4;
      continue;
    }
    if (word === 'on' || word === 'trap') throw new TclFailure(`wrong # args to ${word} clause: must be "... ${word} ${word === 'on' ? 'code' : 'pattern'} variableList script"`, 'TCL OPERATION TRY');
    throw new TclFailure(`bad handler "${word}": must be finally, on, or trap`, 'TCL LOOKUP INDEX handler');
  }
  const r = yield* complete(ti, argv[1]!);
  let outcome: { ok: true; value: string } | { ok: false; err: unknown } = { ok: true, value: r.value };
  let handled = false;
  for (let h = 0; h < handlers.length && !handled; h++) {
    const handler = handlers[h]!;
    const hit =
      handler.kind === 'on'
        ? parseCode(handler.match) === r.code
        : r.failure !== undefined && startsWithList(parseList(r.failure.errorCode), parseList(handler.match));
    if (!hit) continue;
    handled = true;
    let body = h;
    while (handlers[body]?.body === '-' && body + 1 < handlers.length) body++;
    if (handler.vars[0] !== undefined) ti.setByName(handler.vars[0], r.value);
    if (handler.vars[1] !== undefined) ti.setByName(handler.vars[1], options(r));
    try {
      outcome = { ok: true, value: yield* evalBody(ti, handlers[body]!.body, null) };
    } catch (err) {
      outcome = { ok: false, err };
    }
  }
  if (!handled && r.code !== TCL_OK) outcome = { ok: false, err: r.failure ?? r.control };
  if (finallyScript !== undefined) yield* evalBody(ti, finallyScript, null);
  if (!outcome.ok) throw outcome.err;
  return outcome.value;
}

function startsWithList(have: readonly string[], prefix: readonly string[]): boolean {
  return prefix.every((p, i) => have[i] === p);
}

function breakCmd(_ti: TclContext, argv: string[]): string {
  if (argv.length !== 1) throw wrongArgs(argv[0]!);
  throw new TclControl(argv[0] === 'break' ? TCL_BREAK : TCL_CONTINUE);
}

function* evalCmd(ti: TclContext, argv: string[]): Gen<string> {
  if (argv.length < 2) throw wrongArgs('eval arg ?arg ...?');
  const script = argv.length === 2 ? argv[1]! : argv.slice(1).map((a) => a.trim()).join(' ');
  return yield* evalBody(ti, script, '"eval" body');
}

function* exprCmd(ti: TclContext, argv: string[]): Gen<string> {
  if (argv.length < 2) throw wrongArgs('expr arg ?arg ...?');
  return yield* exprString(ti, argv.length === 2 ? argv[1]! : argv.slice(1).join(' '));
}

function* substCmd(ti: TclContext, argv: string[]): Gen<string> {
  if (argv.length !== 2) throw wrongArgs('subst ?-nobackslashes? ?-nocommands? ?-novariables? string');
  const parts = parseSubst(argv[1]!);
  if (!Array.isArray(parts)) throw new TclFailure((parts as { message: string }).message);
  return yield* substParts(ti, parts);
}

/** Installs this family. */
export function install(ti: TclContext): void {
  ti.commands.set('if', ifCmd);
  ti.commands.set('while', whileCmd);
  ti.commands.set('for', forCmd);
  ti.commands.set('foreach', foreachCmd);
  ti.commands.set('switch', switchCmd);
  ti.commands.set('break', breakCmd);
  ti.commands.set('continue', breakCmd);
  ti.commands.set('catch', catchCmd);
  ti.commands.set('error', errorCmd);
  ti.commands.set('try', tryCmd);
  ti.commands.set('eval', evalCmd);
  ti.commands.set('expr', exprCmd);
  ti.commands.set('subst', substCmd);
}
