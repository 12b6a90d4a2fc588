/**
 * List commands: `list llength lindex lrange lassign lsearch lsort linsert lreplace lreverse
 * lrepeat join split concat` (`lappend` is with the variable commands in data.ts).
 *
 * Owns: Tcl's forms, options and error texts for these commands; results always in canonical
 * list form (list.ts). `lsort` is stable, as Tcl's merge sort.
 * Departs from Tcl: `-regexp` uses JavaScript regular expressions; `lrepeat` refuses lists
 * over 4M elements.
 */
import { TclFailure, wrongArgs } from '../errors.js';
import { formatList, listView, parseList } from '../list.js';
import { Dbl, needInt, parseNum } from '../number.js';
import type { TclContext } from '../context.js';
import { globMatch, parseIndex, regex } from './strings.js';

function lindexCmd(_ti: TclContext, argv: string[]): string {
  if (argv.length < 2) throw wrongArgs('lindex list ?index ...?');
  let value = argv[1]!;
  const indices = argv.length === 3 ? listView(argv[2]!) : argv.slice(2);
  for (const ix of indices) {
    const items = listView(value);
    const i = parseIndex(ix, items.length);
    value = items[i] ?? '';
    if (i < 0 || i >= items.length) return '';
  }
  return value;
}

function lrangeCmd(_ti: TclContext, argv: string[]): string {
  if (argv.length !== 4) throw wrongArgs('lrange list first last');
  const items = parseList(argv[1]!);
  const from = Math.max(0, parseIndex(argv[2]!, items.length));
  const to = Math.min(items.length - 1, parseIndex(argv[3]!, items.length));
  return from > to ? '' : formatList(items.slice(from, to + 1));
}

function lassignCmd(ti: TclContext, argv: string[]): string {
  if (argv.length < 2) throw wrongArgs('lassign list ?varName ...?');
  const items = parseList(argv[1]!);
  const names = argv.slice(2);
  names.forEach((n, i) => ti.setByName(n, items[i] ?? ''));
  return formatList(items.slice(names.length));
}

function lsearchCmd(_ti: TclContext, argv: string[]): string {
  let mode = 'glob' as 'exact' | 'glob' | 'regexp';
  let all = false;
  let inline = false;
  let not = false;
  let nocase = false;
  let i = 1;
  for (; i < argv.length - 2; i++) {
    const o = argv[i]!;
    if (o === '-exact' || o === '-glob' || o === '-regexp') mode = o.slice(1) as typeof mode;
    else if (o === '-all') all = true;
    else if (o === '-inline') inline = true;
    else if (o === '-not') not = true;
    else if (o === '-nocase') nocase = true;
    else if (o === '-ascii' || o === '-integer' || o === '-sorted') continue;
    else throw new TclFailure(`bad option "${o}": must be -all, -ascii, -bisect, -decreasing, -dictionary, -exact, -glob, -increasing, -index, -inline, -integer, -nocase, -not, -real, -regexp, -sorted, -start, or -subindices`, 'TCL LOOKUP INDEX option');
  }
  if (argv.length - i !== 2) throw wrongArgs('lsearch ?-option value ...? list pattern');
  const items = parseList(argv[i]!);
  const pattern = argv[i + 1]!;
  const hits: number[] = [];
  items.forEach((item, k) => {
    const m =
      mode === 'exact' ? (nocase ? item.toLowerCase() === pattern.toLowerCase() : item === pattern)
        : mode === 'glob' ? globMatch(pattern, item, nocase)
          : regex(pattern, nocase).test(item);
    if (m !== not) hits.push(k);
  });
  if (all) return inline ? formatList(hits.map((k) => items[k]!)) : hits.join(' ');
  const first = hits[0];
  if (inline) return first === undefined ? '' : items[first]!;
  return String(first ?? -1);
}

