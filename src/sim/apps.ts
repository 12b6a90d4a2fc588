/**
 * Server apps: small programs that run on a simulated host as part of the world.
 *
 * Owns: the server side of scenarios — reply a line then close or keep the connection open,
 * echo, close at once, record what arrives, never accept (so the accept queue fills) — each
 * optionally accepting late (a delay per accepted connection). Apps react to readiness
 * synchronously inside world events (no Tcl event loop involved) and keep what they received,
 * per connection, for tests to inspect. An app is a host service: a crash stops it, a restart
 * starts it again on the same port; what it received before is kept.
 *
 * Does not: do anything a client could not observe through the network.
 *
 * Departs from reality: an app takes no time to run; it reads everything that has arrived
 * whenever it is woken.
 */
import { invalidArgType, invalidArgValue, outOfRange } from '../errors.js';
import { NetError } from '../net/net-error.js';
import { formatSockAddr, type SockAddr } from '../net/sock-addr.js';
import type { TimerId } from '../clock/clock.js';
import type { Host, HostService } from './host.js';
import type { SimListener } from './sim-listener.js';
import type { SimSocket } from './sim-socket.js';

/** What the app does with each connection. */
export type AppBehaviour =
  /** Write `line` + "\n" at once, then close (FIN) or keep the connection open until the client closes. */
  | { readonly kind: 'reply'; readonly line: string; readonly then: 'close' | 'keep-open' }
  /** Write back everything received; close after the client's EOF. */
  | { readonly kind: 'echo' }
  /** Accept and close at once. */
  | { readonly kind: 'close' }
  /** Read and keep everything; close after the client's EOF. */
  | { readonly kind: 'record' }
  /** Listen but never accept: connections pile up until the queue is full, then SYNs are dropped. */
  | { readonly kind: 'never-accept' };

/** What `serve` runs: the port and address to listen on, what to do with each connection, and the backlog. */
export interface ServeOptions {
  readonly port: number;
  /** Local address (default: the wildcard of both families). */
  readonly address?: string;
  readonly backlog?: number;
  readonly behaviour: AppBehaviour;
  /** Accept each waiting connection only this long after the app noticed it (accept late). */
  readonly acceptDelayMs?: number;
  readonly name?: string;
  /**
   * Forget each connection once it is finished (default false: keep every connection and what
   * it received). For long runs and benchmarks, where keeping them all would only fill memory.
   */
  readonly forget?: boolean;
}

const NONE: Uint8Array[] = [];
const noop = (): void => undefined;

/** One accepted connection as the app saw it. */
export class AppConnection {
  readonly chunks: Uint8Array[] = [];
  bytes = 0;
  /** The client's EOF was read. */
  eof = false;
  /** The connection failed (e.g. ECONNRESET); the POSIX code. */
  error: string | null = null;
  closed = false;
  /** Bytes the echo app still has to write back. */
  pending: Uint8Array[] = NONE;
  busy = false;
  again = false;
  unsubscribe: () => void = noop;

  constructor(
    readonly socket: SimSocket,
    readonly peer: SockAddr | null,
    readonly acceptedAt: number,
  ) {}

  /** Everything received, decoded as UTF-8. */
  get text(): string {
    return new TextDecoder().decode(concat(this.chunks, this.bytes));
  }
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const encoder = new TextEncoder();

/**
 * A server program on a simulated host (made by `serve`): it listens, accepts and answers each
 * connection per its behaviour, stops when its host crashes and listens again on restart.
 */
export class ServerApp {
  readonly name: string;
  /** Every accepted connection in accept order (none with `forget`). */
  readonly connections: AppConnection[] = [];
  private readonly open = new Set<AppConnection>();
  private acceptedCount = 0;
  listener: SimListener | null = null;
  /** The port it listens on (the chosen one if `port` was 0; kept across restarts). */
  port: number;
  private acceptTimer: TimerId | undefined;
  private stopped = false;
  /** The `reply` behaviour's line, encoded once (streams copy what they are given). */
  private readonly replyBytes: Uint8Array | null;

  constructor(
    readonly host: Host,
    readonly options: ServeOptions,
  ) {
    this.name = options.name ?? `${options.behaviour.kind}@${host.name}:${options.port}`;
    this.port = options.port;
    const b = options.behaviour;
    this.replyBytes = b.kind === 'reply' ? encoder.encode(`${b.line}\n`) : null;
  }

  /** Connections accepted so far. */
  get accepted(): number {
    return this.acceptedCount;
  }

  /** Everything received on all connections, in accept order, as UTF-8 text. */
  get received(): string {
    return this.connections.map((c) => c.text).join('');
  }

  /** Connections waiting in the accept queue. */
  get waiting(): number {
    return this.listener?.waiting ?? 0;
  }

  /** @internal HostService: listen (again). */
  start(): void {
    if (this.stopped) return;
    const listener = this.host.listen({
      port: this.port,
      ...(this.options.address === undefined ? {} : { address: this.options.address }),
      ...(this.options.backlog === undefined ? {} : { backlog: this.options.backlog }),
    });
    this.listener = listener;
    this.port = listener.boundPort;
    listener.onReadinessChange(() => this.acceptReady());
  }

  /** @internal HostService: the host crashed; its sockets are gone. */
  crashed(): void {
    this.listener = null;
    this.clearAcceptTimer();
    for (const c of this.open) {
      c.closed = true;
      c.unsubscribe();
    }
    this.open.clear();
  }

  /** Stops the app: closes the listener and every open connection. */
  stop(): void {
    this.stopped = true;
    this.clearAcceptTimer();
    this.listener?.close();
    this.listener = null;
    for (const c of [...this.open]) this.finish(c);
    this.host.removeService(this);
  }

