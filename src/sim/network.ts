/**
 * The network: the fabric between host kernels, a pure router.
 *
 * Owns: the endpoints (host kernels) by name and the addresses each registered; taking a
 * packet, asking the fault rules for a verdict, drawing its latency and scheduling its arrival
 * on the clock; handing it to the endpoint that owns its destination address; answering for
 * the network when a verdict says so (RST for `refuse`, ICMP unreachable, RSTs to both ends
 * for `reset`); telling a sender's endpoint that a packet was lost so it can retransmit; the
 * instant acknowledgement channel (see packet.ts); link latencies (global, per link, loopback).
 *
 * Does not: know sockets, TCP states, listeners or ports. Packets are plain data; the endpoint
 * that receives one decides what it means (host.ts and its connection table, conn-table.ts).
 *
 * Latency: every packet's one-way delay is drawn from the link's model with the RNG it is
 * given (the world's `latency` fork): loopback (same host) defaults to 0 ms, between hosts to
 * 1 ms. A `delay` verdict adds to it. Each packet draws independently, so with a spread of
 * latencies packets can overtake each other; receive streams reassemble them (stream.ts).
 *
 * Departs from reality: no queues, bandwidth or MTU; an ICMP or RST the network fabricates for
 * a verdict takes the return latency of the link; a packet to an address no host owns vanishes
 * (a SYN to it times out), as on the Internet; acknowledgements are instant and never lost.
 */
import type { Clock, LazyLabel, TimerTask } from '../clock/clock.js';
import { isWildcard } from '../net/address.js';
import { formatSockAddr, type SockAddr } from '../net/sock-addr.js';
import type { Rng } from '../random/rng.js';
import type { Trace } from '../trace/trace.js';
import type { FaultRules } from './fault-rules.js';
import { checkLatency, drawLatency, type LatencyModel } from './latency.js';
import { WirePacket, type AckKind, type Packet, type PacketKind } from './packet.js';

/** Which packets a latency setting applies to: host names, absent = any. */
export interface LinkSelector {
  readonly from?: string;
  readonly to?: string;
}

/**
 * What the network hands packets to: one host's kernel. It owns the addresses it registered
 * with `attach`, and, for packets it sends itself, whatever `ownsAddress` says is local
 * (loopback, its own addresses, the wildcard).
 */
export interface Endpoint {
  readonly name: string;
  /** Whether it answers: packets arriving while it is down are lost. */
  readonly up: boolean;
  /** Whether `address` (canonical) is local to it. */
  ownsAddress(address: string): boolean;
  /** A packet arrived for it. */
  deliver(p: Packet): void;
  /** A data or FIN packet it sent was lost (its sender retransmits). */
  lost(p: Packet): void;
  /** A SYN it sent was answered with ICMP unreachable. */
  unreachable(p: Packet): void;
  /** The receiver of connection `conn` acknowledged: see `AckKind`. `toInitiator` names the end. */
  acknowledged(conn: number, toInitiator: boolean, kind: AckKind, received: number, read: number): void;
}

/**
 * A resolved route to an address: which endpoint owns the address, as the network found it. A
 * socket keeps its connection's route (as Linux caches the route on the socket) and hands it
 * back with every packet, so the fabric resolves each destination once per connection instead
 * of once per packet. Only the network looks inside; a route made before a host was attached
 * is resolved again on its next use. The route to an address another host owns leads there
 * from anywhere, so the network makes one per such address and every connection to it shares
 * it (with a million connections, a route each was ~100 bytes per connection); a route to a
 * local address (loopback, the sender's own) depends on the sender and is made per connection.
 */
export class Route {
  /** @internal */
  constructor(
    readonly address: string,
    /** @internal */ public to: Endpoint | undefined,
    /** @internal */ public version: number,
  ) {}
}

/** What the network needs of the world: time, randomness, the trace and the fault rules. */
export interface NetworkContext {
  readonly clock: Clock;
  readonly trace: Trace;
  readonly faults: FaultRules;
  /** The RNG latencies are drawn from (the world's `latency` fork). */
  readonly rng: Rng;
}

const ANY = '*';
/** Stands for "no host owns the address" when drawing a latency: the global model applies. */
const NO_HOST = '(no host)';

export class Network {
  private base: LatencyModel;
  private loopback: LatencyModel;
  /** from host (or '*') → to host (or '*') → model. */
  private readonly links = new Map<string, Map<string, LatencyModel>>();
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly byAddress = new Map<string, Endpoint>();
  /** The shared routes to addresses a host owns (see `Route`). */
  private readonly shared = new Map<string, Route>();
  /** Bumped by every `attach`: routes resolved before it are resolved again. */
  private version = 0;
  private readonly clock: Clock;
  private readonly trace: Trace;
  private readonly faults: FaultRules;
  private readonly rng: Rng;
  /** Packets handed to the network so far. */
  sent = 0;
  /** Packets that reached their destination host. */
  delivered = 0;

