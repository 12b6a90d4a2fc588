/**
 * `Interp`: one Tcl interpreter's worth of socket commands — `socket` (client, `-async`,
 * `-server`), `update`, `vwait`, `after` — over a driver, with its own event loop, channel
 * table, profile and observation trace.
 *
 * Owns: creating channels (name resolution, the local bind list, the attempt order of §2, the
 * synchronous phase of §3.2 and its `couldn't open socket: ...` errors), server sockets and
 * accept callbacks, and the observation trace: every command and every fileevent delivery is
 * recorded as a `kind: 'obs'` entry whose fields are exactly a line of reference §13
 * (`{op, result}`, `{op, error, errorcode}`, `{event, chan, during}`, `{note, value}`), with
 * real channel names and ports (src/trace/observation.ts normalises them).
 *
 * Sync forms need a driver that can block (the simulated world); Promise forms work on both.
 *
 * Handlers (fileevent, `after` and accept scripts) run one nesting level deeper each, under
 * Tcl's recursion limit (nesting-limit.ts); the interpreter names a channel's scripts when the
 * notifier stops a runaway handler.
 *
 * Departs from Tcl: channel names are `sock1`, `sock2`, ... in creation order (Tcl uses the
 * driver's address in hex); scripts are JavaScript callbacks with a display text; the default
 * recursion limit is 200 levels, not 1000 (nesting-limit.ts says why).
 * Over 450 lines: the command surface (sockets, servers, event-loop commands, tracing) is one
 * interpreter's, and splitting it is the layers issue's connector work.
 */
import { DetnetError } from '../errors.js';
import { EventLoop, type VwaitOptions, type VwaitTarget } from '../loop/event-loop.js';
import { READABLE, WRITABLE, type Watch } from '../loop/notifier.js';
import { NetError, isErrno, tclMessage } from '../net/net-error.js';
import { tclSockName } from '../net/sock-addr.js';
import { Trace } from '../trace/trace.js';
import { runAsync, runSync, type Op } from './blocking.js';
import { Channel, type ChannelHost, type Script } from './channel.js';
import { attemptPairs, type PlainAddr } from './connect-machine.js';
import type { Driver, DriverListener, HostAddr } from './driver.js';
import { DEFAULT_PROFILE, profile as lookupProfile, type Profile } from './profiles.js';
import { NestingLimit } from './nesting-limit.js';
import { TclError } from './tcl-error.js';
import { tclQuote } from './tcl-words.js';
import { StrictBackgroundErrors, drainLoop, type DrainOptions, type DrainReport } from './test-support.js';
import { VirtualClock } from '../clock/virtual-clock.js';

export type { Script } from './channel.js';
export { Channel } from './channel.js';

/** Options of `new Interp(driver, options)`. */
export interface InterpOptions {
  /** Profile name or object (default `tcl-8.6.13-unix`). */
  readonly profile?: string | Profile;
  /** Trace to record into (default: a new one). Pass the world's trace for one merged timeline. */
  readonly trace?: Trace;
  /**
   * Tcl's `interp recursionlimit`, in Tcl's evaluation levels; a nested handler costs two
   * (default 200, see nesting-limit.ts for why it is below Tcl's 1000).
   */
  readonly recursionLimit?: number;
  /** The notifier's `runawayLimit` (deliveries at one instant without progress; default 10,000). */
  readonly runawayLimit?: number;
  /** The event loop's `loopLimit` (events one `update`/`vwait` may service; default 1,000,000). */
  readonly loopLimit?: number;
  /**
   * For tests: a handler's exception fails the run instead of only landing in
   * `loop.backgroundErrors` — `vwait`, `update` or `drain` throws it at once as a
   * `BackgroundHandlerError` (its `cause` is the handler's error), and one raised inside another
   * command is thrown by the next command (default false, as Tcl).
   */
  readonly strictBackgroundErrors?: boolean;
}

/** The options of `socket`: `-async`, `-myaddr`, `-myport`. */
export interface SocketOptions {
  readonly async?: boolean;
  readonly myaddr?: string;
  readonly myport?: number;
}

