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
 * Storage: an open-addressing hash table (linear probing, tombstones) holding the ends
 * themselves, rather than a `Map`: entries come and go once per connection, and a `Map` under
 * that churn reallocated its backing store often enough to show in the connect benchmarks. A
 * probe compares the end's own `conn` and `initiator`, which the caller reads next anyway, so a
 * lookup touches one array and the socket (this matters with thousands of hosts).
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

/** Marks a removed entry (probing continues past it). */
const TOMBSTONE: ConnEnd = Object.freeze({ conn: -1, initiator: false, matches: () => false });
const INITIAL_CAPACITY = 8;
/** Shared empty storage: most hosts of a large world never hold a connection end. */
const NO_SLOTS: readonly ConnEnd[] = Object.freeze([]);

export class ConnTable<T extends ConnEnd> {
  private slots: (T | ConnEnd | undefined)[] = NO_SLOTS as ConnEnd[];
  private mask = -1;
  private count = 0;
  /** Live entries plus tombstones: what decides when to rebuild (see `rebuild`). */
  private used = 0;

  /** Number of connection ends on the host. */
  get size(): number {
    return this.count;
  }

  private slot(conn: number, initiator: boolean): number {
    // Keys are integers below 2^53; `| 0` keeps the low 32 bits (beyond 2^32 ids merely
    // collide more), and the multiply-shift spreads consecutive ids over the table.
    const h = Math.imul((initiator ? conn * 2 : conn * 2 + 1) | 0, 0x9e3779b1);
    return (h ^ (h >>> 15)) & this.mask;
  }

  private find(conn: number, initiator: boolean): number {
    const slots = this.slots;
    if (slots.length === 0) return -1;
    for (let i = this.slot(conn, initiator); ; i = (i + 1) & this.mask) {
      const e = slots[i];
      if (e === undefined) return -1;
      if (e.conn === conn && e.initiator === initiator) return i;
    }
  }

  /** Adds `end` (it must not be there yet: connection ids are unique). */
  add(end: T): void {
    if ((this.used + 1) * 2 > this.slots.length) this.rebuild();
    const slots = this.slots;
    let i = this.slot(end.conn, end.initiator);
    for (let e = slots[i]; e !== undefined && e !== TOMBSTONE; e = slots[i]) i = (i + 1) & this.mask;
    if (slots[i] === undefined) this.used++;
    slots[i] = end;
    this.count++;
  }

  /**
   * Rebuilds without tombstones once live entries and tombstones fill half the slots (a miss
   * scans to an empty slot, so the table is kept sparse), doubling when live entries alone
   * fill a third (so a rebuild leaves room for at least a sixth of the slots to churn).
   */
  private rebuild(): void {
    const old = this.slots;
    const capacity = old.length === 0 ? INITIAL_CAPACITY : this.count * 3 >= old.length ? old.length * 2 : old.length;
    const slots = new Array<T | ConnEnd | undefined>(capacity).fill(undefined);
    this.slots = slots;
    this.mask = capacity - 1;
    this.used = this.count;
    for (const e of old) {
      if (e === undefined || e === TOMBSTONE) continue;
      let i = this.slot(e.conn, e.initiator);
      while (slots[i] !== undefined) i = (i + 1) & this.mask;
      slots[i] = e;
    }
  }

  /** The end of `conn` on the initiator's side (`initiator` true) or the acceptor's. */
  get(conn: number, initiator: boolean): T | undefined {
    const i = this.find(conn, initiator);
    return i < 0 ? undefined : (this.slots[i] as T);
  }

  /** The socket `p` is addressed to: the other end of its sender's, if its 4-tuple matches. */
  lookup(p: Packet): T | undefined {
    const end = this.get(p.conn, !p.fromInitiator);
    return end !== undefined && end.matches(p) ? end : undefined;
  }

  /** Removes `end` if it is the entry for its key (an old incarnation's socket removes nothing). */
  remove(end: T): void {
    const i = this.find(end.conn, end.initiator);
    if (i < 0 || this.slots[i] !== end) return;
    this.slots[i] = TOMBSTONE;
    this.count--;
  }

  /** Forgets everything (a crash). */
  clear(): void {
    this.slots = NO_SLOTS as ConnEnd[];
    this.mask = -1;
    this.count = 0;
    this.used = 0;
  }
}
