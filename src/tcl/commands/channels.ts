/**
 * Channel commands bound to the socket `Interp`: `socket` (client and `-server`), `fconfigure`
 * / `chan configure`, `fileevent` / `chan event`, `gets`, `read`, `puts`, `flush`, `close`,
 * `eof`, `fblocked`, `file channels` / `chan names`.
 *
 * Owns: parsing each command's words (Tcl's usage and option errors) and calling the Interp's
 * synchronous form, or — when the evaluation may await (`TclContext.awaitable`, the Node
 * driver) — its Promise form. Traces are the Interp's: each channel command records its
 * observation line there. `stdout`/`stderr` are captured lines (tcl-interp.ts); `stdin` reads
 * nothing.
 * Departs from Tcl: on the Node driver a handler script that waits (a blocking `gets` in an
 * accept handler) lets the event loop go on meanwhile (Tcl would block the whole interpreter;
 * see `TclContext.runHandler`); `fconfigure` on the standard channels accepts and ignores
 * settings.
 */
import { TclFailure, wrongArgs } from '../errors.js';
import { awaitValue, type Gen } from '../eval.js';
import { formatList } from '../list.js';
import { needInt } from '../number.js';
import type { Channel } from '../../socket/interp.js';
import { blockingInterp, type TclContext } from '../context.js';
import { globMatch } from './strings.js';

const STD = ['stdin', 'stdout', 'stderr'];

function noChannel(name: string): TclFailure {
  return new TclFailure(`can not find channel named "${name}"`, 'NONE');
}

function chan(ti: TclContext, name: string): Channel {
  try {
    return ti.interp.channel(name);
  } catch {
    throw noChannel(name);
  }
}

/** Runs the sync form, or yields the Promise form when the evaluation may await. */
function* either<T>(ti: TclContext, sync: () => T, async: () => Promise<T>): Gen<T> {
  if (ti.awaitable) return yield* awaitValue(async());
  return sync();
}

const SOCKET_USAGE =
  'wrong # args: should be "socket ?-myaddr addr? ?-myport myport? ?-async? host port" or "socket -server command ?-myaddr addr? port"';

function port(text: string): number {
  return needInt(text);
}

function* socketCmd(ti: TclContext, argv: string[]): Gen<string> {
  let server: string | undefined;
  let async = false;
  let myaddr: string | undefined;
  let myport: number | undefined;
  let i = 1;
  for (; i < argv.length && argv[i]!.startsWith('-'); i++) {
    const opt = argv[i]!;
    const needValue = (): string => {
      if (i + 1 >= argv.length) throw new TclFailure(`no argument given for ${opt} option`, 'NONE');
      return argv[++i]!;
    };
    if (opt === '-async') async = true;
    else if (opt === '-server') server = needValue();
    else if (opt === '-myaddr') myaddr = needValue();
    else if (opt === '-myport') myport = port(needValue());
    else throw new TclFailure(`bad option "${opt}": must be -async, -myaddr, -myport, or -server`, 'NONE');
  }
  const rest = argv.slice(i);
  if (server !== undefined) {
    if (rest.length !== 1 || myport !== undefined) throw new TclFailure(SOCKET_USAGE, 'TCL WRONGARGS');
    const command = server;
    const p = port(rest[0]!);
    const onAccept = (c: Channel, addr: string, peerPort: number): void => {
      ti.runHandler(`${command} ${formatList([c.name, addr, String(peerPort)])}`);
    };
    const options = { command, ...(myaddr === undefined ? {} : { myaddr }), ...(async ? { async } : {}) };
    const s = yield* either(ti, () => blockingInterp(ti).server(p, onAccept, options), () => ti.interp.serverAsync(p, onAccept, options));
    return s.name;
  }
  if (rest.length !== 2) throw new TclFailure(SOCKET_USAGE, 'TCL WRONGARGS');
  const host = rest[0]!;
  const p = port(rest[1]!);
  const options = { async, ...(myaddr === undefined ? {} : { myaddr }), ...(myport === undefined ? {} : { myport }) };
  const c = yield* either(ti, () => blockingInterp(ti).socket(host, p, options), () => ti.interp.socketAsync(host, p, options));
  return c.name;
}

