/**
 * `Interp`: one Tcl interpreter's worth of socket commands — `socket` (client, `-async`,
 * `-server`), `update`, `vwait`, `after` — over a driver, with its own event loop, channel
 * table and profile.
 *
 * Owns: creating channels (name resolution, the local bind list, the attempt order of §2, the
 * synchronous phase of §3.2 and its `couldn't open socket: ...` errors), accepting connections
 * on its servers, the event-loop commands, and the names of its channels. Beside it:
 * command-tracer.ts records every command as a line of docs/spec.md §13, event-scripts.ts runs
 * handlers under Tcl's nesting limit, server-channel.ts is the listening socket,
 * command-support.ts holds command texts, argument checks and error translations.
 *
 * Capabilities are types: `Interp<D>` knows its driver's type. The synchronous forms that wait
 * (`socket`, `server`, `vwait`, `after ms`) take `this: Interp<BlockingDriver>`, so on an
 * interpreter over the Node driver they do not compile — use `socketAsync`, `vwaitAsync`, ...
 * — and a JavaScript caller without types gets `ERR_SYNC_ON_REAL_DRIVER`. Commands that never
 * wait (`update`, `after ms script`, `set`, channel commands on a non-blocking channel) exist
 * on every interpreter. Plain `Interp` means an interpreter over a blocking driver (the
 * simulated world); code that takes either writes `Interp<Driver>` and asks `isBlocking()`.
 *
 * Departs from Tcl: channel names are `sock1`, `sock2`, ... in creation order (Tcl uses the
 * driver's address in hex); scripts are JavaScript callbacks with a display text.
 *
 * About 470 lines: each command in its synchronous and Promise forms side by side, each a thin
 * call into what already lives beside it (listed above); splitting the pairs would let them drift.
 */
import { isSteppable } from '../clock/steppable-clock.js';
import { DetnetError, invalidArgType } from '../errors.js';
import { EventLoop, type VwaitOptions, type VwaitTarget } from '../loop/event-loop.js';
import type { Watch } from '../loop/notifier.js';
import { Trace } from '../trace/trace.js';
import { runAsync, runSync, type Op } from './blocking.js';
import { Channel, type ChannelHost, type Script } from './channel.js';
import { CommandTracer, defaultRender, type OpText } from './command-tracer.js';
import { checkFunction, checkHost, checkName, checkNumber, checkOptions, checkScript, rejectedIf } from './arg-checks.js';
import {
  blockingDriverOf,
  checkDriver,
  checkPorts,
  listenError,
  resolutionError,
  resolveProfile,
  socketOp,
  translated,
  translatedAsync,
  vwaitLabel,
  type SocketOptions,
} from './command-support.js';
import { attemptPairs, type PlainAddr } from './connect-machine.js';
import type { BlockingDriver, Driver, DriverListener, HostAddr } from './driver.js';
import { describeChannelWatch, EventScripts } from './event-scripts.js';
import type { Profile } from './profiles.js';
import { serverOp, ServerChannel, type ServerOptions } from './server-channel.js';
import { TclError } from './tcl-error.js';
import { tclQuote } from './tcl-words.js';
import { StrictBackgroundErrors, drainLoop, type DrainOptions, type DrainReport } from './test-support.js';

export type { Script } from './channel.js';
export { Channel } from './channel.js';
export { ServerChannel, type ServerOptions } from './server-channel.js';
export type { SocketOptions } from './command-support.js';

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

/** The accept command of `socket -server`: the new channel, the peer's address and port. */
export type AcceptHandler = (chan: Channel, address: string, port: number) => void;

/**
 * One Tcl interpreter's socket commands on a driver: `socket`, `socket -server`, `update`,
 * `vwait`, `after`, `set`, and the channels they make. Every command and event is recorded in
 * `trace` as an observation line (docs/spec.md §13). The synchronous forms need a
 * `BlockingDriver` (the simulated world); the `...Async` forms work on every driver.
 */
