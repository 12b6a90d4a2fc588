/**
 * Variables and dicts: `set unset incr append lappend`, `dict` (create
 * get set exists keys values size unset for lappend incr), `array` (exists size names get
 * set unset), `info` (exists commands procs body
 * args level vars globals) and `clock`.
 *
 * Owns: Tcl's forms and error texts for these commands; list values always in canonical form
 * (list.ts). `clock` reads the socket interpreter's driver clock: virtual time on the sim.
 * Departs from Tcl: `info commands`/`procs`/`vars` return names in definition order (Tcl:
 * hash order), which keeps output deterministic; sort it for comparisons with tclsh.
 */
import { TclFailure, wrongArgs } from '../errors.js';
import { evalBody, loopSignal, type Gen } from '../eval.js';
import { appendList, formatList, parseList } from '../list.js';
import { needInt, parseInt64 } from '../number.js';
import type { TclContext } from '../context.js';
import { globMatch } from './strings.js';

function setCmd(ti: TclContext, argv: string[]): string {
  if (argv.length === 2) return ti.getByName(argv[1]!);
  if (argv.length === 3) return ti.setByName(argv[1]!, argv[2]!);
  throw wrongArgs('set varName ?newValue?');
}

function unsetCmd(ti: TclContext, argv: string[]): string {
  let i = 1;
  let complain = true;
  if (argv[i] === '-nocomplain') {
    complain = false;
    i++;
  }
  if (argv[i] === '--') i++;
  for (; i < argv.length; i++) {
    if (!ti.unsetByName(argv[i]!) && complain) {
      throw new TclFailure(`can't unset "${argv[i]}": no such variable`, `TCL LOOKUP VARNAME ${argv[i]}`);
    }
  }
  return '';
}

function incrCmd(ti: TclContext, argv: string[]): string {
  if (argv.length < 2 || argv.length > 3) throw wrongArgs('incr varName ?increment?');
  const by = argv[2] === undefined ? 1 : parseInt64(argv[2]);
  if (by === undefined) throw new TclFailure(`expected integer but got "${argv[2]}"`, 'TCL VALUE NUMBER');
  const name = argv[1]!;
  // The common case, a scalar that exists, with one lookup.
  const v = name.endsWith(')') ? undefined : ti.lookup(name, false);
  const old = v?.value ?? (ti.existsByName(name) ? ti.getByName(name) : '0');
  const cur = parseInt64(old);
  if (cur === undefined) throw new TclFailure(`expected integer but got "${old}"`, 'TCL VALUE NUMBER');
  const sum = typeof cur === 'number' && typeof by === 'number' && Number.isSafeInteger(cur + by) ? cur + by : BigInt(cur) + BigInt(by);
  return ti.setByName(name, String(sum));
}

function appendCmd(ti: TclContext, argv: string[]): string {
  if (argv.length < 2) throw wrongArgs('append varName ?value ...?');
  const name = argv[1]!;
  const old = ti.existsByName(name) ? ti.getByName(name) : '';
  return ti.setByName(name, old + argv.slice(2).join(''));
}

function lappendCmd(ti: TclContext, argv: string[]): string {
  if (argv.length < 2) throw wrongArgs('lappend varName ?value ...?');
  const name = argv[1]!;
  const old = ti.existsByName(name) ? ti.getByName(name) : '';
  if (argv.length === 2) return ti.setByName(name, old);
  return ti.setByName(name, appendList(old, argv.slice(2)));
}

function dictPairs(text: string): string[] {
  const items = parseList(text);
  if (items.length % 2 !== 0) throw new TclFailure('missing value to go with key', 'TCL VALUE DICTIONARY');
  // Later duplicates replace earlier values in place, as a dict keeps first-insertion order.
  const out: string[] = [];
  for (let i = 0; i < items.length; i += 2) {
    const k = out.findIndex((v, j) => j % 2 === 0 && v === items[i]);
    if (k >= 0) out[k + 1] = items[i + 1]!;
    else out.push(items[i]!, items[i + 1]!);
  }
  return out;
}

function dictGet(text: string, key: string): string | undefined {
  const p = dictPairs(text);
  for (let i = 0; i < p.length; i += 2) if (p[i] === key) return p[i + 1];
  return undefined;
}

function dictPut(text: string, keys: readonly string[], value: string): string {
  const p = dictPairs(text);
  const [key, ...rest] = keys as [string, ...string[]];
  let i = 0;
  while (i < p.length && p[i] !== key) i += 2;
  const v = rest.length === 0 ? value : dictPut(i < p.length ? p[i + 1]! : '', rest, value);
  if (i < p.length) p[i + 1] = v;
  else p.push(key, v);
  return formatList(p);
}

