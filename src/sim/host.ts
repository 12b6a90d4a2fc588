/**
 * `Host`: one simulated machine and its kernel — its addresses, loopback, routes, ports,
 * listeners, connection table, hosts file and services; creating sockets; answering packets
 * that arrive for it; crash and restart. It is the network's `Endpoint` for its addresses and
 * the `SocketEnv` of its sockets and listeners.
 *
 * Owns: which addresses are local (its own, `127.0.0.0/8`, and `::1` unless IPv6 loopback is
 * off), the source address of an outgoing connection, bind validation (EADDRNOTAVAIL for a
 * foreign address, EADDRINUSE via the port table), the connection table (conn-table.ts) and
 * what an arriving packet meets there: a packet of a known connection goes to its socket; a
 * SYN of a known connection is a retransmission (its SYN-ACK is sent again); a new SYN goes to
 * a listener (with room: queued and answered with SYN-ACK; a full queue: dropped; no listener:
 * RST); anything else for a connection it does not know is answered with RST. Before the
 * table, the kernel checks the connection the previous packet was for (4.3BSD's one-behind
 * cache): in a world of many hosts most of them hold one or two connections, and reading the
 * table's storage for every packet was a measured share of the simulation's cost. The cache is
 * forgotten with the connection and on a crash; the 4-tuple check applies either way.
 *
 * Does not: route between hosts (network.ts), keep TCP state (sim-socket.ts), or touch any
 * other host's objects: it learns about the world only from packets and acknowledgements, and
 * it is given its clock, trace, TCP parameters, network and id counters by the world
 * (`HostContext`), never the world itself.
 *
 * Crash: the host stops answering at once (arriving packets are lost), every socket and
 * listener it had is gone without a FIN or RST — the connection and port tables are emptied —
 * and its services stop. Restart: it answers again with empty tables, so packets of
 * connections from before the crash get RST, and its services start again. Each socket also
 * remembers the host's incarnation it was made in, so its owner sees it is gone.
 *
 * Just over 450 lines: a host kernel's addresses, ports, routing decisions, connection table and
 * crash/restart answer the same packets and share state; its pieces with a life of their own
 * already live apart (conn-table.ts, port-table.ts, routes.ts, hosts-file.ts).
 *
 * Departs from reality: no interfaces beyond "loopback up/down", no ARP, no source-address
 * selection rules beyond "loopback for local, else the first address of the family".
 */
import type { Clock } from '../clock/clock.js';
import { isLoopback, isWildcard, parseAddress, parsePort, WILDCARD } from '../net/address.js';
import { NetError } from '../net/net-error.js';
import { formatSockAddr as fmt, type Family, type SockAddr } from '../net/sock-addr.js';
import type { Trace } from '../trace/trace.js';
import { DetnetError } from '../errors.js';
import { connAdd, connClear, connGet, connLookup, connRemove, NO_CONN_SLOTS, type ConnStorage } from './conn-table.js';
import { HostsFile } from './hosts-file.js';
import type { Endpoint, Network, Route } from './network.js';
import type { AckKind, Packet, PacketKind } from './packet.js';
import { PortTable } from './port-table.js';
import { RouteTable, type RouteAction, type RouteDecision } from './routes.js';
import { SimListener } from './sim-listener.js';
import { SimSocket } from './sim-socket.js';
import type { ListenerEnv, SocketEnv } from './socket-env.js';
import type { TcpParams } from './tcp-params.js';

export type { RouteDecision } from './routes.js';

/**
 * What a host is given by the world that composes it (world.ts implements it): time, the
 * trace, TCP parameters, the network it is attached to, the address canonicaliser and the
 * world-wide id counters.
 */
export interface HostContext {
  readonly clock: Clock;
  readonly trace: Trace;
  readonly tcp: TcpParams;
  readonly network: Network;
  canonical(address: string): string;
  nextSocketId(): number;
  nextConnId(): number;
}

