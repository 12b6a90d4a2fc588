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
 * of hosts). A table that grew into a hash table stays one until it is cleared. The storage is
 * four fields (`ConnStorage`) that a host kernel holds itself, the functions here working on
 * them, so that a packet's lookup touches no object of the table's own; `ConnTable` is the
 * same storage as an object (tests and other owners use it).
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

/**
 * The table's storage: four fields an owner holds itself. A host kernel is the owner of its own
 * table (host.ts), so a packet's lookup reads the host it already touched rather than one more
 * object: with a million connections spread over 10,000 hosts, every object a packet touches
 * is a likely cache miss. `ConnTable` is the same storage as an object of its own.
 */
export interface ConnStorage<T extends ConnEnd> {
  /** The scanned array (its first `connCount` entries) while `connSmall`, else the hash table. */
  connSlots: (T | undefined)[];
  connMask: number;
  connCount: number;
  connSmall: boolean;
}

/** What an owner's storage starts as (and returns to when cleared). */
export const NO_CONN_SLOTS: readonly ConnEnd[] = NO_SLOTS;

/** The home slot of an end. */
function slotOf<T extends ConnEnd>(t: ConnStorage<T>, conn: number, initiator: boolean): number {
  // Keys are integers below 2^53; `| 0` keeps the low 32 bits (beyond 2^32 ids merely
  // collide more), and the multiply-shift spreads consecutive ids over the table.
  const h = Math.imul((initiator ? conn * 2 : conn * 2 + 1) | 0, 0x9e3779b1);
  return (h ^ (h >>> 15)) & t.connMask;
}

function find<T extends ConnEnd>(t: ConnStorage<T>, conn: number, initiator: boolean): number {
  const slots = t.connSlots;
  if (t.connSmall) {
    for (let i = 0; i < t.connCount; i++) {
      const e = slots[i] as T;
      if (e.conn === conn && e.initiator === initiator) return i;
    }
    return -1;
  }
  for (let i = slotOf(t, conn, initiator); ; i = (i + 1) & t.connMask) {
    const e = slots[i];
    if (e === undefined) return -1;
    if (e.conn === conn && e.initiator === initiator) return i;
  }
}

/**
 * Adds `end` (it must not be there yet: connection ids are unique). Keeps a hash table at most
 * three quarters full (a host with a few hundred connections keeps its table in 2 KB, not 4).
 */
export function connAdd<T extends ConnEnd>(t: ConnStorage<T>, end: T): void {
  if (t.connSmall) {
    if (t.connCount < SMALL) {
      if (t.connSlots === NO_SLOTS) t.connSlots = [];
      t.connSlots[t.connCount++] = end;
      return;
    }
    toHash(t);
  }
  if ((t.connCount + 1) * 4 > t.connSlots.length * 3) grow(t);
  place(t, end);
  t.connCount++;
}

/** Moves the scanned array's ends into a hash table. */
function toHash<T extends ConnEnd>(t: ConnStorage<T>): void {
  const ends = t.connSlots.slice(0, t.connCount) as T[];
  const capacity = 4 * SMALL; // at most a quarter full, room to grow before the next rebuild
  t.connSmall = false;
  t.connSlots = new Array<T | undefined>(capacity).fill(undefined);
  t.connMask = capacity - 1;
  for (const e of ends) place(t, e);
}

function place<T extends ConnEnd>(t: ConnStorage<T>, end: T): void {
  const slots = t.connSlots;
  let i = slotOf(t, end.conn, end.initiator);
  while (slots[i] !== undefined) i = (i + 1) & t.connMask;
  slots[i] = end;
}

function grow<T extends ConnEnd>(t: ConnStorage<T>): void {
  const old = t.connSlots;
  const capacity = old.length === 0 ? INITIAL_CAPACITY : old.length * 2;
  t.connSlots = new Array<T | undefined>(capacity).fill(undefined);
  t.connMask = capacity - 1;
  for (const e of old) if (e !== undefined) place(t, e);
}

/** The end of `conn` on the initiator's side (`initiator` true) or the acceptor's. */
export function connGet<T extends ConnEnd>(t: ConnStorage<T>, conn: number, initiator: boolean): T | undefined {
  const i = find(t, conn, initiator);
  return i < 0 ? undefined : t.connSlots[i];
}

/**
 * The socket `p` is addressed to: the other end of its sender's, if its 4-tuple matches. The
 * probe is written out here (it runs for every packet; a flat loop inlines better).
 */
export function connLookup<T extends ConnEnd>(t: ConnStorage<T>, p: Packet): T | undefined {
  const slots = t.connSlots;
  const conn = p.conn;
  const initiator = !p.fromInitiator;
  if (t.connSmall) {
    for (let i = 0; i < t.connCount; i++) {
      const e = slots[i] as T;
      if (e.conn === conn && e.initiator === initiator) return e.matches(p) ? e : undefined;
    }
    return undefined;
  }
  const mask = t.connMask;
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
export function connRemove<T extends ConnEnd>(t: ConnStorage<T>, end: T): void {
  let hole = find(t, end.conn, end.initiator);
  const slots = t.connSlots;
  if (hole < 0 || slots[hole] !== end) return;
  if (t.connSmall) {
    const last = --t.connCount;
    slots[hole] = slots[last];
    slots[last] = undefined;
    return;
  }
  const mask = t.connMask;
  slots[hole] = undefined;
  t.connCount--;
  for (let j = (hole + 1) & mask; ; j = (j + 1) & mask) {
    const e = slots[j];
    if (e === undefined) return;
    const home = slotOf(t, e.conn, e.initiator);
    // `e` may move into the hole unless its home lies cyclically in (hole, j].
    const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
    if (stays) continue;
    slots[hole] = e;
    slots[j] = undefined;
    hole = j;
  }
}

/** Forgets everything (a crash). */
export function connClear<T extends ConnEnd>(t: ConnStorage<T>): void {
  t.connSlots = NO_SLOTS as T[];
  t.connMask = -1;
  t.connCount = 0;
  t.connSmall = true;
}

/** A connection table as an object of its own (the same functions on its own storage). */
export class ConnTable<T extends ConnEnd> implements ConnStorage<T> {
  /** @internal */ connSlots: (T | undefined)[] = NO_SLOTS as T[];
  /** @internal */ connMask = -1;
  /** @internal */ connCount = 0;
  /** @internal */ connSmall = true;

  /** Number of connection ends on the host. */
  get size(): number {
    return this.connCount;
  }

  /** Adds `end` (see `connAdd`). */
  add(end: T): void {
    connAdd(this, end);
  }

  /** The end of `conn` on the initiator's side (`initiator` true) or the acceptor's. */
  get(conn: number, initiator: boolean): T | undefined {
    return connGet(this, conn, initiator);
  }

  /** The socket `p` is addressed to (see `connLookup`). */
  lookup(p: Packet): T | undefined {
    return connLookup(this, p);
  }

  /** Removes `end` (see `connRemove`). */
  remove(end: T): void {
    connRemove(this, end);
  }

  /** Forgets everything (a crash). */
  clear(): void {
    connClear(this);
  }
}
