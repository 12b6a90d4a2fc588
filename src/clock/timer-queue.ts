/**
 * The virtual clock's queue of pending timer slots, ordered by (due time, scheduling sequence).
 *
 * Owns: ordering, and O(log n) removal of an arbitrary entry. An entry is three numbers — its
 * due time, its sequence and a *slot*, a small non-negative integer naming it (the clock's slot
 * table says what the slot holds). Does not own what a timer is, nor the id → slot mapping.
 *
 * Layout: a 4-ary min-heap in typed arrays, keyed by (due, seq), whose entries are single slots
 * or *buckets*. A simulation schedules many timers at the same few instants — link latencies,
 * retransmission timeouts and Tcl's `after` are whole milliseconds — and a heap of single
 * entries spends most of its time sifting through equal due times. So when a timer is
 * scheduled at a due time that a recent entry still has, the two share a bucket: the slots of
 * one due time in sequence order (a timer scheduled later gets a higher sequence, so appending
 * keeps the order). Appending to a bucket does not touch the heap; firing its head re-keys the
 * bucket to its next entry, which usually leaves it at the top. Recent due times are found in a
 * small direct-mapped table (no map, nothing to forget): a miss only means a second entry for
 * the same due time, which the heap orders by sequence like any other. A timer with a due time
 * of its own is a single entry, exactly as in a plain heap, so clocks whose timers rarely
 * coincide pay only the table probe; so does a small queue (below `BUCKET_FROM` entries),
 * where sifting is cheaper than keeping buckets. Nothing is allocated per timer; buckets are
 * reused.
 *
 * Keys of buckets are lazy: removing a bucket's head (cancelling a timer) leaves the bucket's
 * key at the old, smaller sequence. A smaller key is a lower bound, so the heap stays a heap;
 * the top entry is always settled (its key made exact, sifting down if it grew) before anyone
 * reads it. Removed bucket entries are skipped when they reach the head (`where` and
 * `slotSeq` tell a live entry from a dead one, also after the slot was reused); a bucket whose
 * dead entries far outnumber its live ones is compacted, and an empty bucket leaves the heap.
 *
 * Invariants: a slot is queued at most once, either as a single entry or in one bucket
 * (`where`); each bucket's entries are in increasing sequence order, it has a
 * live entry and it is in the heap; the top entry's key is exact. Memory is kept at its
 * high-water mark (arrays grow, never shrink), which suits a world that lives for one simulation.
 *
 * Over 450 lines: the heap's sifting code is there twice, for a heap of slots only and for one
 * that holds buckets, because the plain copy must stay small enough for V8 to inline into the
 * clock's loop (measured: with one mixed copy, small queues ran a fifth slower); splitting the
 * two copies of one data structure over two files would hide that they must stay in step.
 *
 * Departs from reality: nothing to depart from; a pure data structure.
 */
import { AssertionError } from '../errors.js';

/** Total order on keys: earlier due time first, then lower sequence number. */
function keyBefore(dueA: number, seqA: number, dueB: number, seqB: number): boolean {
  return dueA < dueB || (dueA === dueB && seqA < seqB);
}

/** The slots queued at one due time, in sequence order from `head`. */
class Bucket {
  due = 0;
  /** Entries are `slots[head..end)` with `seqs`; the arrays are reused, so they may be longer. */
  readonly slots: number[] = [];
  readonly seqs: number[] = [];
  /** Index of the first entry not yet taken. */
  head = 0;
  /** Index after the last entry. */
  end = 0;
  /** Entries still queued (from `head` on; the others were removed). */
  live = 0;
}

/** log2 of the heap's arity: each node has 2^ARITY_SHIFT = 4 children. */
const ARITY_SHIFT = 2;
const ARITY = 1 << ARITY_SHIFT;
/**
 * Starting size of the arrays: 8 entries, small enough that V8 keeps typed arrays on the JS
 * heap. Property tests build thousands of worlds a second, most with a handful of pending
 * timers; a busy clock grows ×4 while small.
 */
const INITIAL_CAPACITY = 8;
/** Entries of the recent-due-time table (a power of two). */
const RECENT = 16;
/**
 * Heap size from which timers at a recent due time share buckets. Below it sifting is a level
 * or two, cheaper than making and freeing buckets (a Tcl-level connect has a few timers pending).
 */
const BUCKET_FROM = 64;

