/**
 * A scripted driver for channel tests: each remote address has a planned fate (refuse, accept,
 * fail at once, never answer) after a chosen delay, on a VirtualClock. It is the "dummy channel
 * driver" the seed page proposes for testing, kept independent of src/sim so that channel
 * semantics can be tested on their own.
 *
 * Sockets bind at once: `getsockname` answers while connecting too, with the bound address and
 * an ephemeral port 40000 + the socket's number. A `fail` fate or a bind error is an attempt
 * `openAttempt` returns as `failed`, with the unconnected socket Linux leaves (an
 * `UnconnectedSocket`, not listed in `sockets`, which holds the attempts that went in flight). Tests may reach into a socket (`sockets[i]`)
 * to reset the peer, record a pending SO_ERROR, limit write room, or make `getsockname` fail.
 * The clock's tie-breaker can be chosen, so property suites can explore same-instant orders.
 */
import type { TieBreaker } from '../../src/clock/tie-breaker.js';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { READABLE, WRITABLE } from '../../src/loop/notifier.js';
import { NetError, type Errno } from '../../src/net/net-error.js';
import type { SockAddr } from '../../src/net/sock-addr.js';
import type { AttemptResult, BlockingDriver, DriverListener, DriverSocket, HostAddr } from '../../src/socket/driver.js';
import { UnconnectedSocket } from '../../src/socket/unconnected-socket.js';
import type { Interp, Script } from '../../src/socket/interp.js';
import { TclError } from '../../src/socket/tcl-error.js';

export type Fate =
  | { readonly kind: 'refuse'; readonly afterMs?: number }
  | { readonly kind: 'accept'; readonly afterMs?: number; readonly reply?: string; readonly replyAfterMs?: number; readonly closeAfterReply?: boolean }
  | { readonly kind: 'fail'; readonly error: Errno }
  | { readonly kind: 'error'; readonly error: Errno; readonly afterMs?: number }
  | { readonly kind: 'silent' };

export class ScriptedSocket implements DriverSocket {
  readonly name: string;
  private listeners = new Set<() => void>();
  private state: 'connecting' | 'connected' | 'failed' | 'closed' = 'connecting';
  private soError: Errno | null = null;
  private inbox: Uint8Array[] = [];
  private peerClosed = false;
  private peerGone = false;
  /** Everything written to this socket, as text. */
  sent = '';
  /** Bytes the socket accepts per write before reporting "would block" (Infinity = all). */
  writeRoom = Infinity;
  /** When set, `getsockname` fails (localAddress() returns null). */
  hideLocalAddress = false;

