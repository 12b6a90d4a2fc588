/**
 * A host kernel's connection table: which local socket a packet of a connection belongs to.
 *
 * Owns: the entries (one per connection end living on the host), lookup by connection id and
 * end, and forgetting. A socket enters when it starts connecting (the initiator's end) or when
 * a SYN creates it (the acceptor's end); it leaves when it is closed and its connection is over
 * (both FINs exchanged, or reset), and every entry goes when the host crashes.
 *
 * Keys: a real kernel hashes the 4-tuple and tells incarnations of the same 4-tuple apart by
 * their sequence numbers. Here connection ids are unique in a world, so (id, end) names one
 * incarnation of one 4-tuple exactly, and makes a number key (no string per packet); the
 * receiving kernel still checks the packet's 4-tuple against the entry's (`ConnEnd.matches`).
 *
 * Does not: decide what a packet means (host.ts and sim-socket.ts do).
 */
import type { Packet } from './packet.js';

/** What the table holds: one end of a connection. */
export interface ConnEnd {
  readonly conn: number;
  /** Whether this end opened the connection. */
  readonly initiator: boolean;
  /** Whether `p`'s 4-tuple is this end's connection (its `dst` is our local end, `src` our peer). */
  matches(p: Packet): boolean;
}

/** The key of one end: two per connection id. */
export function endKey(conn: number, initiator: boolean): number {
  return initiator ? conn * 2 : conn * 2 + 1;
}

export class ConnTable<T extends ConnEnd> {
  private entries = new Map<number, T>();

  /** Number of connection ends on the host. */
  get size(): number {
    return this.entries.size;
  }

  /** Adds `end` (it must not be there yet: connection ids are unique). */
  add(end: T): void {
    this.entries.set(endKey(end.conn, end.initiator), end);
  }

  /** The end of `conn` on the initiator's side (`initiator` true) or the acceptor's. */
  get(conn: number, initiator: boolean): T | undefined {
    return this.entries.get(endKey(conn, initiator));
  }

  /** The socket `p` is addressed to: the other end of its sender's, if its 4-tuple matches. */
  lookup(p: Packet): T | undefined {
    const end = this.entries.get(endKey(p.conn, !p.fromInitiator));
    return end !== undefined && end.matches(p) ? end : undefined;
  }

  /** Removes `end` if it is the entry for its key (an old incarnation's socket removes nothing). */
  remove(end: T): void {
    const key = endKey(end.conn, end.initiator);
    if (this.entries.get(key) === end) this.entries.delete(key);
  }

  /** Forgets everything (a crash). */
  clear(): void {
    this.entries = new Map();
  }
}