export class Interp<D extends Driver = BlockingDriver> {
  readonly loop: EventLoop;
  readonly trace: Trace;
  readonly profile: Profile;
  private readonly tracer: CommandTracer;
  private readonly handlers: EventScripts;
  private readonly channels = new Map<string, Channel>();
  private readonly servers = new Map<string, ServerChannel>();
  /** Channels whose name is gone but whose socket lives on (deferred close). */
  private readonly lingering = new Set<Channel>();
  private nextChannel = 1;

  constructor(
    readonly driver: D,
    options: InterpOptions = {},
  ) {
    checkDriver(driver);
    checkOptions('Interp options', options);
    if (options.trace !== undefined && !(options.trace instanceof Trace)) throw invalidArgType('Interp trace', 'a Trace', options.trace);
    this.trace = options.trace ?? new Trace();
    this.profile = resolveProfile(options.profile);
    // The profile says how this Tcl's notifier learns of sockets (bug 336441ed59 lives there).
    const notifier = options.runawayLimit === undefined ? this.profile.notifier : { ...this.profile.notifier, runawayLimit: options.runawayLimit };
    this.loop = new EventLoop(driver.clock, {
      trace: this.trace,
      notifier,
      ...(options.loopLimit === undefined ? {} : { loopLimit: options.loopLimit }),
    });
    this.tracer = new CommandTracer(this.trace, driver);
    this.handlers = new EventScripts(this.loop, this.tracer, options.recursionLimit);
    this.loop.notifier.describeWatch = (watch: Watch, mask: number) =>
      describeChannelWatch(watch, mask, (name) => this.channels.get(name) ?? [...this.lingering].find((c) => c.name === name));
    if (options.strictBackgroundErrors === true) {
      const strict = new StrictBackgroundErrors(this.loop, () => this.tracer.current);
      this.tracer.beforeCommand = () => strict.raisePending();
    }
  }

  /**
   * For tests: lets the timers and events the program left behind (a forgotten timeout, data
   * still in flight) run before the checks, for at most `budgetMs` of virtual time; reports
   * what ran and whether anything is still pending (test-support.ts). Needs a steppable clock.
   */
  drain(options: DrainOptions): DrainReport {
    const clock = this.driver.clock;
    if (!isSteppable(clock)) {
      throw new DetnetError('ERR_SYNC_WAIT_ON_REAL_CLOCK', `drain runs the virtual clock; the ${this.driver.kind} driver has none`);
    }
    return this.tracer.untraced('drain', () => drainLoop(this.loop, clock, this.trace, options));
  }

  /**
   * Whether this interpreter's driver can block, narrowing its type: inside
   * `if (interp.isBlocking()) { ... }` the synchronous forms are available.
   */
  isBlocking(): this is Interp<D & BlockingDriver> {
    return typeof (this.driver as Partial<BlockingDriver>).runUntil === 'function';
  }

  // ---- the command tracer, for channels (ChannelHost) ----

  /** @internal Runs `fn` as the traced command `op`. */
  traced<T>(op: OpText, fn: () => T, render: (result: T) => string = defaultRender): T {
    return this.tracer.traced(op, fn, render);
  }

  /** @internal Runs a command body synchronously as the traced command `op`. */
  tracedOp<T>(op: OpText, body: Op<T>, render: (result: T) => string = defaultRender): T {
    return this.tracer.tracedOp(op, body, render);
  }

  /** @internal Promise form of `traced` (settles the driver first; rejects once it is disposed). */
  tracedAsync<T>(op: OpText, fn: () => Promise<T>, render: (result: T) => string = defaultRender): Promise<T> {
    return this.tracer.tracedAsync(op, fn, render);
  }

  /** @internal */
  runEventScript(chan: Channel, kind: 'readable' | 'writable', script: Script): boolean {
    return this.handlers.runEventScript(chan, kind, script);
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
    checkName('note name', name);
    checkName('note value', value);
    this.tracer.record({ note: name, value });
  }

  // ---- socket ----

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

  /** Checks a `socket` call's JavaScript argument types (misuse fails before tracing). */
  private checkSocketArgs(host: unknown, port: unknown, options: SocketOptions): void {
    checkHost('socket host', host);
    checkNumber('socket port', port);
    checkOptions('socket options', options);
    if (options.myaddr !== undefined) checkHost('socket -myaddr', options.myaddr);
    if (options.myport !== undefined) checkNumber('socket -myport', options.myport);
  }