function* configure(ti: TclContext, words: readonly string[], usage: string): Gen<string> {
  const name = words[0];
  if (name === undefined) throw wrongArgs(usage);
  const rest = words.slice(1);
  if (STD.includes(name)) return '';
  const server = ti.interp.serverChannel(name);
  if (server !== undefined) {
    if (rest.length === 1 && rest[0] === '-sockname') return server.sockname();
    if (rest.length === 0) return formatList(['-sockname', server.sockname()]);
    return '';
  }
  const c = chan(ti, name);
  if (rest.length === 0) return yield* either(ti, () => c.configureAll(), () => c.configureAllAsync());
  if (rest.length === 1) return yield* either(ti, () => c.configure(rest[0]!), () => c.configureAsync(rest[0]!));
  if (rest.length % 2 !== 0) throw new TclFailure(`value for "${rest[rest.length - 1]}" missing`, 'NONE');
  const settings: Record<string, string> = {};
  for (let k = 0; k < rest.length; k += 2) settings[rest[k]!] = rest[k + 1]!;
  c.configure(settings);
  return '';
}

function fileevent(ti: TclContext, words: readonly string[], usage: string): string {
  if (words.length < 2 || words.length > 3) throw wrongArgs(usage);
  const [name, kind, script] = words as [string, string, string | undefined];
  if (kind !== 'readable' && kind !== 'writable') throw new TclFailure(`bad event name "${kind}": must be readable or writable`, 'NONE');
  if (STD.includes(name)) return '';
  const c = chan(ti, name);
  if (script === undefined) return c.fileeventQuery(kind);
  const key = `${name} ${kind}`;
  // While this handler's async task waits inside a command, Tcl would be blocked in that
  // command: the channel's readiness is not delivered again (and so not observed) meanwhile.
  c.fileevent(kind, script === '' ? null : { text: script, run: () => ti.runHandler(script, key), busy: () => ti.handlerBusy(key) });
  return '';
}

function* getsCmd(ti: TclContext, argv: string[]): Gen<string> {
  if (argv.length < 2 || argv.length > 3) throw wrongArgs('gets channelId ?varName?');
  const name = argv[1]!;
  if (name === 'stdin') {
    if (argv[2] !== undefined) ti.setByName(argv[2], '');
    return argv[2] === undefined ? '' : '-1';
  }
  const c = chan(ti, name);
  if (argv[2] === undefined) return yield* either(ti, () => c.gets(), () => c.getsAsync());
  const v = argv[2];
  const r = yield* either(ti, () => c.getsVar(v), () => c.getsVarAsync(v));
  ti.setByName(v, r.line);
  return String(r.count);
}

function* readCmd(ti: TclContext, argv: string[]): Gen<string> {
  let i = 1;
  const nonewline = argv[i] === '-nonewline';
  if (nonewline) i++;
  const name = argv[i];
  if (name === undefined || argv.length - i > 2 || (nonewline && argv.length - i > 1)) {
    throw wrongArgs('read channelId ?numChars?" or "read ?-nonewline? channelId');
  }
  if (name === 'stdin') return '';
  const count = argv[i + 1] === undefined ? undefined : needInt(argv[i + 1]!);
  const c = chan(ti, name);
  const data = yield* either(ti, () => c.read(count), () => c.readAsync(count));
  return nonewline && data.endsWith('\n') ? data.slice(0, -1) : data;
}

function* putsCmd(ti: TclContext, argv: string[]): Gen<string> {
  let words = argv.slice(1);
  let nonewline = false;
  if (words.length > 1 && words[0] === '-nonewline') {
    nonewline = true;
    words = words.slice(1);
  } else if (words.length === 3 && words[2] === 'nonewline') {
    nonewline = true; // the old form `puts chan text nonewline`
    words = words.slice(0, 2);
  }
  if (words.length < 1 || words.length > 2) throw wrongArgs('puts ?-nonewline? ?channelId? string');
  const [name, text] = words.length === 1 ? ['stdout', words[0]!] : [words[0]!, words[1]!];
  if (name === 'stdout' || name === 'stderr') {
    ti.write(name, nonewline ? text : `${text}\n`);
    return '';
  }
  const c = chan(ti, name);
  yield* either(ti, () => c.puts(text, { nonewline }), () => c.putsAsync(text, { nonewline }));
  return '';
}

