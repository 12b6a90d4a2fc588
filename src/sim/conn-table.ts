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
 * Storage: an open-addressing hash table (linear probing, tombstones) over a typed array of
 * keys, rather than a `Map`: entries come and go once per connection, and a `Map` under that
 * churn reallocated its backing store often enough to show in the connect benchmarks.
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

const EMPTY = -1;
const DELETED = -2;
const INITIAL_CAPACITY = 8;
/** Shared empty storage: most hosts of a large world never hold a connection end. */
const NO_KEYS = new Float64Array(0);

export class ConnTable<T extends ConnEnd> {
  private keys: Float64Array = NO_KEYS;
  private values: (T | undefined)[] = [];
  private mask = -1;
  private count = 0;
  /** Live entries plus tombstones: what decides when to rebuild (see `rebuild`). */
  private used = 0;

  /** Number of connection ends on the host. */
  get size(): number {
    return this.count;
  }

  private slot(key: number): number {
    // Keys are integers below 2^53; `| 0` keeps their low 32 bits (beyond 2^32 keys merely
    // collide more), and the multiply-shift spreads consecutive ids over the table.
    const h = Math.imul(key | 0, 0x9e3779b1);
    return (h ^ (h >>> 15)) & this.mask;
  }

  private find(key: number): number {
    const keys = this.keys;
    if (keys.length === 0) return -1;
    for (let i = this.slot(key); ; i = (i + 1) & this.mask) {
      const k = keys[i] as number;
      if (k === key) return i;
      if (k === EMPTY) return -1;
    }
  }

  /** Adds `end` (it must not be there yet: connection ids are unique). */
  add(end: T): void {
    if ((this.used + 1) * 2 > this.keys.length) this.rebuild();
    const key = endKey(end.conn, end.initiator);
    const keys = this.keys;
    let i = this.slot(key);
    while ((keys[i] as number) >= 0) i = (i + 1) & this.mask;
    if (keys[i] === EMPTY) this.used++;
    keys[i] = key;
    this.values[i] = end;
    this.count++;
  }

  /**
   * Rebuilds without tombstones once live entries and tombstones fill half the slots (a miss
   * scans to an empty slot, so the table is kept sparse), doubling when live entries alone
   * fill a third (so a rebuild leaves room for at least a sixth of the slots to churn).
   */
  private rebuild(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const capacity = oldKeys.length === 0 ? INITIAL_CAPACITY : this.count * 3 >= oldKeys.length ? oldKeys.length * 2 : oldKeys.length;
    this.keys = new Float64Array(capacity).fill(EMPTY);
    this.values = new Array<T | undefined>(capacity).fill(undefined);
    this.mask = capacity - 1;
    this.used = this.count;
    for (let j = 0; j < oldKeys.length; j++) {
      const key = oldKeys[j] as number;
      if (key < 0) continue;
      let i = this.slot(key);
      while ((this.keys[i] as number) !== EMPTY) i = (i + 1) & this.mask;
      this.keys[i] = key;
      this.values[i] = oldValues[j];
    }
  }

  /** The end of `conn` on the initiator's side (`initiator` true) or the acceptor's. */
  get(conn: number, initiator: boolean): T | undefined {
    const i = this.find(endKey(conn, initiator));
    return i < 0 ? undefined : this.values[i];
  }

  /** The socket `p` is addressed to: the other end of its sender's, if its 4-tuple matches. */
  lookup(p: Packet): T | undefined {
    const end = this.get(p.conn, !p.fromInitiator);
    return end !== undefined && end.matches(p) ? end : undefined;
  }

  /** Removes `end` if it is the entry for its key (an old incarnation's socket removes nothing). */
  remove(end: T): void {
    const i = this.find(endKey(end.conn, end.initiator));
    if (i < 0 || this.values[i] !== end) return;
    this.keys[i] = DELETED;
    this.values[i] = undefined;
    this.count--;
  }

  /** Forgets everything (a crash). */
  clear(): void {
    this.keys = NO_KEYS;
    this.values = [];
    this.mask = -1;
    this.count = 0;
    this.used = 0;
  }
}