/** The accept command of `socket -server`: the new channel, the peer's address and port. */
export type AcceptHandler = (chan: Channel, address: string, port: number) => void;

/** The options of `socket -server`: `-myaddr`, and `-async` only to reproduce Tcl's refusal. */
export interface ServerOptions {
  readonly myaddr?: string;
  /** Only to reproduce Tcl's error: servers cannot be `-async`. */
  readonly async?: boolean;
  /** The accept command's text for the trace (default `accept`). */
  readonly command?: string;
}

/** A listening socket made by `socket -server`. */
export class ServerChannel {
  private watch: Watch | null;
  private open = true;
  constructor(
    readonly name: string,
    private readonly listener: DriverListener,
    private readonly interp: Interp,
    onReadable: () => void,
  ) {
    this.watch = interp.loop.notifier.watch(listener, READABLE, onReadable, `server:${name}`);
  }
  /** The listening port. */
  get port(): number {
    return this.listener.localAddress().port;
  }
  /** `fconfigure $server -sockname`. */
  sockname(): string {
    return tclSockName(this.listener.localAddress());
  }
  /** `close $server`. */
  close(): void {
    this.interp.traced(`close ${this.name}`, () => {
      if (!this.open) throw TclError.usage(`can not find channel named "${this.name}"`, 'ERR_TCL_NO_CHANNEL');
      this.dispose();
      return '';
    });
  }
  /** @internal */
  dispose(): void {
    if (!this.open) return;
    this.open = false;
    this.watch?.remove();
    this.watch = null;
    this.listener.close();
    this.interp.forgetServer(this);
  }
}

/**
 * One Tcl interpreter's socket commands on a driver: `socket`, `socket -server`, `update`,
 * `vwait`, `after`, `set`, and the channels they make. Every command and event is recorded in
 * `trace` as an observation line (docs/spec.md §13). Blocking commands run the simulated world
 * synchronously; the `...Async` forms work on every driver.
 */
export class Interp implements ChannelHost {
  readonly loop: EventLoop;
  readonly trace: Trace;
  readonly profile: Profile;
  private readonly channels = new Map<string, Channel>();
  private readonly servers = new Map<string, ServerChannel>();
  /** Channels whose name is gone but whose socket lives on (deferred close). */
  private readonly lingering = new Set<Channel>();
  private readonly during: string[] = [];
  private nextChannel = 1;
  private readonly nesting: NestingLimit;

  constructor(
    readonly driver: Driver,
    options: InterpOptions = {},
  ) {
    this.trace = options.trace ?? new Trace();
    const p = options.profile ?? DEFAULT_PROFILE;
    this.profile = typeof p === 'string' ? lookupProfile(p) : p;
    // The profile says how this Tcl's notifier learns of sockets (bug 336441ed59 lives there).
    const notifier = options.runawayLimit === undefined ? this.profile.notifier : { ...this.profile.notifier, runawayLimit: options.runawayLimit };
    this.loop = new EventLoop(driver.clock, {
      trace: this.trace,
      notifier,
      ...(options.loopLimit === undefined ? {} : { loopLimit: options.loopLimit }),
    });
    this.nesting = new NestingLimit(options.recursionLimit);
    this.loop.notifier.describeWatch = (watch, mask) => this.describeWatch(watch, mask);
    this.strict = options.strictBackgroundErrors === true ? new StrictBackgroundErrors(this.loop, () => this.current) : undefined;
  }

  // ---- for tests: strict background errors, drain (test-support.ts) ----

  private readonly strict: StrictBackgroundErrors | undefined;

  /**
   * For tests: lets the timers and events the program left behind (a forgotten timeout, data
   * still in flight) run before the checks, for at most `budgetMs` of virtual time; reports
   * what ran and whether anything is still pending (test-support.ts). Simulated world only.
   */
  drain(options: DrainOptions): DrainReport {
    this.strict?.raisePending();
    const clock = this.driver.clock;
    if (!(clock instanceof VirtualClock)) {
      throw new DetnetError('ERR_SYNC_WAIT_ON_REAL_CLOCK', `drain runs the virtual clock; the ${this.driver.kind} driver has none`);
    }
    this.during.push('drain');
    try {
      return drainLoop(this.loop, clock, this.trace, options);
    } finally {
      this.during.pop();
    }
  }