  constructor(
    readonly remote: SockAddr,
    readonly local: SockAddr,
    readonly id: number,
  ) {
    this.name = `scripted/${id}`;
  }
  readiness(): number {
    switch (this.state) {
      case 'connecting':
      case 'closed':
        return 0;
      case 'failed':
        return READABLE | WRITABLE;
      case 'connected':
        if (this.peerGone) return READABLE | WRITABLE;
        return WRITABLE | (this.inbox.length > 0 || this.peerClosed ? READABLE : 0);
    }
  }
  onReadinessChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  private changed(): void {
    for (const l of [...this.listeners]) l();
  }
  connectSucceeded(): void {
    if (this.state !== 'connecting') return;
    this.state = 'connected';
    this.changed();
  }
  connectFailed(error: Errno): void {
    if (this.state !== 'connecting') return;
    this.state = 'failed';
    this.soError = error;
    this.changed();
  }
  deliver(text: string): void {
    if (this.state !== 'connected') return;
    this.inbox.push(new TextEncoder().encode(text));
    this.changed();
  }
  peerClose(): void {
    if (this.state !== 'connected') return;
    this.peerClosed = true;
    this.changed();
  }
  /** The peer reset the connection: reads see ECONNRESET, writes EPIPE. */
  peerReset(): void {
    if (this.state !== 'connected') return;
    this.peerGone = true;
    this.changed();
  }
  /** Records a pending SO_ERROR, as the kernel does for an asynchronous error. */
  raiseSoError(error: Errno): void {
    this.soError = error;
  }
  get isClosed(): boolean {
    return this.state === 'closed';
  }
  takeError(): Errno | null {
    const e = this.soError;
    this.soError = null;
    return e;
  }
  localAddress(): SockAddr | null {
    if (this.hideLocalAddress || this.state === 'closed') return null;
    return { ...this.local, port: this.ephemeralPort };
  }
  /** The port the socket was bound to: `-myport`, else 40000 + its number. */
  get ephemeralPort(): number {
    return this.local.port !== 0 ? this.local.port : 40000 + this.id;
  }
  remoteAddress(): SockAddr | null {
    return this.state === 'connected' ? this.remote : null;
  }
  read(max: number): Uint8Array | 'eagain' | 'eof' {
    if (this.state !== 'connected') throw new NetError('ENOTCONN', { syscall: 'recv' });
    if (this.peerGone) throw new NetError('ECONNRESET', { syscall: 'recv' });
    const chunk = this.inbox.shift();
    if (chunk === undefined) return this.peerClosed ? 'eof' : 'eagain';
    if (chunk.length > max) {
      this.inbox.unshift(chunk.subarray(max));
      return chunk.subarray(0, max);
    }
    return chunk;
  }
  write(data: Uint8Array): number {
    if (this.state !== 'connected') throw new NetError('ENOTCONN', { syscall: 'send' });
    if (this.peerGone) throw new NetError('EPIPE', { syscall: 'send' });
    const n = Math.min(data.length, this.writeRoom);
    this.sent += new TextDecoder().decode(data.subarray(0, n));
    return n;
  }
  close(): void {
    this.state = 'closed';
    this.listeners.clear();
  }
}

export class ScriptedDriver implements BlockingDriver {
  readonly kind = 'sim' as const;
  readonly clock: VirtualClock;
  readonly sockets: ScriptedSocket[] = [];
  private readonly names = new Map<string, HostAddr[]>();
  private readonly fates = new Map<string, Fate>();
  private readonly bindErrors = new Map<string, Errno>();

  constructor(options: { readonly tieBreaker?: TieBreaker } = {}) {
    this.clock = new VirtualClock(options.tieBreaker === undefined ? {} : { tieBreaker: options.tieBreaker });
  }