/** How a host is set up. */
export interface HostOptions {
  /** Its own (non-loopback) IPv4 and IPv6 addresses, in order; the first of each family is its source address. */
  readonly addresses?: readonly string[];
  /** Whether `::1` exists (default true). Without it `localhost` is `127.0.0.1` only. */
  readonly ipv6Loopback?: boolean;
  /**
   * Routes (prefix → action). Default: a reachable default route (`0.0.0.0/0`, `::/0`) for each
   * family the host has an address of.
   */
  readonly routes?: Readonly<Record<string, RouteAction>>;
}

/** A program running on a host, stopped by a crash and started again by a restart. */
export interface HostService {
  readonly name: string;
  start(): void;
  /** The host crashed: forget connections (their sockets are already gone). */
  crashed(): void;
}

/** Where `Host.listen` listens: address (absent: both wildcards), port and backlog. */
export interface ListenOptions {
  /** Local address; absent = the wildcard of both families (one dual-stack listener). */
  readonly address?: string;
  /** Port, 0 = ephemeral. */
  readonly port: number;
  /** Listen backlog (default: the world's `defaultBacklog`). The queue holds backlog + 1. */
  readonly backlog?: number;
}

/** One simulated machine and its kernel (see the module header); `World.addHost` makes it. */
export class Host {
  up = true;
  /** The connection end the last packet was for (4.3BSD's one-behind cache), checked before the table. */
  private lastEnd: SimSocket | null = null;
  // Connection ends living on this host: the connection table's storage, held here rather than
  // in an object of its own (conn-table.ts says why).
  /** @internal */ connSlots: (SimSocket | undefined)[] = NO_CONN_SLOTS as SimSocket[];
  /** @internal */ connMask = -1;
  /** @internal */ connCount = 0;
  /** @internal */ connSmall = true;
  readonly addresses: readonly string[];
  private readonly own: Set<string>;
  readonly ipv6Loopback: boolean;
  readonly routes = new RouteTable();
  /** Whether the loopback interface is up (down: local destinations are network-unreachable). */
  loopbackUp = true;
  /** Bumped by every crash; sockets of an older incarnation are gone. */
  incarnation = 0;
  ports: PortTable;
  readonly clock: Clock;
  readonly trace: Trace;
  readonly tcp: TcpParams;
  private readonly network: Network;
  private readonly hostsFile = new HostsFile();
  private readonly services: HostService[] = [];
  private listenerCount = 0;
  private readonly primaries: { inet: string | undefined; inet6: string | undefined };
  private static readonly INET: readonly Family[] = ['inet'];
  private static readonly INET6: readonly Family[] = ['inet6'];
  private static readonly BOTH: readonly Family[] = ['inet', 'inet6'];

  constructor(
    private readonly context: HostContext,
    readonly name: string,
    options: HostOptions = {},
  ) {
    this.clock = context.clock;
    this.trace = context.trace;
    this.tcp = context.tcp;
    this.network = context.network;
    const addrs = (options.addresses ?? []).map((a) => parseAddress(a).address);
    for (const a of addrs) {
      if (isLoopback(a) || isWildcard(a)) {
        throw new DetnetError('ERR_INVALID_ADDRESS', `host ${name}: ${a} cannot be a host address (loopback and wildcard are implicit)`);
      }
    }
    this.addresses = addrs;
    this.own = new Set(addrs);
    this.ipv6Loopback = options.ipv6Loopback ?? true;
    this.primaries = {
      inet: addrs.find((a) => !a.includes(':')),
      inet6: addrs.find((a) => a.includes(':')),
    };
    this.ports = new PortTable(context.tcp.ephemeralFirst, context.tcp.ephemeralLast);
    if (options.routes !== undefined) {
      for (const [prefix, action] of Object.entries(options.routes)) this.routes.set(prefix, action);
    } else {
      if (this.primary('inet') !== undefined) this.routes.set('0.0.0.0/0', 'reachable');
      if (this.primary('inet6') !== undefined) this.routes.set('::/0', 'reachable');
    }
  }

  /** The first own address of `family` (the source address for remote destinations). */
  primary(family: Family): string | undefined {
    return this.primaries[family];
  }

  // ---- addresses and routes --------------------------------------------------------------------