  /** Names a channel's fileevent scripts for a runaway error: `fileevent sock1 writable W`. */
  private describeWatch(watch: Watch, mask: number): string | undefined {
    const name = watch.label.startsWith('chan:') ? watch.label.slice('chan:'.length) : undefined;
    const chan = name === undefined ? undefined : (this.channels.get(name) ?? [...this.lingering].find((c) => c.name === name));
    if (chan === undefined) return undefined;
    const scripts: string[] = [];
    for (const [kind, bit] of [['readable', READABLE], ['writable', WRITABLE]] as const) {
      const text = (mask & bit) === 0 ? '' : chan.scriptText(kind);
      if (text !== '') scripts.push(`fileevent ${chan.name} ${kind} ${tclQuote(text)}`);
    }
    return scripts.length === 0 ? `the background flush of ${chan.name}` : scripts.join(' and ');
  }

  // ---- observation trace ----

  private record(fields: Readonly<Record<string, string>>): void {
    this.trace.record(this.driver.clock.now(), 'obs', fields);
  }

  private recordError(op: string, err: unknown): void {
    if (!this.trace.enabled) return;
    if (err instanceof TclError) this.record({ op, error: err.message, errorcode: err.errorCode });
    // A detnet-level failure (e.g. a vwait that would wait forever) is shown with its ERR_* code.
    else if (err instanceof DetnetError) this.record({ op, error: err.message, errorcode: err.code });
  }

  /** @internal Runs `fn` as the traced command `op`. */
  traced<T>(op: string, fn: () => T, render: (result: T) => string = defaultRender): T {
    this.during.push(op);
    try {
      this.strict?.raisePending();
      const result = fn();
      // Checked here so that a disabled trace does not even build the entry's fields.
      if (this.trace.enabled) this.record({ op, result: render(result) });
      return result;
    } catch (err) {
      this.recordError(op, err);
      throw err;
    } finally {
      this.during.pop();
    }
  }

  /**
   * @internal `traced(op, () => runSync(driver, body), render)` without a closure per command
   * (channel commands run through here once or more per connect).
   */
  tracedOp<T>(op: string, body: Op<T>, render: (result: T) => string = defaultRender): T {
    this.during.push(op);
    try {
      this.strict?.raisePending();
      const result = runSync(this.driver, body);
      if (this.trace.enabled) this.record({ op, result: render(result) });
      return result;
    } catch (err) {
      this.recordError(op, err);
      throw err;
    } finally {
      this.during.pop();
    }
  }

  /** @internal Promise form of `traced`. */
  async tracedAsync<T>(op: string, fn: () => Promise<T>, render: (result: T) => string = defaultRender): Promise<T> {
    this.during.push(op);
    try {
      this.strict?.raisePending();
      await this.driver.settleAsync(); // what the kernel has done is visible first (Driver.settleAsync)
      const result = await fn();
      if (this.trace.enabled) this.record({ op, result: render(result) });
      return result;
    } catch (err) {
      this.recordError(op, err);
      throw err;
    } finally {
      const i = this.during.lastIndexOf(op);
      if (i >= 0) this.during.splice(i, 1);
    }
  }

  private get current(): string {
    return this.during[this.during.length - 1] ?? 'toplevel';
  }

  /** @internal */
  runEventScript(chan: Channel, kind: 'readable' | 'writable', script: Script): boolean {
    // A script refused by the nesting limit never runs, so its event is not observed either.
    return this.guard(() => {
      if (this.trace.enabled) this.record({ event: kind, chan: chan.name, during: this.current });
      script.run();
    }, `fileevent ${chan.name} ${kind}`);
  }

  /**
   * Runs a handler one nesting level deeper (nesting-limit.ts); an exception — Tcl's nesting
   * error included — becomes a background error (Tcl's bgerror).
   */
  private guard(fn: () => void, label: string): boolean {
    try {
      this.nesting.run(fn);
      return true;
    } catch (error) {
      this.loop.reportBackgroundError(error, label);
      return false;
    }
  }

