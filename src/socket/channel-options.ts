/**
 * `fconfigure` for socket channels: option queries, the all-options form, and settings.
 *
 * Owns: option names (with Tcl's prefix rules), values, and error messages (reference §5).
 * Generic options (`-blocking`, `-buffering`, `-buffersize`, `-encoding`, `-eofchar`,
 * `-translation`) never touch the connect machine; every driver option query (`-error`,
 * `-connecting`, `-peername`, `-sockname`, a bad option, and the all-options form) first does
 * the zero-timeout check of §3.4, which may finish the connect and — on a non-blocking
 * channel — run writable handlers inside the `fconfigure` itself. The driver options' answers
 * come from the connector's `ConnectView`; this module only words them.
 *
 * Does not: import the channel. It works on `OptionTarget`, which `Channel` implements.
 *
 * Departs from Tcl: no reverse DNS (the host element repeats the address, as with
 * `::tcl::unsupported::noReverseDNS`); server sockets list their one listening address.
 */
import { tclMessage } from '../net/net-error.js';
import { tclSockName } from '../net/sock-addr.js';
import type { Op } from './blocking.js';
import type { AddressAnswer, ConnectView } from './connector.js';
import { TclError } from './tcl-error.js';
import { parseTclBoolean, parseTclInteger, tclQuote } from './tcl-words.js';
import { parseEncoding, parseEol, type Encoding, type Eol } from './text-codec.js';

/** What `fconfigure` needs of a channel (implemented by `Channel`). */
export interface OptionTarget {
  readonly name: string;
  blocking: boolean;
  buffering: 'full' | 'line' | 'none';
  bufferSize: number;
  eolIn: Eol;
  eolOut: Eol;
  encoding: Encoding;
  eofChar: string;
  /** The connect, as the driver options answer it. */
  readonly connector: ConnectView;
  /** Throws Tcl's error if the channel's name is gone. */
  ensureOpen(): void;
  /** First half of the §3.4 check: lets the world catch up; whether the walk still runs. */
  settleConnect(): boolean;
  /** Second half: moves a running walk as far as a command of `mode` may. */
  advance(what: string, mode: 'io' | 'query'): Op<void>;
  /** Applies `-blocking` (setting it to 1 clears a scheduled background flush, §6). */
  setBlocking(on: boolean): void;
  /** Applies translation/encoding changes to the input decoder. */
  applyTextOptions(): void;
}

const GENERIC = ['-blocking', '-buffering', '-buffersize', '-encoding', '-eofchar', '-translation'] as const;
type Generic = (typeof GENERIC)[number];
/** Minimum prefix length beyond which Tcl accepts an abbreviation (HaveOpt in tclIO.c). */
const MIN_PREFIX: Readonly<Record<Generic, number>> = {
  '-blocking': 2,
  '-buffering': 7,
  '-buffersize': 7,
  '-encoding': 2,
  '-eofchar': 2,
  '-translation': 1,
};

// Option lookups are plain loops over constant lists: a query such as `-error` runs once per
// connect in the benchmarks, so it should not allocate.
function genericOption(option: string): Generic | undefined {
  for (const g of GENERIC) if (option.length > MIN_PREFIX[g] && g.startsWith(option)) return g;
  return undefined;
}

type DriverOption = '-error' | '-connecting' | '-peername' | '-sockname';
const DRIVER_OPTIONS: readonly DriverOption[] = ['-error', '-peername', '-sockname'];
const DRIVER_OPTIONS_WITH_CONNECTING: readonly DriverOption[] = [...DRIVER_OPTIONS, '-connecting'];

function driverOption(chan: OptionTarget, option: string): DriverOption | undefined {
  if (option.length < 2) return undefined;
  const candidates = chan.connector.hasConnectingOption ? DRIVER_OPTIONS_WITH_CONNECTING : DRIVER_OPTIONS;
  for (const d of candidates) if (d[1] === option[1] && d.startsWith(option)) return d;
  return undefined;
}

/** `bad option "-x": should be one of ...` listing generic then driver options. */
function badOption(chan: OptionTarget, option: string, withDriver: boolean): TclError {
  const names: string[] = [...GENERIC];
  if (withDriver) {
    if (chan.connector.hasConnectingOption) names.push('-connecting');
    names.push('-peername', '-sockname');
  }
  const list = `${names.slice(0, -1).join(', ')}, or ${names[names.length - 1]}`;
  return TclError.usage(`bad option "${option}": should be one of ${list}`, 'ERR_TCL_BAD_OPTION');
}

function translationValue(chan: OptionTarget): string {
  return `${chan.eolIn} ${chan.eolOut}`;
}

