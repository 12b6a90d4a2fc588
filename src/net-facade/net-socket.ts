/**
 * `Socket`: Node's `net.Socket` on a simulated host — a real `stream.Duplex` whose connect is
 * Node's connect machine (connect-driver.ts) and whose bytes travel as a `SimSocket`.
 *
 * Owns: `connect()` and its argument forms, the data path once connected (reads pulled from the
 * simulated socket as the stream asks, writes pushed as its send buffer has room, `end()` as a
 * FIN after the queued data), half-close (`allowHalfOpen`), `destroy()`, `setTimeout` (the
 * machine's idle timer, refreshed by activity), the accepted side of a server connection, the
 * address getters and `bytesRead`/`bytesWritten`. Errors reach users as Node builds them.
 *
 * Does not: decide the connect (the machine does) or listen (net-server.ts).
 *
 * Departs from Node: `setNoDelay`, `setKeepAlive`, `ref` and `unref` are accepted and do
 * nothing (the simulated TCP has no Nagle and no keep-alive probes); `localAddress`/`localPort`
 * connect options and IPC paths are refused with ERR_NOT_SUPPORTED (never ignored); a socket
 * cannot be connected a second time (ERR_SOCKET_REUSED). Stream internals (the 'end' and
 * 'finish' events, flowing mode) use the host's `process.nextTick`, so a socket must run under
 * `runAsync` (run-async.ts), which lets those settle between world events.
 */
import { Duplex } from 'node:stream';
import type { TimerId } from '../clock/clock.js';
import { NetError } from '../net/net-error.js';
import type { Host } from '../sim/host.js';
import type { SimSocket } from '../sim/sim-socket.js';
import type { World } from '../sim/world.js';
import type { NodeProfile } from '../socket/node-profiles.js';
import { listenerArgs, type NodeSocketEvent } from '../socket/node-socket-events.js';
import { ConnectDriver, type LookupFunction } from './connect-driver.js';
import { nodeCodedError, systemError } from './net-errors.js';
import type { TaskQueue } from './task-queue.js';

/** What every socket and server of one facade module shares. */
export interface FacadeContext {
  readonly world: World;
  readonly host: Host;
  readonly tasks: TaskQueue;
  /** The Node version whose connect machine runs (mutable defaults: `setDefaultAutoSelectFamily`). */
  profile: NodeProfile;
}

/** `new net.Socket(options)`. */
export interface SocketOptions {
  /** Keep the writable side open after the peer's FIN (default false: end it too). */
  readonly allowHalfOpen?: boolean;
}

/** `socket.connect(options)` / `net.connect(options)`. */
export interface SocketConnectOptions {
  readonly port: number | string;
  readonly host?: string;
  readonly family?: number | string;
  readonly hints?: number;
  readonly autoSelectFamily?: boolean;
  readonly autoSelectFamilyAttemptTimeout?: number;
  /** A Node-style lookup; default: the world's DNS seen from this host. */
  readonly lookup?: LookupFunction;
  /** `socket.setTimeout(timeout)` before connecting. */
  readonly timeout?: number;
  readonly noDelay?: boolean;
  readonly keepAlive?: boolean;
  readonly keepAliveInitialDelay?: number;
  readonly allowHalfOpen?: boolean;
  readonly localAddress?: string | null;
  readonly localPort?: number | null;
  readonly path?: string | null;
}

type Callback = (err?: Error | null) => void;

const READ_CHUNK = 65536;

/** Node's `net.Socket` on a simulated host (construct through a facade module: `net.Socket`). */
export class SimNetSocket extends Duplex {
  private driver: ConnectDriver | null = null;
  private sim: SimSocket | null = null;
  private unsubscribe: (() => void) | null = null;
  private wantRead = false;
  private eofPushed = false;
  private pumping = false;
  private again = false;
  private pendingWrite: { data: Uint8Array; offset: number; cb: Callback } | null = null;
  private pendingFinal: Callback | null = null;
  private teardown = false;
  private idleMs = 0;
  private idleTimer: TimerId | null = null;
  private peer: { address: string; port: number; family: string } | null = null;
  private own: { address: string; port: number; family: string } | null = null;
  private written = 0;
  /** Bytes received so far. */
  bytesRead = 0;
  /** The idle timeout set by `setTimeout` (undefined before). */
  timeout: number | undefined;