  /** `name` resolves to `addresses` in this order. */
  dns(name: string, addresses: readonly string[]): this {
    this.names.set(name, addresses.map((a) => ({ family: a.includes(':') ? 'inet6' : 'inet', address: a })));
    return this;
  }
  /** Binding to the local `address` fails with `error` (e.g. EADDRNOTAVAIL for a foreign -myaddr). */
  bindError(address: string, error: Errno): this {
    this.bindErrors.set(address, error);
    return this;
  }
  /** Connects to `address` meet `fate`. Unplanned addresses are refused after 1 ms. */
  fate(address: string, fate: Fate): this {
    this.fates.set(address, fate);
    return this;
  }
  resolve(host: string): readonly HostAddr[] {
    const known = this.names.get(host);
    if (known !== undefined) return known;
    if (/^[\d.]+$/.test(host)) return [{ family: 'inet', address: host }];
    if (host.includes(':')) return [{ family: 'inet6', address: host }];
    throw new NetError('ENOTFOUND', { syscall: 'getaddrinfo', message: 'Name or service not known' });
  }
  resolveAsync(host: string): Promise<readonly HostAddr[]> {
    return Promise.resolve(this.resolve(host));
  }
  resolvePassive(myaddr: string | undefined): readonly HostAddr[] {
    if (myaddr === undefined) return [{ family: 'inet', address: '0.0.0.0' }, { family: 'inet6', address: '::' }];
    return this.resolve(myaddr);
  }
  resolvePassiveAsync(myaddr: string | undefined): Promise<readonly HostAddr[]> {
    return Promise.resolve(this.resolvePassive(myaddr));
  }
  openAttempt(remote: SockAddr, local: SockAddr): AttemptResult {
    // A failure at once leaves an unconnected socket (not counted in `sockets`, which holds the
    // attempts that went in flight): unbound if the bind failed, else bound to `local`.
    const bindError = this.bindErrors.get(local.address);
    if (bindError !== undefined) return { kind: 'failed', error: bindError, socket: leftover(remote, null) };
    const fate = this.fates.get(remote.address) ?? { kind: 'refuse', afterMs: 1 };
    if (fate.kind === 'fail') return { kind: 'failed', error: fate.error, socket: leftover(remote, local) };
    const socket = new ScriptedSocket(remote, local, this.sockets.length + 1);
    this.sockets.push(socket);
    switch (fate.kind) {
      case 'refuse':
        this.clock.setTimer(fate.afterMs ?? 1, () => socket.connectFailed('ECONNREFUSED'), 'refuse');
        break;
      case 'error':
        this.clock.setTimer(fate.afterMs ?? 1, () => socket.connectFailed(fate.error), 'error');
        break;
      case 'accept': {
        const reply = fate.reply;
        this.clock.setTimer(fate.afterMs ?? 1, () => {
          socket.connectSucceeded();
          // Scheduled from the accept itself, so that no tie-breaker can put the reply first.
          if (reply === undefined) return;
          this.clock.setTimer(fate.replyAfterMs ?? 0, () => {
            socket.deliver(reply);
            if (fate.closeAfterReply) socket.peerClose();
          }, 'reply');
        }, 'accept');
        break;
      }
      case 'silent':
        break;
    }
    return { kind: 'started', socket };
  }
  listenAsync(): Promise<DriverListener> {
    return Promise.reject(new Error('the scripted driver has no listeners'));
  }
  listen(): DriverListener {
    throw new Error('the scripted driver has no listeners');
  }
  whileLive<T>(work: Promise<T>): Promise<T> {
    return work;
  }
  async settleAsync(): Promise<void> {
    this.settle();
  }
  settle(): void {
    this.clock.runWhile(this.clock.now(), () => true);
  }
  runUntil(done: () => boolean): boolean {
    this.clock.runWhile(Infinity, () => !done());
    return done();
  }
}

/** The socket a failed attempt leaves: bound to `local`, or never bound (null). */
function leftover(remote: SockAddr, local: SockAddr | null): UnconnectedSocket {
  return new UnconnectedSocket({ name: `scripted/unconnected ${remote.address}`, localAddress: () => local, close: () => undefined }, remote.family);
}

// ---- conveniences for channel tests ------------------------------------------------------------

/** One §13 observation line of an interpreter's trace, without time and kind. */
export type Observation = Readonly<Record<string, unknown>>;

/** The §13 observation lines recorded so far (`{op, result}`, `{op, error, errorcode}`, `{event, chan, during}`). */
export function observations(interp: Interp): Observation[] {
  return interp.trace.ofKind('obs').map(({ t: _t, kind: _k, ...rest }) => rest);
}

/** The fileevent deliveries recorded so far, as `kind@during`. */
export function events(interp: Interp): string[] {
  return observations(interp)
    .filter((o) => o['event'] !== undefined)
    .map((o) => `${String(o['event'])}@${String(o['during'])}`);
}

/** Runs `fn`, which must throw a `TclError`, and returns that error. */
export function tclErrorOf(fn: () => unknown): TclError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TclError) return err;
    throw err;
  }
  throw new Error('expected a TclError, but the command succeeded');
}

/** A fileevent script that counts its runs and, if `removeAfter` is set, removes itself after that many. */
export class CountingScript implements Script {
  runs = 0;
  constructor(
    readonly text: string,
    private readonly onRun: (self: CountingScript) => void = () => undefined,
  ) {}
  readonly run = (): void => {
    this.runs++;
    this.onRun(this);
  };
}