/** Pending timer slots by (due, seq); see the module header. */
export class TimerQueue {
  private dues = new Float64Array(INITIAL_CAPACITY);
  private seqs = new Float64Array(INITIAL_CAPACITY);
  /** Heap entries: a slot (≥ 0) or a bucket (`-1 - index`). */
  private refs = new Int32Array(INITIAL_CAPACITY);
  /** Heap entries in use; the arrays are longer (their tails are stale). */
  private length = 0;
  /**
   * Where each slot is queued: its heap index (≥ 0) as a single entry, `-2 - k` in bucket `k`,
   * or -1 when it is not queued (one array, so checking a slot is one read).
   */
  private where = new Int32Array(INITIAL_CAPACITY).fill(-1);
  /** Sequence of each slot queued in a bucket (tells its live entry from dead ones). */
  private slotSeq = new Float64Array(INITIAL_CAPACITY);
  private readonly buckets: Bucket[] = [];
  /** Heap index of each bucket, or -1 when it is free. */
  private bucketPos = new Int32Array(INITIAL_CAPACITY).fill(-1);
  private readonly freeBuckets: number[] = [];
  /** Buckets in the heap now; while there are none, the heap code takes its plain path. */
  private liveBuckets = 0;
  /** Recent due times and the heap entry (`refs` value) that had each. */
  private readonly recentDue = new Float64Array(RECENT).fill(Number.NaN);
  private readonly recentRef = new Int32Array(RECENT);

  /** @param bucketFrom heap size from which recent due times share buckets (tests set 0 to use them always). */
  constructor(private readonly bucketFrom = BUCKET_FROM) {}

  /** Number of queued slots. */
  get size(): number {
    // Counted when asked (tests, diagnostics) rather than on every push and pop: the hot paths
    // must stay small enough for V8 to inline them into the clock's loop.
    let n = this.length - this.liveBuckets;
    for (let i = 0; i < this.length; i++) {
      const ref = this.refs[i] as number;
      if (ref < 0) n += (this.buckets[-1 - ref] as Bucket).live;
    }
    return n;
  }

  /** Whether `slot` is queued. */
  has(slot: number): boolean {
    return slot >= 0 && slot < this.where.length && this.where[slot] !== -1;
  }

  /** Slot of the earliest entry, or -1 when empty. */
  peekSlot(): number {
    if (this.length === 0) return -1;
    const ref = this.refs[0] as number;
    if (ref >= 0) return ref;
    const b = this.buckets[-1 - ref] as Bucket;
    return b.slots[b.head] as number;
  }

  /** Due time of the earliest entry, or undefined when empty. */
  peekDue(): number | undefined {
    return this.length > 0 ? this.dues[0] : undefined;
  }

  /** Sequence number of the earliest entry, or undefined when empty. */
  peekSeq(): number | undefined {
    return this.length > 0 ? this.seqs[0] : undefined;
  }

  /** Adds `slot` (a non-negative integer not already queued) with key (`due`, `seq`). */
  push(due: number, seq: number, slot: number): void {
    // The common case only: a small plain heap with room. Everything else (checks that fail,
    // growth, buckets) is out of line, so that this and `pop` stay small enough for V8 to
    // inline into the clock's loop — measured: a few dozen bytes more here cost small queues
    // a fifth of their speed.
    if ((slot | 0) !== slot || slot < 0 || slot >= this.where.length || this.where[slot] !== -1 || this.length >= this.bucketFrom || this.length === this.dues.length || this.liveBuckets !== 0) {
      this.pushAny(due, seq, slot);
      return;
    }
    this.siftUpPlain(this.length++, due, seq, slot);
  }

  /** `push` in general: checks the slot, grows, shares buckets when the queue is large. */
  private pushAny(due: number, seq: number, slot: number): void {
    // Messages are built only on failure.
    if (!(slot >= 0 && slot <= 0x7fff_ffff && (slot | 0) === slot)) throw new AssertionError(`invalid queue slot ${slot}`);
    if (slot >= this.where.length) this.growSlots(slot);
    if ((this.where[slot] as number) !== -1) throw new AssertionError(`slot ${slot} queued twice`);
    if (this.length >= this.bucketFrom && this.joinedRecent(due, seq, slot)) return;
    if (this.length === this.dues.length) this.growHeap();
    if (this.liveBuckets === 0) this.siftUpPlain(this.length++, due, seq, slot);
    else this.siftUpMixed(this.length++, due, seq, slot);
  }

