/**
 * `ManualSource`: a readiness source whose readiness is set by hand.
 *
 * Owns: a name, a readiness mask and its change listeners. Tests, examples and the CLI demo
 * use it to stand in for a socket ("the connect completed: now writable") without a network;
 * drivers implement `ReadinessSource` themselves.
 *
 * Does not: schedule anything. To make readiness change at a virtual instant, call `set` from
 * a clock timer (`clock.setTimer(ms, () => source.set(WRITABLE))`), which is what a driver's
 * network event does.
 *
 * Departs from reality: readiness is whatever the caller says; there is no data behind it.
 */
import type { ReadinessSource } from './notifier.js';
import { DetnetError } from '../errors.js';

export class ManualSource implements ReadinessSource {
  private mask: number;
  private listeners: (() => void)[] = [];

  constructor(
    readonly name: string,
    initial = 0,
  ) {
    this.mask = initial;
  }

  readiness(): number {
    return this.mask;
  }

  /** Sets the readiness bits; listeners hear about it only if they changed. */
  set(mask: number): void {
    if (!Number.isInteger(mask) || mask < 0) throw new DetnetError('ERR_INVALID_MASK', `invalid readiness ${String(mask)}`);
    if (mask === this.mask) return;
    this.mask = mask;
    // Snapshot: a listener may unsubscribe while we notify.
    for (const listener of [...this.listeners]) listener();
  }

  /** Adds bits to the readiness. */
  raise(bits: number): void {
    this.set(this.mask | bits);
  }

  /** Removes bits from the readiness. */
  clear(bits: number): void {
    this.set(this.mask & ~bits);
  }

  onReadinessChange(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Number of subscribed listeners (a watched source has exactly one: the notifier). */
  get listenerCount(): number {
    return this.listeners.length;
  }
}
