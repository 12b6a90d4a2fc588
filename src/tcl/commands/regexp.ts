/**
 * `regexp` and `regsub` on JavaScript regular expressions.
 *
 * Owns: the commands' switches (`-nocase -all -inline -indices -start --` for regexp, `-all
 * -nocase --` for regsub), match variables, and Tcl's substitution spec (`&` and `\0` for the
 * match, `\1`..`\9` for groups, `\&` and `\\` for themselves).
 * Departs from Tcl: patterns are JavaScript's, not Tcl's ARE: the common subset (classes,
 * quantifiers, groups, anchors, `\d \w \s`, POSIX classes like `[[:alpha:]]`, translated)
 * behaves alike; ARE-only syntax (`\m`, `\M`, `***=`, embedded options) does not.
 */
import { TclFailure, wrongArgs } from '../errors.js';
import { formatList } from '../list.js';
import { needInt } from '../number.js';
import type { TclContext } from '../context.js';

const POSIX: Readonly<Record<string, string>> = {
  alpha: 'A-Za-z', digit: '0-9', alnum: 'A-Za-z0-9', upper: 'A-Z', lower: 'a-z', space: '\\s', xdigit: '0-9A-Fa-f', punct: '!-/:-@\\[-`{-~', word: '\\w',
};

function compile(pattern: string, nocase: boolean, global: boolean): RegExp {
  const source = pattern.replace(/\[:([a-z]+):\]/g, (m, name: string) => POSIX[name] ?? m);
  try {
    return new RegExp(source, `${nocase ? 'i' : ''}${global ? 'g' : ''}d`);
  } catch (err) {
    throw new TclFailure(`couldn't compile regular expression pattern: ${(err as Error).message}`, 'REGEXP');
  }
}

function regexpCmd(ti: TclContext, argv: string[]): string {
  let nocase = false;
  let all = false;
  let inline = false;
  let indices = false;
  let start = 0;
  let i = 1;
  for (; i < argv.length && argv[i]!.startsWith('-'); i++) {
    const o = argv[i]!;
    if (o === '--') {
      i++;
      break;
    }
    if (o === '-nocase') nocase = true;
    else if (o === '-all') all = true;
    else if (o === '-inline') inline = true;
    else if (o === '-indices') indices = true;
    else if (o === '-start') start = needInt(argv[++i] ?? '');
    else throw new TclFailure(`bad option "${o}": must be -all, -about, -indices, -inline, -expanded, -line, -linestop, -lineanchor, -nocase, -start, or --`, 'TCL LOOKUP INDEX option');
  }
  if (argv.length - i < 2) throw wrongArgs('regexp ?-option ...? exp string ?matchVar? ?subMatchVar ...?');
  const re = compile(argv[i]!, nocase, true);
  const text = argv[i + 1]!;
  const vars = argv.slice(i + 2);
  if (inline && vars.length > 0) throw new TclFailure('regexp match variables not allowed when using -inline', 'TCL OPERATION REGEXP MIX_VAR_INLINE');
  re.lastIndex = Math.max(0, start);
  const found: RegExpExecArray[] = [];
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    found.push(m);
    if (!all) break;
    if (m[0] === '') re.lastIndex++;
  }
  const parts = (m: RegExpExecArray): string[] =>
    Array.from({ length: m.length }, (_, k) => {
      if (!indices) return m[k] ?? '';
      const span = m.indices?.[k];
      return span === undefined ? '-1 -1' : `${span[0]} ${span[1] - 1}`;
    });
  if (inline) return formatList(found.flatMap(parts));
  const last = found[found.length - 1];
  if (last !== undefined) {
    const values = parts(last);
    vars.forEach((v, k) => ti.setByName(v, values[k] ?? (indices ? '-1 -1' : '')));
  }
  return String(all ? found.length : found.length > 0 ? 1 : 0);
}

/** Expands a Tcl substitution spec for one match. */
function expand(spec: string, m: RegExpExecArray): string {
  let out = '';
  for (let k = 0; k < spec.length; k++) {
    const c = spec[k]!;
    if (c === '&') out += m[0];
    else if (c === '\\' && k + 1 < spec.length) {
      const d = spec[k + 1]!;
      if (d >= '0' && d <= '9') out += m[Number(d)] ?? '';
      else if (d === '&' || d === '\\') out += d;
      else out += c + d;
      k++;
    } else out += c;
  }
  return out;
}

function regsubCmd(ti: TclContext, argv: string[]): string {
  let nocase = false;
  let all = false;
  let i = 1;
  for (; i < argv.length && argv[i]!.startsWith('-'); i++) {
    const o = argv[i]!;
    if (o === '--') {
      i++;
      break;
    }
    if (o === '-nocase') nocase = true;
    else if (o === '-all') all = true;
    else throw new TclFailure(`bad option "${o}": must be -all, -command, -expanded, -line, -linestop, -lineanchor, -nocase, -start, or --`, 'TCL LOOKUP INDEX option');
  }
  if (argv.length - i < 3 || argv.length - i > 4) throw wrongArgs('regsub ?-option ...? exp string subSpec ?varName?');
  const re = compile(argv[i]!, nocase, true);
  const text = argv[i + 1]!;
  const spec = argv[i + 2]!;
  let out = '';
  let from = 0;
  let count = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out += text.slice(from, m.index) + expand(spec, m);
    from = m.index + m[0].length;
    count++;
    if (!all) break;
    if (m[0] === '') {
      if (re.lastIndex < text.length) out += text[re.lastIndex] ?? '';
      re.lastIndex++;
      from = re.lastIndex;
    }
  }
  out += text.slice(Math.min(from, text.length));
  const varName = argv[i + 3];
  if (varName === undefined) return out;
  ti.setByName(varName, out);
  return String(count);
}

/** Installs this family. */
export function install(ti: TclContext): void {
  ti.commands.set('regexp', regexpCmd);
  ti.commands.set('regsub', regsubCmd);
}
