/**
 * `SimSocket`: a simulated TCP stream socket with the BSD API Tcl's Unix driver uses.
 *
 * Owns: one socket's TCP state (fresh → bound → connecting → established | failed; reset;
 * closed), its bind, its non-blocking connect and SYN retransmission, SO_ERROR, readiness bits,
 * and the socket's ends of the two byte streams (stream.ts). It is structurally a
 * `DriverSocket` (src/socket/driver.ts).
 *
 * What Linux reports, and so what this reports:
 * - `connect` never completes at once: it answers "in progress" (also for a closed loopback
 *   port) or throws for an immediate failure (ENETUNREACH, EADDRNOTAVAIL, EAFNOSUPPORT).
 * - The outcome arrives as SO_ERROR (`takeError`, which clears it) and readiness: WRITABLE
 *   when connected; READABLE | WRITABLE for ever once the connect failed (hang-up).
 * - Established: READABLE when data, EOF or an error is pending; WRITABLE while the send
 *   buffer has room (and after shutdown for writing, when writes fail at once).
 * - An RST makes SO_ERROR ECONNREFUSED while connecting, EPIPE if the peer's FIN had already
 *   arrived (CLOSE_WAIT), else ECONNRESET. Reads return buffered data first, then the error,
 *   then EOF; writes return the error, then EPIPE.
 * - `close` with unread received data sends RST (Linux), otherwise FIN after queued data; the
 *   connection drains in the background. Closing while connecting sends nothing.
 *
 * Misuse (calling on a closed socket, binding twice, connecting twice) is a `DetnetError`.
 *
 * This file is longer than most (about 500 lines) because the TCP state of one socket is one
 * concept: splitting the connect and the established halves would put one state machine in
 * two files.
 */
import type { TimerId } from '../clock/clock.js';
import { READABLE, WRITABLE } from '../loop/notifier.js';
import { isWildcard, parsePort, WILDCARD } from '../net/address.js';
import { NetError, type Errno } from '../net/net-error.js';
import { formatSockAddr, type Family, type SockAddr } from '../net/sock-addr.js';
import { DetnetError } from '../errors.js';
import type { Host } from './host.js';
import type { Packet, PacketKind } from './packet.js';
import type { Binding } from './port-table.js';
import { ByteStream, type Segment, type StreamSender } from './stream.js';

/** TCP state of a socket as seen from outside. */
export type SocketState = 'fresh' | 'bound' | 'connecting' | 'established' | 'failed' | 'reset' | 'closed';

export class SimSocket implements Binding, StreamSender {
  state: SocketState = 'fresh';
  /** Connection id (set by `connect`, or for an accepted socket the client's id). */
  conn = 0;
  reuseAddr = false;
  readonly listening = false;
  boundAddress = '';
  boundPort = 0;
  private local: SockAddr | null = null;
  private remote: SockAddr | null = null;
  private pendingError: Errno | null = null;
  /** The other end of the connection, once known. */
  peer: SimSocket | null = null;
  private out: ByteStream | null = null;
  private in: ByteStream | null = null;
  private synTimer: TimerId | undefined;
  private synTries = 0;
  /** Readiness listeners: usually one, so the first has its own slot. */
  private listener1: (() => void) | null = null;
  private listeners: (() => void)[] | null = null;
  private readonly incarnation: number;
  /** Whether the user closed it (the connection may still drain). */
  closed = false;

  constructor(
    readonly host: Host,
    readonly family: Family,
    readonly id: number,
  ) {
    this.incarnation = host.incarnation;
  }

  /** Stable name for traces: `sim:<host>/<id>` (built on first use and kept; sockets are many). */
  get name(): string {
    return (this.nameCache ??= `sim:${this.host.name}/${this.id}`);
  }
  private nameCache: string | undefined;

  /** Whether the socket still exists (its host has not crashed since it was made). */
  get alive(): boolean {
    return this.host.up && this.host.incarnation === this.incarnation;
  }

  // ---- options, addresses, errors -------------------------------------------------------------

  /** `setsockopt(SO_REUSEADDR)`. */
  setReuseAddr(on: boolean): void {
    this.reuseAddr = on;
  }

  /** `getsockopt(SO_ERROR)`: the pending error, cleared by reading it. */
  takeError(): Errno | null {
    const e = this.pendingError;
    this.pendingError = null;
    return e;
  }

  /** `getsockname`. */
  localAddress(): SockAddr | null {
    if (this.local === null && this.state === 'bound') this.local = { family: this.family, address: this.boundAddress, port: this.boundPort };
    return this.local;
  }

  /** `getpeername`: the remote endpoint while connected, else null (Linux: ENOTCONN after a reset). */
  remoteAddress(): SockAddr | null {
    return this.state === 'established' ? this.remote : null;
  }