function genericValue(chan: OptionTarget, option: Generic): string {
  switch (option) {
    case '-blocking':
      return chan.blocking ? '1' : '0';
    case '-buffering':
      return chan.buffering;
    case '-buffersize':
      return String(chan.bufferSize);
    case '-encoding':
      return chan.encoding;
    case '-eofchar':
      return chan.eofChar;
    case '-translation':
      return translationValue(chan);
  }
}

/** An address answer as Tcl words it; `what` names the call for the ENOTCONN error. */
function addressValue(answer: AddressAnswer, what: 'peername' | 'sockname'): string {
  if (answer === '') return '';
  if (answer === null) throw TclError.posix(`can't get ${what}: `, 'ENOTCONN');
  return tclSockName(answer);
}

/** Value of a driver option after the check; throws Tcl's errors. */
function driverValue(view: ConnectView, option: DriverOption): string {
  switch (option) {
    case '-connecting':
      return view.connecting ? '1' : '0';
    case '-error': {
      const error = view.reportError();
      return error === null ? '' : tclMessage(error);
    }
    case '-peername':
      return addressValue(view.peerName(), 'peername');
    case '-sockname':
      return addressValue(view.sockName(), 'sockname');
  }
}

/** `fconfigure $chan -option` (checks first that the channel is open). */
export function* getOptionOp(chan: OptionTarget, option: string): Op<string> {
  chan.ensureOpen();
  // `-error` (polled once per connect by many scripts) is no generic option's prefix.
  const generic = option === '-error' ? undefined : genericOption(option);
  if (generic !== undefined) return genericValue(chan, generic);
  // Everything else reaches the driver, which first checks the connect (§3.4).
  if (chan.settleConnect()) yield* chan.advance(`fconfigure ${chan.name}`, 'query');
  const driver = driverOption(chan, option);
  if (driver === undefined) throw badOption(chan, option, true);
  return driverValue(chan.connector, driver);
}

/** `fconfigure $chan`: generic options then the driver's (§5 "All options"). */
export function* configureAllOp(chan: OptionTarget): Op<string> {
  const words: string[] = [];
  for (const g of GENERIC) words.push(g, tclQuote(genericValue(chan, g)));
  if (chan.settleConnect()) yield* chan.advance(`fconfigure ${chan.name}`, 'query');
  try {
    words.push('-peername', tclQuote(driverValue(chan.connector, '-peername')));
  } catch (err) {
    // §5: an unconnected socket omits -peername silently (TcpGetOptionProc ignores a failed
    // getpeername in the all-options form, for server sockets); a failing -sockname is an error.
    if (!(err instanceof TclError)) throw err;
  }
  words.push('-sockname', tclQuote(driverValue(chan.connector, '-sockname')));
  return words.join(' ');
}

function parseTranslation(value: string): [Eol, Eol] {
  const parts = value.trim().split(/\s+/).filter((p) => p !== '' && p !== '{}');
  if (parts.length === 2) return [parseEol(parts[0] as string), parseEol(parts[1] as string)];
  if (parts.length === 1) {
    const eol = parseEol(parts[0] as string);
    return [eol, eol];
  }
  throw TclError.usage('bad value for -translation: must be a one or two element list', 'ERR_TCL_BAD_TRANSLATION');
}

/** `fconfigure $chan -opt value ...`: generic options only (the TCP driver has none to set in 8.6). */
export function setOptions(chan: OptionTarget, settings: Readonly<Record<string, string>>): void {
  for (const [option, value] of Object.entries(settings)) {
    const generic = genericOption(option);
    switch (generic) {
      case '-blocking':
        chan.setBlocking(parseTclBoolean(value));
        break;
      case '-buffering':
        if (value !== 'full' && value !== 'line' && value !== 'none') {
          throw TclError.usage('bad value for -buffering: must be one of full, line, or none', 'ERR_TCL_BAD_VALUE');
        }
        chan.buffering = value;
        break;
      case '-buffersize':
        chan.bufferSize = Math.min(1024 * 1024, Math.max(1, parseTclInteger(value)));
        break;
      case '-encoding':
        chan.encoding = parseEncoding(value);
        chan.applyTextOptions();
        break;
      case '-eofchar':
        chan.eofChar = value;
        break;
      case '-translation': {
        const [inEol, outEol] = parseTranslation(value);
        chan.eolIn = inEol;
        chan.eolOut = outEol;
        if (inEol === 'binary') chan.encoding = 'binary';
        chan.applyTextOptions();
        break;
      }
      case undefined:
        throw badOption(chan, option, false);
    }
  }
}