  /** @internal */
  forget(chan: Channel): void {
    this.channels.delete(chan.name);
    // A deferred close keeps the socket until its background flush ends (§7); the channel calls
    // forget again once it has released it.
    if (chan.holdsSocket) this.lingering.add(chan);
    else this.lingering.delete(chan);
  }

  /** @internal */
  forgetServer(server: ServerChannel): void {
    this.servers.delete(server.name);
  }

  /** `{note, value}` line in the observation trace. */
  note(name: string, value: string): void {
    this.record({ note: name, value });
  }

  // ---- socket ----

  private socketOp(host: string, port: number, options: SocketOptions): string {
    // The common form without a word list (the same text as the general case below).
    if (options.myaddr === undefined && options.myport === undefined) return `socket ${options.async ? '-async ' : ''}${host} ${port}`;
    const words = ['socket'];
    if (options.async) words.push('-async');
    if (options.myaddr !== undefined) words.push('-myaddr', options.myaddr);
    if (options.myport !== undefined) words.push('-myport', String(options.myport));
    words.push(host, String(port));
    return words.join(' ');
  }

  private *socketBody(remotes: readonly HostAddr[], locals: readonly HostAddr[], port: number, options: SocketOptions): Op<Channel> {
    const pairs = attemptPairs(remotes as PlainAddr[], port, locals as PlainAddr[], options.myport ?? 0);
    const chan = new Channel(this, `sock${this.nextChannel}`);
    const state = chan.connector.start(pairs);
    if (state.kind !== 'failed' && !options.async) {
      try {
        // A new channel is blocking: the command walks to the end (§3.4 blocking I/O).
        yield* chan.connector.advance(`socket ${chan.name}`, 'blockingIo');
      } catch (err) {
        // A walk that can never end (ERR_WOULD_BLOCK_FOREVER) must not leave its attempt
        // socket and internal watcher behind: the channel never existed for the script.
        chan.dispose();
        throw err;
      }
    }
    const final = chan.connector.state;
    if (final.kind === 'failed') {
      chan.dispose();
      throw TclError.posix("couldn't open socket: ", final.error);
    }
    this.nextChannel++;
    this.channels.set(chan.name, chan);
    return chan;
  }

  private checkPort(port: number, myport: number | undefined): void {
    // Two calls rather than a loop over `[port, myport]`: no array per `socket` command.
    checkOnePort(port);
    if (myport !== undefined) checkOnePort(myport);
  }

  /** `socket ?-async? ?-myaddr a? ?-myport p? host port` (simulated world). */
  socket(host: string, port: number, options: SocketOptions = {}): Channel {
    return this.traced(
      this.socketOp(host, port, options),
      () => {
        this.checkPort(port, options.myport);
        const remotes = translated(() => this.driver.resolve(host), resolutionError);
        const locals = translated(() => this.driver.resolvePassive(options.myaddr), resolutionError);
        return runSync(this.driver, this.socketBody(remotes, locals, port, options));
      },
      (c) => c.name,
    );
  }

  /** Promise form of `socket` (both drivers). */
  socketAsync(host: string, port: number, options: SocketOptions = {}): Promise<Channel> {
    return this.tracedAsync(
      this.socketOp(host, port, options),
      async () => {
        this.checkPort(port, options.myport);
        const remotes = await translatedAsync(() => this.driver.resolveAsync(host), resolutionError);
        const locals = await translatedAsync(() => this.driver.resolvePassiveAsync(options.myaddr), resolutionError);
        return runAsync(this.socketBody(remotes, locals, port, options));
      },
      (c) => c.name,
    );
  }

  private serverOp(port: number, options: ServerOptions): string {
    const words = ['socket', '-server', options.command ?? 'accept'];
    if (options.async) words.push('-async');
    if (options.myaddr !== undefined) words.push('-myaddr', options.myaddr);
    words.push(String(port));
    return words.join(' ');
  }