function* flushCmd(ti: TclContext, argv: string[]): Gen<string> {
  if (argv.length !== 2) throw wrongArgs('flush channelId');
  if (STD.includes(argv[1]!)) return '';
  const c = chan(ti, argv[1]!);
  yield* either(ti, () => c.flush(), () => c.flushAsync());
  return '';
}

function* closeCmd(ti: TclContext, argv: string[]): Gen<string> {
  if (argv.length < 2 || argv.length > 3) throw wrongArgs('close channelId ?direction?');
  const name = argv[1]!;
  if (argv[2] !== undefined) throw new TclFailure(`half-close of "${argv[2]}" is not supported by detnet`, 'NONE');
  if (STD.includes(name)) return '';
  const server = ti.interp.serverChannel(name);
  if (server !== undefined) {
    server.close();
    return '';
  }
  const c = chan(ti, name);
  yield* either(ti, () => c.close(), () => c.closeAsync());
  return '';
}

function names(ti: TclContext, pattern: string | undefined): string {
  const all = [...STD, ...ti.interp.channelNames()];
  return formatList(pattern === undefined ? all : all.filter((n) => globMatch(pattern, n)));
}

function oneChannel(ti: TclContext, argv: readonly string[], what: 'eof' | 'fblocked'): string {
  if (argv.length !== 2) throw wrongArgs(`${what} channelId`);
  if (STD.includes(argv[1]!)) return '0';
  const c = chan(ti, argv[1]!);
  return (what === 'eof' ? c.eof() : c.fblocked()) ? '1' : '0';
}

function* chanCmd(ti: TclContext, argv: string[]): Gen<string> {
  const sub = argv[1];
  const rest = argv.slice(2);
  switch (sub) {
    case 'names':
      if (rest.length > 1) throw wrongArgs('chan names ?pattern?');
      return names(ti, rest[0]);
    case 'configure':
      return yield* configure(ti, rest, 'chan configure channelId ?-option value ...?');
    case 'event':
      return fileevent(ti, rest, 'chan event channelId event ?script?');
    case 'gets':
    case 'read':
    case 'puts':
    case 'flush':
    case 'close':
      return yield* ti.commands.get(sub)!(ti, [sub, ...rest]) as Gen<string>;
    case 'eof':
    case 'blocked':
      return oneChannel(ti, [sub, ...rest], sub === 'eof' ? 'eof' : 'fblocked');
  }
  if (sub === undefined) throw wrongArgs('chan subcommand ?arg ...?');
  throw new TclFailure(`unknown or ambiguous subcommand "${sub}": must be blocked, close, configure, copy, create, eof, event, flush, gets, names, pending, pipe, pop, postevent, push, puts, read, seek, tell, truncate`, 'TCL LOOKUP SUBCOMMAND');
}

function fileCmd(ti: TclContext, argv: string[]): string {
  if (argv[1] === 'channels') {
    if (argv.length > 3) throw wrongArgs('file channels ?pattern?');
    return names(ti, argv[2]);
  }
  throw new TclFailure(`unknown or ambiguous subcommand "${argv[1] ?? ''}": detnet's file command has only "channels"`, 'TCL LOOKUP SUBCOMMAND');
}

/** Installs this family. */
export function install(ti: TclContext): void {
  ti.commands.set('socket', socketCmd);
  ti.commands.set('fconfigure', (t, argv) => configure(t, argv.slice(1), 'fconfigure channelId ?-option value ...?'));
  ti.commands.set('fileevent', (t, argv) => fileevent(t, argv.slice(1), 'fileevent channelId event ?script?'));
  ti.commands.set('gets', getsCmd);
  ti.commands.set('read', readCmd);
  ti.commands.set('puts', putsCmd);
  ti.commands.set('flush', flushCmd);
  ti.commands.set('close', closeCmd);
  ti.commands.set('eof', (t, argv) => oneChannel(t, argv, 'eof'));
  ti.commands.set('fblocked', (t, argv) => oneChannel(t, argv, 'fblocked'));
  ti.commands.set('chan', chanCmd);
  ti.commands.set('file', fileCmd);
}