  /** The remote endpoint given to `connect` (or the client of an accepted socket), in any state. */
  connectedTo(): SockAddr | null {
    return this.remote;
  }

  // ---- readiness -------------------------------------------------------------------------------

  /** Readiness bits (READABLE, WRITABLE) as `select` would report them now. */
  readiness(): number {
    if (this.closed || !this.alive) return 0;
    switch (this.state) {
      case 'fresh':
      case 'bound':
      case 'connecting':
      case 'closed':
        return 0;
      case 'failed':
      case 'reset':
        return READABLE | WRITABLE;
      case 'established': {
        let r = 0;
        const input = this.in;
        if (this.pendingError !== null || (input !== null && (input.readable > 0 || input.finReceived))) r |= READABLE;
        const output = this.out;
        if (output === null || output.writeShutdown || output.sendSpace > 0) r |= WRITABLE;
        return r;
      }
    }
  }

  /** Calls `listener` whenever the readiness may have changed; returns an unsubscribe. */
  onReadinessChange(listener: () => void): () => void {
    if (this.listener1 === null && this.listeners === null && !this.closed) this.listener1 = listener;
    else (this.listeners ??= []).push(listener);
    return () => {
      if (this.listener1 === listener) {
        this.listener1 = null;
        return;
      }
      if (this.listeners === null) return;
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  private notify(): void {
    const first = this.listener1;
    const ls = this.listeners;
    if (ls === null || ls.length === 0) {
      if (first !== null) first();
      return;
    }
    const all = first === null ? [...ls] : [first, ...ls];
    for (const l of all) l();
  }

  // ---- bind and connect ------------------------------------------------------------------------

  private usable(op: string): void {
    if (this.closed) throw new DetnetError('ERR_SOCKET_CLOSED', `${op} on closed socket ${this.name}`);
  }

  /**
   * `bind`: to a local address of the host (or the wildcard) and a port (0 = ephemeral).
   * Throws NetError EADDRNOTAVAIL (foreign address) or EADDRINUSE (port taken).
   */
  bind(local: { readonly address: string; readonly port: number }): void {
    this.usable('bind');
    if (this.state !== 'fresh') throw new DetnetError('ERR_SOCKET_STATE', `bind on ${this.name}: already bound`);
    const address = this.host.checkBindAddress(this.family, local.address, local.port);
    const port = this.host.claimPort(this.family, address, local.port, this.reuseAddr, false);
    this.boundAddress = address;
    this.boundPort = port;
    this.host.ports.add(this);
    this.state = 'bound';
  }

  /**
   * Non-blocking `connect`: returns `'in-progress'` (Linux TCP never completes at once), or
   * throws NetError for an immediate failure: ENETUNREACH (no route, interface down),
   * EADDRNOTAVAIL (no usable source address, e.g. `::1` without IPv6 loopback; or the 4-tuple
   * is taken), EAFNOSUPPORT (address of the other family). The outcome arrives later.
   */
  connect(target: SockAddr): 'in-progress' {
    this.usable('connect');
    if (!(Number.isInteger(target.port) && target.port >= 0 && target.port <= 65535)) parsePort(target.port);
    const canonical = this.host.world.canonical(target.address);
    const remote = canonical === target.address ? target : { family: target.family, address: canonical, port: target.port };
    if (this.state === 'connecting') throw new NetError('EALREADY', { syscall: 'connect' });
    if (this.state === 'established' || this.state === 'reset') throw new NetError('EISCONN', { syscall: 'connect' });
    if (this.state === 'failed') throw new DetnetError('ERR_SOCKET_STATE', `connect on ${this.name}: a failed socket cannot be reused`);
    const fail = (code: Errno): NetError => new NetError(code, { syscall: 'connect', address: remote.address, port: remote.port });
    if (remote.family !== this.family || canonical.includes(':') !== (this.family === 'inet6')) throw fail('EAFNOSUPPORT');
    const host = this.host;
    const route = host.routeTo(remote.address);
    if (route === 'network-unreachable') throw fail('ENETUNREACH');
    if (route === 'no-source') throw fail('EADDRNOTAVAIL');
    if (this.state === 'fresh') this.bind({ address: WILDCARD[this.family], port: 0 });
    const source = isWildcard(this.boundAddress) ? host.sourceAddressFor(this.family, remote.address) : this.boundAddress;
    if (this.tupleTaken(remote)) throw fail('EADDRNOTAVAIL');
    const world = host.world;
    this.local = { family: this.family, address: source, port: this.boundPort };
    this.remote = remote;
    this.state = 'connecting';
    this.conn = world.nextConnId();
    if (world.trace.enabled) {
      world.trace.record(world.clock.now(), 'net.attempt', {
        conn: this.conn,
        host: host.name,
        src: formatSockAddr(this.local),
        dst: formatSockAddr(remote),
      });
    }
    if (route === 'host-unreachable') {
      this.synTimer = world.clock.setTimer(world.tcp.hostUnreachableDelayMs, () => this.connectFailed('EHOSTUNREACH'), 'net:arp-timeout');
      return 'in-progress';
    }
    this.sendSyn();
    return 'in-progress';
  }

  /** Another socket of this host already has the same local endpoint and the same remote. */
  private tupleTaken(remote: SockAddr): boolean {
    const held = this.host.ports.get(this.family, this.boundPort);
    if (held === undefined || held === this) return false;
    for (const b of Array.isArray(held) ? held : [held]) {
      if (b === this || !(b instanceof SimSocket) || b.remote === null || b.state === 'failed') continue;
      if (b.remote.address === remote.address && b.remote.port === remote.port) return true;
    }
    return false;
  }

  private sendSyn(): void {
    const world = this.host.world;
    this.send('syn', null, null);
    const rto = world.tcp.synRtoMs * 2 ** this.synTries;
    this.synTimer = world.clock.setTimer(rto, () => this.synTimeout(), 'net:syn-rto');
  }

  private synTimeout(): void {
    this.synTimer = undefined;
    if (this.state !== 'connecting' || !this.alive) return;
    const world = this.host.world;
    if (++this.synTries > world.tcp.synRetries) {
      this.connectFailed('ETIMEDOUT');
      return;
    }
    if (world.trace.enabled) world.trace.record(world.clock.now(), 'net.syn-retry', { conn: this.conn, try: this.synTries });
    this.sendSyn();
  }

  private clearSynTimer(): void {
    if (this.synTimer !== undefined) {
      this.host.world.clock.clearTimer(this.synTimer);
      this.synTimer = undefined;
    }
  }

  /** @internal The connect attempt failed with `code` (refused, timed out, unreachable). */
  connectFailed(code: Errno): void {
    this.clearSynTimer();
    if (this.state !== 'connecting') return;
    this.state = 'failed';
    this.pendingError = code;
    const world = this.host.world;
    if (world.trace.enabled) world.trace.record(world.clock.now(), 'net.fail', { conn: this.conn, code });
    this.notify();
  }

  /** @internal Makes this an accepted socket: established with `client`, local endpoint `local`. */
  initAccepted(client: SimSocket, local: SockAddr, remote: SockAddr): void {
    this.state = 'established';
    this.conn = client.conn;
    this.peer = client;
    this.local = local;
    this.remote = remote;
  }

  // ---- packets ---------------------------------------------------------------------------------

  /** Puts a packet from this socket on the network. */
  private send(kind: PacketKind, to: SimSocket | null, segment: Segment | null): void {
    this.host.world.network.transmit(kind, this, this.local as SockAddr, this.remote as SockAddr, to, segment);
  }

  /** @internal A packet addressed to this socket arrived (its host checked that it is alive). */
  receive(p: Packet): void {
    switch (p.kind) {
      case 'syn-ack':
        if (this.state === 'connecting' && p.from !== null) {
          this.clearSynTimer();
          this.state = 'established';
          this.peer = p.from;
          const world = this.host.world;
          if (world.trace.enabled) world.trace.record(world.clock.now(), 'net.connected', { conn: this.conn });
          this.notify();
        } else if (this.state !== 'established' && p.from !== null) {
          this.host.world.network.answerWithReset(p); // we gave up or closed meanwhile
        }
        return;
      case 'rst':
        if (this.state === 'connecting') this.connectFailed('ECONNREFUSED');
        else if (this.state === 'established') this.resetBy(this.in?.finReceived === true ? 'EPIPE' : 'ECONNRESET');
        else if (this.closed) this.abortStreams();
        return;
      case 'data':
      case 'fin': {
        const seg = p.segment as Segment;
        if (this.closed && seg.bytes !== null) {
          // Data for a socket its owner has closed: Linux answers with RST and drops the connection.
          this.abortStreams();
          this.host.world.network.answerWithReset(p);
          return;
        }
        if (this.state === 'connecting' && p.from === this.peer && p.from !== null) {
          // The server side exists from the SYN's arrival (see sim-listener.ts), so its first
          // data can overtake the SYN-ACK; keep it for when the handshake completes.
          this.in ??= seg.stream;
          this.in.arrive(seg);
          return;
        }
        if (this.state !== 'established') return;
        this.in ??= seg.stream;
        if (this.in.arrive(seg)) this.notify();
        return;
      }
      case 'syn':
        return; // SYNs go to listeners (host.ts), never to a socket
    }
  }

  /** @internal The connection was reset (RST arrived, or data retransmissions ran out). */
  resetBy(code: Errno): void {
    if (this.state !== 'established') return;
    this.state = 'reset';
    this.pendingError = code;
    this.out?.abort();
    this.notify();
  }

  private abortStreams(): void {
    this.out?.abort();
    this.in?.abort();
  }

  // StreamSender ---------------------------------------------------------------------------------

  /** @internal */
  transmitSegment(segment: Segment): void {
    if (!this.alive) return;
    this.send(segment.bytes === null ? 'fin' : 'data', this.peer, segment);
  }

  /** @internal */
  streamChanged(): void {
    if (!this.closed) this.notify();
  }

  /** @internal */
  streamTimedOut(): void {
    this.abortStreams();
    if (this.closed) return;
    this.resetBy('ETIMEDOUT');
  }

  // ---- data ------------------------------------------------------------------------------------

  private output(): ByteStream {
    return (this.out ??= new ByteStream(this, this.host.world.clock, this.host.world.tcp));
  }

  /**
   * Non-blocking `recv` of up to `max` bytes: bytes, `'eagain'`, or `'eof'`. Throws NetError
   * ENOTCONN if the socket never connected, or the pending error (ECONNRESET, EPIPE,
   * ETIMEDOUT) once after a reset.
   */
  read(max: number): Uint8Array | 'eagain' | 'eof' {
    this.usable('read');
    switch (this.state) {
      case 'connecting':
        return 'eagain';
      case 'fresh':
      case 'bound':
      case 'failed':
      case 'closed':
        throw new NetError('ENOTCONN', { syscall: 'read' });
      case 'established':
      case 'reset': {
        const input = this.in;
        if (input !== null && input.readable > 0) {
          const bytes = input.read(max);
          this.notify();
          return bytes;
        }
        const err = this.takeError();
        if (err !== null) throw new NetError(err, { syscall: 'read' });
        if (this.state === 'reset' || input?.finReceived === true) return 'eof';
        return 'eagain';
      }
    }
  }

  /**
   * Non-blocking `send`: the number of bytes accepted (0 = would block; while connecting too).
   * Throws NetError ENOTCONN if the socket never connected; after a reset the pending error
   * once, then EPIPE; EPIPE after `shutdown`.
   */
  write(data: Uint8Array): number {
    this.usable('write');
    switch (this.state) {
      case 'connecting':
        return 0;
      case 'fresh':
      case 'bound':
      case 'failed':
      case 'closed':
        throw new NetError('ENOTCONN', { syscall: 'write' });
      case 'reset': {
        const err = this.takeError();
        throw new NetError(err ?? 'EPIPE', { syscall: 'write' });
      }
      case 'established': {
        const out = this.output();
        if (out.writeShutdown) throw new NetError('EPIPE', { syscall: 'write' });
        if (data.length === 0) return 0;
        const n = out.write(data);
        if (n > 0 && out.sendSpace <= 0) this.notify();
        return n;
      }
    }
  }

  /** `shutdown(SHUT_WR)`: sends FIN after the queued data; the socket can still read. */
  shutdown(): void {
    this.usable('shutdown');
    if (this.state !== 'established') throw new NetError('ENOTCONN', { syscall: 'shutdown' });
    this.output().shutdown();
    this.traceFin();
    this.notify();
  }

  private traceFin(): void {
    const world = this.host.world;
    if (world.trace.enabled) world.trace.record(world.clock.now(), 'net.fin', { conn: this.conn, host: this.host.name, socket: this.name });
  }

  /**
   * `close`: releases the port and stops readiness reports. Established: RST if received data
   * is unread, else FIN after the queued data (the connection drains in the background).
   * Connecting: the attempt is abandoned silently. Idempotent.
   */
  close(): void {
    this.closeWith(false);
  }

  /** @internal Closes with RST instead of FIN (SO_LINGER 0; a listener dropping its queue). */
  abortiveClose(): void {
    this.closeWith(true);
  }

  private closeWith(reset: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.listener1 = null;
    this.listeners = null;
    this.clearSynTimer();
    this.host.ports.remove(this);
    const world = this.host.world;
    if (world.trace.enabled) world.trace.record(world.clock.now(), 'net.close', { socket: this.name, state: this.state });
    if (this.state === 'established' && this.alive) {
      if (reset || (this.in !== null && this.in.readable > 0)) {
        this.abortStreams();
        this.send('rst', this.peer, null);
      } else if (this.out?.writeShutdown !== true) {
        this.output().shutdown();
        this.traceFin();
      }
    } else {
      this.abortStreams();
    }
    if (this.state === 'connecting') this.state = 'closed';
  }

  /** @internal Readable description for traces and errors. */
  toString(): string {
    return `${this.name}(${this.state}${this.local === null ? '' : ` ${formatSockAddr(this.local)}`}${
      this.remote === null ? '' : ` -> ${formatSockAddr(this.remote)}`
    })`;
  }
}