  /** Whether `address` (canonical) is local: own, `127.0.0.0/8`, or `::1` with IPv6 loopback. */
  ownsAddress(address: string): boolean {
    if (address === '::1') return this.ipv6Loopback;
    return this.own.has(address) || address.startsWith('127.');
  }

  /** @internal The canonical form of an address literal (the world's cache). */
  canonical(address: string): string {
    return this.context.canonical(address);
  }

  /** @internal A new connection id (unique in the world). */
  nextConnId(): number {
    return this.context.nextConnId();
  }

  /** Where a connect from this host to `address` (canonical) goes. */
  routeTo(address: string): RouteDecision {
    if (this.ownsAddress(address) || isWildcard(address)) return this.loopbackUp ? 'local' : 'network-unreachable';
    if (address === '::1') return 'no-source'; // no IPv6 loopback: "cannot assign requested address"
    const action = this.routes.decide(address);
    if (action !== 'network-unreachable' && this.primary(address.includes(':') ? 'inet6' : 'inet') === undefined) return 'no-source';
    return action;
  }

  /** Source address for a connection of `family` to `address` (canonical). */
  sourceAddressFor(family: Family, address: string): string {
    if (isLoopback(address) || isWildcard(address)) return family === 'inet' ? '127.0.0.1' : '::1';
    if (this.own.has(address)) return address;
    return this.primary(family) ?? (family === 'inet' ? '0.0.0.0' : '::');
  }