  /** Removes the earliest entry and returns its slot, or -1 when empty. */
  pop(): number {
    // While no bucket is in the heap this is a plain heap's pop (small: see `push`).
    if (this.liveBuckets !== 0 || this.length === 0) return this.popAny();
    const top = this.refs[0] as number;
    this.removeAtPlain(0);
    return top;
  }

  /** `pop` in general: empty, or with buckets in the heap. */
  private popAny(): number {
    if (this.length === 0) return -1;
    const ref = this.refs[0] as number;
    if (ref < 0) return this.popFromBucket(-1 - ref);
    this.removeAt(0);
    if (this.liveBuckets > 0) this.settleTop();
    return ref;
  }

  /** `pop` when the earliest entry is bucket `k`: its head leaves, the bucket re-keys or goes. */
  private popFromBucket(k: number): number {
    const b = this.buckets[k] as Bucket;
    const slot = b.slots[b.head++] as number;
    this.where[slot] = -1;
    if (--b.live === 0) {
      this.removeAt(0);
      this.freeBucket(k);
    }
    this.settleTop();
    return slot;
  }

  /** Removes `slot` if it is queued; returns whether it was. */
  remove(slot: number): boolean {
    if (!this.has(slot)) return false;
    if (this.liveBuckets === 0) {
      this.removeAtPlain(this.where[slot] as number);
      return true;
    }
    const i = this.where[slot] as number;
    if (i >= 0) {
      this.removeAt(i);
    } else {
      const k = -2 - i;
      const b = this.buckets[k] as Bucket;
      this.where[slot] = -1;
      if (--b.live === 0) {
        this.removeAt(this.bucketPos[k] as number);
        this.freeBucket(k);
      } else if (b.end - b.head > 4 * b.live + 32) {
        this.compact(b, k);
      }
    }
    if (this.liveBuckets > 0) this.settleTop();
    return true;
  }

  /** Removes every entry. */
  clear(): void {
    for (let i = 0; i < this.length; i++) {
      const ref = this.refs[i] as number;
      if (ref >= 0) {
        this.where[ref] = -1;
        continue;
      }
      const k = -1 - ref;
      const b = this.buckets[k] as Bucket;
      for (let j = b.head; j < b.end; j++) if (this.where[b.slots[j] as number] === -2 - k) this.where[b.slots[j] as number] = -1;
      this.freeBucket(k);
    }
    this.length = 0;
    this.liveBuckets = 0;
    this.recentDue.fill(Number.NaN);
  }

  // ---- buckets ---------------------------------------------------------------------------------

  /**
   * Puts (`due`, `seq`, `slot`) into a bucket if a recent entry has its due time (see
   * `joinRecent`); otherwise notes it as the recent entry of its due time and returns false (the
   * caller adds it to the heap). Out of line, so that `push` stays small enough to inline.
   */
  private joinedRecent(due: number, seq: number, slot: number): boolean {
    const r = (due | 0) & (RECENT - 1);
    if (this.recentDue[r] === due && this.joinRecent(r, due, seq, slot)) return true;
    this.recentDue[r] = due;
    this.recentRef[r] = slot;
    return false;
  }

  /**
   * Appends (`due`, `seq`, `slot`) to the entry recent table row `r` names, if that entry is
   * still queued at `due` and `seq` is later than everything in it (a timer put back with its
   * old sequence goes into the heap on its own). A single entry becomes a bucket.
   */
  private joinRecent(r: number, due: number, seq: number, slot: number): boolean {
    const ref = this.recentRef[r] as number;
    let k: number;
    let b: Bucket;
    if (ref >= 0) {
      const i = this.where[ref] as number;
      if (i < 0 || this.dues[i] !== due || seq <= (this.seqs[i] as number)) return false;
      k = this.freeBuckets.pop() ?? this.newBucket();
      this.liveBuckets++;
      b = this.buckets[k] as Bucket;
      b.due = due;
      b.slots[0] = ref;
      b.seqs[0] = this.seqs[i] as number;
      b.end = 1;
      b.live = 1;
      this.bucketPos[k] = i;
      this.refs[i] = -1 - k;
      this.where[ref] = -2 - k;
      this.slotSeq[ref] = this.seqs[i] as number;
      this.recentRef[r] = -1 - k;
    } else {
      k = -1 - ref;
      b = this.buckets[k] as Bucket;
      if ((this.bucketPos[k] as number) < 0 || b.due !== due || seq <= (b.seqs[b.end - 1] as number)) return false;
    }
    const e = b.end++;
    if (e < b.slots.length) {
      b.slots[e] = slot;
      b.seqs[e] = seq;
    } else {
      b.slots.push(slot);
      b.seqs.push(seq);
    }
    b.live++;
    this.where[slot] = -2 - k;
    this.slotSeq[slot] = seq;
    return true;
  }

