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
 * incarnation of one 4-tuple exactly, and hashes as a number (no string per packet); the
 * receiving kernel still checks the packet's 4-tuple against the entry's (`ConnEnd.matches`).
 *
 * Storage: while a host holds at most `SMALL` ends (most hosts, most of the time), a plain
 * array scanned in order — cheaper than hashing for a handful of entries, and removal swaps
 * the last entry in. Beyond that, an open-addressing hash table (linear probing; removal
 * shifts the rest of the cluster back, so there are no tombstones and no rebuilds but growth)
 * holding the ends themselves, rather than a `Map`: entries come and go once per connection,
 * and a `Map` under that churn reallocated its backing store often enough to show in the
 * connect benchmarks. A probe compares the end's own `conn` and `initiator`, which the caller
 * reads next anyway, so a lookup touches one array and the socket (this matters with thousands
 * of hosts). A table that grew into a hash table stays one until it is cleared.
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

const INITIAL_CAPACITY = 8;
/** Ends kept in a scanned array before the table hashes. */
const SMALL = 8;
/** Shared empty storage: most hosts of a large world never hold a connection end. */
const NO_SLOTS: readonly ConnEnd[] = Object.freeze([]);

export class ConnTable<T extends ConnEnd> {
  private slots: (T | undefined)[] = NO_SLOTS as T[];
  private mask = -1;
  private count = 0;
  /** Whether `slots` is the scanned array (its first `count` entries) rather than a hash table. */
  private small = true;

  /** Number of connection ends on the host. */
  get size(): number {
    return this.count;
  }

  /** The home slot of an end. */
  private slot(conn: number, initiator: boolean): number {
    // Keys are integers below 2^53; `| 0` keeps the low 32 bits (beyond 2^32 ids merely
    // collide more), and the multiply-shift spreads consecutive ids over the table.
    const h = Math.imul((initiator ? conn * 2 : conn * 2 + 1) | 0, 0x9e3779b1);
    return (h ^ (h >>> 15)) & this.mask;
  }

  private find(conn: number, initiator: boolean): number {
    const slots = this.slots;
    if (this.small) {
      for (let i = 0; i < this.count; i++) {
        const e = slots[i] as T;
        if (e.conn === conn && e.initiator === initiator) return i;
      }
      return -1;
    }
    for (let i = this.slot(conn, initiator); ; i = (i + 1) & this.mask) {
      const e = slots[i];
      if (e === undefined) return -1;
      if (e.conn === conn && e.initiator === initiator) return i;
    }
  }

  /**
   * Adds `end` (it must not be there yet: connection ids are unique). Keeps a hash table at most
   * three quarters full (a host with a few hundred connections keeps its table in 2 KB, not 4).
   */
  add(end: T): void {
    if (this.small) {
      if (this.count < SMALL) {
        if (this.slots === NO_SLOTS) this.slots = [];
        this.slots[this.count++] = end;
        return;
      }
      this.toHash();
    }
    if ((this.count + 1) * 4 > this.slots.length * 3) this.grow();
    this.place(end);
    this.count++;
  }

  /** Moves the scanned array's ends into a hash table. */
  private toHash(): void {
    const ends = this.slots.slice(0, this.count) as T[];
    const capacity = 4 * SMALL; // at most a quarter full, room to grow before the next rebuild
    this.small = false;
    this.slots = new Array<T | undefined>(capacity).fill(undefined);
    this.mask = capacity - 1;
    for (const e of ends) this.place(e);
  }

  private place(end: T): void {
    const slots = this.slots;
    let i = this.slot(end.conn, end.initiator);
    while (slots[i] !== undefined) i = (i + 1) & this.mask;
    slots[i] = end;
  }

  private grow(): void {
    const old = this.slots;
    const capacity = old.length === 0 ? INITIAL_CAPACITY : old.length * 2;
    this.slots = new Array<T | undefined>(capacity).fill(undefined);
    this.mask = capacity - 1;
    for (const e of old) if (e !== undefined) this.place(e);
  }

  /** The end of `conn` on the initiator's side (`initiator` true) or the acceptor's. */
  get(conn: number, initiator: boolean): T | undefined {
    const i = this.find(conn, initiator);
    return i < 0 ? undefined : this.slots[i];
  }

  /**
   * The socket `p` is addressed to: the other end of its sender's, if its 4-tuple matches. The
   * probe is written out here (it runs for every packet; a flat loop inlines better).
   */
  lookup(p: Packet): T | undefined {
    const slots = this.slots;
    const conn = p.conn;
    const initiator = !p.fromInitiator;
    if (this.small) {
      for (let i = 0; i < this.count; i++) {
        const e = slots[i] as T;
        if (e.conn === conn && e.initiator === initiator) return e.matches(p) ? e : undefined;
      }
      return undefined;
    }
    const mask = this.mask;
    const h = Math.imul((initiator ? conn * 2 : conn * 2 + 1) | 0, 0x9e3779b1);
    for (let i = (h ^ (h >>> 15)) & mask; ; i = (i + 1) & mask) {
      const e = slots[i];
      if (e === undefined) return undefined;
      if (e.conn === conn && e.initiator === initiator) return e.matches(p) ? e : undefined;
    }
  }

  /**
   * Removes `end` if it is the entry for its key (an old incarnation's socket removes nothing),
   * then shifts later entries of its cluster back so every entry stays reachable from its home.
   */
  remove(end: T): void {
    let hole = this.find(end.conn, end.initiator);
    const slots = this.slots;
    if (hole < 0 || slots[hole] !== end) return;
    if (this.small) {
      const last = --this.count;
      slots[hole] = slots[last];
      slots[last] = undefined;
      return;
    }
    const mask = this.mask;
    slots[hole] = undefined;
    this.count--;
    for (let j = (hole + 1) & mask; ; j = (j + 1) & mask) {
      const e = slots[j];
      if (e === undefined) return;
      const home = this.slot(e.conn, e.initiator);
      // `e` may move into the hole unless its home lies cyclically in (hole, j].
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      slots[hole] = e;
      slots[j] = undefined;
      hole = j;
    }
  }

  /** Forgets everything (a crash). */
  clear(): void {
    this.slots = NO_SLOTS as T[];
    this.mask = -1;
    this.count = 0;
    this.small = true;
  }
}
