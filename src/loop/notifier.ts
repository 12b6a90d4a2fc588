/**
 * The notifier: how readiness of sockets reaches file-event handlers.
 *
 * Owns: watches (source, interest mask, handler), the notifier's *view* of each source's
 * readiness, and which sources have a file event to deliver. Drivers never call handlers: a
 * source announces that its readiness changed, the notifier updates its view, and the event
 * loop asks it for ready sources and delivers one file event per source per pass.
 *
 * Modelled quantities (all zero / off by default, which is Unix Tcl on Linux):
 * - `readinessDelayMs`: time between a source's readiness changing and the notifier seeing it.
 * - `watchDelayMs`: time between `watch()` and the watch taking effect. When set (even to 0)
 *   registration is a clock event of its own, so a tie-breaker can order it against a connect
 *   completing at the same instant: that is the race of Tcl bug 336441ed59.
 * - `delivery`: `level` (Unix `select`: a ready source is reported on every pass until it is
 *   no longer ready or unwatched) or `edge` (only a transition to ready is reported, once).
 * - `loseReadinessBeforeWatch` (edge only): a transition that happens while no watch on the
 *   source is effective is dropped instead of kept; with it, a quick connect is never reported
 *   and a `vwait` on it waits forever (bug 336441ed59, Windows 8.5.15/8.6.1).
 *
 * When several watches on one source are due together, the newest runs first (as Tcl's channel
 * handler list). Departs from reality: no file descriptors; "ready" is a bit mask.
 */
import type { Clock } from '../clock/clock.js';
import type { Trace } from '../trace/trace.js';

/** Readiness / interest bits. */
export const READABLE = 1;
export const WRITABLE = 2;
export const EXCEPTION = 4;

/** Something whose readiness can be watched: a socket of a driver. */
export interface ReadinessSource {
  /** Stable, deterministic name for traces (e.g. `sim:host/3`). */
  readonly name: string;
  /** Current readiness bits (level). */
  readiness(): number;
  /** Calls `listener` whenever the readiness may have changed; returns an unsubscribe. */
  onReadinessChange(listener: () => void): () => void;
}

export interface NotifierOptions {
  readonly delivery?: 'level' | 'edge';
  readonly readinessDelayMs?: number;
  readonly watchDelayMs?: number;
  readonly loseReadinessBeforeWatch?: boolean;
}

/** Called with the ready bits that intersect the watch's mask. */
export type WatchHandler = (readyMask: number) => void;

/** A registered watch; change its mask or remove it. */
export interface Watch {
  readonly label: string;
  readonly mask: number;
  /** Whether the watch has taken effect (see `watchDelayMs`). */
  readonly effective: boolean;
  setMask(mask: number): void;
  remove(): void;
}

interface SourceRecord {
  readonly source: ReadinessSource;
  /** Watches on this source, newest first. */
  readonly watches: WatchImpl[];
  /** The notifier's view of the source's readiness. */
  seen: number;
  /** Edge mode: transitions not yet delivered. */
  edges: number;
  /** A file event for this source is queued in the loop. */
  queued: boolean;
  unsubscribe: () => void;
}

class WatchImpl implements Watch {
  effective = false;
  removed = false;
  constructor(
    readonly record: SourceRecord,
    public mask: number,
    readonly handler: WatchHandler,
    readonly label: string,
    private readonly notifier: Notifier,
  ) {}
  setMask(mask: number): void {
    this.mask = mask;
    this.notifier.refresh(this.record);
  }
  remove(): void {
    this.notifier.unwatch(this);
  }
}

