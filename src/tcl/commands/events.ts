/**
 * Event commands on the socket `Interp`'s event loop: `after` (ms, ms script, idle, cancel,
 * info), `update ?idletasks?`, `vwait`, and background errors (`bgerror` proc, `interp
 * bgerror`).
 *
 * Owns: Tcl's forms and errors for these commands, the script text of pending `after`
 * handlers (for `after info` and `after cancel script`), and routing a handler's error to the
 * script's `interp bgerror` handler, else its `bgerror` proc, else stderr (errorInfo), as
 * tclsh does.
 * Departs from Tcl: `vwait` reads a global variable of this interpreter (Tcl's only form); on an
 * array element it also ends at a write to another element once the awaited one exists;
 * `after idle` is not traced as an observation (the trace vocabulary has no line for it).
 */
import type { BackgroundError } from '../../loop/event-loop.js';
import { TclFailure, TclScriptError, wrongArgs } from '../errors.js';
import { awaitValue, FATAL_CODES, type Gen } from '../eval.js';
import { formatList } from '../list.js';
import { parseInt64 } from '../number.js';
import { blockingInterp, type TclContext } from '../context.js';

function schedule(ti: TclContext, text: string, kind: 'timer' | 'idle', add: (run: () => void) => string): string {
  let id = '';
  id = add(() => {
    ti.afterScripts.delete(id);
    ti.runHandler(text, undefined, 'after');
  });
  ti.afterScripts.set(id, { text, kind });
  return id;
}

function* afterCmd(ti: TclContext, argv: string[]): Gen<string> {
  if (argv.length < 2) throw wrongArgs('after option ?arg ...?');
  const what = argv[1]!;
  const script = argv.length === 3 ? argv[2]! : argv.slice(2).join(' ');
  const ms = parseInt64(what);
  if (ms !== undefined) {
    const delay = Math.max(0, Number(ms));
    if (argv.length === 2) {
      if (ti.awaitable) yield* awaitValue(ti.interp.afterAsync(delay));
      else blockingInterp(ti).after(delay);
      return '';
    }
    return schedule(ti, script, 'timer', (run) => ti.interp.afterScript(delay, { text: script, run }));
  }
  switch (what) {
    case 'idle':
      if (argv.length < 3) throw wrongArgs('after idle script ?script ...?');
      return schedule(ti, script, 'idle', (run) => ti.interp.loop.afterIdle(run, script));
    case 'cancel': {
      if (argv.length < 3) throw wrongArgs('after cancel id|command');
      let id: string | undefined = ti.afterScripts.has(script) ? script : undefined;
      if (id === undefined) for (const [k, v] of ti.afterScripts) if (id === undefined && v.text === script) id = k;
      if (id !== undefined) {
        ti.afterScripts.delete(id);
        ti.interp.afterCancel(id);
      }
      return '';
    }
    case 'info': {
      if (argv.length === 2) return formatList(ti.interp.loop.afterInfo().filter((id) => ti.afterScripts.has(id)).reverse());
      if (argv.length > 3) throw wrongArgs('after info ?id?');
      const entry = ti.afterScripts.get(argv[2]!);
      if (entry === undefined) throw new TclFailure(`event "${argv[2]}" doesn't exist`, 'TCL LOOKUP EVENT');
      return formatList([entry.text, entry.kind]);
    }
  }
  throw new TclFailure(`bad argument "${what}": must be cancel, idle, info, or an integer`, 'TCL LOOKUP INDEX argument');
}

function* updateCmd(ti: TclContext, argv: string[]): Gen<string> {
  if (argv.length > 2) throw wrongArgs('update ?idletasks?');
  if (argv.length === 2) {
    if (argv[1] !== 'idletasks') throw new TclFailure(`bad option "${argv[1]}": must be idletasks`, 'TCL LOOKUP INDEX option');
    ti.interp.loop.updateIdle();
    return '';
  }
  if (ti.awaitable) yield* awaitValue(ti.interp.updateAsync());
  else ti.interp.update();
  return '';
}

function* vwaitCmd(ti: TclContext, argv: string[]): Gen<string> {
  if (argv.length !== 2) throw wrongArgs('vwait name');
  const name = argv[1]!;
  // `vwait a(i)` waits on the element: its array's variable is the one written. Writes are
  // counted per variable, so a write to another element ends the wait only once `a(i)` exists
  // (tclsh waits for that element alone).
  const element = /^([^(]*)\((.*)\)$/s.exec(name);
  const base = element?.[1] ?? name;
  const v = ti.lookup(base.startsWith('::') ? base : `::${base}`, true)!;
  const start = v.writes;
  const index = element?.[2];
  const wrote = (): boolean => v.writes !== start && (index === undefined || v.array?.has(index) === true);
  // A fatal failure in an async handler task (budget, `exit`) also ends the wait.
  const done = (): boolean => wrote() || ti.fatal !== undefined;
  if (ti.awaitable) yield* awaitValue(ti.interp.vwaitForAsync(name, done));
  else blockingInterp(ti).vwaitFor(name, done);
  if (ti.fatal !== undefined) throw ti.fatal;
  return '';
}

function interpCmd(ti: TclContext, argv: string[]): string {
  if (argv[1] !== 'bgerror') {
    throw new TclFailure(`unknown or ambiguous subcommand "${argv[1] ?? ''}": detnet's interp command has only "bgerror"`, 'TCL LOOKUP SUBCOMMAND');
  }
  if (argv.length < 3 || argv.length > 4) throw wrongArgs('interp bgerror path ?cmdPrefix?');
  if (argv.length === 4) ti.bgerrorHandler = argv[3]!;
  return ti.bgerrorHandler;
}

/** The event loop's background-error hook for this interpreter. */
export function onBackgroundError(ti: TclContext, entry: BackgroundError): void {
  const e = entry.error;
  // The budget or an internal error in a handler ends the whole run, not just the handler:
  // thrown from here, it leaves the event loop's servicing call (event-loop.ts).
  if (e instanceof TclScriptError && FATAL_CODES.has(e.code)) throw e;
  const message = e instanceof Error ? e.message : String(e);
  const info = e instanceof TclScriptError ? e.errorInfo : message;
  const code = e instanceof TclScriptError ? e.errorCode : 'NONE';
  let script: string | undefined;
  if (ti.bgerrorHandler !== '') {
    script = `${ti.bgerrorHandler} ${formatList([message, formatList(['-code', '1', '-level', '0', '-errorcode', code, '-errorinfo', info])])}`;
  } else if (ti.commands.has('bgerror')) script = `bgerror ${formatList([message])}`;
  if (script !== undefined) {
    try {
      ti.setVar('errorInfo', info);
      ti.setVar('errorCode', code);
      ti.runHandler(script, undefined, 'bgerror');
      return;
    } catch (err) {
      const m = err instanceof TclScriptError ? err.errorInfo : String(err);
      ti.write('stderr', `${m}\n`);
      return;
    }
  }
  ti.write('stderr', `${info}\n`);
}

/** Installs this family. */
export function install(ti: TclContext): void {
  ti.commands.set('after', afterCmd);
  ti.commands.set('update', updateCmd);
  ti.commands.set('vwait', vwaitCmd);
  ti.commands.set('interp', interpCmd);
  ti.interp.loop.onBackgroundError = (entry) => onBackgroundError(ti, entry);
}
