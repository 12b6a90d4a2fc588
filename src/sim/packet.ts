/**
 * Packets: what the simulated network carries between hosts.
 *
 * Owns: the packet shape the router, the fault rules and the hosts agree on, and the read-only
 * view fault rules get. A packet is a TCP segment reduced to what the simulation needs: its
 * kind (SYN, SYN-ACK, RST, data, FIN), the endpoints, the connection it belongs to and, for data
 * and FIN, the sequenced segment it carries.
 *
 * Departs from reality: no ACK packets, checksums, options or MTU. Acknowledgement is implicit
 * (a delivered segment is acknowledged at the instant it arrives) and a lost segment is
 * retransmitted because the network tells its sender it was lost (see network.ts). Packets
 * carry a direct reference to the socket they are addressed to once a connection exists; the
 * receiving host still checks that socket is alive, so a crashed and restarted host answers
 * with RST like a real one that has forgotten the connection.
 */
import type { SockAddr } from '../net/sock-addr.js';
import type { Segment } from './stream.js';
import type { SimSocket } from './sim-socket.js';

/** Kinds of packet. `syn-ack` answers a `syn`; `rst` refuses or resets. */
export type PacketKind = 'syn' | 'syn-ack' | 'rst' | 'data' | 'fin';

/** What fault rules see of a packet. */
export interface PacketView {
  readonly kind: PacketKind;
  /** Sending endpoint (address in canonical form). */
  readonly src: SockAddr;
  /** Receiving endpoint. */
  readonly dst: SockAddr;
  /** Name of the sending host. */
  readonly srcHost: string;
  /** Name of the host that owns `dst`, or null if no host does. */
  readonly dstHost: string | null;
  /** Connection id (the number of the client's connect attempt). */
  readonly conn: number;
  /** Payload length in bytes (0 for everything but data). */
  readonly length: number;
}

/** A packet in flight. */
export interface Packet extends PacketView {
  /**
   * The socket that sent it (for SYN: the connecting socket, so the answer can find it even if
   * rules delay or hold packets), or null for an RST a host sends on behalf of no socket.
   */
  readonly from: SimSocket | null;
  /** The socket it is addressed to, or null for a SYN (the receiving host looks up a listener). */
  readonly to: SimSocket | null;
  /** The data or FIN segment carried, if any. */
  readonly segment: Segment | null;
}
