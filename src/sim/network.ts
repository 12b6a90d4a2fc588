/**
 * The network: a pure router between hosts.
 *
 * Owns: taking a packet from a socket, asking the fault rules for a verdict, drawing its
 * latency and scheduling its arrival on the world clock; answering for the network when a
 * verdict says so (RST for `refuse`, ICMP unreachable); telling a sender that a segment was
 * lost so it can retransmit; link latencies (global, per link, loopback).
 *
 * Does not: know TCP states, listeners or ports. The receiving host decides what an arriving
 * packet means (host.ts); sockets decide what to send (sim-socket.ts).
 *
 * Latency: every packet's one-way delay is drawn from the link's model with the world RNG's
 * `latency` fork: loopback (same host) defaults to 0 ms, between hosts to 1 ms. A `delay`
 * verdict adds to it. Each packet draws independently, so with a spread of latencies packets
 * can overtake each other; streams reassemble them (stream.ts).
 *
 * Departs from reality: no queues, bandwidth or MTU; an ICMP or RST the network fabricates for
 * a verdict takes the return latency of the link; a packet to an address no host owns vanishes
 * (a SYN to it times out), as on the Internet.
 */
import { formatSockAddr, type SockAddr } from '../net/sock-addr.js';
import type { Rng } from '../random/rng.js';
import type { Host } from './host.js';
import type { Packet, PacketKind } from './packet.js';
import type { SimSocket } from './sim-socket.js';
import type { Segment } from './stream.js';
import { checkLatency, drawLatency, type LatencyModel } from './latency.js';
import type { World } from './world.js';

/** Which packets a latency setting applies to: host names, absent = any. */
export interface LinkSelector {
  readonly from?: string;
  readonly to?: string;
}

const ANY = '*';
/** Stands for "no host owns the address" when drawing a latency: the global model applies. */
const NO_HOST = '(no host)';

export class Network {
  private base: LatencyModel;
  private loopback: LatencyModel;
  /** from host (or '*') → to host (or '*') → model. */
  private readonly links = new Map<string, Map<string, LatencyModel>>();
  private readonly rng: Rng;
  /** Packets handed to the network so far. */
  sent = 0;
  /** Packets that reached their destination host. */
  delivered = 0;

  constructor(
    private readonly world: World,
    options: { readonly latency?: LatencyModel; readonly loopbackLatency?: LatencyModel } = {},
  ) {
    this.base = checkLatency(options.latency ?? { kind: 'fixed', ms: 1 });
    this.loopback = checkLatency(options.loopbackLatency ?? { kind: 'fixed', ms: 0 });
    this.rng = world.rng.fork('latency');
  }

  // ---- latency ---------------------------------------------------------------------------------

  /**
   * Sets the one-way latency: between all hosts (no selector), or on the links matching
   * `link` (`{ from: 'a' }`, `{ to: 'b' }`, `{ from: 'a', to: 'b' }`; directional). The most
   * specific setting wins: from+to, then from, then to, then the global one.
   */
  setLatency(model: LatencyModel, link?: LinkSelector): void {
    checkLatency(model);
    if (link === undefined || (link.from === undefined && link.to === undefined)) {
      this.base = model;
      return;
    }
    const from = link.from ?? ANY;
    let m = this.links.get(from);
    if (m === undefined) this.links.set(from, (m = new Map()));
    m.set(link.to ?? ANY, model);
  }

  /** Sets the latency of packets a host sends to itself (loopback, own addresses). */
  setLoopbackLatency(model: LatencyModel): void {
    this.loopback = checkLatency(model);
  }

  /** The model that applies to packets from `from` to `to` (host names). */
  latencyModel(from: string, to: string): LatencyModel {
    if (from === to) return this.loopback;
    if (this.links.size > 0) {
      const specific = this.links.get(from);
      const hit = specific?.get(to) ?? specific?.get(ANY) ?? this.links.get(ANY)?.get(to);
      if (hit !== undefined) return hit;
    }
    return this.base;
  }

  private draw(from: string, to: string): number {
    return drawLatency(this.latencyModel(from, to), this.rng);
  }

  // ---- sending ---------------------------------------------------------------------------------

  /** @internal A socket sends a packet from `src` to `dst`. */
  transmit(kind: PacketKind, from: SimSocket, src: SockAddr, dst: SockAddr, to: SimSocket | null, segment: Segment | null): void {
    const dstHost = to !== null ? to.host : from.host.localHostFor(dst.address) ?? this.world.hostByAddress(dst.address);
    this.route({
      kind,
      src,
      dst,
      srcHost: from.host.name,
      dstHost: dstHost?.name ?? null,
      conn: from.conn,
      length: segment?.bytes?.length ?? 0,
      from,
      to,
      segment,
    }, dstHost);
  }

  /** Re-sends a packet that was held (hold.release): it is routed again, rules included. */
  resend(p: Packet): void {
    this.route(p, p.dstHost === null ? undefined : this.world.host(p.dstHost));
  }

