/**
 * `Channel`: a Tcl socket channel (client or accepted) driven by the connect machine.
 *
 * Owns: one channel's state and the commands on it — `gets`, `read`, `puts`, `flush`, `close`,
 * `eof`, `fblocked`, `fconfigure`, `fileevent` — in blocking and non-blocking mode, including
 * while the async connect is still walking its candidates (reference §3–§7): the triggers of
 * §3.4, the effects of finishing (§3.5: cached interest handed to the notifier, a synchronous
 * writable notification inside the triggering command on a non-blocking channel), background
 * flush and the unreported error (§6), and the deferred close (§7). Option queries live in
 * `channel-options.ts`; text conversion in `text-codec.ts`.
 *
 * Every command is written once as a generator (`Op`) and run by `runSync` (simulated world)
 * or `runAsync` (any driver), so the sync and Promise forms cannot drift apart.
 *
 * This file is longer than most (~750 lines) because the channel's state is shared by all its
 * commands and splitting it would spread one invariant (who may write, when) over many files.
 *
 * Departs from reality: one process, one thread; no `chan push` transforms; encodings limited
 * to those of text-codec.ts.
 */
import { AssertionError } from '../errors.js';
import { EXCEPTION, READABLE, WRITABLE, type Watch } from '../loop/notifier.js';
import { NetError, isErrno, type Errno } from '../net/net-error.js';
import { runAsync, type Op, type Wait } from './blocking.js';
import {
  advanceFor,
  initialState,
  isConnecting,
  step,
  type AttemptPair,
  type ConnectEvent,
  type ConnectState,
  type StepResult,
  type Trigger,
} from './connect-machine.js';
import type { Driver, DriverSocket } from './driver.js';
import type { Profile } from './profiles.js';
import { TclError } from './tcl-error.js';
import { tclQuote as tclWord } from './tcl-words.js';
import { UnconnectedSocket } from './unconnected-socket.js';
import { InputDecoder, encodeOutput, type Encoding, type Eol } from './text-codec.js';
import { configureAllOp, getOptionOp, setOptions } from './channel-options.js';

/** A fileevent script: `text` is what Tcl shows (`fileevent $c writable` returns it). */
export interface Script {
  readonly text: string;
  readonly run: () => void;
}

/** What a channel needs from its interpreter (implemented by `Interp`). */
export interface ChannelHost {
  readonly driver: Driver;
  readonly profile: Profile;
  readonly loop: import('../loop/event-loop.js').EventLoop;
  /** Runs `fn` as the traced Tcl command `op` (records result or error). */
  traced<T>(op: string, fn: () => T, render?: (result: T) => string): T;
  /** `traced` of a command body run synchronously (`runSync`). */
  tracedOp<T>(op: string, body: Op<T>, render?: (result: T) => string): T;
  tracedAsync<T>(op: string, fn: () => Promise<T>, render?: (result: T) => string): Promise<T>;
  /** Runs a fileevent script, tracing the event; errors go to bgerror. Returns false if it threw. */
  runEventScript(chan: Channel, kind: 'readable' | 'writable', script: Script): boolean;
  /** The channel's name leaves the interpreter (close). */
  forget(chan: Channel): void;
  /** Records a connect notification lost to bug 336441ed59. */
  lostNotification(chan: Channel, source: string, mask: number): void;
}

type Kind = 'readable' | 'writable';
const NO_KINDS: readonly Kind[] = Object.freeze([]);
const READ_CHUNK = 4096;

export class Channel {
  // ---- identity and connect state (read by channel-options.ts) ----
  /** @internal */ machine: ConnectState = initialState();
  /** @internal */ pairs: readonly AttemptPair[] = [];
  /** @internal the in-flight attempt's socket, later the connected/failed socket */
  socket: DriverSocket | null = null;
  /** @internal the error `-error` reports once after a failure */
  storedError: Errno | null = null;
  private connectWatch: Watch | null = null;
  private scriptWatch: Watch | null = null;

