/**
 * `NodeListener`: a `DriverListener` (`socket -server`) over one or two Node servers.
 *
 * Owns: binding the listening address(es), the accept queue, READABLE while a connection
 * waits, and closing. A wildcard listener binds `0.0.0.0` and then `::` (IPV6_V6ONLY) on the
 * same port, as Tcl binds every address of its passive list; a bind that fails on one family
 * is skipped as long as another succeeded (Tcl does the same). It never imports `node:*`:
 * node-driver.ts passes a server factory (servers created with `pauseOnConnect` and
 * `allowHalfOpen`) and a function that wraps an accepted Node socket in a `NodeSocket`.
 *
 * Departs from reality:
 * - Node binds asynchronously, so the port of a port-0 listener is known only once `ready`
 *   has resolved; `localAddress()` throws `ERR_LISTENER_NOT_READY` before that, and a bind
 *   failure (EADDRINUSE, ...) rejects `ready` instead of being thrown by `listen`.
 * - Node accepts connections eagerly, so the accept queue here is unbounded: a full backlog
 *   (SYNs dropped, connects held in flight) cannot be reproduced with the Node driver.
 * - Accepted connections are paused until `accept()` takes them, so their data waits in the
 *   kernel as it would before accept(2).
 */
import { DetnetError } from '../errors.js';
import { READABLE } from '../loop/notifier.js';
import { tryParseAddress } from '../net/address.js';
import { NetError } from '../net/net-error.js';
import type { SockAddr } from '../net/sock-addr.js';
import type { DriverListener, HostAddr } from './driver.js';
import { errnoFromNode } from './node-errors.js';
import type { NodeSocket, NodeStreamLike } from './node-socket.js';

/** The part of `net.Server` the driver uses. */
export interface NodeServerLike {
  on(event: string, listener: (...args: never[]) => void): unknown;
  once(event: string, listener: (...args: never[]) => void): unknown;
  listen(options: { port: number; host: string; backlog: number; ipv6Only: boolean }): unknown;
  address(): { address: string; port: number } | string | null;
  close(): unknown;
}

export interface NodeListenerOptions {
  readonly name: string;
  /** Addresses to bind, in order (wildcard: `0.0.0.0` then `::`). */
  readonly addresses: readonly HostAddr[];
  readonly port: number;
  readonly backlog: number;
  readonly createServer: () => NodeServerLike;
  /** Wraps an accepted connection (the driver names and tracks it). */
  readonly wrap: (raw: NodeStreamLike) => NodeSocket;
}

type ListenerState = 'binding' | 'listening' | 'failed' | 'closed';

export class NodeListener implements DriverListener {
  readonly name: string;
  /**
   * Resolves once every address is bound (or skipped); rejects with a `NetError` if none
   * could be, or with `ERR_LISTENER_CLOSED` if the listener was closed first.
   */
  readonly ready: Promise<void>;
  private state: ListenerState = 'binding';
  private readonly bound: SockAddr[] = [];
  private readonly servers: { readonly server: NodeServerLike; readonly closed: Promise<void> }[] = [];
  private readonly queue: NodeSocket[] = [];
  private readonly listeners = new Set<() => void>();
  private failure: NetError | undefined;

  constructor(private readonly options: NodeListenerOptions) {
    this.name = options.name;
    this.ready = this.bindAll();
    this.ready.catch(() => undefined); // a caller that never awaits `ready` must not crash the process
  }

  private async bindAll(): Promise<void> {
    let port = this.options.port;
    let lastError: unknown;
    for (const addr of this.options.addresses) {
      if (this.isClosed()) break;
      const server = this.options.createServer();
      server.on('connection', (raw: NodeStreamLike) => this.onConnection(raw));
      try {
        await this.listenOn(server, { port, host: addr.address, backlog: this.options.backlog, ipv6Only: addr.family === 'inet6' });
      } catch (err) {
        lastError = err;
        continue;
      }
      // Errors of a listening server (a failed accept(2)) leave the queue as it is: ignore them.
      server.on('error', () => undefined);
      const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
      this.servers.push({ server, closed });
      const info = server.address();
      const parsed = typeof info === 'object' && info !== null ? tryParseAddress(info.address) : null;
      if (typeof info === 'object' && info !== null && parsed !== null) {
        this.bound.push({ family: parsed.family, address: parsed.address, port: info.port });
        if (port === 0) port = info.port; // the other family binds the same port, as Tcl does
      }
      if (this.isClosed()) server.close(); // closed while this bind was in flight
    }
    if (this.isClosed()) throw new DetnetError('ERR_LISTENER_CLOSED', `${this.name} was closed before it was listening`);
    if (this.bound.length === 0) {
      const first = this.options.addresses[0];
      this.failure = new NetError(errnoFromNode(lastError, 'EADDRNOTAVAIL'), {
        syscall: 'listen',
        port: this.options.port,
        ...(first === undefined ? {} : { address: first.address }),
      });
      this.state = 'failed';
      throw this.failure;
    }
    this.state = 'listening';
  }

  /** A method, not a field test, so the compiler does not narrow `state` across awaits. */
  private isClosed(): boolean {
    return this.state === 'closed';
  }

  private listenOn(server: NodeServerLike, options: { port: number; host: string; backlog: number; ipv6Only: boolean }): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      // Whichever comes first settles; the other `once` handler stays attached but is inert.
      server.once('listening', () => resolve());
      server.once('error', (err: Error) => reject(err));
      server.listen(options);
    });
  }

  private onConnection(raw: NodeStreamLike): void {
    if (this.state === 'closed') {
      raw.destroy();
      return;
    }
    const socket = this.options.wrap(raw);
    this.queue.push(socket);
    if (this.queue.length === 1) this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  readiness(): number {
    return this.state !== 'closed' && this.queue.length > 0 ? READABLE : 0;
  }

  onReadinessChange(listener: () => void): () => void {
    const wrapped = (): void => listener();
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }

  /** The bound address (IPv4 first for a wildcard listener). */
  localAddress(): SockAddr {
    const first = this.bound[0];
    if (first !== undefined) return first;
    if (this.state === 'failed') {
      throw new DetnetError('ERR_LISTENER_FAILED', `${this.name} could not listen: ${this.failure?.message ?? 'unknown'}`, {
        cause: this.failure,
      });
    }
    const wanted = this.options.addresses[0];
    if (this.options.port !== 0 && wanted !== undefined) return { ...wanted, port: this.options.port };
    throw new DetnetError(
      'ERR_LISTENER_NOT_READY',
      `${this.name} has no port yet: await listener.ready (or use listenAsync) before asking for its address`,
    );
  }

  accept(): NodeSocket | null {
    if (this.state === 'closed') return null;
    const socket = this.queue.shift();
    if (socket === undefined) return null;
    socket.startReading();
    if (this.queue.length === 0) this.notify();
    return socket;
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.listeners.clear();
    for (const { server } of this.servers) server.close();
    for (const socket of this.queue.splice(0)) socket.release();
  }

  /** Resolves once Node has closed every server this listener bound (and `ready` settled). */
  async released(): Promise<void> {
    await this.ready.catch(() => undefined);
    await Promise.all(this.servers.map((s) => s.closed));
  }
}