function* dictCmd(ti: TclContext, argv: string[]): Gen<string> {
  const sub = argv[1];
  const a = argv.slice(2);
  switch (sub) {
    case 'create':
      if (a.length % 2 !== 0) throw wrongArgs('dict create ?key value ...?');
      return formatList(dictPairs(formatList(a)));
    case 'get': {
      if (a.length < 1) throw wrongArgs('dict get dictionary ?key ...?');
      let d = a[0]!;
      for (const k of a.slice(1)) {
        const v = dictGet(d, k);
        if (v === undefined) throw new TclFailure(`key "${k}" not known in dictionary`, `TCL LOOKUP DICT ${k}`);
        d = v;
      }
      return a.length === 1 ? formatList(dictPairs(d)) : d;
    }
    case 'exists': {
      if (a.length < 2) throw wrongArgs('dict exists dictionary key ?key ...?');
      let d = a[0]!;
      for (const k of a.slice(1)) {
        let v: string | undefined;
        try {
          v = dictGet(d, k);
        } catch {
          return '0';
        }
        if (v === undefined) return '0';
        d = v;
      }
      return '1';
    }
    case 'set': {
      if (a.length < 3) throw wrongArgs('dict set dictVarName key ?key ...? value');
      const old = ti.existsByName(a[0]!) ? ti.getByName(a[0]!) : '';
      return ti.setByName(a[0]!, dictPut(old, a.slice(1, -1), a[a.length - 1]!));
    }
    case 'unset': {
      if (a.length !== 2) throw wrongArgs('dict unset dictVarName key ?key ...?');
      const p = dictPairs(ti.existsByName(a[0]!) ? ti.getByName(a[0]!) : '');
      const i = p.findIndex((v, j) => j % 2 === 0 && v === a[1]);
      if (i >= 0) p.splice(i, 2);
      return ti.setByName(a[0]!, formatList(p));
    }
    case 'keys':
    case 'values': {
      if (a.length < 1 || a.length > 2) throw wrongArgs(`dict ${sub} dictionary ?globPattern?`);
      const p = dictPairs(a[0]!);
      const out: string[] = [];
      for (let i = 0; i < p.length; i += 2) {
        const item = sub === 'keys' ? p[i]! : p[i + 1]!;
        if (a[1] === undefined || globMatch(a[1], item)) out.push(item);
      }
      return formatList(out);
    }
    case 'size':
      if (a.length !== 1) throw wrongArgs('dict size dictionary');
      return String(dictPairs(a[0]!).length / 2);
    case 'incr':
    case 'lappend': {
      if (a.length < 2) throw wrongArgs(`dict ${sub} dictVarName key ?${sub === 'incr' ? 'increment' : 'value ...'}?`);
      const old = ti.existsByName(a[0]!) ? ti.getByName(a[0]!) : '';
      const cur = dictGet(old, a[1]!);
      let next: string;
      if (sub === 'incr') next = String(needInt(cur ?? '0') + needInt(a[2] ?? '1'));
      else next = formatList([...parseList(cur ?? ''), ...a.slice(2)]);
      return ti.setByName(a[0]!, dictPut(old, [a[1]!], next));
    }
    case 'for': {
      if (a.length !== 3) throw wrongArgs('dict for {keyVarName valueVarName} dictionary script');
      const vars = parseList(a[0]!);
      if (vars.length !== 2) throw new TclFailure('must have exactly two variable names', 'TCL SYNTAX dict for');
      const p = dictPairs(a[1]!);
      for (let i = 0; i < p.length; i += 2) {
        ti.setByName(vars[0]!, p[i]!);
        ti.setByName(vars[1]!, p[i + 1]!);
        try {
          yield* evalBody(ti, a[2]!, '"dict for" body');
        } catch (err) {
          if (!loopSignal(err)) break;
        }
      }
      return '';
    }
  }
  if (sub === undefined) throw wrongArgs('dict subcommand ?arg ...?');
  throw new TclFailure(`unknown or ambiguous subcommand "${sub}": must be append, create, exists, filter, for, get, incr, info, keys, lappend, map, merge, remove, replace, set, size, unset, update, values, or with`, 'TCL LOOKUP SUBCOMMAND');
}

