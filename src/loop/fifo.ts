/**
 * A first-in first-out queue with O(1) amortised `shift`, used for the event loop's event
 * queue, its list of due timers and its idle list.
 *
 * Owns: storage only. Entries are consumed from a head index and the array is compacted when
 * the consumed prefix grows large, so a long run never pays `Array.prototype.shift`'s O(n).
 * `insertSorted` keeps a queue ordered by a caller-given comparison, scanning from the tail
 * (entries almost always arrive in order, so the scan is usually one step).
 *
 * Does not: know what it stores, or remove from the middle — callers mark entries cancelled and
 * skip them when they reach the head, as Tcl's lists effectively do.
 */

export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  /** Number of entries not yet shifted (cancelled-but-present ones included). */
  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** Inserts `item` after every entry `e` with `!before(item, e)`, i.e. stable sorted insertion. */
  insertSorted(item: T, before: (a: T, b: T) => boolean): void {
    let i = this.items.length;
    while (i > this.head && before(item, this.items[i - 1] as T)) i--;
    this.items.splice(i, 0, item);
  }

  /** The oldest entry, or undefined. */
  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  /** Removes and returns the oldest entry, or undefined. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head] as T;
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** The entries not yet shifted, oldest first (a copy). */
  toArray(): T[] {
    return this.items.slice(this.head);
  }
}