  /** `socket ?-async? ?-myaddr a? ?-myport p? host port` (needs a blocking driver). */
  socket(this: Interp<BlockingDriver>, host: string, port: number, options: SocketOptions = {}): Channel {
    this.checkSocketArgs(host, port, options);
    return this.traced(
      () => socketOp(host, port, options),
      () => {
        const driver = blockingDriverOf(this.driver, 'socket');
        checkPorts(port, options.myport);
        const remotes = translated(() => driver.resolve(host), resolutionError);
        const locals = translated(() => driver.resolvePassive(options.myaddr), resolutionError);
        return runSync(driver, this.socketBody(remotes, locals, port, options));
      },
      (c) => c.name,
    );
  }

  /** Promise form of `socket` (every driver). */
  socketAsync(host: string, port: number, options: SocketOptions = {}): Promise<Channel> {
    const bad = rejectedIf(() => this.checkSocketArgs(host, port, options));
    if (bad !== undefined) return bad;
    return this.tracedAsync(
      () => socketOp(host, port, options),
      async () => {
        checkPorts(port, options.myport);
        const remotes = await translatedAsync(() => this.driver.resolveAsync(host), resolutionError);
        const locals = await translatedAsync(() => this.driver.resolvePassiveAsync(options.myaddr), resolutionError);
        return runAsync(this.socketBody(remotes, locals, port, options));
      },
      (c) => c.name,
    );
  }

  private checkServerArgs(port: unknown, onAccept: unknown, options: ServerOptions): void {
    checkNumber('socket -server port', port);
    checkFunction('socket -server accept handler', onAccept);
    checkOptions('socket -server options', options);
    if (options.myaddr !== undefined) checkHost('socket -server -myaddr', options.myaddr);
  }

  private checkServer(port: number, options: ServerOptions): { readonly address?: string; readonly port: number } {
    if (options.async) throw TclError.usage('cannot set -async option for server sockets', 'ERR_TCL_ASYNC_SERVER');
    checkPorts(port, undefined);
    return options.myaddr === undefined ? { port } : { address: options.myaddr, port };
  }

  private adoptListener(listener: DriverListener, onAccept: AcceptHandler): ServerChannel {
    const name = `sock${this.nextChannel++}`;
    const server: ServerChannel = new ServerChannel(name, listener, this, () => this.acceptOne(listener, onAccept));
    this.servers.set(name, server);
    return server;
  }

  /**
   * `socket -server cmd ?-myaddr a? port` (needs a blocking driver: bound when it returns):
   * `onAccept(chan, address, port)` runs from the event loop.
   */
  server(this: Interp<BlockingDriver>, port: number, onAccept: AcceptHandler, options: ServerOptions = {}): ServerChannel {
    this.checkServerArgs(port, onAccept, options);
    return this.traced(
      serverOp(port, options),
      () => {
        const driver = blockingDriverOf(this.driver, 'server');
        const local = this.checkServer(port, options);
        return this.adoptListener(translated(() => driver.listen(local), listenError), onAccept);
      },
      (s) => s.name,
    );
  }