  private newBucket(): number {
    const k = this.buckets.push(new Bucket()) - 1;
    if (k >= this.bucketPos.length) {
      const grown = new Int32Array(grownCapacity(this.bucketPos.length, k)).fill(-1);
      grown.set(this.bucketPos);
      this.bucketPos = grown;
    }
    return k;
  }

  /** Whether entry `j` of bucket `k` is still queued (not taken, not removed, slot not reused elsewhere). */
  private liveAt(b: Bucket, k: number, j: number): boolean {
    const s = b.slots[j] as number;
    return this.where[s] === -2 - k && this.slotSeq[s] === b.seqs[j];
  }

  /**
   * Makes the top entry's key exact: a bucket whose head was removed moves its head to its
   * first live entry, takes that entry's sequence as its key and sinks if it is no longer least.
   */
  private settleTop(): void {
    while (this.length > 0) {
      const ref = this.refs[0] as number;
      if (ref >= 0) return;
      const k = -1 - ref;
      const b = this.buckets[k] as Bucket;
      while (!this.liveAt(b, k, b.head)) {
        if (++b.head >= b.end) throw new AssertionError(`bucket at ${b.due} counts ${b.live} live entries but has none`);
      }
      const seq = b.seqs[b.head] as number;
      if (seq === this.seqs[0]) return;
      this.siftDownMixed(0, b.due, seq, ref);
    }
  }

  private freeBucket(k: number): void {
    const b = this.buckets[k] as Bucket;
    b.head = 0;
    b.end = 0;
    b.live = 0;
    this.bucketPos[k] = -1;
    this.freeBuckets.push(k);
    this.liveBuckets--;
  }

  /** Drops the dead entries of bucket `k`. Its key may stay a lower bound (settled at the top). */
  private compact(b: Bucket, k: number): void {
    let w = 0;
    for (let j = b.head; j < b.end; j++) {
      if (!this.liveAt(b, k, j)) continue;
      b.slots[w] = b.slots[j] as number;
      b.seqs[w] = b.seqs[j] as number;
      w++;
    }
    b.end = w;
    b.head = 0;
  }

  // ---- the heap --------------------------------------------------------------------------------

  /** Empties heap index `i`: the last entry fills the hole and moves up or down. */
  private removeAt(i: number): void {
    const ref = this.refs[i] as number;
    if (ref >= 0) this.where[ref] = -1;
    const last = --this.length;
    if (i === last) return;
    const due = this.dues[last] as number;
    const seq = this.seqs[last] as number;
    const moved = this.refs[last] as number;
    const parent = (i - 1) >> ARITY_SHIFT;
    if (i > 0 && keyBefore(due, seq, this.dues[parent] as number, this.seqs[parent] as number)) {
      this.siftUpMixed(i, due, seq, moved);
    } else {
      this.siftDownMixed(i, due, seq, moved);
    }
  }

  /** `removeAt` while no bucket is in the heap (every entry is a slot). */
  private removeAtPlain(i: number): void {
    this.where[this.refs[i] as number] = -1;
    const last = --this.length;
    if (i === last) return;
    const due = this.dues[last] as number;
    const seq = this.seqs[last] as number;
    const moved = this.refs[last] as number;
    const parent = (i - 1) >> ARITY_SHIFT;
    if (i > 0 && keyBefore(due, seq, this.dues[parent] as number, this.seqs[parent] as number)) {
      this.siftUpPlain(i, due, seq, moved);
    } else {
      this.siftDownPlain(i, due, seq, moved);
    }
  }

  /** Places the entry at heap index `i` or above (`i` is a hole); a moved entry may be a bucket. */
  private siftUpMixed(i: number, due: number, seq: number, ref: number): void {
    const { dues, seqs, refs, where, bucketPos } = this;
    while (i > 0) {
      const p = (i - 1) >> ARITY_SHIFT;
      const pd = dues[p] as number;
      if (due > pd || (due === pd && seq >= (seqs[p] as number))) break;
      const pr = refs[p] as number;
      dues[i] = pd;
      seqs[i] = seqs[p] as number;
      refs[i] = pr;
      if (pr >= 0) where[pr] = i;
      else bucketPos[-1 - pr] = i;
      i = p;
    }
    dues[i] = due;
    seqs[i] = seq;
    refs[i] = ref;
    if (ref >= 0) where[ref] = i;
    else bucketPos[-1 - ref] = i;
  }