  constructor(
    private readonly ctx: FacadeContext,
    options: SocketOptions = {},
  ) {
    super({ allowHalfOpen: options.allowHalfOpen ?? false, emitClose: false, autoDestroy: true });
  }

  /** @internal The server side of an accepted connection. */
  attachAccepted(sim: SimSocket): this {
    this.takeOver(sim);
    return this;
  }

  // ---- connect ---------------------------------------------------------------------------------

  /**
   * `socket.connect(options[, listener])` or `socket.connect(port[, host][, listener])`.
   * Bad options throw at once with Node's codes (ERR_SOCKET_BAD_PORT, ERR_INVALID_ARG_TYPE …).
   */
  connect(...args: unknown[]): this {
    const [options, listener] = normaliseConnectArgs(args);
    // Node treats any truthy `path` as IPC (http.Agent passes `path: null`).
    if (options.path !== undefined && options.path !== null && options.path !== '') throw nodeCodedError('ERR_NOT_SUPPORTED', 'net facade: IPC paths are not simulated');
    if ((options.localAddress ?? undefined) !== undefined || (options.localPort ?? undefined) !== undefined) {
      throw nodeCodedError('ERR_NOT_SUPPORTED', 'net facade: localAddress/localPort are not simulated');
    }
    if (this.driver !== null || this.sim !== null) throw nodeCodedError('ERR_SOCKET_REUSED', 'net facade: a socket connects once; make a new one');
    const driver = new ConnectDriver(
      {
        world: this.ctx.world,
        host: this.ctx.host,
        tasks: this.ctx.tasks,
        emit: (event) => this.emitMachineEvent(event),
        connected: (sim) => this.takeOver(sim),
        finished: () => this.machineFinished(),
      },
      {
        port: options.port,
        ...(options.host === undefined ? {} : { host: options.host }),
        ...(options.family === undefined ? {} : { family: options.family }),
        ...(options.hints === undefined ? {} : { hints: options.hints }),
        ...(options.autoSelectFamily === undefined ? {} : { autoSelectFamily: options.autoSelectFamily }),
        ...(options.autoSelectFamilyAttemptTimeout === undefined ? {} : { autoSelectFamilyAttemptTimeout: options.autoSelectFamilyAttemptTimeout }),
      },
      this.ctx.profile,
      options.lookup,
    );
    this.driver = driver;
    if (listener !== undefined) this.once('connect', listener);
    driver.start();
    if (options.timeout !== undefined) this.setTimeout(options.timeout);
    else if (this.idleMs > 0) driver.setIdleTimeout(this.idleMs);
    return this;
  }

  private emitMachineEvent(event: NodeSocketEvent): void {
    this.emit(event.name, ...listenerArgs(event));
  }

  /** The machine closed the socket (a failed connect, or after destroy): tear the stream down. */
  private machineFinished(): void {
    if (this.destroyed) return;
    this.teardown = true;
    try {
      this.destroy();
    } finally {
      this.teardown = false;
    }
  }

  private takeOver(sim: SimSocket): void {
    this.sim = sim;
    const local = sim.localAddress();
    const remote = sim.connectedTo();
    if (local !== null) this.own = { address: local.address, port: local.port, family: local.family === 'inet' ? 'IPv4' : 'IPv6' };
    if (remote !== null) this.peer = { address: remote.address, port: remote.port, family: remote.family === 'inet' ? 'IPv4' : 'IPv6' };
    this.unsubscribe = sim.onReadinessChange(() => this.pump());
    // Writes made while connecting go out after 'connect', as Node's do; and, as Node's
    // afterConnect and onconnection do, start reading (`read(0)`) so an EOF is noticed even if
    // nobody consumes data.
    this.ctx.tasks.nextTick(() => {
      this.pump();
      if (!this.destroyed && !this.isPaused()) this.read(0);
    });
  }