  // ---- generic channel options ----
  /** @internal */ blocking = true;
  /** @internal */ buffering: 'full' | 'line' | 'none' = 'full';
  /** @internal */ bufferSize = 4096;
  /** @internal */ eolIn: Eol = 'auto';
  /** @internal */ eolOut: Eol = 'crlf';
  /** @internal */ encoding: Encoding = 'utf-8';
  /** @internal */ eofChar = '{} {}';

  // ---- input ----
  private decoder = new InputDecoder('auto', 'utf-8');
  private inText = '';
  private sawEof = false;
  private blockedFlag = false;

  // ---- output ----
  private outCurrent = '';
  private outQueue: Uint8Array[] = [];
  /** @internal Tcl's BG_FLUSH_SCHEDULED */
  bgFlush = false;
  private unreported: Errno | null = null;
  /** unreported error came from a failed background flush (for bug 97069ea11a) */
  private unreportedFromBg = false;

  // ---- events and lifetime ----
  /** The fileevent scripts (two fields, not a Map: a channel has at most these two). */
  private readableScript: Script | undefined = undefined;
  private writableScript: Script | undefined = undefined;
  /**
   * Script kinds, newest first (Tcl keeps channel handlers newest-first). Never changed in
   * place, only replaced, so a reference to it is a snapshot.
   */
  private order: readonly Kind[] = NO_KINDS;
  private closed = false;
  /** close was called while a background flush was pending: the socket lives on until it ends. */
  private closePending = false;

  constructor(
    /** @internal */ readonly host: ChannelHost,
    /** The channel's name, e.g. `sock3`. */
    readonly name: string,
    /** Whether the channel came from `accept` on a server socket. */
    readonly accepted = false,
  ) {}

  private get driver(): Driver {
    return this.host.driver;
  }

  // =============================================================================================
  // Connecting
  // =============================================================================================

  /** @internal Starts the walk over `pairs` (socket -async). Returns the state after the synchronous phase. */
  start(pairs: readonly AttemptPair[]): ConnectState {
    this.pairs = pairs;
    this.feed({ type: 'start' });
    return this.machine;
  }

  /** @internal Adopts an already connected socket (accepted channels). */
  adopt(socket: DriverSocket): void {
    this.socket = socket;
    this.machine = { kind: 'connected', index: 0 };
    this.updateInterest();
  }

  private feed(event: ConnectEvent): void {
    const result: StepResult = step(this.machine, event, this.pairs.length, this.host.profile.machine);
    this.machine = result.state;
    for (const effect of result.effects) {
      switch (effect.type) {
        case 'open':
          this.openAttempt(effect.index);
          break;
        case 'arm':
          this.arm();
          break;
        case 'disarm':
          this.connectWatch?.remove();
          this.connectWatch = null;
          break;
        case 'closeAttempt':
          this.socket?.close();
          this.socket = null;
          break;
        case 'finished':
          this.finish(effect.outcome);
          break;
      }
    }
  }

  private openAttempt(index: number): void {
    const pair = this.pairs[index];
    if (pair === undefined) throw new AssertionError(`attempt ${index} out of range`);
    // §3.2: "close the previous attempt's socket if still open" (an unconnected placeholder).
    this.socket?.close();
    this.socket = null;
    let opened: { socket: DriverSocket; connected: boolean };
    try {
      opened = this.driver.openAttempt(pair.remote, pair.local);
    } catch (err) {
      if (err instanceof NetError && isErrno(err.code)) {
        // §3.2/§3.3: a failed bind or connect leaves Tcl's socket open (it is closed only by the
        // next attempt). If this was the last attempt, that unconnected socket is the one the
        // failed channel keeps: it reports readable and writable (§3.5, Linux hang-up), so the
        // completion notification is not lost when the walk ends on a synchronous failure.
        this.socket = new UnconnectedSocket(`${this.name}/unconnected${index}`, pair.local);
        this.feed({ type: 'openFailed', error: err.code });
        return;
      }
      throw err;
    }
    this.socket = opened.socket;
    this.feed({ type: 'opened', connected: opened.connected });
  }

