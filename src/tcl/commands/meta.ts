/**
 * Commands about the interpreter itself: `exit`, `rename`, `namespace` (the global namespace's
 * `code`, `inscope`, `eval`, `current`, `which`, `exists`), `pid`-free by design.
 *
 * Owns: `exit` as a fatal failure that ends the whole run — also from a handler deep inside a
 * `vwait` — which `TclInterp.eval` turns into a normal end with `exitCode` set; `rename`
 * (moving or deleting a command, procs included).
 * Departs from Tcl: only the global namespace exists. `namespace code` wraps a script the way
 * Tcl does (`::namespace inscope :: script`), so the seed page's idiom
 * `after 1000 [namespace code [list Timeout $h]]` works as written; `namespace eval ns script`
 * runs `script` in the global frame for any `ns`.
 */
import { TclFailure, wrongArgs } from '../errors.js';
import { evalBody, type Gen } from '../eval.js';
import { formatList, parseList } from '../list.js';
import { needInt } from '../number.js';
import type { TclContext } from '../context.js';

function exitCmd(ti: TclContext, argv: string[]): string {
  if (argv.length > 2) throw wrongArgs('exit ?returnCode?');
  const code = argv[1] === undefined ? 0 : needInt(argv[1]);
  ti.exitCode = code;
  throw new TclFailure(`exit ${code}`, `DETNET EXIT ${code}`, true, 'ERR_TCL_EXIT');
}

function renameCmd(ti: TclContext, argv: string[]): string {
  if (argv.length !== 3) throw wrongArgs('rename oldName newName');
  const from = argv[1]!.replace(/^::/, '');
  const to = argv[2]!.replace(/^::/, '');
  const fn = ti.commands.get(from);
  if (fn === undefined) {
    throw new TclFailure(`can't ${to === '' ? 'delete' : 'rename'} "${argv[1]}": command doesn't exist`, `TCL LOOKUP COMMAND ${argv[1]}`);
  }
  if (to !== '' && ti.commands.has(to)) throw new TclFailure(`can't rename to "${argv[2]}": command already exists`, 'TCL OPERATION RENAME TARGET_EXISTS');
  const proc = ti.procs.get(from);
  ti.commands.delete(from);
  ti.procs.delete(from);
  if (to !== '') {
    ti.commands.set(to, fn);
    if (proc !== undefined) ti.procs.set(to, proc);
  }
  return '';
}

function* namespaceCmd(ti: TclContext, argv: string[]): Gen<string> {
  const sub = argv[1];
  switch (sub) {
    case 'current':
      return '::';
    case 'code':
      if (argv.length !== 3) throw wrongArgs('namespace code arg');
      // Already wrapped scripts stay as they are, as in Tcl.
      if (argv[2]!.startsWith('::namespace inscope ')) return argv[2]!;
      return formatList(['::namespace', 'inscope', '::', argv[2]!]);
    case 'inscope': {
      if (argv.length < 4) throw wrongArgs('namespace inscope name arg ?arg...?');
      const script = argv.length === 4 ? argv[3]! : formatList([...parseList(argv[3]!), ...argv.slice(4)]);
      return yield* evalBody(ti, script, 'in namespace inscope "::" script');
    }
    case 'eval': {
      if (argv.length < 4) throw wrongArgs('namespace eval name arg ?arg ...?');
      const script = argv.length === 4 ? argv[3]! : argv.slice(3).join(' ');
      return yield* evalBody(ti, script, 'in namespace eval "::" script');
    }
    case 'which': {
      const name = argv[argv.length - 1]?.replace(/^::/, '') ?? '';
      return ti.commands.has(name) ? `::${name}` : '';
    }
    case 'exists':
      return argv[2] === '::' || argv[2] === '' ? '1' : '0';
  }
  if (sub === undefined) throw wrongArgs('namespace subcommand ?arg ...?');
  throw new TclFailure(
    `unknown or ambiguous subcommand "${sub}": detnet's namespace command has only code, current, eval, exists, inscope and which`,
    'TCL LOOKUP SUBCOMMAND',
  );
}

/** Installs this family. */
export function install(ti: TclContext): void {
  ti.commands.set('exit', exitCmd);
  ti.commands.set('rename', renameCmd);
  ti.commands.set('namespace', namespaceCmd);
}
