/**
 * `Channel`: a Tcl socket channel (client or accepted): the commands on it — `gets`, `read`,
 * `puts`, `flush`, `close`, `eof`, `fblocked`, `fconfigure`, `fileevent` — in blocking and
 * non-blocking mode, including while the async connect is still walking (reference §3–§7).
 *
 * Owns: the channel's lifetime and its fileevent scripts — the effects of the walk finishing
 * (§3.5: interest handed to the notifier, a synchronous writable notification inside the
 * triggering command on a non-blocking channel), Tcl_NotifyChannel's order (background flush
 * first, then scripts newest first), and close, deferred while a background flush runs (§7).
 * It asks its halves and its connector: `connector.ts` the connect walk, `channel-input.ts`
 * gets/read, `channel-output.ts` buffering and the background flush (§6), `channel-options.ts`
 * fconfigure; text conversion is `text-codec.ts`'s.
 *
 * Every command is written once as a generator (`Op`) and run by `runSync` (simulated world)
 * or `runAsync` (any driver), so the sync and Promise forms cannot drift apart.
 *
 * Departs from reality: one process, one thread; no `chan push` transforms; encodings limited
 * to those of text-codec.ts.
 *
 * Over 450 lines: every command of one channel in both forms, each with its argument check
 * (arg-checks.ts); what could leave already has (connector, input, output, options, scripts).
 */
import { READABLE, WRITABLE, type Watch } from '../loop/notifier.js';
import { checkConfigure, checkCount, checkKind, checkOptions, checkScriptOrNull, checkText, rejectedIf } from './arg-checks.js';
import { runAsync, type Op } from './blocking.js';
import type { ChannelCore } from './channel-core.js';
import { ChannelScripts, type Kind, type Script } from './channel-scripts.js';
import { ChannelInput, type GetsResult } from './channel-input.js';
import { configureAllOp, getOptionOp, setOptions, type OptionTarget } from './channel-options.js';
import { ChannelOutput } from './channel-output.js';
import type { Trigger } from './connect-machine.js';
import { Connector, type ConnectClient, type ConnectorHost } from './connector.js';
import type { DriverSocket } from './driver.js';
import { TclError } from './tcl-error.js';
import { tclQuote as tclWord } from './tcl-words.js';
import type { Encoding, Eol } from './text-codec.js';
import type { OpText } from './command-tracer.js';

export type { Script } from './channel-scripts.js';

/** What a channel needs from its interpreter (implemented by `Interp`). */
export interface ChannelHost extends ConnectorHost {
  readonly loop: import('../loop/event-loop.js').EventLoop;
  /** Runs `fn` as the traced Tcl command `op` (records result or error). */
  traced<T>(op: OpText, fn: () => T, render?: (result: T) => string): T;
  /** `traced` of a command body run synchronously (`runSync`). */
  tracedOp<T>(op: OpText, body: Op<T>, render?: (result: T) => string): T;
  tracedAsync<T>(op: OpText, fn: () => Promise<T>, render?: (result: T) => string): Promise<T>;
  /** Runs a fileevent script, tracing the event; errors go to bgerror. Returns false if it threw. */
  runEventScript(chan: Channel, kind: 'readable' | 'writable', script: Script): boolean;
  /** The channel's name leaves the interpreter (close). */
  forget(chan: Channel): void;
}

/**
 * A Tcl channel over a driver socket: the `socket` command's handle (`gets`, `puts`, `read`,
 * `fconfigure`, `fileevent`, `close` ...). The connect walk belongs to its `Connector`
 * (connector.ts); the channel keeps the channel semantics and asks it. Users get channels from
 * `Interp.socket`; they do not construct them.
 */
