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
 * Does not: know the world, the network or any other host. It is given its host kernel's
 * `SocketEnv` (socket-env.ts): it sends packets through it, and its kernel hands it the packets
 * and acknowledgements of its connection (looked up in the connection table, conn-table.ts).
 * Its two stream halves are its own (stream.ts): what the peer does to its halves never reaches
 * this socket except as packets, so a peer that resets or times out cannot silently stall it.
 *
 * What every connection end shares — identity, addresses and route, readiness listeners, the
 * stream halves and their plumbing to the kernel — is in socket-core.ts; this file is the TCP
 * state machine over it. Just over 450 lines: that machine and the BSD calls on it are one
 * state's transitions, and the fields are assigned in a constructor for speed (socket-core.ts).
 */
import type { TimerId } from '../clock/clock.js';
import { isWildcard, parsePort, WILDCARD } from '../net/address.js';
import { NetError, type Errno } from '../net/net-error.js';
import { READABLE, WRITABLE } from '../net/readiness.js';
import { formatSockAddr, type Family, type SockAddr } from '../net/sock-addr.js';
import { DetnetError } from '../errors.js';
import type { Packet } from './packet.js';
import type { Binding } from './port-table.js';
import { SocketCore } from './socket-core.js';
import type { SocketEnv } from './socket-env.js';

/** TCP state of a socket as seen from outside. */
export type SocketState = 'fresh' | 'bound' | 'connecting' | 'established' | 'failed' | 'reset' | 'closed';

/** A simulated TCP stream socket with the BSD calls Tcl's Unix driver uses (see the module header). */
export class SimSocket extends SocketCore implements Binding {
  // Declared and assigned in the constructor, as in SocketCore (it says why).
  declare state: SocketState;
  declare reuseAddr: boolean;
  declare boundAddress: string;
  declare boundPort: number;
  private declare pendingError: Errno | null;
  private declare synTimer: TimerId | undefined;
  private declare synTries: number;
  /** Whether it is in its kernel's connection table. */
  private declare registered: boolean;

  constructor(env: SocketEnv, family: Family, id: number) {
    super(env, family, id);
    this.state = 'fresh';
    this.reuseAddr = false;
    this.boundAddress = '';
    this.boundPort = 0;
    this.pendingError = null;
    this.synTimer = undefined;
    this.synTries = 0;
    this.registered = false;
  }