  private route(p: Packet, dstHost: Host | undefined): void {
    this.sent++;
    const world = this.world;
    let extra = 0;
    if (world.faults.size > 0) {
      const { verdict, rule } = world.faults.decide(p);
      switch (verdict.kind) {
        case 'pass':
          break;
        case 'delay':
          extra = verdict.ms;
          break;
        case 'drop':
          this.lost(p, rule ?? 'rule');
          return;
        case 'hold':
          if (world.trace.enabled) world.trace.record(world.clock.now(), 'net.hold', { packet: p.kind, conn: p.conn, rule });
          verdict.queue.push(p);
          return;
        case 'refuse':
        case 'reset':
          if (p.kind === 'rst') break; // an RST cannot be refused
          this.refuse(p, rule ?? 'rule');
          return;
        case 'unreachable':
          if (p.kind === 'syn' && p.from !== null) {
            const from = p.from;
            const after = verdict.afterMs ?? this.draw(p.dstHost ?? NO_HOST, p.srcHost);
            this.trace('net.unreachable', p, rule);
            world.clock.setTimer(after, () => from.alive && from.conn === p.conn && from.connectFailed('EHOSTUNREACH'), 'net:icmp');
          } else {
            this.lost(p, rule ?? 'rule');
          }
          return;
      }
    }
    if (dstHost === undefined) {
      this.lost(p, 'no-host');
      return;
    }
    const delay = this.draw(p.srcHost, dstHost.name) + extra;
    world.clock.setTimer(delay, () => this.arrive(p, dstHost), LABELS[p.kind]);
  }

  private arrive(p: Packet, host: Host): void {
    if (!host.up) {
      this.lost(p, 'host-down');
      return;
    }
    this.delivered++;
    const world = this.world;
    if (p.kind === 'data' && world.trace.enabled) {
      world.trace.record(world.clock.now(), 'net.deliver', { conn: p.conn, host: host.name, seq: p.segment?.seq ?? 0, bytes: p.length });
    }
    host.receive(p);
  }

  /** The packet is lost: traced, and a data/FIN segment is retransmitted by its sender. */
  private lost(p: Packet, reason: string): void {
    this.trace('net.drop', p, reason);
    if (p.segment !== null) p.segment.stream.lost(p.segment);
  }

  private trace(kind: string, p: Packet, reason: string | null): void {
    const world = this.world;
    if (!world.trace.enabled) return;
    world.trace.record(world.clock.now(), kind, {
      packet: p.kind,
      conn: p.conn,
      src: formatSockAddr(p.src),
      dst: formatSockAddr(p.dst),
      reason,
    });
  }

  /**
   * A rule refused or reset `p`: a SYN is answered with RST after a round trip as if by the
   * destination; any other packet resets both ends of its connection.
   */
  private refuse(p: Packet, rule: string): void {
    this.trace('net.refuse', p, rule);
    const world = this.world;
    if (p.kind === 'syn') {
      const from = p.from;
      if (from === null) return;
      const rtt = this.draw(p.srcHost, p.dstHost ?? NO_HOST) + this.draw(p.dstHost ?? NO_HOST, p.srcHost);
      world.clock.setTimer(rtt, () => from.alive && from.conn === p.conn && from.receive(rstFor(p)), LABELS.rst);
      return;
    }
    this.resetEnds(p.from, p.to, p.conn);
  }

  /** Delivers an RST to both sockets after their links' latencies (no rules asked). */
  private resetEnds(a: SimSocket | null, b: SimSocket | null, conn: number): void {
    for (const [target, other] of [
      [a, b],
      [b, a],
    ] as const) {
      if (target === null) continue;
      const delay = other === null ? 0 : this.draw(other.host.name, target.host.name);
      this.world.clock.setTimer(
        delay,
        () => {
          if (!target.alive) return;
          this.traceRst(conn, target);
          target.receive({
            ...RST_TEMPLATE,
            src: target.connectedTo() ?? NOWHERE,
            dst: target.localAddress() ?? NOWHERE,
            srcHost: other?.host.name ?? target.host.name,
            dstHost: target.host.name,
            conn,
            from: other,
            to: target,
          });
        },
        LABELS.rst,
      );
    }
  }

  private traceRst(conn: number, to: SimSocket): void {
    const world = this.world;
    if (world.trace.enabled) world.trace.record(world.clock.now(), 'net.rst', { conn, to: to.name });
  }

  /**
   * @internal The destination of `p` answers it with RST (no socket or listener there, or the
   * socket was closed): sent back through the network like any packet.
   */
  answerWithReset(p: Packet): void {
    if (p.kind === 'rst' || p.from === null) return;
    const world = this.world;
    const from = p.from;
    const back = rstFor(p);
    if (world.trace.enabled) world.trace.record(world.clock.now(), 'net.rst', { conn: p.conn, to: from.name });
    this.route(back, from.host);
  }

  /**
   * Resets an established connection now, as a fault: both ends receive an RST after their
   * link's latency, whatever the rules say. `socket` is either end.
   */
  resetConnection(socket: SimSocket): void {
    const world = this.world;
    if (world.trace.enabled) world.trace.record(world.clock.now(), 'fault.reset', { conn: socket.conn, socket: socket.name });
    this.resetEnds(socket, socket.peer, socket.conn);
  }
}

const NOWHERE: SockAddr = { family: 'inet', address: '0.0.0.0', port: 0 };
const RST_TEMPLATE = { kind: 'rst' as const, length: 0, segment: null };

/** The RST answering `p`: from its destination back to its sender. */
function rstFor(p: Packet): Packet {
  return {
    kind: 'rst',
    src: p.dst,
    dst: p.src,
    srcHost: p.dstHost ?? p.srcHost,
    dstHost: p.srcHost,
    conn: p.conn,
    length: 0,
    from: p.to,
    to: p.from,
    segment: null,
  };
}

/** Constant timer labels per packet kind (no string building per packet). */
const LABELS: Readonly<Record<PacketKind, string>> = {
  syn: 'net:syn',
  'syn-ack': 'net:syn-ack',
  rst: 'net:rst',
  data: 'net:data',
  fin: 'net:fin',
};
