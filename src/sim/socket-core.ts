/**
 * `SocketCore`: what every simulated connection end shares, below its TCP state machine.
 *
 * Owns: a socket's identity (host, family, id, name, whether it still exists), its connection
 * (id, which end it is, local and remote endpoints, the network route it keeps), its readiness
 * listeners, and its two stream halves with their plumbing to the kernel: putting packets on
 * the network, and the instant acknowledgement channel in both directions (stream.ts,
 * packet.ts). sim-socket.ts builds the TCP state machine and the BSD calls on top of it.
 *
 * Does not: know the world, the network or any other host: everything goes through its host
 * kernel's `SocketEnv` (socket-env.ts).
 */
import type { Clock } from '../clock/clock.js';
import type { SockAddr, Family } from '../net/sock-addr.js';
import type { Route } from './network.js';
import type { AckKind, Packet, PacketKind } from './packet.js';
import type { SocketEnv } from './socket-env.js';
import { ReceiveStream, SendStream, type StreamReceiver, type StreamSender } from './stream.js';

export abstract class SocketCore {
  // Fields are declared and assigned in the constructor rather than defined with initializers:
  // under ES2022 class-field semantics each definition runs per object before the constructor,
  // a measured cost for sockets, which every connect makes (see WirePacket in packet.ts). Every
  // field is assigned below, in one order, so every socket has one shape.
  /** Connection id (set by `connect`, or for an accepted socket the client's id). */
  declare conn: number;
  /** Whether this end opened the connection (false for an accepted socket). */
  declare initiator: boolean;
  protected declare local: SockAddr | null;
  protected declare remote: SockAddr | null;
  /** The network's route to `remote`, resolved once per connection (Linux caches it on the socket too). */
  protected declare route: Route | null;
  protected declare out: SendStream | null;
  protected declare in: ReceiveStream | null;
  /** Readiness listeners: usually one, so the first has its own slot. */
  protected declare listener1: (() => void) | null;
  protected declare listeners: (() => void)[] | null;
  private declare readonly incarnation: number;
  /** Whether the user closed it (the connection may still drain). */
  declare closed: boolean;
  protected declare readonly env: SocketEnv;
  declare readonly family: Family;
  declare readonly id: number;

  constructor(env: SocketEnv, family: Family, id: number) {
    this.env = env;
    this.family = family;
    this.id = id;
    this.conn = 0;
    this.initiator = true;
    this.local = null;
    this.remote = null;
    this.route = null;
    this.out = null;
    this.in = null;
    this.listener1 = null;
    this.listeners = null;
    this.incarnation = env.incarnation;
    this.closed = false;
  }

  /** Stable name for traces: `sim:<host>/<id>` (built when asked: kept, it cost every socket a field). */
  get name(): string {
    return `sim:${this.env.name}/${this.id}`;
  }

  /** @internal The clock of the socket's host (its send half times retransmissions on it). */
  get clock(): Clock {
    return this.env.clock;
  }

  /** Name of the host the socket lives on. */
  get hostName(): string {
    return this.env.name;
  }

  /** Whether the socket still exists (its host has not crashed since it was made). */
  get alive(): boolean {
    return this.env.up && this.env.incarnation === this.incarnation;
  }

  /** The remote endpoint given to `connect` (or the client of an accepted socket), in any state. */
  connectedTo(): SockAddr | null {
    return this.remote;
  }

  /** @internal Whether `p` belongs to this socket's 4-tuple (conn-table.ts). */
  matches(p: Packet): boolean {
    const local = this.local;
    const remote = this.remote;
    if (local === null || remote === null) return false;
    // The ends usually hold the very objects the peer sends from and to: compare fields only if not.
    const src = p.src;
    const dst = p.dst;
    return (
      (dst === local || (dst.port === local.port && dst.address === local.address)) &&
      (src === remote || (src.port === remote.port && src.address === remote.address))
    );
  }

  // ---- readiness listeners ---------------------------------------------------------------------

  /** Calls `listener` whenever the readiness may have changed; returns an unsubscribe. */
  onReadinessChange(listener: () => void): () => void {
    // Segments sent while nobody watched were marked for lazy acknowledgement; from now on the
    // peer must acknowledge at once, or this listener would miss changes (stream.ts).
    if (!this.watched() && this.out?.unacked === true && this.alive) this.acknowledge('watch', 0, 0);
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

  /** Whether anything listens to readiness changes. */
  protected watched(): boolean {
    return this.listener1 !== null || (this.listeners !== null && this.listeners.length > 0);
  }

  protected notify(): void {
    const first = this.listener1;
    const ls = this.listeners;
    if (ls === null || ls.length === 0) {
      if (first !== null) first();
      return;
    }
    const all = first === null ? [...ls] : [first, ...ls];
    for (const l of all) l();
  }

  // ---- packets and acknowledgements --------------------------------------------------------------

  /** Puts a packet of this socket's connection on the network. */
  protected send(kind: PacketKind, seq: number, bytes: Uint8Array | null): void {
    const env = this.env;
    env.transmit(this.route as Route, kind, this.local as SockAddr, this.remote as SockAddr, this.conn, this.initiator, seq, bytes, !this.watched());
  }

  /** @internal The peer acknowledged data, the FIN or a read on this socket's sending half, or asked its receiving half. */
  acknowledged(kind: AckKind, received: number, read: number): void {
    switch (kind) {
      case 'probe':
        this.input().probed();
        return;
      case 'pull':
        this.input().pulled();
        return;
      case 'watch':
        this.input().watched();
        return;
      default:
        break;
    }
    const out = this.out;
    if (out === null) return;
    out.acked(kind, received, read);
    if (kind === 'fin') this.retireIfDone();
  }

  /** @internal The network lost a data or FIN packet this socket sent: its sending half retransmits. */
  segmentLost(p: Packet): void {
    this.out?.lost(p.seq, p.bytes);
  }

  /** Leaves the kernel's connection table if the connection is over (sim-socket.ts decides). */
  protected abstract retireIfDone(): void;

  protected abortStreams(): void {
    this.out?.abort();
    this.in?.abort();
  }

  protected output(): SendStream {
    return (this.out ??= new SendStream(this, this.env.tcp));
  }

  protected input(): ReceiveStream {
    return (this.in ??= new ReceiveStream(this));
  }

  // ---- StreamSender / StreamReceiver -------------------------------------------------------------

  /** @internal */
  transmitSegment(seq: number, bytes: Uint8Array | null): void {
    if (!this.alive) return;
    this.send(bytes === null ? 'fin' : 'data', seq, bytes);
  }

  /** @internal */
  streamChanged(): void {
    if (!this.closed) this.notify();
  }

  /** @internal */
  abstract streamTimedOut(): void;

  /** @internal */
  probeWindow(): void {
    this.acknowledge('probe', 0, 0);
  }

  /** @internal */
  pullAcks(): void {
    this.acknowledge('pull', 0, 0);
  }

  /** @internal */
  acknowledge(kind: AckKind, received: number, read: number): void {
    if (!this.alive) return;
    this.env.acknowledge(this.route as Route, this.conn, !this.initiator, kind, received, read);
  }
}

// Type-only shape check of `SocketCore`: an `implements` clause would reach the .d.ts, where these members are stripped.
type _Conforms<T extends StreamSender & StreamReceiver = SocketCore> = T;
