/**
 * The virtual clock's table of pending timers: slots, and the ids that name them.
 *
 * Owns: what each pending timer is (callback, label, scheduling sequence, causal chain) and the mapping
 * between its public `TimerId` and its slot, a small integer reused after the timer fires or is
 * cancelled. Does not own ordering (timer-queue.ts) or time.
 *
 * Ids are generational, as in a slot map: `id = generation · 2^24 + slot + 1`, where a slot's
 * generation grows each time it is freed. Finding a timer by id is therefore two array reads
 * (no hashing, no per-timer object), yet a stale id never names a newer timer in the same slot.
 * The first timers get ids 1, 2, 3…; once slots are reused ids jump by multiples of 2^24. Ids are
 * deterministic: free slots are reused last-freed first.
 *
 * Limits: at most 2^24 (16,777,216) timers pending at once (`ERR_TOO_MANY_TIMERS`); a slot is
 * retired rather than reused once its generation would push ids past `Number.MAX_SAFE_INTEGER`.
 *
 * Departs from reality: nothing to depart from; a pure data structure.
 */
import { labelText, type TimerId, type TimerLabel, type TimerTask } from './clock.js';

/** What a timer runs: a callback, or a task's `fire()`. */
export type TimerAction = (() => void) | TimerTask;
import { DetnetError } from '../errors.js';

const SLOT_BITS = 24;
/** Number of distinct slots; also the id stride between generations of one slot. */
const SLOT_SPACE = 2 ** SLOT_BITS;
/** Ids never exceed this. */
const MAX_ID = Number.MAX_SAFE_INTEGER;

/** Pending timers by slot, with generational ids; see the module header. */
export class TimerTable {
  private callbacks: (TimerAction | undefined)[] = [];
  private labels: TimerLabel[] = [];
  /**
   * Id of the timer in each slot when it is pending; when the slot is free, minus the id its next
   * timer will get (a negative number never equals an id, so `slotOf` needs no other check).
   */
  private ids: number[] = [];
  private seqs: number[] = [];
  private chains: number[] = [];
  /** Free slots, reused last-freed first. */
  private readonly free: number[] = [];
  private pending = 0;

  /** Number of pending timers. */
  get size(): number {
    return this.pending;
  }

  /** Stores a new timer and returns its slot; `idOf(slot)` is its id. */
  add(callback: TimerAction, label: TimerLabel, seq: number, chain: number): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.ids.length;
      if (slot >= SLOT_SPACE) {
        throw new DetnetError('ERR_TOO_MANY_TIMERS', `a virtual clock holds at most ${SLOT_SPACE} pending timers`);
      }
      this.callbacks.push(callback);
      this.labels.push(label);
      this.ids.push(slot + 1);
      this.seqs.push(seq);
      this.chains.push(chain);
    } else {
      this.callbacks[slot] = callback;
      this.labels[slot] = label;
      this.ids[slot] = -(this.ids[slot] as number);
      this.seqs[slot] = seq;
      this.chains[slot] = chain;
    }
    this.pending++;
    return slot;
  }

  /** Slot of the pending timer `id`, or -1 if `id` names no pending timer (fired, cancelled, unknown). */
  slotOf(id: TimerId): number {
    if (typeof id !== 'number' || !(id >= 1)) return -1;
    const slot = (id - 1) % SLOT_SPACE;
    return this.ids[slot] === id ? slot : -1;
  }

  /** Id of the timer in the occupied `slot`. */
  idOf(slot: number): TimerId {
    return this.ids[slot] as number;
  }

  /** Label text of the timer in the occupied `slot` (a lazy label is built now). */
  labelOf(slot: number): string {
    return labelText(this.labels[slot] as TimerLabel);
  }

  /** Label of the timer in the occupied `slot` as given, lazy or not. */
  labelRefOf(slot: number): TimerLabel {
    return this.labels[slot] as TimerLabel;
  }

  /** Scheduling sequence of the timer in the occupied `slot`. */
  seqOf(slot: number): number {
    return this.seqs[slot] as number;
  }

  /** Causal chain of the timer in the occupied `slot` (see schedule-source.ts). */
  chainOf(slot: number): number {
    return this.chains[slot] as number;
  }

  /** What the timer in the occupied `slot` runs. */
  callbackOf(slot: number): TimerAction {
    return this.callbacks[slot] as TimerAction;
  }

  /** Frees `slot` (its timer fired or was cancelled); its id stops naming anything. */
  release(slot: number): void {
    this.callbacks[slot] = undefined; // let the closure be collected
    this.labels[slot] = ''; // and a label object (a packet's arrival holds the packet and its bytes)
    this.pending--;
    // The slot's next generation; a slot whose ids would stop being safe integers is retired.
    const next = (this.ids[slot] as number) + SLOT_SPACE;
    this.ids[slot] = -next;
    if (next <= MAX_ID) this.free.push(slot);
  }
}