  constructor(context: NetworkContext, options: { readonly latency?: LatencyModel; readonly loopbackLatency?: LatencyModel } = {}) {
    this.base = checkLatency(options.latency ?? { kind: 'fixed', ms: 1 });
    this.loopback = checkLatency(options.loopbackLatency ?? { kind: 'fixed', ms: 0 });
    this.clock = context.clock;
    this.trace = context.trace;
    this.faults = context.faults;
    this.rng = context.rng;
  }

  // ---- endpoints -------------------------------------------------------------------------------

  /** @internal Registers `endpoint` as the owner of `addresses` (canonical, unique per world). */
  attach(endpoint: Endpoint, addresses: readonly string[]): void {
    this.endpoints.set(endpoint.name, endpoint);
    for (const a of addresses) this.byAddress.set(a, endpoint);
    this.version++;
  }

  /** @internal The route from `from` to `address` (canonical), for a connection to keep. */
  routeFor(from: Endpoint, address: string): Route {
    const owner = this.byAddress.get(address);
    if (owner === undefined || owner === from) return new Route(address, this.endpointFor(from, address), this.version);
    let route = this.shared.get(address);
    if (route === undefined) this.shared.set(address, (route = new Route(address, owner, this.version)));
    return route;
  }

  /** The endpoint `route` leads to now, for a packet from `from`. */
  private follow(route: Route, from: Endpoint): Endpoint | undefined {
    if (route.version !== this.version) {
      route.to = this.endpointFor(from, route.address);
      route.version = this.version;
    }
    return route.to;
  }

