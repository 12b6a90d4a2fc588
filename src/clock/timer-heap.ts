/**
 * A min-heap of timer slots ordered by (due time, scheduling sequence).
 *
 * Owns: ordering, and O(log n) removal of an arbitrary entry. An entry is three numbers — its
 * due time, its sequence and a *slot*, a small non-negative integer naming it (the clock's slot
 * table says what the slot holds). Does not own what a timer is, nor the id → slot mapping.
 *
 * Layout, chosen for speed (measured in bench/clock.ts): a 4-ary heap in typed arrays. Keys sit
 * in two `Float64Array`s and slots in an `Int32Array`; `pos[slot]` is each slot's heap index,
 * which is what makes removing an arbitrary entry O(log n) without a search. Nothing is
 * allocated per entry, so a world with 100,000 pending timers gives the garbage collector no
 * work, and sifting reads contiguous memory instead of chasing object pointers. A 4-ary heap is
 * half as deep as a binary one, which makes `pop` — the operation every firing pays — cheaper.
 *
 * Invariants: a slot is in the heap at most once; entries with equal (due, seq) come out in an
 * unspecified order (the clock gives every timer a unique seq). Memory is kept at its high-water
 * mark (arrays grow, never shrink), which suits a world that lives for one simulation.
 *
 * Departs from reality: nothing to depart from; a pure data structure.
 */
import { AssertionError } from '../errors.js';

/** Total order on keys: earlier due time first, then lower sequence number. */
export function keyBefore(dueA: number, seqA: number, dueB: number, seqB: number): boolean {
  return dueA < dueB || (dueA === dueB && seqA < seqB);
}

/** log2 of the heap's arity: each node has 2^ARITY_SHIFT = 4 children. */
const ARITY_SHIFT = 2;
const ARITY = 1 << ARITY_SHIFT;
/**
 * Starting size of the key arrays: 8 entries (64 bytes for the Float64 arrays), small enough
 * that V8 keeps the typed arrays on the JS heap. Property tests build thousands of worlds a
 * second, most with a handful of pending timers, and 256-entry arrays per clock (off-heap
 * backing stores, zero-filled) were a measured share of their time and GC; a busy clock grows
 * ×4 while small, so it reaches 512 entries after three copies.
 */
const INITIAL_CAPACITY = 8;

/** Min-heap of slots keyed by (due, seq); see the module header. */
export class TimerHeap {
  private dues = new Float64Array(INITIAL_CAPACITY);
  private seqs = new Float64Array(INITIAL_CAPACITY);
  private slots = new Int32Array(INITIAL_CAPACITY);
  /** Heap index of each slot, or -1 when the slot is not in the heap. */
  private pos = new Int32Array(INITIAL_CAPACITY).fill(-1);
  /** Entries in use; the arrays are longer (their tails are stale). */
  private length = 0;

  /** Number of entries. */
  get size(): number {
    return this.length;
  }

  /** Whether `slot` is in the heap. */
  has(slot: number): boolean {
    return slot >= 0 && slot < this.pos.length && (this.pos[slot] as number) >= 0;
  }

  /** Slot of the earliest entry, or -1 when empty. */
  peekSlot(): number {
    return this.length > 0 ? (this.slots[0] as number) : -1;
  }

  /** Due time of the earliest entry, or undefined when empty. */
  peekDue(): number | undefined {
    return this.length > 0 ? this.dues[0] : undefined;
  }

  /** Sequence number of the earliest entry, or undefined when empty. */
  peekSeq(): number | undefined {
    return this.length > 0 ? this.seqs[0] : undefined;
  }

  /** Adds `slot` (a non-negative integer not already in the heap) with key (`due`, `seq`). */
  push(due: number, seq: number, slot: number): void {
    // Messages are built only on failure: this is the hottest path of every simulation.
    if (!(Number.isInteger(slot) && slot >= 0 && slot <= 0x7fff_ffff)) throw new AssertionError(`invalid heap slot ${slot}`);
    if (slot >= this.pos.length) this.growPos(slot);
    if ((this.pos[slot] as number) >= 0) throw new AssertionError(`slot ${slot} pushed twice onto the heap`);
    if (this.length === this.dues.length) this.growKeys();
    this.siftUp(this.length++, due, seq, slot);
  }

  /** Removes the earliest entry and returns its slot, or -1 when empty. */
  pop(): number {
    if (this.length === 0) return -1;
    const top = this.slots[0] as number;
    this.removeAt(0);
    return top;
  }

  /** Removes `slot` if it is in the heap; returns whether it was. */
  remove(slot: number): boolean {
    if (!this.has(slot)) return false;
    this.removeAt(this.pos[slot] as number);
    return true;
  }

  /** Removes every entry. */
  clear(): void {
    for (let i = 0; i < this.length; i++) this.pos[this.slots[i] as number] = -1;
    this.length = 0;
  }

  /** Empties heap index `i`: the last entry fills the hole and moves up or down. */
  private removeAt(i: number): void {
    this.pos[this.slots[i] as number] = -1;
    const last = --this.length;
    if (i === last) return;
    const due = this.dues[last] as number;
    const seq = this.seqs[last] as number;
    const slot = this.slots[last] as number;
    const parent = (i - 1) >> ARITY_SHIFT;
    if (i > 0 && keyBefore(due, seq, this.dues[parent] as number, this.seqs[parent] as number)) {
      this.siftUp(i, due, seq, slot);
    } else {
      this.siftDown(i, due, seq, slot);
    }
  }

  /** Places the entry at heap index `i` or above (`i` is a hole). */
  private siftUp(i: number, due: number, seq: number, slot: number): void {
    const { dues, seqs, slots, pos } = this;
    while (i > 0) {
      const p = (i - 1) >> ARITY_SHIFT;
      const pd = dues[p] as number;
      if (due > pd || (due === pd && seq >= (seqs[p] as number))) break;
      const ps = slots[p] as number;
      dues[i] = pd;
      seqs[i] = seqs[p] as number;
      slots[i] = ps;
      pos[ps] = i;
      i = p;
    }
    dues[i] = due;
    seqs[i] = seq;
    slots[i] = slot;
    pos[slot] = i;
  }

  /** Places the entry at heap index `i` or below (`i` is a hole). */
  private siftDown(i: number, due: number, seq: number, slot: number): void {
    const { dues, seqs, slots, pos } = this;
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
      const cs = slots[best] as number;
      dues[i] = bd;
      seqs[i] = bs;
      slots[i] = cs;
      pos[cs] = i;
      i = best;
    }
    dues[i] = due;
    seqs[i] = seq;
    slots[i] = slot;
    pos[slot] = i;
  }

  private growKeys(): void {
    const size = grownCapacity(this.dues.length, this.length);
    const dues = new Float64Array(size);
    const seqs = new Float64Array(size);
    const slots = new Int32Array(size);
    dues.set(this.dues);
    seqs.set(this.seqs);
    slots.set(this.slots);
    this.dues = dues;
    this.seqs = seqs;
    this.slots = slots;
  }

  private growPos(slot: number): void {
    const pos = new Int32Array(grownCapacity(this.pos.length, slot)).fill(-1);
    pos.set(this.pos);
    this.pos = pos;
  }
}

/** A capacity above `needed`: ×4 while small (typed-array allocation is the cost), then ×2. */
function grownCapacity(current: number, needed: number): number {
  let size = current;
  while (size <= needed) size *= size < 65_536 ? 4 : 2;
  return size;
}