export class Channel {
  // Fields are declared and assigned in the constructor, in one order, rather than defined with
  // initializers: a definition runs per object before the constructor (ES2022 class fields), a
  // measured cost for an object every `socket` command makes (see WirePacket in src/sim/packet.ts).
  /** @internal */ declare readonly host: ChannelHost;
  /** The channel's name, e.g. `sock3`. */
  declare readonly name: string;
  /** Whether the channel came from `accept` on a server socket. */
  declare readonly accepted: boolean;
  /** @internal The connect walk: machine state, attempts, socket, stored error. */
  declare readonly connector: Connector;
  private declare scriptWatch: Watch | null;

  // ---- generic channel options ----
  /** @internal */ declare blocking: boolean;
  /** @internal */ declare buffering: 'full' | 'line' | 'none';
  /** @internal */ declare bufferSize: number;
  /** @internal */ declare eolIn: Eol;
  /** @internal */ declare eolOut: Eol;
  /** @internal */ declare encoding: Encoding;
  /** @internal */ declare eofChar: string;

  // ---- the halves ----
  private declare readonly input: ChannelInput;
  private declare readonly output: ChannelOutput;

  // ---- events and lifetime ----
  private declare readonly scripts: ChannelScripts;
  private declare closed: boolean;
  /** close was called while a background flush was pending: the socket lives on until it ends. */
  private declare closePending: boolean;

  constructor(host: ChannelHost, name: string, accepted = false) {
    this.host = host;
    this.name = name;
    this.accepted = accepted;
    this.connector = new Connector(host, name, this);
    this.scriptWatch = null;
    this.blocking = true;
    this.buffering = 'full';
    this.bufferSize = 4096;
    this.eolIn = 'auto';
    this.eolOut = 'crlf';
    this.encoding = 'utf-8';
    this.eofChar = '{} {}';
    this.input = new ChannelInput(this);
    this.output = new ChannelOutput(this);
    this.scripts = new ChannelScripts();
    this.closed = false;
    this.closePending = false;
  }

  // ==== Connecting (the walk itself is the connector's) ====

  /** @internal Adopts an already connected socket (accepted channels). */
  adopt(socket: DriverSocket): void {
    this.connector.adopt(socket);
    this.updateInterest();
  }

  /** @internal First half of moving the walk (see `Connector.settle`): whether it still runs. */
  settleConnect(): boolean {
    return this.connector.settle();
  }

  /** @internal Second half: moves a running walk as far as this command may (§3.4). */
  advance(what: string, mode: 'io' | 'query'): Op<void> {
    const trigger: Trigger = mode === 'query' ? 'optionQuery' : this.blocking ? 'blockingIo' : 'nonBlockingIo';
    return this.connector.advance(what, trigger);
  }

  /** @internal §3.5 (the connector's callback): the walk ended. */
  connectFinished(): void {
    this.updateInterest();
    if (!this.blocking && this.connector.socket !== null) this.notify(WRITABLE);
  }

  // ==== Notifications ====

  /** Interest handed to the notifier: scripts plus writable for a background flush. */
  private interest(): number {
    let mask = 0;
    if (this.scripts.get('readable') !== undefined) mask |= READABLE;
    if (this.scripts.get('writable') !== undefined || this.output.bgFlush) mask |= WRITABLE;
    if (
      this.host.profile.readableOnFailureNeedsWritable &&
      this.connector.state.kind === 'failed' &&
      this.scripts.get('writable') === undefined
    ) {
      mask &= ~READABLE; // bug 581937ab1e
    }
    return mask;
  }

  /** @internal Keeps the notifier watch of the final socket in line with `interest()`. */
  updateInterest(): void {
    const socket = this.connector.socket;
    const mask = this.closed && !this.closePending ? 0 : this.interest();
    if (this.connector.connecting || socket === null || mask === 0) {
      this.scriptWatch?.remove();
      this.scriptWatch = null;
      return;
    }
    if (this.scriptWatch === null) {
      this.scriptWatch = this.host.loop.notifier.watch(socket, mask, (ready) => this.notify(ready), `chan:${this.name}`);
    } else if (this.scriptWatch.mask !== mask) {
      this.scriptWatch.setMask(mask);
    }
  }