  /**
   * @internal Validates a bind address for `family`; returns it canonical. Throws NetError
   * EAFNOSUPPORT (other family) or EADDRNOTAVAIL (not local), DetnetError for bad text/port.
   */
  checkBindAddress(family: Family, address: string, port: number): string {
    if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) parsePort(port);
    // Fast path: the wildcard or a local address already in canonical form.
    if (address === WILDCARD[family] || (this.ownsAddress(address) && address.includes(':') === (family === 'inet6') && canonicalLocal(address))) {
      return address;
    }
    const parsed = parseAddress(address);
    const where = { syscall: 'bind', address: parsed.address, port };
    if (parsed.family !== family) throw new NetError('EAFNOSUPPORT', where);
    if (!isWildcard(parsed.address) && !this.ownsAddress(parsed.address)) throw new NetError('EADDRNOTAVAIL', where);
    return parsed.address;
  }

  /** @internal Picks or checks a port; throws NetError EADDRINUSE. */
  claimPort(family: Family, address: string, port: number, reuseAddr: boolean, listening: boolean, dualStack = false): number {
    const families = dualStack ? Host.BOTH : family === 'inet' ? Host.INET : Host.INET6;
    if (port === 0) {
      const p = this.ports.allocate(families);
      if (p === null) throw new NetError('EADDRINUSE', { syscall: 'bind', address, port });
      return p;
    }
    for (const f of families) {
      const addr = dualStack ? (f === 'inet' ? '0.0.0.0' : '::') : address;
      if (this.ports.conflicts(f, addr, port, reuseAddr, listening)) throw new NetError('EADDRINUSE', { syscall: 'bind', address, port });
    }
    return port;
  }

  // ---- hosts file (hosts-file.ts) ---------------------------------------------------------------

  /** Sets (or with null removes) a hosts-file entry: answered locally, before DNS, in this order. */
  setHostsEntry(name: string, addresses: readonly string[] | null): void {
    this.hostsFile.set(name, addresses);
  }

  /** The hosts-file answer for `name`, including `localhost` (`::1` first when IPv6 loopback exists). */
  hostsEntry(name: string): readonly string[] | undefined {
    return this.hostsFile.lookup(name, this.ipv6Loopback);
  }

  // ---- sockets and listeners -------------------------------------------------------------------

  /** `socket(family, SOCK_STREAM)`: a new, unbound, non-blocking TCP socket. */
  socket(family: Family): SimSocket {
    if (family !== 'inet' && family !== 'inet6') {
      throw new DetnetError('ERR_INVALID_FAMILY', `address family must be inet or inet6, got ${String(family)}`);
    }
    this.requireUp('socket');
    return new SimSocket(this, family, this.context.nextSocketId());
  }

  /** `socket` + `bind` + `listen`. Throws NetError EADDRINUSE / EADDRNOTAVAIL. */
  listen(options: ListenOptions): SimListener {
    this.requireUp('listen');
    const backlog = options.backlog ?? this.tcp.defaultBacklog;
    if (!Number.isInteger(backlog) || backlog < 0) {
      throw new DetnetError('ERR_INVALID_BACKLOG', `backlog must be an integer >= 0, got ${String(backlog)}`);
    }
    const port = parsePort(options.port);
    let family: Family = 'inet6';
    let address = '::';
    const dualStack = options.address === undefined;
    if (!dualStack) {
      const parsed = parseAddress(options.address as string);
      family = parsed.family;
      address = this.checkBindAddress(family, parsed.address, port);
    }
    const bound = this.claimPort(family, address, port, true, true, dualStack);
    const listener = new SimListener(this, family, address, bound, backlog, dualStack, ++this.listenerCount);
    this.ports.add(listener);
    if (this.trace.enabled) {
      this.trace.record(this.clock.now(), 'net.listen', { host: this.name, listener: listener.name, address: dualStack ? '*' : address, port: bound });
    }
    return listener;
  }

  /** @internal A listener closed. */
  removeListener(listener: SimListener): void {
    this.ports.remove(listener);
  }

  /** The listener a SYN for (address, port) of `family` reaches: exact address first, then a wildcard. */
  findListener(family: Family, address: string, port: number): SimListener | undefined {
    const held = this.ports.get(family, port);
    if (held === undefined) return undefined;
    let wildcard: SimListener | undefined;
    for (const b of Array.isArray(held) ? held : [held]) {
      if (!(b instanceof SimListener) || b.closed) continue;
      if (b.boundAddress === address && b.family === family) return b;
      if (isWildcard(b.boundAddress)) wildcard ??= b;
    }
    return wildcard;
  }

  private requireUp(op: string): void {
    if (!this.up) throw new DetnetError('ERR_HOST_DOWN', `${op} on host ${this.name}, which has crashed`);
  }

  // ---- the connection table and arriving packets -----------------------------------------------

  /** @internal A socket started connecting: its end enters the connection table. */
  register(socket: SimSocket): void {
    connAdd(this, socket);
  }

  /** @internal A closed socket's connection is over: later packets of it get RST. */
  forget(socket: SimSocket): void {
    connRemove(this, socket);
    if (this.lastEnd === socket) this.lastEnd = null;
  }

  /** Connection ends on this host now (sockets connecting, connected or draining after close). */
  get connections(): number {
    return this.connCount;
  }

  /**
   * @internal The network's route from this host to `address`, for a connection to keep (one
   * per connection, like the route Linux caches on a socket). Not shared through a per-host
   * cache: with a million connections to distinct peers the cache held as many routes again,
   * plus its map, for no reuse (measured: ~100 bytes per connection).
   */
  routeFor(address: string): Route {
    return this.network.routeFor(this, address);
  }

  /** @internal A socket sends a packet along its connection's route. */
  transmit(
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
    this.network.transmit(this, route, kind, src, dst, conn, fromInitiator, seq, bytes, lazyAck);
  }

  /** @internal A socket acknowledges to (or probes) its peer (packet.ts). */
  acknowledge(route: Route, conn: number, toInitiator: boolean, kind: AckKind, received: number, read: number): void {
    this.network.acknowledge(this, route, conn, toInitiator, kind, received, read);
  }

  /** @internal A packet arrived for this host (the network checked that it is up). */
  deliver(p: Packet): void {
    if (p.kind === 'syn') {
      this.acceptSyn(p);
      return;
    }
    const last = this.lastEnd;
    let to: SimSocket | undefined;
    if (last !== null && last.conn === p.conn && last.initiator !== p.fromInitiator) to = last.matches(p) ? last : undefined;
    else if ((to = connLookup(this, p)) !== undefined) this.lastEnd = to;
    if (to === undefined) {
      this.answerWithReset(p); // a connection this host does not know (e.g. after a restart)
      return;
    }
    to.receive(p);
  }

  /** @internal A data or FIN packet a socket of this host sent was lost. */
  lost(p: Packet): void {
    connGet(this, p.conn, p.fromInitiator)?.segmentLost(p);
  }

  /** @internal A SYN a socket of this host sent was answered with ICMP unreachable. */
  unreachable(p: Packet): void {
    connGet(this, p.conn, true)?.connectFailed('EHOSTUNREACH');
  }

  /** @internal The peer of one of this host's connection ends acknowledged. */
  acknowledged(conn: number, toInitiator: boolean, kind: AckKind, received: number, read: number): void {
    connGet(this, conn, toInitiator)?.acknowledged(kind, received, read);
  }

  /**
   * @internal Answers `p` with RST from its destination back to its sender, through the
   * network like any packet (an RST itself is never answered).
   */
  answerWithReset(p: Packet): void {
    if (p.kind === 'rst') return;
    if (this.trace.enabled) this.trace.record(this.clock.now(), 'net.rst', { conn: p.conn, to: fmt(p.src) });
    this.network.transmit(this, this.routeFor(p.src.address), 'rst', p.dst, p.src, p.conn, !p.fromInitiator, 0, null, false);
  }

  private acceptSyn(p: Packet): void {
    // A retransmitted SYN whose SYN-ACK was lost or slow: answer again from the same connection.
    const known = connGet(this, p.conn, false);
    if (known !== undefined && known.matches(p)) {
      if (!known.closed) known.sendSynAck();
      return;
    }
    const listener = this.findListener(p.dst.family, p.dst.address, p.dst.port);
    if (listener === undefined) {
      if (this.trace.enabled) {
        this.trace.record(this.clock.now(), 'net.refuse', { packet: 'syn', conn: p.conn, src: fmt(p.src), dst: fmt(p.dst), reason: 'no-listener' });
      }
      this.answerWithReset(p);
      return;
    }
    if (!listener.hasRoom()) {
      if (this.trace.enabled) {
        this.trace.record(this.clock.now(), 'net.drop', { packet: 'syn', conn: p.conn, src: fmt(p.src), dst: fmt(p.dst), reason: 'accept-queue-full' });
      }
      return;
    }
    const child = new SimSocket(this, p.dst.family, this.context.nextSocketId());
    child.initAccepted(p.conn, p.dst, p.src);
    connAdd(this, child);
    child.sendSynAck();
    listener.enqueue(child);
  }

  // ---- services, crash, restart ----------------------------------------------------------------

  /** Registers a service (an app) and starts it now if the host is up. */
  addService(service: HostService): void {
    this.services.push(service);
    if (this.up) service.start();
  }

  /** Removes a service (it is not stopped; the app does that). */
  removeService(service: HostService): void {
    const i = this.services.indexOf(service);
    if (i >= 0) this.services.splice(i, 1);
  }

  /** Crashes the host: everything on it vanishes silently and it stops answering. */
  crash(): void {
    if (!this.up) return;
    this.up = false;
    this.incarnation++;
    this.ports = new PortTable(this.tcp.ephemeralFirst, this.tcp.ephemeralLast);
    connClear(this);
    this.lastEnd = null;
    this.trace.record(this.clock.now(), 'host.crash', { host: this.name });
    for (const s of [...this.services]) s.crashed();
  }

  /** Restarts a crashed host: it answers again (with RST for old connections) and its services start. */
  restart(): void {
    if (this.up) return;
    this.up = true;
    this.trace.record(this.clock.now(), 'host.restart', { host: this.name });
    for (const s of [...this.services]) s.start();
  }
}

/** Whether a local address string is canonical without parsing it (own addresses are stored canonical). */
function canonicalLocal(address: string): boolean {
  return address === '::1' || address === '127.0.0.1' || !address.startsWith('127.');
}

// Type-only shape check of `Host`: an `implements` clause would reach the .d.ts, where these members are stripped.
type _Conforms<T extends Endpoint & SocketEnv & ListenerEnv & ConnStorage<SimSocket> = Host> = T;