  /** Places the entry at heap index `i` or below (`i` is a hole); a moved entry may be a bucket. */
  private siftDownMixed(i: number, due: number, seq: number, ref: number): void {
    const { dues, seqs, refs, where, bucketPos } = this;
    const n = this.length;
    for (;;) {
      const first = (i << ARITY_SHIFT) + 1;
      if (first >= n) break;
      // The earliest of up to ARITY children.
      let best = first;
      let bd = dues[first] as number;
      let bs = seqs[first] as number;
      const end = first + ARITY < n ? first + ARITY : n;
      for (let c = first + 1; c < end; c++) {
        const cd = dues[c] as number;
        if (cd < bd || (cd === bd && (seqs[c] as number) < bs)) {
          best = c;
          bd = cd;
          bs = seqs[c] as number;
        }
      }
      if (due < bd || (due === bd && seq <= bs)) break;
      const br = refs[best] as number;
      dues[i] = bd;
      seqs[i] = bs;
      refs[i] = br;
      if (br >= 0) where[br] = i;
      else bucketPos[-1 - br] = i;
      i = best;
    }
    dues[i] = due;
    seqs[i] = seq;
    refs[i] = ref;
    if (ref >= 0) where[ref] = i;
    else bucketPos[-1 - ref] = i;
  }

  /** `siftUp` while no bucket is in the heap: every entry is a slot. */
  private siftUpPlain(i: number, due: number, seq: number, slot: number): void {
    const { dues, seqs, refs, where } = this;
    while (i > 0) {
      const p = (i - 1) >> ARITY_SHIFT;
      const pd = dues[p] as number;
      if (due > pd || (due === pd && seq >= (seqs[p] as number))) break;
      const ps = refs[p] as number;
      dues[i] = pd;
      seqs[i] = seqs[p] as number;
      refs[i] = ps;
      where[ps] = i;
      i = p;
    }
    dues[i] = due;
    seqs[i] = seq;
    refs[i] = slot;
    where[slot] = i;
  }

  /** `siftDown` while no bucket is in the heap: every entry is a slot. */
  private siftDownPlain(i: number, due: number, seq: number, slot: number): void {
    const { dues, seqs, refs, where } = this;
    const n = this.length;
    for (;;) {
      const first = (i << ARITY_SHIFT) + 1;
      if (first >= n) break;
      let best = first;
      let bd = dues[first] as number;
      let bs = seqs[first] as number;
      const end = first + ARITY < n ? first + ARITY : n;
      for (let c = first + 1; c < end; c++) {
        const cd = dues[c] as number;
        if (cd < bd || (cd === bd && (seqs[c] as number) < bs)) {
          best = c;
          bd = cd;
          bs = seqs[c] as number;
        }
      }
      if (due < bd || (due === bd && seq <= bs)) break;
      const cs = refs[best] as number;
      dues[i] = bd;
      seqs[i] = bs;
      refs[i] = cs;
      where[cs] = i;
      i = best;
    }
    dues[i] = due;
    seqs[i] = seq;
    refs[i] = slot;
    where[slot] = i;
  }

  private growHeap(): void {
    const size = grownCapacity(this.dues.length, this.length);
    const dues = new Float64Array(size);
    const seqs = new Float64Array(size);
    const refs = new Int32Array(size);
    dues.set(this.dues);
    seqs.set(this.seqs);
    refs.set(this.refs);
    this.dues = dues;
    this.seqs = seqs;
    this.refs = refs;
  }

  private growSlots(slot: number): void {
    const size = grownCapacity(this.where.length, slot);
    const where = new Int32Array(size).fill(-1);
    where.set(this.where);
    this.where = where;
    const slotSeq = new Float64Array(size);
    slotSeq.set(this.slotSeq);
    this.slotSeq = slotSeq;
  }
}

/** A capacity above `needed`: ×4 while small (typed-array allocation is the cost), then ×2. */
function grownCapacity(current: number, needed: number): number {
  let size = current;
  while (size <= needed) size *= size < 65_536 ? 4 : 2;
  return size;
}
