/**
 * `Server`: Node's `net.Server` on a simulated host.
 *
 * Owns: `listen()` and its argument forms (port 0 = ephemeral; no host = dual-stack wildcard,
 * as Node's `::`), 'listening' on the next tick, EADDRINUSE/EADDRNOTAVAIL as an 'error' event
 * shaped as Node's (`listen EADDRINUSE: address already in use :::80`), accepting every queued
 * connection as a facade `Socket` and emitting 'connection', `address()`, `close()` ('close'
 * once the last connection closed), `getConnections`.
 *
 * Does not: own sockets after accepting them (net-socket.ts does).
 *
 * Departs from Node: `maxConnections`, `pauseOnConnect`, `ref`/`unref` are accepted and do
 * nothing; a host name to listen on is looked up in the host's hosts file only (`localhost`).
 */
import { EventEmitter } from 'node:events';
import { tryParseAddress } from '../net/address.js';
import { NetError } from '../net/net-error.js';
import type { SimListener } from '../sim/sim-listener.js';
import { nodeCodedError, systemError } from './net-errors.js';
import { SimNetSocket, type FacadeContext, type SocketOptions } from './net-socket.js';

/** `net.createServer(options)`. */
export interface ServerOptions extends SocketOptions {
  readonly pauseOnConnect?: boolean;
}

/** `server.listen(options)`. */
export interface ListenOptions {
  readonly port?: number;
  readonly host?: string;
  readonly backlog?: number;
}

const DETAIL: Readonly<Record<string, string>> = { EADDRINUSE: 'address already in use', EADDRNOTAVAIL: 'address not available' };

/** Node's `net.Server` on a simulated host (construct through a facade module). */
export class SimNetServer extends EventEmitter {
  private listener: SimListener | null = null;
  private unsubscribe: (() => void) | null = null;
  private connections = 0;
  private closing = false;
  /** Accepted; not enforced. */
  maxConnections: number | undefined;

  constructor(
    private readonly ctx: FacadeContext,
    private readonly options: ServerOptions = {},
    connectionListener?: (socket: SimNetSocket) => void,
  ) {
    super();
    if (connectionListener !== undefined) this.on('connection', connectionListener);
  }

  /** Whether the server is listening. */
  get listening(): boolean {
    return this.listener !== null;
  }

  /** `listen([port[, host[, backlog]]][, cb])` or `listen(options[, cb])`. */
  listen(...args: unknown[]): this {
    const last = args[args.length - 1];
    const cb = typeof last === 'function' ? (last as () => void) : undefined;
    const rest = cb === undefined ? args : args.slice(0, -1);
    const opts: ListenOptions =
      rest[0] !== null && typeof rest[0] === 'object'
        ? (rest[0] as ListenOptions)
        : {
            ...(rest[0] === undefined ? {} : { port: Number(rest[0]) }),
            ...(typeof rest[1] === 'string' ? { host: rest[1] } : {}),
            ...(typeof rest[1] === 'number' ? { backlog: rest[1] } : typeof rest[2] === 'number' ? { backlog: rest[2] } : {}),
          };
    if (this.listener !== null) throw nodeCodedError('ERR_SERVER_ALREADY_LISTEN', 'Listen method has been called more than once without closing.');
    const port = opts.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw nodeCodedError('ERR_SOCKET_BAD_PORT', `options.port should be >= 0 and < 65536. Received ${String(opts.port)}.`, RangeError);
    }
    if (cb !== undefined) this.once('listening', cb);
    const address = opts.host === undefined ? undefined : (tryParseAddress(opts.host)?.address ?? this.ctx.host.hostsEntry(opts.host)?.[0]);
    const { tasks } = this.ctx;
    if (opts.host !== undefined && address === undefined) {
      const host = opts.host;
      tasks.nextTick(() => this.emit('error', Object.assign(systemError('getaddrinfo', 'ENOTFOUND'), { message: `getaddrinfo ENOTFOUND ${host}`, hostname: host })));
      return this;
    }
    try {
      this.listener = this.ctx.host.listen({ port, ...(address === undefined ? {} : { address }), ...(opts.backlog === undefined ? {} : { backlog: opts.backlog }) });
    } catch (err) {
      if (!(err instanceof NetError)) throw err;
      const shown = address ?? '::';
      const detail = DETAIL[err.code];
      tasks.nextTick(() => this.emit('error', systemError('listen', err.code, { address: shown, port, ...(detail === undefined ? {} : { detail }) })));
      return this;
    }
    const listener = this.listener;
    this.unsubscribe = listener.onReadinessChange(() => this.acceptAll(listener));
    tasks.nextTick(() => this.emit('listening'));
    return this;
  }

  private acceptAll(listener: SimListener): void {
    for (let sim = listener.accept(); sim !== null; sim = listener.accept()) {
      const socket = new SimNetSocket(this.ctx, this.options.allowHalfOpen === undefined ? {} : { allowHalfOpen: this.options.allowHalfOpen }).attachAccepted(sim);
      this.connections++;
      socket.once('close', () => {
        this.connections--;
        this.maybeClosed();
      });
      this.emit('connection', socket);
    }
  }

  /** `{ address, family, port }` of the listening socket, or null when not listening. */
  address(): { address: string; family: string; port: number } | null {
    const l = this.listener;
    if (l === null) return null;
    const local = l.localAddress();
    return { address: local.address, family: local.family === 'inet' ? 'IPv4' : 'IPv6', port: local.port };
  }

  /** Stops accepting; 'close' (and `cb`) once every accepted connection has closed. */
  close(cb?: (err?: Error) => void): this {
    if (this.listener === null) {
      if (cb !== undefined) this.ctx.tasks.nextTick(() => cb(nodeCodedError('ERR_SERVER_NOT_RUNNING', 'Server is not running.')));
      return this;
    }
    if (cb !== undefined) this.once('close', cb);
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.listener.close();
    this.listener = null;
    this.closing = true;
    this.maybeClosed();
    return this;
  }

  private maybeClosed(): void {
    if (!this.closing || this.connections > 0) return;
    this.closing = false;
    this.ctx.tasks.nextTick(() => this.emit('close'));
  }

  /** Node's `getConnections(cb)`. */
  getConnections(cb: (err: Error | null, count: number) => void): this {
    const n = this.connections;
    this.ctx.tasks.nextTick(() => cb(null, n));
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
}
