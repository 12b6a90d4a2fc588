/**
 * A binary min-heap of timers ordered by (due time, scheduling sequence).
 *
 * Owns: ordering and O(log n) removal of an arbitrary entry. Each entry records its own heap
 * index so that `remove` needs no search; the id → entry map that makes cancel O(1) to find
 * lives in `VirtualClock`. Why both: the map finds a timer by id, the index lets the heap pull it
 * out from the middle without scanning.
 */

/** One heap entry. `index` is maintained by the heap; -1 once the entry has left it. */
export interface HeapEntry {
  due: number;
  seq: number;
  index: number;
}

/** Total order: earlier due time first, then lower sequence number (scheduling order). */
export function entryBefore(a: HeapEntry, b: HeapEntry): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

export class TimerHeap<T extends HeapEntry> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  /** The earliest entry, or undefined when empty. */
  peek(): T | undefined {
    return this.items[0];
  }

  push(entry: T): void {
    entry.index = this.items.length;
    this.items.push(entry);
    this.siftUp(entry.index);
  }

  /** Removes and returns the earliest entry. */
  pop(): T | undefined {
    const top = this.items[0];
    if (top === undefined) return undefined;
    this.removeAt(0);
    return top;
  }

  /** Removes `entry` if it is in this heap; returns whether it was. */
  remove(entry: T): boolean {
    const i = entry.index;
    if (i < 0 || this.items[i] !== entry) return false;
    this.removeAt(i);
    return true;
  }

  private removeAt(i: number): void {
    const items = this.items;
    const removed = items[i] as T;
    const last = items.pop() as T;
    removed.index = -1;
    if (i === items.length) return; // removed the last slot
    items[i] = last;
    last.index = i;
    // The moved entry may belong above or below its new slot.
    if (i > 0 && entryBefore(last, items[(i - 1) >> 1] as T)) this.siftUp(i);
    else this.siftDown(i);
  }

  private siftUp(i: number): void {
    const items = this.items;
    const entry = items[i] as T;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = items[parentIndex] as T;
      if (!entryBefore(entry, parent)) break;
      items[i] = parent;
      parent.index = i;
      i = parentIndex;
    }
    items[i] = entry;
    entry.index = i;
  }

  private siftDown(i: number): void {
    const items = this.items;
    const n = items.length;
    const entry = items[i] as T;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && entryBefore(items[right] as T, items[left] as T)) child = right;
      const childEntry = items[child] as T;
      if (!entryBefore(childEntry, entry)) break;
      items[i] = childEntry;
      childEntry.index = i;
      i = child;
    }
    items[i] = entry;
    entry.index = i;
  }
}