  /** Tcl_NotifyChannel: background flush first, then the fileevent scripts, newest first. */
  private notify(mask: number): void {
    let ready = mask;
    if ((ready & WRITABLE) !== 0 && this.output.bgFlush) {
      if (this.output.background()) ready &= ~WRITABLE; // consumed by the flush
    }
    if (this.closePending) {
      if (!this.output.bgFlush) this.release();
      return;
    }
    // `order` is replaced, never changed in place, so this iterates a snapshot.
    for (const kind of this.scripts.order) {
      const bit = kind === 'readable' ? READABLE : WRITABLE;
      const script = this.scripts.get(kind);
      if ((ready & bit) === 0 || script === undefined || this.closed) continue;
      if (!this.host.runEventScript(this, kind, script)) {
        // Tcl deletes a fileevent handler whose script raised an error.
        if (this.scripts.get(kind) === script) this.removeScript(kind);
      }
    }
  }

  // ==== Commands ====

  /** @internal What every input command checks first, inside its body (so its error is traced). */
  beforeInput(): void {
    this.ensureOpen();
    this.output.raiseUnreported('reading');
  }

  /** @internal Throws Tcl's error if the channel's name is gone (every command checks first). */
  ensureOpen(): void {
    if (this.closed) throw TclError.usage(`can not find channel named "${this.name}"`, 'ERR_TCL_NO_CHANNEL');
  }

  private run<T>(op: OpText, body: Op<T>, render?: (r: T) => string): T {
    return this.host.tracedOp(op, body, render);
  }

  private runP<T>(op: OpText, body: Op<T>, render?: (r: T) => string): Promise<T> {
    return this.host.tracedAsync(op, () => runAsync(body), render);
  }

  // ---- input ----

  /** `gets $chan`: the next line (without its end), or "" when none is complete. */
  gets(): string {
    // The gets body itself rather than getsLine: one generator fewer per call, the same trace.
    return this.run(`gets ${this.name}`, this.input.gets(), lineOf).line;
  }
  /** Promise form of `gets`. */
  getsAsync(): Promise<string> {
    return this.runP(`gets ${this.name}`, this.getsLine());
  }
  private *getsLine(): Op<string> {
    return (yield* this.input.gets()).line;
  }

  /** `gets $chan line`: `{count, line}` with count -1 when no complete line is available. */
  getsVar(varName = 'line'): GetsResult {
    checkText('gets variable name', varName);
    return this.run(() => `gets ${this.name} ${tclWord(varName)}`, this.input.gets(), (r) => String(r.count));
  }
  getsVarAsync(varName = 'line'): Promise<GetsResult> {
    return rejectedIf(() => checkText('gets variable name', varName)) ?? this.runP(`gets ${this.name} ${tclWord(varName)}`, this.input.gets(), (r) => String(r.count));
  }

  /** `read $chan ?count?`. */
  read(count?: number): string {
    checkCount('read count', count);
    return this.run(count === undefined ? `read ${this.name}` : `read ${this.name} ${count}`, this.input.read(count));
  }
  readAsync(count?: number): Promise<string> {
    return rejectedIf(() => checkCount('read count', count)) ?? this.runP(count === undefined ? `read ${this.name}` : `read ${this.name} ${count}`, this.input.read(count));
  }

  /** `eof $chan`: sticky once the end of input was read. Never touches the connect machine. */
  eof(): boolean {
    return this.host.traced(`eof ${this.name}`, () => {
      this.ensureOpen();
      return this.input.atEof;
    }, (r) => (r ? '1' : '0'));
  }

  /** `fblocked $chan`: whether the last input command lacked data. */
  fblocked(): boolean {
    return this.host.traced(`fblocked ${this.name}`, () => {
      this.ensureOpen();
      return this.input.blocked;
    }, (r) => (r ? '1' : '0'));
  }

  // ---- output ----

  private *putsBody(text: string, nonewline: boolean): Op<void> {
    this.ensureOpen();
    this.output.raiseUnreported('writing');
    if (this.output.append(nonewline ? text : `${text}\n`)) yield* this.output.flush('writing');
  }