  private checkServer(port: number, options: ServerOptions): { readonly address?: string; readonly port: number } {
    if (options.async) throw TclError.usage('cannot set -async option for server sockets', 'ERR_TCL_ASYNC_SERVER');
    this.checkPort(port, undefined);
    return options.myaddr === undefined ? { port } : { address: options.myaddr, port };
  }

  private adoptListener(listener: DriverListener, onAccept: AcceptHandler): ServerChannel {
    const name = `sock${this.nextChannel++}`;
    const server: ServerChannel = new ServerChannel(name, listener, this, () => this.acceptOne(listener, onAccept));
    this.servers.set(name, server);
    return server;
  }

  /** `socket -server cmd ?-myaddr a? port`: `onAccept(chan, address, port)` runs from the event loop. */
  server(port: number, onAccept: AcceptHandler, options: ServerOptions = {}): ServerChannel {
    return this.traced(
      this.serverOp(port, options),
      () => {
        const local = this.checkServer(port, options);
        return this.adoptListener(translated(() => this.driver.listen(local), listenError), onAccept);
      },
      (s) => s.name,
    );
  }

  /** Promise form of `socket -server` (both drivers; Node binds asynchronously). */
  serverAsync(port: number, onAccept: AcceptHandler, options: ServerOptions = {}): Promise<ServerChannel> {
    return this.tracedAsync(
      this.serverOp(port, options),
      async () => {
        const local = this.checkServer(port, options);
        const listener = await translatedAsync(() => this.driver.listenAsync(local), listenError);
        return this.adoptListener(listener, onAccept);
      },
      (s) => s.name,
    );
  }

  private acceptOne(listener: DriverListener, onAccept: AcceptHandler): void {
    const socket = listener.accept();
    if (socket === null) return;
    const chan = new Channel(this, `sock${this.nextChannel++}`, true);
    chan.adopt(socket);
    this.channels.set(chan.name, chan);
    if (this.trace.enabled) this.record({ event: 'accept', chan: chan.name, during: this.current });
    const peer = socket.remoteAddress();
    this.guard(() => onAccept(chan, peer?.address ?? '', peer?.port ?? 0), `accept ${chan.name}`);
  }

  // ---- event loop commands ----

  /** `update`. */
  update(): void {
    this.traced('update', () => {
      this.loop.update();
      return '';
    });
  }

  /**
   * Promise form of `update` (both drivers). Like Tcl's, it first lets the OS report what is
   * ready (`Driver.settleAsync`), then processes every event ready now without waiting.
   */
  updateAsync(): Promise<void> {
    return this.tracedAsync('update', async () => {
      this.loop.update();
    });
  }

  /**
   * `vwait name` (simulated world). A predicate instead of a name waits until it holds (checked
   * before every event); the trace then shows `vwait condition`, which Tcl has no word for.
   */
  vwait(name: VwaitTarget, options: VwaitOptions = {}): void {
    this.traced(`vwait ${vwaitLabel(name)}`, () => {
      this.loop.vwait(name, options);
      return '';
    });
  }

  /**
   * `vwait label` for a waiter that owns its variables (the Tcl interpreter, src/tcl): waits
   * until `done()` holds, traced as `vwait <label>` like `vwait name`.
   */
  vwaitFor(label: string, done: () => boolean, options: VwaitOptions = {}): void {
    this.traced(`vwait ${label}`, () => {
      this.loop.vwait(done, options);
      return '';
    });
  }

  /** Promise form of `vwaitFor` (both drivers). */
  vwaitForAsync(label: string, done: () => boolean, options: VwaitOptions = {}): Promise<void> {
    return this.tracedAsync(`vwait ${label}`, async () => {
      await this.loop.vwaitAsync(done, options);
    });
  }

  /** Promise form of `vwait` (both drivers). */
  vwaitAsync(name: VwaitTarget, options: VwaitOptions = {}): Promise<void> {
    return this.tracedAsync(`vwait ${vwaitLabel(name)}`, async () => {
      await this.loop.vwaitAsync(name, options);
    });
  }