  private clearAcceptTimer(): void {
    if (this.acceptTimer !== undefined) this.host.clock.clearTimer(this.acceptTimer);
    this.acceptTimer = undefined;
  }

  private acceptReady(): void {
    const listener = this.listener;
    if (listener === null || this.options.behaviour.kind === 'never-accept' || listener.waiting === 0) return;
    const delay = this.options.acceptDelayMs;
    if (delay === undefined) {
      for (let s = listener.accept(); s !== null; s = listener.accept()) this.handle(s);
      return;
    }
    if (this.acceptTimer !== undefined) return;
    this.acceptTimer = this.host.clock.setTimer(
      delay,
      () => {
        this.acceptTimer = undefined;
        if (this.listener !== listener) return;
        const s = listener.accept();
        if (s !== null) this.handle(s);
        this.acceptReady();
      },
      'app:accept',
    );
  }

  private handle(socket: SimSocket): void {
    const conn = new AppConnection(socket, socket.connectedTo(), this.host.clock.now());
    this.acceptedCount++;
    this.open.add(conn);
    if (this.options.forget !== true) this.connections.push(conn);
    const b = this.options.behaviour;
    if (b.kind === 'close') {
      this.finish(conn);
      return;
    }
    conn.unsubscribe = socket.onReadinessChange(() => this.service(conn));
    if (b.kind === 'reply') {
      this.send(conn, this.replyBytes as Uint8Array);
      if (b.then === 'close') {
        this.drain(conn);
        this.finish(conn);
        return;
      }
    }
    this.service(conn);
  }

  /** Reads what arrived, echoes if asked, closes after EOF; re-entrancy safe. */
  private service(conn: AppConnection): void {
    if (conn.closed) return;
    if (conn.busy) {
      conn.again = true;
      return;
    }
    conn.busy = true;
    try {
      do {
        conn.again = false;
        this.flushPending(conn);
        this.drain(conn);
        if ((conn.eof || conn.error !== null) && conn.pending.length === 0) this.finish(conn);
      } while (conn.again && !conn.closed);
    } finally {
      conn.busy = false;
    }
  }

  private drain(conn: AppConnection): void {
    for (;;) {
      let r: Uint8Array | 'eagain' | 'eof';
      try {
        r = conn.socket.read(65536);
      } catch (err) {
        conn.error = err instanceof NetError ? err.code : String(err);
        return;
      }
      if (r === 'eagain') return;
      if (r === 'eof') {
        conn.eof = true;
        return;
      }
      conn.chunks.push(r);
      conn.bytes += r.length;
      if (this.options.behaviour.kind === 'echo') this.send(conn, r);
    }
  }

  private send(conn: AppConnection, bytes: Uint8Array): void {
    if (conn.pending === NONE) conn.pending = [];
    conn.pending.push(bytes);
    this.flushPending(conn);
  }

  private flushPending(conn: AppConnection): void {
    while (conn.pending.length > 0) {
      const head = conn.pending[0] as Uint8Array;
      let n: number;
      try {
        n = conn.socket.write(head);
      } catch (err) {
        conn.error = err instanceof NetError ? err.code : String(err);
        conn.pending = NONE;
        return;
      }
      if (n === 0) return;
      if (n === head.length) conn.pending.shift();
      else conn.pending[0] = head.subarray(n);
    }
  }

  private finish(conn: AppConnection): void {
    if (conn.closed) return;
    conn.closed = true;
    this.open.delete(conn);
    conn.unsubscribe();
    conn.socket.close();
  }

  /** Human-readable summary for failure messages. */
  describe(): string {
    return `${this.name}: ${this.accepted} accepted, ${this.waiting} waiting; ${this.connections
      .map((c) => `${c.peer === null ? '?' : formatSockAddr(c.peer)} ${JSON.stringify(c.text)}${c.error === null ? '' : ` ${c.error}`}`)
      .join('; ')}`;
  }
}

/** The behaviours `serve` knows, for its argument check. */
const BEHAVIOURS: readonly string[] = ['reply', 'echo', 'close', 'record', 'never-accept'];

/** Misuse of `serve` fails at the call (ERR_INVALID_ARG_TYPE / _VALUE, ERR_OUT_OF_RANGE), not when a client connects. */
function checkServeOptions(options: ServeOptions): void {
  if (typeof options !== 'object' || options === null) throw invalidArgType('serve options', 'an object', options);
  const { port, behaviour } = options;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) throw outOfRange('serve port', 'an integer 0..65535', port);
  if (typeof behaviour !== 'object' || behaviour === null) throw invalidArgType('serve behaviour', 'an object with a kind', behaviour);
  if (!BEHAVIOURS.includes(behaviour.kind)) throw invalidArgValue('serve behaviour kind', `one of ${BEHAVIOURS.join(', ')}`, behaviour.kind);
  if (behaviour.kind === 'reply') {
    if (typeof behaviour.line !== 'string') throw invalidArgType('serve reply line', 'a string', behaviour.line);
    if (behaviour.then !== 'close' && behaviour.then !== 'keep-open') throw invalidArgValue('serve reply then', "'close' or 'keep-open'", behaviour.then);
  }
}

/** Starts `options.behaviour` on `host` as a service and returns the app (for inspection and `stop`). */
export function serve(host: Host, options: ServeOptions): ServerApp {
  checkServeOptions(options);
  const app = new ServerApp(host, options);
  host.addService(app);
  return app;
}

// Type-only shape check of `ServerApp`: an `implements` clause would reach the .d.ts, where these members are stripped.
type _Conforms<T extends HostService = ServerApp> = T;