function lsortCmd(_ti: TclContext, argv: string[]): string {
  let kind = 'ascii' as 'ascii' | 'integer' | 'real' | 'dictionary';
  let decreasing = false;
  let unique = false;
  let nocase = false;
  let index: string | undefined;
  let i = 1;
  for (; i < argv.length - 1; i++) {
    const o = argv[i]!;
    if (o === '-ascii' || o === '-integer' || o === '-real' || o === '-dictionary') kind = o.slice(1) as typeof kind;
    else if (o === '-decreasing') decreasing = true;
    else if (o === '-increasing') decreasing = false;
    else if (o === '-unique') unique = true;
    else if (o === '-nocase') nocase = true;
    else if (o === '-index') index = argv[++i];
    else throw new TclFailure(`bad option "${o}": must be -ascii, -command, -decreasing, -dictionary, -increasing, -index, -indices, -integer, -nocase, -real, -stride, or -unique`, 'TCL LOOKUP INDEX option');
  }
  if (i !== argv.length - 1) throw wrongArgs('lsort ?-option value ...? list');
  const items = parseList(argv[i]!);
  const key = (s: string): string => (index === undefined ? s : (parseList(s)[parseIndex(index, parseList(s).length)] ?? ''));
  const num = (s: string): number => {
    const n = parseNum(s);
    if (n === undefined || (kind === 'integer' && n instanceof Dbl)) {
      throw new TclFailure(`expected ${kind === 'integer' ? 'integer' : 'floating-point number'} but got "${s}"`, 'TCL VALUE NUMBER');
    }
    return n instanceof Dbl ? n.v : Number(n);
  };
  const cmp = (a: string, b: string): number => {
    const x = key(a);
    const y = key(b);
    if (kind === 'integer' || kind === 'real') return num(x) - num(y);
    const p = nocase || kind === 'dictionary' ? x.toLowerCase() : x;
    const q = nocase || kind === 'dictionary' ? y.toLowerCase() : y;
    return p < q ? -1 : p > q ? 1 : 0;
  };
  // Array.prototype.sort is stable, as Tcl's merge sort is.
  const sorted = items.slice().sort((a, b) => (decreasing ? -cmp(a, b) : cmp(a, b)));
  const out = unique ? sorted.filter((v, k) => k === sorted.length - 1 || cmp(v, sorted[k + 1]!) !== 0) : sorted;
  return formatList(out);
}

function linsertCmd(_ti: TclContext, argv: string[]): string {
  if (argv.length < 3) throw wrongArgs('linsert list index ?element ...?');
  const items = parseList(argv[1]!);
  let at = parseIndex(argv[2]!, items.length);
  if (argv[2]!.startsWith('end')) at++;
  items.splice(Math.max(0, Math.min(items.length, at)), 0, ...argv.slice(3));
  return formatList(items);
}

function lreplaceCmd(_ti: TclContext, argv: string[]): string {
  if (argv.length < 4) throw wrongArgs('lreplace list first last ?element ...?');
  const items = parseList(argv[1]!);
  const first = Math.max(0, parseIndex(argv[2]!, items.length));
  const last = parseIndex(argv[3]!, items.length);
  items.splice(first, Math.max(0, last - first + 1), ...argv.slice(4));
  return formatList(items);
}

function splitCmd(_ti: TclContext, argv: string[]): string {
  if (argv.length < 2 || argv.length > 3) throw wrongArgs('split string ?splitChars?');
  const s = argv[1]!;
  const chars = argv[2] ?? ' \t\n\r';
  if (chars === '') return formatList([...s]);
  const out: string[] = [];
  let cur = '';
  for (const ch of s) {
    if (chars.includes(ch)) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return formatList(out);
}

/** `concat`: trims each argument and joins the non-empty ones with spaces. */
function concatCmd(_ti: TclContext, argv: string[]): string {
  return argv
    .slice(1)
    .map((a) => a.trim())
    .filter((a) => a !== '')
    .join(' ');
}

/** Installs this family. */
export function install(ti: TclContext): void {
  ti.commands.set('list', (_t, argv) => formatList(argv.slice(1)));
  ti.commands.set('llength', (_t, argv) => {
    if (argv.length !== 2) throw wrongArgs('llength list');
    return String(listView(argv[1]!).length);
  });
  ti.commands.set('lindex', lindexCmd);
  ti.commands.set('lrange', lrangeCmd);
  ti.commands.set('lassign', lassignCmd);
  ti.commands.set('lsearch', lsearchCmd);
  ti.commands.set('lsort', lsortCmd);
  ti.commands.set('linsert', linsertCmd);
  ti.commands.set('lreplace', lreplaceCmd);
  ti.commands.set('lreverse', (_t, argv) => formatList(parseList(argv[1] ?? '').reverse()));
  ti.commands.set('lrepeat', (_t, argv) => {
    const n = needInt(argv[1] ?? '');
    if (n < 0) throw new TclFailure(`bad count "${n}": must be integer >= 0`, 'TCL OPERATION LREPEAT NEGARG');
    if (n * (argv.length - 2) > 1 << 22) throw new TclFailure('max length of a Tcl list exceeded', 'TCL MEMORY');
    return formatList(Array.from({ length: n }, () => argv.slice(2)).flat());
  });
  ti.commands.set('join', (_t, argv) => {
    if (argv.length < 2 || argv.length > 3) throw wrongArgs('join list ?joinString?');
    return parseList(argv[1]!).join(argv[2] ?? ' ');
  });
  ti.commands.set('split', splitCmd);
  ti.commands.set('concat', concatCmd);
}
