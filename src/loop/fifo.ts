/**
 * A first-in first-out queue with O(1) amortised `shift`, used for the event loop's event
 * queue, its list of due timers and its idle list.
 *
 * Owns: storage only. Entries are consumed from a head index and the array is compacted when
 * the consumed prefix grows large, so a long run never pays `Array.prototype.shift`'s O(n).
 * `insertSorted` keeps a queue ordered by a caller-given comparison, scanning from the tail
 * (entries almost always arrive in order, so the scan is usually one step).
 *
 * The backing array is kept when the queue empties (slots past `tail` are spare capacity): the
 * event queue empties after almost every event, and re-growing a fresh array each time was a
 * steady source of garbage.
 *
 * Does not: know what it stores, or remove from the middle — callers mark entries cancelled and
 * skip them when they reach the head, as Tcl's lists effectively do.
 */

export class Fifo<T> {
  /** Entries live in `items[head, tail)`; slots outside hold `undefined`. */
  private items: (T | undefined)[] = [];
  private head = 0;
  private tail = 0;

  /** Number of entries not yet shifted (cancelled-but-present ones included). */
  get size(): number {
    return this.tail - this.head;
  }

  push(item: T): void {
    if (this.tail < this.items.length) this.items[this.tail] = item;
    else this.items.push(item);
    this.tail++;
  }

  /** Inserts `item` after every entry `e` with `!before(item, e)`, i.e. stable sorted insertion. */
  insertSorted(item: T, before: (a: T, b: T) => boolean): void {
    let i = this.tail;
    while (i > this.head && before(item, this.items[i - 1] as T)) i--;
    if (this.items.length > this.tail) this.items.length = this.tail; // drop spare slots before splicing
    this.items.splice(i, 0, item);
    this.tail++;
  }

  /** The oldest entry, or undefined. */
  peek(): T | undefined {
    return this.head < this.tail ? this.items[this.head] : undefined;
  }

  /** Removes and returns the oldest entry, or undefined. */
  shift(): T | undefined {
    if (this.head >= this.tail) return undefined;
    const item = this.items[this.head] as T;
    this.items[this.head] = undefined; // let it be collected
    this.head++;
    if (this.head === this.tail) {
      this.head = 0;
      this.tail = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.tail) {
      this.items = this.items.slice(this.head, this.tail);
      this.tail -= this.head;
      this.head = 0;
    }
    return item;
  }

  /** The entries not yet shifted, oldest first (a copy). */
  toArray(): T[] {
    return this.items.slice(this.head, this.tail) as T[];
  }
}