  /** Promise form of `socket -server` (every driver; Node binds asynchronously). */
  serverAsync(port: number, onAccept: AcceptHandler, options: ServerOptions = {}): Promise<ServerChannel> {
    const bad = rejectedIf(() => this.checkServerArgs(port, onAccept, options));
    if (bad !== undefined) return bad;
    return this.tracedAsync(
      serverOp(port, options),
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
    if (this.trace.enabled) this.tracer.record({ event: 'accept', chan: chan.name, during: this.tracer.current });
    const peer = socket.remoteAddress();
    this.handlers.guard(() => onAccept(chan, peer?.address ?? '', peer?.port ?? 0), `accept ${chan.name}`);
  }

  // ---- event loop commands ----

  /** `update`: processes what is ready now, never waiting (every driver). */
  update(): void {
    this.traced('update', () => {
      this.loop.update();
      return '';
    });
  }

  /**
   * Promise form of `update` (every driver). Like Tcl's, it first lets the OS report what is
   * ready (`Driver.settleAsync`), then processes every event ready now without waiting.
   */
  updateAsync(): Promise<void> {
    return this.tracedAsync('update', async () => {
      this.loop.update();
    });
  }

  /**
   * `vwait name` (needs a blocking driver). A predicate instead of a name waits until it holds
   * (checked before every event); the trace then shows `vwait condition`, which Tcl has no
   * word for.
   */
  vwait(this: Interp<BlockingDriver>, name: VwaitTarget, options: VwaitOptions = {}): void {
    checkOptions('vwait options', options);
    this.traced(() => `vwait ${vwaitLabel(name)}`, () => {
      blockingDriverOf(this.driver, 'vwait');
      this.loop.vwait(name, options);
      return '';
    });
  }

  /**
   * `vwait label` for a waiter that owns its variables (the Tcl interpreter, src/tcl): waits
   * until `done()` holds, traced as `vwait <label>` like `vwait name`.
   */
  vwaitFor(this: Interp<BlockingDriver>, label: string, done: () => boolean, options: VwaitOptions = {}): void {
    this.traced(`vwait ${label}`, () => {
      blockingDriverOf(this.driver, 'vwait');
      this.loop.vwait(done, options);
      return '';
    });
  }

  /** Promise form of `vwaitFor` (every driver). */
  vwaitForAsync(label: string, done: () => boolean, options: VwaitOptions = {}): Promise<void> {
    return this.tracedAsync(`vwait ${label}`, async () => {
      await this.loop.vwaitAsync(done, options);
    });
  }

  /** Promise form of `vwait` (every driver). */
  vwaitAsync(name: VwaitTarget, options: VwaitOptions = {}): Promise<void> {
    return rejectedIf(() => checkOptions('vwait options', options)) ?? this.tracedAsync(`vwait ${vwaitLabel(name)}`, async () => {
      await this.loop.vwaitAsync(name, options);
    });
  }

  /** `after ms` (needs a blocking driver): sleeps without servicing events; the world runs on. */
  after(this: Interp<BlockingDriver>, ms: number): void {
    checkNumber('after ms', ms);
    this.traced(`after ${ms}`, () => {
      const driver = blockingDriverOf(this.driver, 'after');
      const clock = driver.clock;
      const target = clock.now() + ms;
      clock.setTimer(ms, () => undefined, `sleep ${ms}`);
      driver.runUntil(() => clock.now() >= target);
      return '';
    });
  }

  /** Promise form of `after ms` (every driver). */
  afterAsync(ms: number): Promise<void> {
    return rejectedIf(() => checkNumber('after ms', ms)) ?? this.tracedAsync(`after ${ms}`, () => {
      return new Promise<void>((resolve) => this.driver.clock.setTimer(ms, () => resolve(), `sleep ${ms}`));
    });
  }

  /** `after ms script`: returns the `after#N` id. */
  afterScript(ms: number, script: Script): string {
    checkNumber('after ms', ms);
    checkScript('after script', script);
    return this.traced(() => `after ${ms} ${tclQuote(script.text)}`, () =>
      this.loop.after(ms, () => void this.handlers.guard(script.run, `after ${ms}`), script.text),
    );
  }

  /** `after cancel id`. */
  afterCancel(id: string): void {
    checkName('after cancel id', id);
    this.traced(`after cancel ${id}`, () => {
      this.loop.cancel(id);
      return '';
    });
  }

  /** `set name value` (wakes a `vwait name`). */
  set(name: string, value = '1'): void {
    checkName('set variable name', name);
    checkName('set value', value);
    this.loop.set(name, value);
  }

  /** Value of a variable set with `set`. */
  get(name: string): string | undefined {
    checkName('get variable name', name);
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
    checkName('channel name', name);
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

// Type-only shape check of `Interp`: an `implements` clause would reach the .d.ts, where these members are stripped.
type _Conforms<T extends ChannelHost = Interp<BlockingDriver>> = T;
