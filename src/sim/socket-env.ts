/**
 * What a simulated socket or listener may use of its host's kernel: its environment.
 *
 * Owns: the interface only. Host kernels (host.ts) implement it; sockets (sim-socket.ts) and
 * listeners (sim-listener.ts) are given one and know nothing else of the world: no other
 * host, no network object, no world. Everything a socket sends goes through `transmit`,
 * everything it learns arrives through its kernel's connection table.
 */
import type { Clock } from '../clock/clock.js';
import type { Family, SockAddr } from '../net/sock-addr.js';
import type { Trace } from '../trace/trace.js';
import type { Route } from './network.js';
import type { AckKind, Packet, PacketKind } from './packet.js';
import type { Binding, PortTable } from './port-table.js';
import type { RouteDecision } from './routes.js';
import type { TcpParams } from './tcp-params.js';

/** A socket's environment: its host kernel as the socket sees it. */
export interface SocketEnv {
  /** The host's name (in socket names and traces). */
  readonly name: string;
  readonly clock: Clock;
  readonly trace: Trace;
  readonly tcp: TcpParams;
  /** Whether the host is up, and its incarnation (bumped by a crash): sockets of an older one are gone. */
  readonly up: boolean;
  readonly incarnation: number;
  /** The host's port bindings. */
  readonly ports: PortTable;
  /** The canonical form of an address literal (throws `ERR_INVALID_ADDRESS`). */
  canonical(address: string): string;
  /** Validates a bind address; returns it canonical (see `Host.checkBindAddress`). */
  checkBindAddress(family: Family, address: string, port: number): string;
  /** Picks or checks a port (see `Host.claimPort`). */
  claimPort(family: Family, address: string, port: number, reuseAddr: boolean, listening: boolean): number;
  /** Where a connect to `address` goes. */
  routeTo(address: string): RouteDecision;
  /** The source address of a connection of `family` to `address`. */
  sourceAddressFor(family: Family, address: string): string;
  /** A new connection id (unique in the world). */
  nextConnId(): number;
  /** The network's route to `address`, for a connection to keep (opaque to the socket). */
  routeFor(address: string): Route;
  /** Sends a packet of connection `conn` from `src` to `dst` along the connection's route. */
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
  ): void;
  /** Acknowledges to (or probes) the connection's other end (see packet.ts). */
  acknowledge(route: Route, conn: number, toInitiator: boolean, kind: AckKind, received: number, read: number): void;
  /** Answers `p` with RST (unless it is one). */
  answerWithReset(p: Packet): void;
  /** Enters a connection end in the connection table / removes it. */
  register(socket: EnvSocket): void;
  forget(socket: EnvSocket): void;
}

/** What the kernel keeps of a socket in its connection table (see conn-table.ts). */
export interface EnvSocket {
  readonly conn: number;
  readonly initiator: boolean;
  matches(p: Packet): boolean;
}

/** A listener's environment: its host kernel as the listener sees it. */
export interface ListenerEnv {
  readonly name: string;
  readonly clock: Clock;
  readonly trace: Trace;
  /** The listener closed: release its port. */
  removeListener(listener: Binding): void;
}