function infoCmd(ti: TclContext, argv: string[]): string {
  const sub = argv[1];
  const pattern = argv[2];
  const filtered = (names: Iterable<string>): string => formatList([...names].filter((n) => pattern === undefined || globMatch(pattern, n)));
  switch (sub) {
    case 'exists':
      if (argv.length !== 3) throw wrongArgs('info exists varName');
      return ti.existsByName(argv[2]!) ? '1' : '0';
    case 'commands':
      return filtered(ti.commands.keys());
    case 'procs':
      return filtered(ti.procs.keys());
    case 'vars':
    case 'locals':
    case 'globals': {
      const frame = sub === 'globals' ? ti.frames[0]! : ti.frame;
      const names = [...frame.vars.entries()].filter(([, v]) => v.value !== undefined || v.array !== undefined).map(([n]) => n);
      return filtered(names);
    }
    case 'body':
    case 'args': {
      const p = ti.procs.get(argv[2] ?? '');
      if (p === undefined) throw new TclFailure(`"${argv[2]}" isn't a procedure`, `TCL LOOKUP PROCEDURE ${argv[2]}`);
      return sub === 'body' ? p.body : formatList(p.params.map(([n]) => n));
    }
    case 'level':
      if (argv.length === 2) return String(ti.frames.length - 1);
    {
      // A positive level counts from the global frame, 0 and below from the current one.
      const n = needInt(argv[2]!);
      const frame = ti.frames[n > 0 ? n : ti.frames.length - 1 + n];
      if (frame === undefined || frame.level === 0) throw new TclFailure(`bad level "${argv[2]}"`, 'TCL LOOKUP LEVEL');
      return formatList(frame.call);
    }
  }
  throw new TclFailure(`unknown or ambiguous subcommand "${sub ?? ''}": must be args, body, class, cmdcount, commands, complete, coroutine, default, errorstack, exists, frame, functions, globals, hostname, level, library, loaded, locals, nameofexecutable, object, patchlevel, procs, script, sharedlibextension, tclversion, or vars`, 'TCL LOOKUP SUBCOMMAND');
}

function arrayCmd(ti: TclContext, argv: string[]): string {
  const sub = argv[1];
  const name = argv[2];
  if (sub === undefined || name === undefined) throw wrongArgs('array subcommand ?arg ...?');
  const v = ti.lookup(name, sub === 'set');
  const arr = v?.array;
  switch (sub) {
    case 'exists':
      return arr === undefined ? '0' : '1';
    case 'size':
      return String(arr?.size ?? 0);
    case 'names':
      return formatList([...(arr?.keys() ?? [])].filter((k) => argv[3] === undefined || globMatch(argv[3], k)));
    case 'get':
      return formatList([...(arr?.entries() ?? [])].filter(([k]) => argv[3] === undefined || globMatch(argv[3], k)).flat());
    case 'set': {
      const items = parseList(argv[3] ?? '');
      if (items.length % 2 !== 0) throw new TclFailure('list must have an even number of elements', 'TCL ARGUMENT FORMAT');
      if (v!.value !== undefined) throw new TclFailure(`can't array set "${name}": variable isn't array`, 'TCL LOOKUP VARNAME');
      v!.array ??= new Map();
      for (let i = 0; i < items.length; i += 2) ti.writeVar(name, items[i]!, items[i + 1]!);
      return '';
    }
    case 'unset':
      if (argv[3] === undefined) ti.unsetByName(name);
      else for (const k of [...(arr?.keys() ?? [])]) if (globMatch(argv[3], k)) ti.unsetByName(`${name}(${k})`);
      return '';
  }
  throw new TclFailure(`unknown or ambiguous subcommand "${sub}": must be anymore, donesearch, exists, get, names, nextelement, set, size, startsearch, statistics, or unset`, 'TCL LOOKUP SUBCOMMAND');
}

function clockCmd(ti: TclContext, argv: string[]): string {
  const ms = Math.floor(ti.interp.driver.clock.now());
  switch (argv[1]) {
    case 'milliseconds':
      return String(ms);
    case 'seconds':
      return String(Math.floor(ms / 1000));
    case 'microseconds':
    case 'clicks':
      return String(ms * 1000);
  }
  throw new TclFailure(`unknown or ambiguous subcommand "${argv[1] ?? ''}": must be add, clicks, format, microseconds, milliseconds, scan, or seconds`, 'TCL LOOKUP SUBCOMMAND');
}

/** Installs this family. */
export function install(ti: TclContext): void {
  ti.commands.set('set', setCmd);
  ti.commands.set('unset', unsetCmd);
  ti.commands.set('incr', incrCmd);
  ti.commands.set('append', appendCmd);
  ti.commands.set('lappend', lappendCmd);
  ti.commands.set('dict', dictCmd);
  ti.commands.set('info', infoCmd);
  ti.commands.set('clock', clockCmd);
  ti.commands.set('array', arrayCmd);
}
