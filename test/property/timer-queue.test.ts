// TimerQueue against the simplest possible model: an array kept sorted by (due, seq). Random
// sequences of push, pop, remove-arbitrary and peek must agree with the model after every step.
// Due times come from a small range so that ties (equal due, ordered by seq) are common, and
// slots from a small range so that slots are freed and reused as the clock reuses them.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { propertyParams } from '../helpers/property.js';
import { TimerQueue } from '../../src/clock/timer-queue.js';

interface ModelEntry {
  readonly due: number;
  readonly seq: number;
  readonly slot: number;
}

interface Model {
  entries: ModelEntry[]; // sorted by (due, seq)
  nextSeq: number;
  /** Entries popped so far, which the clock may put back with their old sequence (a tie not chosen). */
  popped: ModelEntry[];
}

type Real = TimerQueue;

function insertSorted(entries: ModelEntry[], entry: ModelEntry): void {
  let i = 0;
  while (i < entries.length) {
    const e = entries[i] as ModelEntry;
    if (e.due > entry.due || (e.due === entry.due && e.seq > entry.seq)) break;
    i++;
  }
  entries.splice(i, 0, entry);
}

/**
 * Throws when `actual` is not `expected`. A plain check rather than vitest's `expect`, which is
 * slow enough to dominate a suite of 1,000 runs × ~50 commands × 5 checks.
 */
function same(actual: unknown, expected: unknown, what: string): void {
  if (!Object.is(actual, expected)) throw new Error(`${what}: expected ${String(expected)}, got ${String(actual)}`);
}

function checkAgrees(model: Model, heap: Real): void {
  same(heap.size, model.entries.length, 'size');
  const first = model.entries[0];
  same(heap.peekSlot(), first === undefined ? -1 : first.slot, 'peekSlot');
  same(heap.peekDue(), first?.due, 'peekDue');
  same(heap.peekSeq(), first?.seq, 'peekSeq');
}

class Push implements fc.Command<Model, Real> {
  constructor(
    readonly due: number,
    readonly slot: number,
  ) {}
  check(model: Readonly<Model>): boolean {
    return !model.entries.some((e) => e.slot === this.slot);
  }
  run(model: Model, heap: Real): void {
    const entry = { due: this.due, seq: model.nextSeq++, slot: this.slot };
    heap.push(entry.due, entry.seq, entry.slot);
    insertSorted(model.entries, entry);
    same(heap.has(this.slot), true, 'has after push');
    checkAgrees(model, heap);
  }
  toString(): string {
    return `push(due=${this.due}, slot=${this.slot})`;
  }
}

class Pop implements fc.Command<Model, Real> {
  check(): boolean {
    return true;
  }
  run(model: Model, heap: Real): void {
    const expected = model.entries.shift();
    if (expected !== undefined) model.popped.push(expected);
    same(heap.pop(), expected === undefined ? -1 : expected.slot, 'pop');
    if (expected !== undefined) same(heap.has(expected.slot), false, 'has after pop');
    checkAgrees(model, heap);
  }
  toString(): string {
    return 'pop()';
  }
}

/** Removes a slot that may or may not be in the heap. */
class Remove implements fc.Command<Model, Real> {
  constructor(readonly slot: number) {}
  check(): boolean {
    return true;
  }
  run(model: Model, heap: Real): void {
    const i = model.entries.findIndex((e) => e.slot === this.slot);
    if (i >= 0) model.entries.splice(i, 1);
    same(heap.remove(this.slot), i >= 0, 'remove');
    same(heap.has(this.slot), false, 'has after remove');
    checkAgrees(model, heap);
  }
  toString(): string {
    return `remove(slot=${this.slot})`;
  }
}

/** Removes an entry chosen among those present (so removals from the middle are frequent). */
class RemovePresent implements fc.Command<Model, Real> {
  constructor(readonly pick: number) {}
  check(model: Readonly<Model>): boolean {
    return model.entries.length > 0;
  }
  run(model: Model, heap: Real): void {
    const [entry] = model.entries.splice(this.pick % model.entries.length, 1);
    same(heap.remove((entry as ModelEntry).slot), true, 'remove present');
    checkAgrees(model, heap);
  }
  toString(): string {
    return `removePresent(#${this.pick})`;
  }
}

/**
 * Puts back a popped entry with its old due time and sequence, as the clock does with tie
 * candidates the tie-breaker did not choose: its sequence is older than entries queued since.
 */