export class Notifier {
  private readonly records = new Map<ReadinessSource, SourceRecord>();
  /** Sources that may have something to deliver; insertion-ordered, so iteration is deterministic. */
  private readonly ready = new Set<SourceRecord>();
  readonly delivery: 'level' | 'edge';
  readonly readinessDelayMs: number;
  readonly watchDelayMs: number | undefined;
  readonly loseReadinessBeforeWatch: boolean;
  /** Called whenever a source becomes deliverable (the real-clock loop uses it to wake up). */
  onWake: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    options: NotifierOptions = {},
    private readonly trace?: Trace,
  ) {
    this.delivery = options.delivery ?? 'level';
    this.readinessDelayMs = options.readinessDelayMs ?? 0;
    this.watchDelayMs = options.watchDelayMs;
    this.loseReadinessBeforeWatch = options.loseReadinessBeforeWatch ?? false;
  }

  /** Watches `source` for the bits in `mask`; `handler` runs from the event loop. */
  watch(source: ReadinessSource, mask: number, handler: WatchHandler, label = 'watch'): Watch {
    let record = this.records.get(source);
    if (record === undefined) {
      const created: SourceRecord = {
        source,
        watches: [],
        seen: source.readiness(),
        edges: 0,
        queued: false,
        unsubscribe: () => undefined,
      };
      created.unsubscribe = source.onReadinessChange(() => this.sourceChanged(created));
      this.records.set(source, created);
      record = created;
    }
    const w = new WatchImpl(record, mask, handler, label, this);
    record.watches.unshift(w);
    if (this.watchDelayMs === undefined) {
      this.makeEffective(w);
    } else {
      this.clock.setTimer(this.watchDelayMs, () => this.makeEffective(w), `notifier.register:${source.name}`);
    }
    return w;
  }

  private makeEffective(w: WatchImpl): void {
    if (w.removed) return;
    w.effective = true;
    this.trace?.record(this.clock.now(), 'loop.watch', { source: w.record.source.name, label: w.label });
    this.refresh(w.record);
  }

  /** @internal Removes a watch (Watch.remove). */
  unwatch(w: WatchImpl): void {
    if (w.removed) return;
    w.removed = true;
    const record = w.record;
    const i = record.watches.indexOf(w);
    if (i >= 0) record.watches.splice(i, 1);
    if (record.watches.length === 0) {
      record.unsubscribe();
      this.records.delete(record.source);
      this.ready.delete(record);
    } else {
      this.refresh(record);
    }
  }

  private sourceChanged(record: SourceRecord): void {
    const level = record.source.readiness();
    if (this.readinessDelayMs === 0) this.see(record, level);
    else this.clock.setTimer(this.readinessDelayMs, () => this.see(record, level), `notifier.see:${record.source.name}`);
  }

  /** Updates the notifier's view of a source's readiness. */
  private see(record: SourceRecord, level: number): void {
    if (this.records.get(record.source) !== record) return; // unwatched meanwhile
    const rising = level & ~record.seen;
    record.seen = level;
    if (this.delivery === 'edge' && rising !== 0) {
      if (this.loseReadinessBeforeWatch && !record.watches.some((w) => w.effective)) {
        this.trace?.record(this.clock.now(), 'loop.lost', { source: record.source.name, mask: rising });
      } else {
        record.edges |= rising;
      }
    }
    this.refresh(record);
  }

  /** Interest of the effective watches of a record. */
  private interest(record: SourceRecord): number {
    let mask = 0;
    for (const w of record.watches) if (w.effective) mask |= w.mask;
    return mask;
  }

  /** @internal Recomputes whether `record` has something to deliver. */
  refresh(record: SourceRecord): void {
    const pending = this.delivery === 'level' ? record.seen : record.edges;
    if ((pending & this.interest(record)) !== 0) {
      if (!this.ready.has(record)) {
        this.ready.add(record);
        this.onWake?.();
      }
    } else {
      this.ready.delete(record);
    }
  }

  /** Whether any watched source has a file event to deliver now. */
  hasReady(): boolean {
    return this.ready.size > 0;
  }

  /** Whether anything is watched at all (a `vwait` with no timers can only be woken by a watch). */
  get watchCount(): number {
    let n = 0;
    for (const r of this.records.values()) n += r.watches.length;
    return n;
  }

  /**
   * Hands every deliverable source not already queued to `enqueue` (in the order they became
   * deliverable) and marks it queued. The loop calls `deliver` for each later.
   */
  collect(enqueue: (source: ReadinessSource) => void): number {
    let n = 0;
    for (const record of this.ready) {
      if (record.queued) continue;
      record.queued = true;
      enqueue(record.source);
      n++;
    }
    return n;
  }

  /**
   * Delivers the file event of `source`: runs, newest first, the handlers of the effective
   * watches whose mask intersects what is ready now. Handler exceptions go to `onError`.
   */
  deliver(source: ReadinessSource, onError: (err: unknown, label: string) => void): void {
    const record = this.records.get(source);
    if (record === undefined) return;
    record.queued = false;
    let pending: number;
    if (this.delivery === 'level') {
      pending = record.seen;
    } else {
      pending = record.edges;
      record.edges = 0;
    }
    const interest = this.interest(record);
    this.refresh(record);
    if ((pending & interest) === 0) return;
    this.trace?.record(this.clock.now(), 'loop.file', { source: source.name, mask: pending & interest });
    // Snapshot: handlers may add or remove watches while running.
    for (const w of [...record.watches]) {
      if (w.removed || !w.effective) continue;
      const bits = pending & w.mask;
      if (bits === 0) continue;
      try {
        w.handler(bits);
      } catch (err) {
        onError(err, w.label);
      }
    }
  }
}
