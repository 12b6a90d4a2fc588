// TimerHeap against the simplest possible model: an array kept sorted by (due, seq). Random
// sequences of push, pop, remove-arbitrary and peek must agree with the model after every step.
// Due times come from a small range so that ties (equal due, ordered by seq) are common, and
// slots from a small range so that slots are freed and reused as the clock reuses them.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { propertyParams } from '../helpers/property.js';
import { TimerHeap } from '../../src/clock/timer-heap.js';

interface ModelEntry {
  readonly due: number;
  readonly seq: number;
  readonly slot: number;
}

interface Model {
  entries: ModelEntry[]; // sorted by (due, seq)
  nextSeq: number;
}

type Real = TimerHeap;

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
    fc.constant(new Peek()),
  ],
  // fast-check's default size would stop at 10 commands; 'medium' averages ~50, up to 100.
  { maxCommands: 100, size: 'medium' },
);

test('TimerHeap agrees with a sorted-array model under push, pop, remove and peek', () => {
  fc.assert(
    fc.property(commandsArb, (commands) => {
      fc.modelRun(() => ({ model: { entries: [], nextSeq: 0 }, real: new TimerHeap() }), commands);
    }),
    propertyParams('timer heap vs sorted array', 'test/property/timer-heap.test.ts'),
  );
});

test('TimerHeap drains in (due, seq) order whatever the insertion order', () => {
  fc.assert(
    fc.property(fc.array(dueArb, { maxLength: 400, size: 'max' }), (dues) => {
      const heap = new TimerHeap();
      dues.forEach((due, seq) => heap.push(due, seq, seq));
      const expected = dues
        .map((due, seq) => ({ due, seq }))
        .sort((a, b) => a.due - b.due || a.seq - b.seq)
        .map((e) => e.seq);
      const drained: number[] = [];
      for (let slot = heap.pop(); slot >= 0; slot = heap.pop()) drained.push(slot);
      expect(drained).toEqual(expected);
    }),
    propertyParams('timer heap drain order', 'test/property/timer-heap.test.ts'),
  );
});