  /** `after ms`: sleeps without servicing events (the simulated world keeps running). */
  after(ms: number): void {
    this.traced(`after ${ms}`, () => {
      if (!this.driver.canBlock) {
        throw new DetnetError('ERR_SYNC_ON_REAL_DRIVER', `after ${ms} would block; on the ${this.driver.kind} driver use afterAsync`);
      }
      const clock = this.driver.clock;
      const target = clock.now() + ms;
      clock.setTimer(ms, () => undefined, `sleep ${ms}`);
      this.driver.runUntil(() => clock.now() >= target);
      return '';
    });
  }

  /** Promise form of `after ms`. */
  afterAsync(ms: number): Promise<void> {
    return this.tracedAsync(`after ${ms}`, () => {
      return new Promise<void>((resolve) => this.driver.clock.setTimer(ms, () => resolve(), `sleep ${ms}`));
    });
  }

  /** `after ms script`: returns the `after#N` id. */
  afterScript(ms: number, script: Script): string {
    return this.traced(`after ${ms} ${tclQuote(script.text)}`, () =>
      this.loop.after(ms, () => void this.guard(script.run, `after ${ms}`), script.text),
    );
  }

  /** `after cancel id`. */
  afterCancel(id: string): void {
    this.traced(`after cancel ${id}`, () => {
      this.loop.cancel(id);
      return '';
    });
  }

  /** `set name value` (wakes a `vwait name`). */
  set(name: string, value = '1'): void {
    this.loop.set(name, value);
  }

  /** Value of a variable set with `set`. */
  get(name: string): string | undefined {
    return this.loop.get(name);
  }

  // ---- lifetime ----

  /** Names of open channels and servers (Tcl's `file channels` for sockets), in creation order. */
  channelNames(): string[] {
    return [...this.channels.keys(), ...this.servers.keys()];
  }

  /** A listening socket by name (`close $server`, `fconfigure $server`), or undefined. */
  serverChannel(name: string): ServerChannel | undefined {
    return this.servers.get(name);
  }

  /** Looks a channel up by name. */
  channel(name: string): Channel {
    const chan = this.channels.get(name);
    if (chan === undefined) throw TclError.usage(`can not find channel named "${name}"`, 'ERR_TCL_NO_CHANNEL');
    return chan;
  }

  /** Closes every channel and server without tracing (teardown; drops pending output). */
  close(): void {
    for (const chan of [...this.channels.values(), ...this.lingering]) chan.dispose();
    for (const server of [...this.servers.values()]) server.dispose();
    this.lingering.clear();
  }
}

function checkOnePort(p: number): void {
  if (!Number.isInteger(p) || p < 0) throw TclError.usage(`expected integer but got "${p}"`, 'ERR_TCL_BAD_PORT');
  if (p > 65535) throw new TclError("couldn't open socket: port number too high", 'ERR_TCL_PORT_TOO_HIGH', 'NONE');
}

function vwaitLabel(target: VwaitTarget): string {
  return typeof target === 'string' ? target : 'condition';
}

function defaultRender(result: unknown): string {
  if (result === undefined || result === null) return '';
  if (typeof result === 'boolean') return result ? '1' : '0';
  return String(result);
}

/** Runs `fn`, rethrowing its error translated by `translate`. */
function translated<T>(fn: () => T, translate: (err: unknown) => unknown): T {
  try {
    return fn();
  } catch (err) {
    throw translate(err);
  }
}

/** Promise form of `translated`. */
async function translatedAsync<T>(fn: () => Promise<T>, translate: (err: unknown) => unknown): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw translate(err);
  }
}

/** Bind/listen failures become `couldn't open socket: <message>` with a POSIX errorCode. */
function listenError(err: unknown): unknown {
  return err instanceof NetError && isErrno(err.code) ? TclError.posix("couldn't open socket: ", err.code) : err;
}

/** Name resolution failures become `couldn't open socket: <resolver message>` (errorCode NONE). */
function resolutionError(err: unknown): unknown {
  if (err instanceof NetError) {
    const message = isErrno(err.code) && err.message === '' ? tclMessage(err.code) : err.message;
    return new TclError(`couldn't open socket: ${message}`, err.code, 'NONE');
  }
  return err;
}