  /** The endpoint a packet from `from` to `address` reaches: `from` itself if local, else the owner. */
  private endpointFor(from: Endpoint, address: string): Endpoint | undefined {
    // Registered addresses first (one lookup for most packets): loopback and the wildcard are
    // never registered, and a host's own registered addresses map to itself anyway.
    const owner = this.byAddress.get(address);
    if (owner !== undefined) return owner;
    return from.ownsAddress(address) || isWildcard(address) ? from : undefined;
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

  /**
   * @internal Sends a packet from `src` to `dst`, from endpoint `from`, along `route` (a route
   * to `dst.address` that `routeFor` made for `from`).
   */
  transmit(
    from: Endpoint,
    route: Route,
    kind: PacketKind,
    src: SockAddr,
    dst: SockAddr,
    conn: number,
    fromInitiator: boolean,
    seq: number,
    bytes: Uint8Array | null,
    lazyAck: boolean,
  ): void {
    const to = this.follow(route, from);
    this.route(new WirePacket(kind, src, dst, from.name, to?.name ?? null, conn, bytes?.length ?? 0, fromInitiator, seq, bytes, lazyAck), to);
  }

  /** Re-sends a packet that was held (hold.release): it is routed again, rules included. */
  resend(p: Packet): void {
    this.route(p, p.dstHost === null ? undefined : this.endpoints.get(p.dstHost));
  }

  private route(p: Packet, to: Endpoint | undefined): void {
    this.sent++;
    const faults = this.faults;
    let extra = 0;
    if (faults.size > 0) {
      const { verdict, rule } = faults.decide(p);
      switch (verdict.kind) {
        case 'pass':
          break;
        case 'delay':
          extra = verdict.ms;
          if (this.trace.enabled) this.trace.record(this.clock.now(), 'net.delay', { packet: p.kind, conn: p.conn, src: formatSockAddr(p.src), dst: formatSockAddr(p.dst), ms: verdict.ms, reason: rule });
          break;
        case 'drop':
          this.lost(p, rule ?? 'rule');
          return;
        case 'hold':
          if (this.trace.enabled) this.trace.record(this.clock.now(), 'net.hold', { packet: p.kind, conn: p.conn, rule });
          verdict.queue.push(p);
          return;
        case 'refuse':
        case 'reset':
          if (p.kind === 'rst') break; // an RST cannot be refused
          this.refuse(p, rule ?? 'rule');
          return;
        case 'unreachable':
          if (p.kind === 'syn') {
            const after = verdict.afterMs ?? this.draw(p.dstHost ?? NO_HOST, p.srcHost);
            this.traceRule('net.unreachable', p, rule);
            this.clock.setTimer(after, () => this.toSender(p)?.unreachable(p), 'net:icmp');
          } else {
            this.lost(p, rule ?? 'rule');
          }
          return;
      }
    }
    if (to === undefined) {
      this.lost(p, 'no-host');
      return;
    }
    const delay = this.draw(p.srcHost, to.name) + extra;
    this.clock.schedule(delay, new Arrival(p, to, this));
  }

  /** @internal `p` reached the endpoint it was routed to (its timer fired). */
  arrive(p: Packet, to: Endpoint): void {
    if (!to.up) {
      this.lost(p, 'host-down');
      return;
    }
    this.delivered++;
    if (p.kind === 'data' && this.trace.enabled) {
      this.trace.record(this.clock.now(), 'net.deliver', { conn: p.conn, host: to.name, seq: p.seq, bytes: p.length });
    }
    to.deliver(p);
  }

  /** The sender's endpoint of `p` if it is up (fabricated answers to a down host are lost). */
  private toSender(p: Packet): Endpoint | undefined {
    const from = this.endpoints.get(p.srcHost);
    return from?.up === true ? from : undefined;
  }

  /** The packet is lost: traced, and the sender of a data/FIN packet is told (it retransmits). */
  private lost(p: Packet, reason: string): void {
    this.traceRule('net.drop', p, reason);
    if (p.kind === 'data' || p.kind === 'fin') this.toSender(p)?.lost(p);
  }

  private traceRule(kind: 'net.drop' | 'net.refuse' | 'net.unreachable', p: Packet, reason: string | null): void {
    if (!this.trace.enabled) return;
    this.trace.record(this.clock.now(), kind, {
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
    this.traceRule('net.refuse', p, rule);
    if (p.kind === 'syn') {
      const rtt = this.draw(p.srcHost, p.dstHost ?? NO_HOST) + this.draw(p.dstHost ?? NO_HOST, p.srcHost);
      const back = rstAnswering(p);
      this.clock.setTimer(rtt, () => this.toSender(p)?.deliver(back), labelOf(back));
      return;
    }
    // RST to the sender first, then to the receiver (the order fixes the latency draws).
    this.resetEnd(rstAnswering(p), p.dstHost ?? NO_HOST);
    if (p.dstHost !== null) this.resetEnd(rst(p.src, p.dst, p.srcHost, p.dstHost, p.conn, p.fromInitiator), p.srcHost);
  }

  /**
   * Delivers the RST `p` to its destination after the latency from `fromHost`, whatever the
   * rules say (a fault resetting a connection), traced on arrival.
   */
  private resetEnd(p: Packet, fromHost: string): void {
    const to = p.dstHost === null ? undefined : this.endpoints.get(p.dstHost);
    if (to === undefined) return;
    const delay = this.draw(fromHost, to.name);
    this.clock.setTimer(
      delay,
      () => {
        if (!to.up) return;
        if (this.trace.enabled) this.trace.record(this.clock.now(), 'net.rst', { conn: p.conn, to: formatSockAddr(p.dst) });
        to.deliver(p);
      },
      labelOf(p),
    );
  }

  /**
   * Resets a connection now, as a fault: the end at `local` on host `hostName` and, if a host
   * owns `remote`, the other end both receive an RST after their link's latency, whatever the
   * rules say. `fromInitiator` tells which end `local` is.
   */
  resetConnection(hostName: string, conn: number, fromInitiator: boolean, local: SockAddr, remote: SockAddr): void {
    const from = this.endpoints.get(hostName);
    if (from === undefined) return;
    const peer = this.endpointFor(from, remote.address);
    this.resetEnd(rst(remote, local, peer?.name ?? hostName, hostName, conn, !fromInitiator), peer?.name ?? hostName);
    if (peer !== undefined) this.resetEnd(rst(local, remote, hostName, peer.name, conn, fromInitiator), hostName);
  }

  /**
   * @internal The instant acknowledgement channel (packet.ts): the sender of `route` tells
   * the end of connection `conn` at its other end what it accepted or read (or probes). No
   * latency, no rules.
   */
  acknowledge(from: Endpoint, route: Route, conn: number, toInitiator: boolean, kind: AckKind, received: number, read: number): void {
    const peer = this.follow(route, from);
    if (peer !== undefined && peer.up) peer.acknowledged(conn, toInitiator, kind, received, read);
  }
}

/** An RST packet. */
function rst(src: SockAddr, dst: SockAddr, srcHost: string, dstHost: string | null, conn: number, fromInitiator: boolean): Packet {
  return new WirePacket('rst', src, dst, srcHost, dstHost, conn, 0, fromInitiator, 0, null, false);
}

/** The RST answering `p`: from its destination back to its sender. */
function rstAnswering(p: Packet): Packet {
  return rst(p.dst, p.src, p.dstHost ?? p.srcHost, p.srcHost, p.conn, !p.fromInitiator);
}

/**
 * A packet on its way to the endpoint the network routed it to: the clock timer of its arrival
 * (`TimerTask`), so scheduling it needs no closure. The packet itself stays plain data; its
 * label, `conn2 [fd00::1]:32769→[fd00::11]:7000 syn`, is built only when a tie or a diagnostic
 * shows it.
 */
class Arrival implements TimerTask {
  // Declared, not defined (see `WirePacket`): one of these is made per packet.
  declare readonly packet: Packet;
  private declare readonly to: Endpoint;
  private declare readonly net: Network;
  constructor(packet: Packet, to: Endpoint, net: Network) {
    this.packet = packet;
    this.to = to;
    this.net = net;
  }
  fire(): void {
    this.net.arrive(this.packet, this.to);
  }
  timerLabel(): string {
    return packetLabel(this.packet);
  }
}

/** The clock label of `p`'s timers. */
function packetLabel(p: Packet): string {
  return `conn${p.conn} ${formatSockAddr(p.src)}→${formatSockAddr(p.dst)} ${p.kind}`;
}

/** A label built from `p` when shown (for timers other than its arrival). */
function labelOf(p: Packet): LazyLabel {
  return { timerLabel: () => packetLabel(p) };
}