  /** A connection socket never listens (`Binding`; a getter, not a field: sockets are many). */
  get listening(): boolean {
    return false;
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
        if (output === null || output.writeShutdown || output.space(1) > 0) r |= WRITABLE;
        return r;
      }
    }
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
    const address = this.env.checkBindAddress(this.family, local.address, local.port);
    const port = this.env.claimPort(this.family, address, local.port, this.reuseAddr, false);
    this.boundAddress = address;
    this.boundPort = port;
    this.env.ports.add(this);
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
    const env = this.env;
    const canonical = env.canonical(target.address);
    const remote = canonical === target.address ? target : { family: target.family, address: canonical, port: target.port };
    if (this.state === 'connecting') throw new NetError('EALREADY', { syscall: 'connect' });
    if (this.state === 'established' || this.state === 'reset') throw new NetError('EISCONN', { syscall: 'connect' });
    if (this.state === 'failed') throw new DetnetError('ERR_SOCKET_STATE', `connect on ${this.name}: a failed socket cannot be reused`);
    const fail = (code: Errno): NetError => new NetError(code, { syscall: 'connect', address: remote.address, port: remote.port });
    if (remote.family !== this.family || canonical.includes(':') !== (this.family === 'inet6')) throw fail('EAFNOSUPPORT');
    const route = env.routeTo(remote.address);
    if (route === 'network-unreachable') throw fail('ENETUNREACH');
    if (route === 'no-source') throw fail('EADDRNOTAVAIL');
    if (this.state === 'fresh') this.bind({ address: WILDCARD[this.family], port: 0 });
    const source = isWildcard(this.boundAddress) ? env.sourceAddressFor(this.family, remote.address) : this.boundAddress;
    if (this.tupleTaken(remote)) throw fail('EADDRNOTAVAIL');
    this.local = { family: this.family, address: source, port: this.boundPort };
    this.remote = remote;
    this.state = 'connecting';
    this.route = env.routeFor(remote.address);
    this.conn = env.nextConnId();
    env.register(this);
    this.registered = true;
    if (env.trace.enabled) {
      env.trace.record(env.clock.now(), 'net.attempt', {
        conn: this.conn,
        host: env.name,
        src: formatSockAddr(this.local),
        dst: formatSockAddr(remote),
      });
    }
    if (route === 'host-unreachable') {
      this.synTimer = env.clock.setTimer(env.tcp.hostUnreachableDelayMs, () => this.connectFailed('EHOSTUNREACH'), 'net:arp-timeout');
      return 'in-progress';
    }
    this.sendSyn();
    return 'in-progress';
  }

  /** Another socket of this host already has the same local endpoint and the same remote. */
  private tupleTaken(remote: SockAddr): boolean {
    const held = this.env.ports.get(this.family, this.boundPort);
    if (held === undefined || held === this) return false;
    for (const b of Array.isArray(held) ? held : [held]) {
      if (b === this || !(b instanceof SimSocket) || b.remote === null || b.state === 'failed') continue;
      if (b.remote.address === remote.address && b.remote.port === remote.port) return true;
    }
    return false;
  }

  private sendSyn(): void {
    const env = this.env;
    this.send('syn', 0, null);
    const rto = env.tcp.synRtoMs * 2 ** this.synTries;
    this.synTimer = env.clock.setTimer(rto, () => this.synTimeout(), 'net:syn-rto');
  }

  private synTimeout(): void {
    this.synTimer = undefined;
    if (this.state !== 'connecting' || !this.alive) return;
    const env = this.env;
    if (++this.synTries > env.tcp.synRetries) {
      this.connectFailed('ETIMEDOUT');
      return;
    }
    if (env.trace.enabled) env.trace.record(env.clock.now(), 'net.syn-retry', { conn: this.conn, try: this.synTries });
    this.sendSyn();
  }

  private clearSynTimer(): void {
    if (this.synTimer !== undefined) {
      this.env.clock.clearTimer(this.synTimer);
      this.synTimer = undefined;
    }
  }

  /** @internal The connect attempt failed with `code` (refused, timed out, unreachable). */
  connectFailed(code: Errno): void {
    this.clearSynTimer();
    if (this.state !== 'connecting') return;
    this.state = 'failed';
    this.pendingError = code;
    const env = this.env;
    if (env.trace.enabled) env.trace.record(env.clock.now(), 'net.fail', { conn: this.conn, code });
    this.notify();
  }

  /** @internal Makes this an accepted socket of connection `conn`: established, local endpoint `local`. */
  initAccepted(conn: number, local: SockAddr, remote: SockAddr): void {
    this.state = 'established';
    this.conn = conn;
    this.initiator = false;
    this.local = local;
    this.remote = remote;
    this.route = this.env.routeFor(remote.address);
    this.registered = true; // the kernel enters it in its connection table
  }

  /** @internal An accepted socket answers its client's SYN (again, for a retransmitted one). */
  sendSynAck(): void {
    this.send('syn-ack', 0, null);
  }

  // ---- packets ---------------------------------------------------------------------------------

  /** @internal A packet of this socket's connection arrived (its kernel found it in its table). */
  receive(p: Packet): void {
    switch (p.kind) {
      case 'syn-ack':
        if (this.state === 'connecting') {
          this.clearSynTimer();
          this.state = 'established';
          const env = this.env;
          if (env.trace.enabled) env.trace.record(env.clock.now(), 'net.connected', { conn: this.conn });
          this.notify();
        } else if (this.state !== 'established') {
          this.env.answerWithReset(p); // we gave up or closed meanwhile
        }
        return;
      case 'rst':
        if (this.state === 'connecting') this.connectFailed('ECONNREFUSED');
        else if (this.state === 'established') this.resetBy(this.in?.finReceived === true ? 'EPIPE' : 'ECONNRESET');
        else if (this.closed) this.abortStreams();
        this.retireIfDone();
        return;
      case 'data':
      case 'fin': {
        if (this.closed && p.bytes !== null) {
          // Data for a socket its owner has closed: Linux answers with RST and drops the connection.
          this.abortStreams();
          this.env.answerWithReset(p);
          this.retireIfDone();
          return;
        }
        if (this.state === 'connecting') {
          // The server side exists from the SYN's arrival (see sim-listener.ts), so its first
          // data can overtake the SYN-ACK; keep it for when the handshake completes.
          this.input().arrive(p.seq, p.bytes, p.lazyAck);
          return;
        }
        if (this.state !== 'established') return;
        if (this.input().arrive(p.seq, p.bytes, p.lazyAck)) this.notify();
        this.retireIfDone();
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

  /**
   * Leaves the connection table once closed and the connection is over: not established, or
   * reset/aborted, or both FINs exchanged. Later packets of the connection get RST.
   */
  protected override retireIfDone(): void {
    if (!this.closed || !this.registered) return;
    if (this.state === 'established') {
      const out = this.out;
      const input = this.in;
      const over = out === null || out.aborted || input?.aborted === true || (out.finAcked && input?.finReceived === true);
      if (!over) return;
    }
    this.registered = false;
    this.env.forget(this);
  }

  // ---- data ------------------------------------------------------------------------------------

  /** @internal The sending half ran out of retransmissions: the connection times out. */
  override streamTimedOut(): void {
    this.abortStreams();
    if (this.closed) {
      this.retireIfDone();
      return;
    }
    this.resetBy('ETIMEDOUT');
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
        if (n > 0 && out.space(1) <= 0) this.notify();
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
    const env = this.env;
    if (env.trace.enabled) env.trace.record(env.clock.now(), 'net.fin', { conn: this.conn, host: env.name, socket: this.name });
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
    const env = this.env;
    env.ports.remove(this);
    if (env.trace.enabled) env.trace.record(env.clock.now(), 'net.close', { socket: this.name, state: this.state });
    if (this.state === 'established' && this.alive) {
      if (reset || (this.in !== null && this.in.readable > 0)) {
        this.abortStreams();
        this.send('rst', 0, null);
      } else if (this.out?.writeShutdown !== true) {
        this.output().shutdown();
        this.traceFin();
      }
    } else {
      this.abortStreams();
    }
    if (this.state === 'connecting') this.state = 'closed';
    this.retireIfDone();
  }

  /** @internal Readable description for traces and errors. */
  override toString(): string {
    return `${this.name}(${this.state}${this.local === null ? '' : ` ${formatSockAddr(this.local)}`}${
      this.remote === null ? '' : ` -> ${formatSockAddr(this.remote)}`
    })`;
  }
}
