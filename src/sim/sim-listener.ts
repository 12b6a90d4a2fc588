/**
 * `SimListener`: a listening socket with an accept queue. Structurally a `DriverListener`.
 *
 * Owns: the accept queue and its bound (Linux: a connection is queued while fewer than
 * backlog + 1 wait; when the queue is full an arriving SYN is dropped, so the client
 * retransmits and is accepted late if the queue frees up in time, else times out), READABLE
 * readiness while a connection waits, and closing (queued connections are reset, as Linux
 * does).
 *
 * Does not: decide whether a SYN reaches it (host.ts looks listeners up; network.ts routes), or
 * know anything of its host beyond its `ListenerEnv` (socket-env.ts).
 *
 * Departs from reality: the server side of a connection is queued the moment the SYN arrives
 * (no SYN_RECV state waiting for the third packet of the handshake); a dual-stack listener
 * (wildcard without an address) is one object holding the port in both families, where Tcl
 * opens one socket per family.
 */
import { READABLE } from '../net/readiness.js';
import { formatSockAddr, type Family, type SockAddr } from '../net/sock-addr.js';
import type { Binding } from './port-table.js';
import type { SimSocket } from './sim-socket.js';
import type { ListenerEnv } from './socket-env.js';

/**
 * A listening socket on a simulated host (made by `Host.listen`): the accept queue of
 * connections whose SYN it answered, readable while one waits; `accept` takes the next.
 */
export class SimListener implements Binding {
  readonly name: string;
  readonly listening = true;
  readonly reuseAddr = true;
  readonly boundAddress: string;
  readonly boundPort: number;
  private readonly queue: SimSocket[] = [];
  private head = 0;
  private listeners: (() => void)[] | null = null;
  closed = false;
  /** Connections queued so far (accepted by the kernel). */
  queuedTotal = 0;

  constructor(
    private readonly env: ListenerEnv,
    readonly family: Family,
    address: string,
    port: number,
    readonly backlog: number,
    readonly dualStack: boolean,
    id: number,
  ) {
    this.name = `sim:${env.name}/L${id}`;
    this.boundAddress = address;
    this.boundPort = port;
  }

  /** Name of the host the listener lives on. */
  get hostName(): string {
    return this.env.name;
  }

  /** `getsockname`: the bound address (the wildcard for a wildcard listener) and port. */
  localAddress(): SockAddr {
    return { family: this.family, address: this.boundAddress, port: this.boundPort };
  }

  /** Connections waiting to be accepted. */
  get waiting(): number {
    return this.queue.length - this.head;
  }

  /** Whether another connection fits in the accept queue (backlog + 1, as Linux). */
  hasRoom(): boolean {
    return this.waiting <= this.backlog;
  }

  readiness(): number {
    return !this.closed && this.waiting > 0 ? READABLE : 0;
  }

  onReadinessChange(listener: () => void): () => void {
    (this.listeners ??= []).push(listener);
    return () => {
      if (this.listeners === null) return;
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  private notify(): void {
    const ls = this.listeners;
    if (ls === null) return;
    for (const l of ls.length === 1 ? ls : [...ls]) l();
  }

  /** @internal The host queued an established connection. */
  enqueue(socket: SimSocket): void {
    this.queue.push(socket);
    this.queuedTotal++;
    const env = this.env;
    if (env.trace.enabled) {
      const remote = socket.connectedTo();
      env.trace.record(env.clock.now(), 'net.accept', {
        conn: socket.conn,
        host: env.name,
        listener: this.name,
        peer: remote === null ? null : formatSockAddr(remote),
      });
    }
    if (this.waiting === 1) this.notify();
  }

  /** `accept`: the next queued connection, or null if none waits. */
  accept(): SimSocket | null {
    if (this.closed || this.head >= this.queue.length) return null;
    const s = this.queue[this.head] as SimSocket;
    this.queue[this.head++] = undefined as unknown as SimSocket;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 64 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (this.waiting === 0) this.notify();
    return s;
  }

  /** `close`: stops listening; connections still queued are reset. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.listeners = null;
    const env = this.env;
    env.removeListener(this);
    if (env.trace.enabled) env.trace.record(env.clock.now(), 'net.close', { socket: this.name, state: 'listening' });
    const queued = this.queue.slice(this.head);
    this.queue.length = 0;
    this.head = 0;
    for (const s of queued) s.abortiveClose();
  }
}