  /** `puts ?-nonewline? $chan text`. */
  puts(text: string, options: { nonewline?: boolean } = {}): void {
    checkText('puts text', text);
    checkOptions('puts options', options);
    const nonewline = options.nonewline ?? false;
    this.run(() => putsOp(this.name, text, nonewline), this.putsBody(text, nonewline));
  }
  putsAsync(text: string, options: { nonewline?: boolean } = {}): Promise<void> {
    const bad = rejectedIf(() => {
      checkText('puts text', text);
      checkOptions('puts options', options);
    });
    if (bad !== undefined) return bad;
    const nonewline = options.nonewline ?? false;
    return this.runP(putsOp(this.name, text, nonewline), this.putsBody(text, nonewline));
  }

  private *flushCommand(): Op<void> {
    this.ensureOpen();
    this.output.raiseUnreported('flushing');
    yield* this.output.flush('flushing');
  }

  /** `flush $chan`. */
  flush(): void {
    this.run(`flush ${this.name}`, this.flushCommand());
  }
  flushAsync(): Promise<void> {
    return this.runP(`flush ${this.name}`, this.flushCommand());
  }

  // ---- close ----

  private *closeBody(): Op<void> {
    this.ensureOpen();
    this.closed = true;
    this.host.forget(this);
    // Tcl's close moves the current buffer to the output queue before anything else, so output
    // written after a background flush was scheduled leaves with it (issue 9 item 5).
    const output = this.output;
    output.queueCurrent();
    if (output.bgFlush) {
      this.deferClose();
      return;
    }
    this.scripts.clear();
    let error: TclError | null = null;
    const unreported = output.takeUnreported();
    if (unreported !== null) {
      const code = unreported.code;
      const empty = unreported.fromBackground && this.host.profile.emptyCloseError;
      error = empty ? new TclError('', code, `POSIX ${code} {}`) : TclError.posix('', code);
    }
    try {
      // The flush returns at once without output to write; skip making its generator then.
      if (output.hasQueued) yield* output.flush('close');
    } catch (err) {
      if (!(err instanceof TclError)) throw err;
      error ??= err;
    }
    if (output.bgFlush) {
      this.deferClose();
    } else {
      this.release();
    }
    if (error !== null) throw error;
  }

  /** §7: the name is gone, the socket lives until the background flush ends. */
  private deferClose(): void {
    this.closePending = true;
    this.scripts.clear();
    this.updateInterest();
    // Tell the host again now that the socket lives on, so its teardown can still release it.
    this.host.forget(this);
  }

  /** Releases the socket and every watch. */
  private release(): void {
    this.closePending = false;
    this.scriptWatch?.remove();
    this.scriptWatch = null;
    this.connector.release();
    if (this.closed) this.host.forget(this); // leaves the interpreter's lingering set
  }

  /** `close $chan`. */
  close(): void {
    this.run(`close ${this.name}`, this.closeBody());
  }
  closeAsync(): Promise<void> {
    return this.runP(`close ${this.name}`, this.closeBody());
  }

  /** Whether the channel's name is gone (closed); its socket may live on (deferred close). */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Whether the socket is still held (open, or closing with a pending background flush). */
  get holdsSocket(): boolean {
    return !this.closed || this.closePending;
  }

  // ---- fileevent ----

  /** @internal The text of the `kind` fileevent script ("" if none), untraced: for diagnostics. */
  scriptText(kind: Kind): string {
    return this.scripts.get(kind)?.text ?? '';
  }

  private removeScript(kind: Kind): void {
    this.scripts.remove(kind);
    this.updateInterest();
  }