  /** Arms the internal watcher: the event loop steps once per readiness report (§3.4). */
  private arm(): void {
    const socket = this.socket;
    if (socket === null) throw new AssertionError('arm without a socket');
    const watch = (): void => {
      this.connectWatch = this.host.loop.notifier.watch(socket, WRITABLE | EXCEPTION, () => this.checkAndStep(), `connect:${this.name}`);
    };
    if (!this.host.profile.loseQuickConnect) {
      watch();
      return;
    }
    // Bug 336441ed59: the socket reaches the notifier's list only after a clock event; a connect
    // that already finished by then is never reported to the event loop.
    const clock = this.driver.clock;
    clock.setTimer(
      0,
      () => {
        // A deferred close (§7) still owns the socket, so only a released channel stops here.
        if (this.socket !== socket || !this.holdsSocket || !isConnecting(this.machine)) return;
        if ((socket.readiness() & (WRITABLE | EXCEPTION)) !== 0) {
          this.host.lostNotification(this, socket.name, socket.readiness());
          return;
        }
        watch();
      },
      `register:${this.name}`,
    );
  }

  /** Zero-timeout check of the in-flight attempt; one step if it is ready (§3.4 "check"). */
  private checkAndStep(): void {
    const socket = this.socket;
    if (this.machine.kind !== 'inflight' || socket === null) return;
    if ((socket.readiness() & (WRITABLE | EXCEPTION)) === 0) return;
    this.feed({ type: 'ready', soError: socket.takeError() });
  }

  /** Blocking walk (§3.4 "walk"): waits for each in-flight attempt, without servicing events. */
  private *walk(what: string): Op<void> {
    while (this.machine.kind === 'inflight') {
      const socket = this.socket as DriverSocket;
      yield { what, until: () => (socket.readiness() & (WRITABLE | EXCEPTION)) !== 0 || this.socket !== socket, sources: [socket] };
      this.checkAndStep();
    }
  }

  /** @internal Advances the machine as a command of the given kind may (§3.4). */
  *touch(what: string, mode: 'io' | 'query'): Op<void> {
    if (this.settleConnect()) yield* this.advance(what, mode);
  }

  /*
   * `touch` in two halves, for commands that run once the walk is over far more often than
   * during it: `if (chan.settleConnect()) yield* chan.advance(what, mode)` makes no generator
   * and builds no `what` text unless the connect is still walking.
   */

  /** @internal First half of `touch`: lets the world catch up; whether the walk is still running. */
  settleConnect(): boolean {
    this.driver.settle();
    return isConnecting(this.machine);
  }

  /** @internal Second half of `touch`, for a walk that is still running. */
  *advance(what: string, mode: 'io' | 'query'): Op<void> {
    // The connect machine's §3.4 table decides how far this command may move the walk.
    const trigger: Trigger = mode === 'query' ? 'optionQuery' : this.blocking ? 'blockingIo' : 'nonBlockingIo';
    switch (advanceFor(trigger)) {
      case 'walk':
        yield* this.walk(what);
        break;
      case 'check':
        this.checkAndStep();
        break;
      case 'none':
        break;
    }
  }

  /** §3.5: the walk ended. */
  private finish(outcome: 'connected' | 'failed'): void {
    if (outcome === 'failed' && this.machine.kind === 'failed') this.storedError = this.machine.error;
    this.updateInterest();
    if (!this.blocking && this.socket !== null) this.notify(WRITABLE);
  }

  // =============================================================================================
  // Notifications
  // =============================================================================================

  /** Interest handed to the notifier: scripts plus writable for a background flush. */
  private interest(): number {
    let mask = 0;
    if (this.readableScript !== undefined) mask |= READABLE;
    if (this.writableScript !== undefined || this.bgFlush) mask |= WRITABLE;
    if (
      this.host.profile.readableOnFailureNeedsWritable &&
      this.machine.kind === 'failed' &&
      this.writableScript === undefined
    ) {
      mask &= ~READABLE; // bug 581937ab1e
    }
    return mask;
  }