class PutBack implements fc.Command<Model, Real> {
  constructor(readonly pick: number) {}
  check(model: Readonly<Model>): boolean {
    if (model.popped.length === 0) return false;
    const e = model.popped[this.pick % model.popped.length] as ModelEntry;
    return !model.entries.some((x) => x.slot === e.slot);
  }
  run(model: Model, heap: Real): void {
    const [e] = model.popped.splice(this.pick % model.popped.length, 1) as [ModelEntry];
    heap.push(e.due, e.seq, e.slot);
    insertSorted(model.entries, e);
    checkAgrees(model, heap);
  }
  toString(): string {
    return `putBack(#${this.pick})`;
  }
}

class Peek implements fc.Command<Model, Real> {
  check(): boolean {
    return true;
  }
  run(model: Model, heap: Real): void {
    checkAgrees(model, heap);
  }
  toString(): string {
    return 'peek()';
  }
}

const dueArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 12 }) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 12, noNaN: true }) },
);
// Mostly a small slot range (reuse), sometimes a large slot (the position table must grow).
const slotArb = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 40 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 2000 }) });

const commandsArb = fc.commands(
  [
    fc.tuple(dueArb, slotArb).map(([due, slot]) => new Push(due, slot)),
    fc.tuple(dueArb, slotArb).map(([due, slot]) => new Push(due, slot)),
    fc.constant(new Pop()),
    slotArb.map((slot) => new Remove(slot)),
    fc.nat().map((pick) => new RemovePresent(pick)),
    fc.nat().map((pick) => new PutBack(pick)),
    fc.constant(new Peek()),
  ],
  // fast-check's default size would stop at 10 commands; 'medium' averages ~50, up to 100.
  { maxCommands: 100, size: 'medium' },
);

// Buckets are used from a heap size up (64 by default); `bucketFrom` 0 uses them at once, 3
// mixes single entries and buckets of the same due time, the default keeps this small model plain.
test.each([0, 3, undefined])('TimerQueue (buckets from %s entries) agrees with a sorted-array model under push, pop, remove, put-back and peek', (bucketFrom) => {
  fc.assert(
    fc.property(commandsArb, (commands) => {
      fc.modelRun(() => ({ model: { entries: [], nextSeq: 0, popped: [] }, real: new TimerQueue(bucketFrom) }), commands);
    }),
    propertyParams('timer queue vs sorted array', 'test/property/timer-queue.test.ts'),
  );
});

test('TimerQueue drains in (due, seq) order whatever the insertion order', () => {
  fc.assert(
    fc.property(fc.array(dueArb, { maxLength: 400, size: 'max' }), fc.constantFrom(0, undefined), (dues, bucketFrom) => {
      const heap = new TimerQueue(bucketFrom);
      dues.forEach((due, seq) => heap.push(due, seq, seq));
      const expected = dues
        .map((due, seq) => ({ due, seq }))
        .sort((a, b) => a.due - b.due || a.seq - b.seq)
        .map((e) => e.seq);
      const drained: number[] = [];
      for (let slot = heap.pop(); slot >= 0; slot = heap.pop()) drained.push(slot);
      expect(drained).toEqual(expected);
    }),
    propertyParams('timer queue drain order', 'test/property/timer-queue.test.ts'),
  );
});

test('TimerQueue keeps order when most timers of a later due time are cancelled (its bucket is compacted)', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 9 }).map((d) => d < 9), { minLength: 1, maxLength: 600, size: 'max' }), fc.integer({ min: 1, max: 3 }), (cancel, spread) => {
      const queue = new TimerQueue(0);
      queue.push(0, 0, 0); // an earlier due time, so the crowded buckets are not the earliest
      cancel.forEach((_, i) => queue.push(1 + (i % spread), i + 1, i + 1));
      cancel.forEach((c, i) => {
        if (c) expect(queue.remove(i + 1)).toBe(true);
      });
      const expected = [0, ...cancel.flatMap((c, i) => (c ? [] : [{ due: 1 + (i % spread), slot: i + 1 }])).sort((a, b) => a.due - b.due || a.slot - b.slot).map((e) => e.slot)];
      expect(queue.size).toBe(expected.length);
      const drained: number[] = [];
      for (let slot = queue.pop(); slot >= 0; slot = queue.pop()) drained.push(slot);
      expect(drained).toEqual(expected);
    }),
    propertyParams('timer queue compaction', 'test/property/timer-queue.test.ts'),
  );
});