  /** `fileevent $chan kind script`; `null` (or an empty script text) removes the handler. */
  fileevent(kind: Kind, script: Script | null): void {
    checkKind('fileevent kind', kind);
    checkScriptOrNull('fileevent script', script);
    const text = script === null ? '' : script.text;
    this.host.traced(() => `fileevent ${this.name} ${kind} ${tclWord(text)}`, () => {
      this.ensureOpen();
      if (script === null || script.text === '') {
        this.removeScript(kind);
        return '';
      }
      this.scripts.set(kind, script);
      this.updateInterest();
      return '';
    });
  }

  /** `fileevent $chan kind`: the script text, or "". */
  fileeventQuery(kind: Kind): string {
    checkKind('fileevent kind', kind);
    return this.host.traced(`fileevent ${this.name} ${kind}`, () => {
      this.ensureOpen();
      return this.scripts.get(kind)?.text ?? '';
    });
  }

  // ---- fconfigure ----

  /** `fconfigure $chan -option` (one option), or set options from a record. */
  configure(option: string): string;
  configure(settings: Readonly<Record<string, string>>): void;
  configure(arg: string | Readonly<Record<string, string>>): string | void {
    checkConfigure(arg);
    if (typeof arg === 'string') {
      return this.run(`fconfigure ${this.name} ${arg}`, this.queryBody(arg));
    }
    const words = Object.entries(arg).flatMap(([k, v]) => [k, tclWord(v)]);
    this.host.traced(() => `fconfigure ${this.name} ${words.join(' ')}`, () => {
      this.ensureOpen();
      setOptions(this, arg);
      return '';
    });
  }

  /** The query's body: `getOptionOp` checks that the channel is open when it starts. */
  private queryBody(option: string): Op<string> {
    return getOptionOp(this, option);
  }

  /** Promise form of the single-option query. */
  configureAsync(option: string): Promise<string> {
    return rejectedIf(() => checkText('fconfigure option', option)) ?? this.runP(`fconfigure ${this.name} ${option}`, this.queryBody(option));
  }

  /** `fconfigure $chan`: every option and its value. */
  configureAll(): string {
    return this.run(`fconfigure ${this.name}`, this.allBody());
  }
  /** Promise form of `configureAll`. */
  configureAllAsync(): Promise<string> {
    return this.runP(`fconfigure ${this.name}`, this.allBody());
  }
  private *allBody(): Op<string> {
    this.ensureOpen();
    return yield* configureAllOp(this);
  }

  /** @internal (channel-options) applies `-blocking`. Setting it to 1 clears a scheduled background flush (§6). */
  setBlocking(on: boolean): void {
    this.blocking = on;
    if (on && this.output.bgFlush) {
      this.output.cancelBackground();
      this.updateInterest();
    }
  }

  /** @internal (channel-options) applies translation/encoding changes to the decoder. */
  applyTextOptions(): void {
    this.input.setTextOptions(this.eolIn, this.encoding);
  }

  /** @internal for tests and the interpreter: whether output is queued or buffered. */
  get pendingOutput(): number {
    return this.output.pending;
  }

  /** @internal for inspection snapshots: decoded input not yet consumed, and whether EOF was read. */
  get inputState(): { readonly buffered: number; readonly sawEof: boolean } {
    return { buffered: this.input.buffered, sawEof: this.input.sawEnd };
  }

  /** @internal Tcl's BG_FLUSH_SCHEDULED: a background flush is running (§6). */
  get bgFlush(): boolean {
    return this.output.bgFlush;
  }

  /** @internal closes without tracing (interpreter teardown). */
  dispose(): void {
    if (!this.closed) {
      this.closed = true;
      this.host.forget(this);
    }
    this.output.cancelBackground();
    this.release();
  }
}

function lineOf(r: { readonly line: string }): string {
  return r.line;
}

function putsOp(name: string, text: string, nonewline: boolean): string {
  return `puts ${nonewline ? '-nonewline ' : ''}${name} ${tclWord(text)}`;
}

// Type-only shape check of `Channel`: an `implements` clause would reach the .d.ts, where these members are stripped.
type _Conforms<T extends ConnectClient & OptionTarget & ChannelCore = Channel> = T;
