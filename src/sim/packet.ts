/**
 * Packets: what the simulated network carries between hosts, as plain data.
 *
 * Owns: the packet shape the router, the fault rules and the host kernels agree on, the
 * read-only view fault rules get, and the acknowledgement kinds of the fabric's instant ACK
 * channel. A packet is a TCP segment reduced to what the simulation needs: its kind (SYN,
 * SYN-ACK, RST, data, FIN), the endpoints, the connection id, which end sent it, and for data
 * and FIN the sequence number (and bytes). It holds no object of any host: the receiving host's
 * kernel finds the socket in its own connection table (conn-table.ts).
 *
 * Packets on the wire are `WirePacket`s: the same plain data as a class with no methods (see
 * there why not object literals).
 *
 * Departs from reality: no ACK packets, checksums, options or MTU. Acknowledgement is implicit:
 * when a segment is accepted, or read, the receiving kernel tells the sender's kernel at once
 * through the network (`Network.acknowledge`), without latency or rules. A lost segment is
 * retransmitted because the network tells its sender's kernel it was lost (see network.ts).
 */
import type { SockAddr } from '../net/sock-addr.js';

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
  /** Connection id (the number of the client's connect attempt, shared by both ends). */
  readonly conn: number;
  /** Payload length in bytes (0 for everything but data). */
  readonly length: number;
}

/** A packet in flight: plain data only. */
export interface Packet extends PacketView {
  /**
   * Whether the sender is the end that opened the connection (the client). With `conn` it names
   * the receiving end in the receiver's connection table: the other one.
   */
  readonly fromInitiator: boolean;
  /** Data: stream offset of the first byte; FIN: the stream's total length; otherwise 0. */
  readonly seq: number;
  /** Data: the bytes carried; otherwise null. */
  readonly bytes: Uint8Array | null;
  /**
   * Set when nothing watches the sender's readiness: the receiver need not acknowledge this
   * segment at once (the sender asks when it needs to know, see stream.ts).
   */
  readonly lazyAck: boolean;
}

/**
 * A message on the fabric's instant acknowledgement channel. To a sender: `data` (a segment was
 * accepted: send-buffer space freed, readiness may have changed), `space` (how much has been
 * accepted, as an answer), `fin` (the FIN was accepted in order) or `read` (how far the reader
 * has consumed: the window). To a receiver: `probe` (the sender asks for `read`), `pull` (it
 * asks for `space`), `watch` (its readiness is watched now: acknowledge every segment at once).
 */
export type AckKind = 'data' | 'space' | 'fin' | 'read' | 'probe' | 'pull' | 'watch';

/**
 * A packet on the wire: the plain data of `Packet` as a class with no methods, not an object
 * literal. Measured: V8 tracks an object literal's allocation site and, when many packets are
 * in flight while a large world is being built, decides to allocate that site's objects in the
 * old generation from then on ("pretenuring"); every packet after that is old-generation
 * garbage, and the whole process runs at about half speed (4 or 5 of 9 processes of the
 * 10,000-host benchmark did). Instances of a class have no such site.
 */
export class WirePacket implements Packet {
  // Fields are declared, not defined, and assigned once in the constructor: a class field
  // definition runs an initializer per object before the constructor (ES2022 semantics), a
  // measured cost for an object made per packet; every packet still gets one shape.
  declare readonly kind: PacketKind;
  declare readonly src: SockAddr;
  declare readonly dst: SockAddr;
  declare readonly srcHost: string;
  declare readonly dstHost: string | null;
  declare readonly conn: number;
  declare readonly length: number;
  declare readonly fromInitiator: boolean;
  declare readonly seq: number;
  declare readonly bytes: Uint8Array | null;
  declare readonly lazyAck: boolean;
  constructor(
    kind: PacketKind,
    src: SockAddr,
    dst: SockAddr,
    srcHost: string,
    dstHost: string | null,
    conn: number,
    length: number,
    fromInitiator: boolean,
    seq: number,
    bytes: Uint8Array | null,
    lazyAck: boolean,
  ) {
    this.kind = kind;
    this.src = src;
    this.dst = dst;
    this.srcHost = srcHost;
    this.dstHost = dstHost;
    this.conn = conn;
    this.length = length;
    this.fromInitiator = fromInitiator;
    this.seq = seq;
    this.bytes = bytes;
    this.lazyAck = lazyAck;
  }
}