  // ---- the data path ---------------------------------------------------------------------------

  /** Moves bytes between the stream and the simulated socket as far as both allow. */
  private pump(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        this.pumpOnce();
      } while (this.again);
    } finally {
      this.pumping = false;
    }
  }

  private pumpOnce(): void {
    const sim = this.sim;
    if (sim === null || sim.closed) return;
    const w = this.pendingWrite;
    if (w !== null) {
      let n: number;
      try {
        n = sim.write(w.offset === 0 ? w.data : w.data.subarray(w.offset));
      } catch (err) {
        this.pendingWrite = null;
        w.cb(this.netError('write', err));
        return;
      }
      w.offset += n;
      this.written += n;
      if (n > 0) this.activity();
      if (w.offset >= w.data.length) {
        this.pendingWrite = null;
        w.cb();
      }
    }
    const f = this.pendingFinal;
    if (this.pendingWrite === null && f !== null) {
      this.pendingFinal = null;
      try {
        sim.shutdown();
      } catch (err) {
        f(this.netError('shutdown', err));
        return;
      }
      f();
    }
    while (this.wantRead && !this.eofPushed && !this.destroyed) {
      let r: Uint8Array | 'eagain' | 'eof';
      try {
        r = sim.read(READ_CHUNK);
      } catch (err) {
        this.destroy(this.netError('read', err));
        return;
      }
      if (r === 'eagain') break;
      if (r === 'eof') {
        this.eofPushed = true;
        this.push(null);
        // As Node's onStreamRead does at EOF: a read(0) lets 'end' come out of a paused stream
        // whose buffer is empty.
        this.read(0);
        break;
      }
      this.bytesRead += r.length;
      this.activity();
      this.wantRead = this.push(Buffer.from(r.buffer, r.byteOffset, r.byteLength));
    }
  }

  private netError(syscall: string, err: unknown): Error {
    if (err instanceof NetError) return systemError(syscall, err.code);
    return err instanceof Error ? err : new Error(String(err));
  }

  override _read(): void {
    this.wantRead = true;
    if (this.sim !== null) this.pump();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, cb: Callback): void {
    if (this.sim === null && !this.connecting) {
      cb(nodeCodedError('ERR_SOCKET_CLOSED', 'Socket is closed'));
      return;
    }
    const write = { data: chunk, offset: 0, cb };
    this.pendingWrite = write;
    if (this.sim !== null) {
      this.pump();
      return;
    }
    // As Node's _writeGeneric: a write made while connecting goes out from a 'connect' listener,
    // and fails from a 'close' listener (both added now, so they run after earlier listeners).
    const onClose = (): void => {
      if (this.pendingWrite !== write) return;
      this.pendingWrite = null;
      cb(nodeCodedError('ERR_SOCKET_CLOSED_BEFORE_CONNECTION', 'Socket closed before the connection was established'));
    };
    this.once('close', onClose);
    this.once('connect', () => {
      this.off('close', onClose);
      this.pump();
    });
  }

  override _final(cb: Callback): void {
    if (this.sim === null && !this.connecting) {
      cb();
      return;
    }
    this.pendingFinal = cb;
    if (this.sim !== null) this.pump();
    else this.once('connect', () => this.pump());
  }

  override _destroy(err: Error | null, cb: Callback): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.clearOwnIdle();
    if (this.teardown) {
      cb(null);
      return;
    }
    if (this.driver !== null) {
      // The machine closes the handle and owes 'error' (next tick) and 'close' (close phase).
      this.driver.destroy(err ?? undefined);
    } else {
      this.sim?.close();
      if (err !== null) this.ctx.tasks.nextTick(() => this.emit('error', err));
      this.ctx.tasks.closePhase(() => this.emit('close', err !== null));
    }
    cb(null);
  }

  // ---- timeouts and activity -----------------------------------------------------------------

  /**
   * `socket.setTimeout(ms[, callback])`: 'timeout' after `ms` of world time without activity
   * (0 disarms). The callback is added as a one-time 'timeout' listener (removed when ms is 0).
   */
  setTimeout(ms: number, callback?: () => void): this {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw nodeCodedError('ERR_OUT_OF_RANGE', `The value of "msecs" is out of range. It must be a non-negative finite number. Received ${String(ms)}`, RangeError);
    }
    if (callback !== undefined) {
      if (ms === 0) this.removeListener('timeout', callback);
      else this.once('timeout', callback);
    }
    this.idleMs = ms;
    this.timeout = ms;
    if (this.driver !== null) this.driver.setIdleTimeout(ms);
    else if (this.sim !== null) this.armOwnIdle();
    return this;
  }

  private activity(): void {
    if (this.driver !== null) this.driver.activity();
    else if (this.idleMs > 0) this.armOwnIdle();
  }

  private armOwnIdle(): void {
    this.clearOwnIdle();
    if (this.idleMs === 0 || this.destroyed) return;
    this.idleTimer = this.ctx.world.clock.setTimer(this.idleMs, () => {
      this.idleTimer = null;
      this.emit('timeout');
    }, 'net:idle-timeout');
  }

  private clearOwnIdle(): void {
    if (this.idleTimer !== null) this.ctx.world.clock.clearTimer(this.idleTimer);
    this.idleTimer = null;
  }

  // ---- accepted options and getters --------------------------------------------------------------

  /** Accepted; the simulated TCP has no Nagle delay. */
  setNoDelay(_noDelay?: boolean): this {
    return this;
  }

  /** Accepted; the simulated TCP sends no keep-alive probes. */
  setKeepAlive(_enable?: boolean, _initialDelay?: number): this {
    return this;
  }

  /** Accepted; nothing keeps a simulated world alive. */
  ref(): this {
    return this;
  }

  /** Accepted; nothing keeps a simulated world alive. */
  unref(): this {
    return this;
  }

  /** Node's `socket.connecting`: true from `connect()` until 'connect' or the end of the walk. */
  get connecting(): boolean {
    return this.driver?.connecting ?? false;
  }

  /** Node's `socket.pending`: not connected yet. */
  get pending(): boolean {
    return this.sim === null || this.connecting;
  }

  /** 'opening', 'open', 'readOnly', 'writeOnly' or 'closed'. */
  get readyState(): string {
    if (this.connecting) return 'opening';
    if (this.readable && this.writable) return 'open';
    if (this.readable) return 'readOnly';
    if (this.writable) return 'writeOnly';
    return 'closed';
  }

  get remoteAddress(): string | undefined {
    return this.peer?.address;
  }

  get remotePort(): number | undefined {
    return this.peer?.port;
  }

  get remoteFamily(): string | undefined {
    return this.peer?.family;
  }

  get localAddress(): string | undefined {
    return this.own?.address;
  }

  get localPort(): number | undefined {
    return this.own?.port;
  }

  get localFamily(): string | undefined {
    return this.own?.family;
  }

  /** Bytes handed to the simulated socket so far. */
  get bytesWritten(): number {
    return this.written;
  }

  /** `{ address, family, port }` of the local end, `{}` before it has one. */
  address(): { address: string; family: string; port: number } | Record<string, never> {
    return this.own === null ? {} : { ...this.own };
  }

  /** The `address:port` of every attempt the walk made (Node's `autoSelectFamilyAttemptedAddresses`). */
  get autoSelectFamilyAttemptedAddresses(): readonly string[] {
    return this.driver?.attempted ?? [];
  }
}

/** Node's `normalizeArgs` for connect: `(options[, cb])` or `(port[, host][, cb])`. */
function normaliseConnectArgs(args: readonly unknown[]): [SocketConnectOptions, (() => void) | undefined] {
  const last = args[args.length - 1];
  const cb = typeof last === 'function' ? (last as () => void) : undefined;
  const first = args[0];
  if (first !== null && typeof first === 'object') return [first as SocketConnectOptions, cb];
  if (typeof first === 'string' && !/^\s*\d+\s*$/.test(first)) return [{ path: first, port: 0 }, cb];
  const host = typeof args[1] === 'string' ? args[1] : undefined;
  return [{ port: first as number, ...(host === undefined ? {} : { host }) }, cb];
}