  /** @internal Keeps the notifier watch of the final socket in line with `interest()`. */
  updateInterest(): void {
    const socket = this.socket;
    const mask = this.closed && !this.closePending ? 0 : this.interest();
    if (isConnecting(this.machine) || socket === null || mask === 0) {
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
    if ((ready & WRITABLE) !== 0 && this.bgFlush) {
      if (this.backgroundFlush()) ready &= ~WRITABLE; // consumed by the flush
    }
    if (this.closePending) {
      if (!this.bgFlush) this.release();
      return;
    }
    // `order` is replaced, never changed in place, so this iterates a snapshot.
    for (const kind of this.order) {
      const bit = kind === 'readable' ? READABLE : WRITABLE;
      const script = this.script(kind);
      if ((ready & bit) === 0 || script === undefined || this.closed) continue;
      if (!this.host.runEventScript(this, kind, script)) {
        // Tcl deletes a fileevent handler whose script raised an error.
        if (this.script(kind) === script) this.removeScript(kind);
      }
    }
  }

  /**
   * Writes queued output for a background flush. Returns false if it failed (§6). The flush is
   * finished only when a writable notification finds nothing left to write (§6; FlushChannel
   * keeps BG_FLUSH_SCHEDULED after a pass that wrote something), so the notification that
   * drains the queue is still consumed and the next one ends the flush.
   */
  private backgroundFlush(): boolean {
    if (isConnecting(this.machine)) return true;
    if (this.outQueue.length === 0) {
      this.bgFlush = false;
      this.updateInterest();
      return true;
    }
    try {
      if (this.machine.kind === 'failed') throw new NetError('ENOTCONN');
      this.writeQueued();
    } catch (err) {
      if (!(err instanceof NetError) || !isErrno(err.code)) throw err;
      this.outQueue = [];
      if (this.unreported === null) {
        this.unreported = err.code;
        this.unreportedFromBg = true;
      }
      this.bgFlush = false;
      this.updateInterest();
      return false;
    }
    return true;
  }

  /** Writes as much of the queue as the socket takes now. Throws NetError. */
  private writeQueued(): void {
    const socket = this.socket;
    if (socket === null) throw new NetError('ENOTCONN');
    while (this.outQueue.length > 0) {
      const chunk = this.outQueue[0] as Uint8Array;
      const n = socket.write(chunk);
      if (n >= chunk.length) this.outQueue.shift();
      else {
        if (n > 0) this.outQueue[0] = chunk.subarray(n);
        return;
      }
    }
  }

  // =============================================================================================
  // Commands
  // =============================================================================================

  /** @internal Throws Tcl's error if the channel's name is gone (every command checks first). */
  ensureOpen(): void {
    if (this.closed) throw TclError.usage(`can not find channel named "${this.name}"`, 'ERR_TCL_NO_CHANNEL');
  }

  private run<T>(op: string, body: Op<T>, render?: (r: T) => string): T {
    return this.host.tracedOp(op, body, render);
  }

  private runP<T>(op: string, body: Op<T>, render?: (r: T) => string): Promise<T> {
    return this.host.tracedAsync(op, () => runAsync(body), render);
  }

  /** Raises the unreported error once (§6), with the command's prefix. */
  private raiseUnreported(verb: 'reading' | 'writing' | 'flushing'): void {
    if (this.unreported === null) return;
    const code = this.unreported;
    this.unreported = null;
    this.unreportedFromBg = false;
    throw TclError.posix(`error ${verb} "${this.name}": `, code);
  }

  // ---- input ----

  /** Reads one chunk from the driver into the input buffer. Returns false if it would block. */
  private *fill(): Op<boolean> {
    if (this.settleConnect()) yield* this.advance(`reading "${this.name}"`, 'io');
    if (isConnecting(this.machine)) return false;
    if (this.machine.kind === 'failed') throw TclError.posix(`error reading "${this.name}": `, 'ENOTCONN');
    const socket = this.socket as DriverSocket;
    let got: Uint8Array | 'eagain' | 'eof';
    try {
      got = socket.read(READ_CHUNK);
    } catch (err) {
      if (err instanceof NetError && err.code === 'ECONNRESET') got = 'eof'; // soft EOF (§4)
      else if (err instanceof NetError && isErrno(err.code)) throw TclError.posix(`error reading "${this.name}": `, err.code);
      else throw err;
    }
    if (got === 'eagain') return false;
    if (got === 'eof') {
      this.inText += this.decoder.decode(new Uint8Array(0), true);
      this.sawEof = true;
    } else {
      this.inText += this.decoder.decode(got);
    }
    return true;
  }

  private readableWait(): Wait {
    const socket = this.socket as DriverSocket;
    return { what: `reading "${this.name}"`, until: () => (socket.readiness() & READABLE) !== 0, sources: [socket] };
  }

  private *getsBody(): Op<{ count: number; line: string }> {
    this.ensureOpen();
    this.raiseUnreported('reading');
    this.blockedFlag = false;
    for (;;) {
      const nl = this.inText.indexOf('\n');
      if (nl >= 0) {
        const line = this.inText.slice(0, nl);
        this.inText = this.inText.slice(nl + 1);
        return { count: line.length, line };
      }
      if (this.sawEof) {
        const line = this.inText;
        this.inText = '';
        return line === '' ? { count: -1, line: '' } : { count: line.length, line };
      }
      if (yield* this.fill()) continue;
      if (!this.blocking) {
        this.blockedFlag = true;
        return { count: -1, line: '' };
      }
      if (isConnecting(this.machine)) continue; // walk() waits inside fill
      yield this.readableWait();
    }
  }

  private *readBody(count: number | undefined): Op<string> {
    this.ensureOpen();
    this.raiseUnreported('reading');
    this.blockedFlag = false;
    for (;;) {
      if (count !== undefined && this.inText.length >= count) break;
      if (this.sawEof) break;
      if (yield* this.fill()) continue;
      if (!this.blocking) {
        this.blockedFlag = true;
        break;
      }
      if (isConnecting(this.machine)) continue;
      yield this.readableWait();
    }
    const n = count === undefined ? this.inText.length : Math.min(count, this.inText.length);
    const out = this.inText.slice(0, n);
    this.inText = this.inText.slice(n);
    return out;
  }

  /** `gets $chan`: the next line (without its end), or "" when none is complete. */
  gets(): string {
    // getsBody itself rather than getsLine: one generator fewer per call, the same trace text.
    return this.run(`gets ${this.name}`, this.getsBody(), lineOf).line;
  }
  /** Promise form of `gets`. */
  getsAsync(): Promise<string> {
    return this.runP(`gets ${this.name}`, this.getsLine());
  }
  private *getsLine(): Op<string> {
    return (yield* this.getsBody()).line;
  }

  /** `gets $chan line`: `{count, line}` with count -1 when no complete line is available. */
  getsVar(varName = 'line'): { count: number; line: string } {
    return this.run(`gets ${this.name} ${tclWord(varName)}`, this.getsBody(), (r) => String(r.count));
  }
  getsVarAsync(varName = 'line'): Promise<{ count: number; line: string }> {
    return this.runP(`gets ${this.name} ${tclWord(varName)}`, this.getsBody(), (r) => String(r.count));
  }

  /** `read $chan ?count?`. */
  read(count?: number): string {
    return this.run(count === undefined ? `read ${this.name}` : `read ${this.name} ${count}`, this.readBody(count));
  }
  readAsync(count?: number): Promise<string> {
    return this.runP(count === undefined ? `read ${this.name}` : `read ${this.name} ${count}`, this.readBody(count));
  }

  /** `eof $chan`: sticky once the end of input was read. Never touches the connect machine. */
  eof(): boolean {
    return this.host.traced(`eof ${this.name}`, () => {
      this.ensureOpen();
      return this.sawEof && this.inText === '';
    }, (r) => (r ? '1' : '0'));
  }

  /** `fblocked $chan`: whether the last input command lacked data. */
  fblocked(): boolean {
    return this.host.traced(`fblocked ${this.name}`, () => {
      this.ensureOpen();
      return this.blockedFlag;
    }, (r) => (r ? '1' : '0'));
  }

  // ---- output ----

  /** Moves the current buffer to the output queue. */
  private queueCurrent(): void {
    if (this.outCurrent === '') return;
    this.outQueue.push(encodeOutput(this.outCurrent, this.eolOut, this.encoding));
    this.outCurrent = '';
  }

  /** Flushes queued output to the driver (Tcl's FlushChannel from the foreground). */
  private *flushBody(verb: 'writing' | 'flushing' | 'close'): Op<void> {
    this.queueCurrent();
    if (this.bgFlush || this.outQueue.length === 0) return;
    const prefix = verb === 'close' ? '' : `error ${verb} "${this.name}": `;
    if (this.settleConnect()) yield* this.advance(`flushing "${this.name}"`, 'io');
    if (isConnecting(this.machine)) {
      this.bgFlush = true; // EAGAIN while connecting: background flush (§6)
      this.updateInterest();
      return;
    }
    if (this.machine.kind === 'failed') {
      this.outQueue = [];
      throw TclError.posix(prefix, 'ENOTCONN');
    }
    for (;;) {
      try {
        this.writeQueued();
      } catch (err) {
        if (!(err instanceof NetError) || !isErrno(err.code)) throw err;
        this.outQueue = [];
        throw TclError.posix(prefix, err.code);
      }
      if (this.outQueue.length === 0) return;
      if (!this.blocking) {
        this.bgFlush = true;
        this.updateInterest();
        return;
      }
      const socket = this.socket as DriverSocket;
      yield { what: `flushing "${this.name}"`, until: () => (socket.readiness() & WRITABLE) !== 0, sources: [socket] };
    }
  }

  private *putsBody(text: string, nonewline: boolean): Op<void> {
    this.ensureOpen();
    this.raiseUnreported('writing');
    this.outCurrent += nonewline ? text : `${text}\n`;
    const mustFlush =
      this.buffering === 'none' ||
      (this.buffering === 'line' && this.outCurrent.includes('\n')) ||
      (this.buffering === 'full' && this.outCurrent.length >= this.bufferSize);
    if (mustFlush) yield* this.flushBody('writing');
  }

  /** `puts ?-nonewline? $chan text`. */
  puts(text: string, options: { nonewline?: boolean } = {}): void {
    const nonewline = options.nonewline ?? false;
    this.run(putsOp(this.name, text, nonewline), this.putsBody(text, nonewline));
  }
  putsAsync(text: string, options: { nonewline?: boolean } = {}): Promise<void> {
    const nonewline = options.nonewline ?? false;
    return this.runP(putsOp(this.name, text, nonewline), this.putsBody(text, nonewline));
  }

  private *flushCommand(): Op<void> {
    this.ensureOpen();
    this.raiseUnreported('flushing');
    yield* this.flushBody('flushing');
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
    if (this.bgFlush) {
      this.deferClose();
      return;
    }
    this.clearScripts();
    let error: TclError | null = null;
    if (this.unreported !== null) {
      const code = this.unreported;
      const empty = this.unreportedFromBg && this.host.profile.emptyCloseError;
      this.unreported = null;
      error = empty ? new TclError('', code, `POSIX ${code} {}`) : TclError.posix('', code);
    }
    try {
      // flushBody returns at once without output to write; skip making its generator then.
      this.queueCurrent();
      if (!this.bgFlush && this.outQueue.length > 0) yield* this.flushBody('close');
    } catch (err) {
      if (!(err instanceof TclError)) throw err;
      error ??= err;
    }
    if (this.bgFlush) {
      this.deferClose();
    } else {
      this.release();
    }
    if (error !== null) throw error;
  }

  /** §7: the name is gone, the socket lives until the background flush ends. */
  private deferClose(): void {
    this.closePending = true;
    this.clearScripts();
    this.updateInterest();
    // Tell the host again now that the socket lives on, so its teardown can still release it.
    this.host.forget(this);
  }

  /** Releases the socket and every watch. */
  private release(): void {
    this.closePending = false;
    this.connectWatch?.remove();
    this.connectWatch = null;
    this.scriptWatch?.remove();
    this.scriptWatch = null;
    this.socket?.close();
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

  private script(kind: Kind): Script | undefined {
    return kind === 'readable' ? this.readableScript : this.writableScript;
  }

  /** @internal The text of the `kind` fileevent script ("" if none), untraced: for diagnostics. */
  scriptText(kind: Kind): string {
    return this.script(kind)?.text ?? '';
  }

  private setScript(kind: Kind, script: Script | undefined): void {
    if (kind === 'readable') this.readableScript = script;
    else this.writableScript = script;
  }

  private clearScripts(): void {
    this.readableScript = undefined;
    this.writableScript = undefined;
    this.order = NO_KINDS;
  }

  private removeScript(kind: Kind): void {
    this.setScript(kind, undefined);
    this.order = this.order.filter((k) => k !== kind);
    this.updateInterest();
  }

  /** `fileevent $chan kind script`; `null` (or an empty script text) removes the handler. */
  fileevent(kind: Kind, script: Script | null): void {
    const text = script === null ? '' : script.text;
    this.host.traced(`fileevent ${this.name} ${kind} ${tclWord(text)}`, () => {
      this.ensureOpen();
      if (script === null || script.text === '') {
        this.removeScript(kind);
        return '';
      }
      this.setScript(kind, script);
      this.order = this.order.length === 0 ? [kind] : [kind, ...this.order.filter((k) => k !== kind)];
      this.updateInterest();
      return '';
    });
  }

  /** `fileevent $chan kind`: the script text, or "". */
  fileeventQuery(kind: Kind): string {
    return this.host.traced(`fileevent ${this.name} ${kind}`, () => {
      this.ensureOpen();
      return this.script(kind)?.text ?? '';
    });
  }

  // ---- fconfigure ----

  /** `fconfigure $chan -option` (one option), or set options from a record. */
  configure(option: string): string;
  configure(settings: Readonly<Record<string, string>>): void;
  configure(arg: string | Readonly<Record<string, string>>): string | void {
    if (typeof arg === 'string') {
      return this.run(`fconfigure ${this.name} ${arg}`, this.queryBody(arg));
    }
    const words = Object.entries(arg).flatMap(([k, v]) => [k, tclWord(v)]);
    this.host.traced(`fconfigure ${this.name} ${words.join(' ')}`, () => {
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
    return this.runP(`fconfigure ${this.name} ${option}`, this.queryBody(option));
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
    if (on && this.bgFlush) {
      this.bgFlush = false;
      this.updateInterest();
    }
  }

  /** @internal (channel-options) applies translation/encoding changes to the decoder. */
  applyTextOptions(): void {
    this.decoder.eol = this.eolIn;
    this.decoder.encoding = this.encoding;
  }

  /** @internal for tests and the interpreter: whether output is queued or buffered. */
  get pendingOutput(): number {
    return this.outCurrent.length + this.outQueue.reduce((n, c) => n + c.length, 0);
  }

  /** @internal closes without tracing (interpreter teardown). */
  dispose(): void {
    if (!this.closed) {
      this.closed = true;
      this.host.forget(this);
    }
    this.bgFlush = false;
    this.release();
  }
}


function lineOf(r: { readonly line: string }): string {
  return r.line;
}

function putsOp(name: string, text: string, nonewline: boolean): string {
  return `puts ${nonewline ? '-nonewline ' : ''}${name} ${tclWord(text)}`;
}
