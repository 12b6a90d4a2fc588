/**
 * The notifier: how readiness of sockets reaches file-event handlers.
 *
 * Owns: watches (source, interest mask, handler) — Tcl's channel handlers —, the notifier's
 * *view* of each watched source's readiness, and which sources have a file event to deliver.
 * Drivers never call handlers: a source announces that its readiness changed, the notifier
 * updates its view, and the event loop, once per pass, asks it to queue one file event per
 * deliverable source (`collect`) and later delivers each (`deliver`).
 *
 * Tcl's Unix notifier (tclUnixNotfy.c), which this follows by default:
 * - level-triggered: a source that is still ready and watched is queued again on every pass
 *   of the loop until it is no longer ready or no longer watched;
 * - one queued file event per source; what it delivers is the readiness seen when it was
 *   queued (refreshed if a nested pass sees the source again) intersected with the interest
 *   when it is delivered, so a handler can receive readiness an earlier handler consumed;
 * - sources are queued newest-watched first (Tcl prepends new file handlers), and within a
 *   source the newest watch runs first (Tcl's channel-handler list);
 * - a handler removed by an earlier handler of the same delivery does not run, one added
 *   during it waits for the next delivery.
 *
 * Modelled quantities (all zero / off by default):
 * - `readinessDelayMs`: time between a source becoming ready and the notifier seeing it.
 *   Readiness that goes away (data consumed by a read, say) is seen at once, as `select`
 *   stops reporting it at once; readiness that rose and fell within the delay is never seen.
 *   Observations of one source apply in the order they happened, whatever order a
 *   tie-breaker fires their timers in.
 * - `watchDelayMs`: time between `watch()` and the watch taking effect. When set (even to 0)
 *   registration is a clock event of its own, so a tie-breaker can order it against a connect
 *   completing at the same instant: that is the race of Tcl bug 336441ed59.
 * - `delivery: 'edge'`: only a transition to ready is reported, once (Windows' message-based
 *   notifier). Without `loseReadinessBeforeWatch`, transitions that happen before any watch
 *   is effective — including readiness already present when the first watch is created — are
 *   parked and delivered once a watch is effective (the 8.6.2 fix).
 * - `loseReadinessBeforeWatch`: readiness that rises while a source has no effective watch is
 *   dropped (traced as `loop.lost`) — the notifier learning of a new socket late, which is
 *   where bug 336441ed59 (Windows 8.5.15 / 8.6.1) lived: a quick connect is then never
 *   reported and a `vwait` on it can only end in `WouldWaitForeverError`. `Interp` configures
 *   it from the profile (`Profile.notifier`). Edge: such transitions, including readiness
 *   already present when the first watch is created, are never delivered. Level (needs
 *   `watchDelayMs`, else no watch is ever pending): the notifier reads a source's readiness
 *   when its first watch is made, and a rise between then and the watch taking effect is not
 *   seen — its view stays stale until the source reports its next change, as a message-based
 *   notifier that dropped the message would.
 *
 * Runaway guard (runaway-guard.ts): a source delivered `runawayLimit` times at one virtual
 * instant without reporting any change is a handler that can never stop; `deliver` throws
 * `RunawayHandlerError`. The shapes (`ReadinessSource`, `Watch`, `WatchView`) are in watch.ts.
 *
 * About 455 lines: Tcl's notifier rules (level, edge, lossy delivery, registration delay) act
 * on the same per-source records; the guard and the shapes already live apart.
 *
 * Departs from reality: no file descriptors or `select`; "ready" is a bit mask a source
 * reports; edge mode re-arms only on a new rising edge (no Windows FD_WRITE re-enabling).
 */
import { assertDelay, type Clock, type TimerId } from '../clock/clock.js';
import type { Trace } from '../trace/trace.js';
import { DetnetError } from '../errors.js';
import { EXCEPTION, READABLE, WRITABLE } from '../net/readiness.js';
import { checkRunawayLimit, countDelivery, describeWatches, type DescribeWatch } from './runaway-guard.js';
import { assertMask, type ReadinessSource, type Watch, type WatchHandler, type WatchView } from './watch.js';

export { DEFAULT_RUNAWAY_LIMIT } from './runaway-guard.js';
export type { ReadinessSource, Watch, WatchHandler, WatchView } from './watch.js';

/** Readiness / interest bits (defined in src/net/readiness.ts; re-exported here for the loop's users). */
export { EXCEPTION, READABLE, WRITABLE };
const noop = (): void => undefined;

/**
 * Removes `item` from `list` in place, keeping the order. Unlike `splice` it allocates no array
 * of removed items; watches come and go once per connect, so that garbage added up.
 */
function removeItem<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i < 0) return;
  for (let j = i + 1; j < list.length; j++) list[j - 1] = list[j] as T;
  list.pop();
}

/** How the notifier delivers readiness: level or edge, its delays, and the bug-336441ed59 switch a profile sets. */
export interface NotifierOptions {
  /** `level` (default, Unix) or `edge` (Windows-like). */
  readonly delivery?: 'level' | 'edge';
  /** Delay between a readiness change and the notifier seeing it, in ms (default 0). */
  readonly readinessDelayMs?: number;
  /** Delay before a watch takes effect; when set (even 0) registration is a clock event. */
  readonly watchDelayMs?: number;
  /**
   * Drop rising readiness while no watch of the source is effective (bug 336441ed59). Level
   * delivery needs `watchDelayMs` with it (without a registration delay nothing is ever pending).
   */
  readonly loseReadinessBeforeWatch?: boolean;
  /**
   * Deliveries of one source at one virtual instant, with no report of any change from the
   * source in between, after which `deliver` throws `RunawayHandlerError` (default 10,000).
   */
  readonly runawayLimit?: number;
}


interface SourceRecord {
  readonly source: ReadinessSource;
  /**
   * Watches on this source, oldest first: Tcl's order is newest first, so readers iterate from
   * the end. Appending is much cheaper than `unshift`, and watches are made once per connect.
   */
  readonly watches: WatchImpl[];
  /** The notifier's view of the source's readiness. */
  seen: number;
  /** Edge mode: transitions not yet queued for delivery. */
  edges: number;
  /** Level mode: bits whose rise was lost (`loseReadinessBeforeWatch`), kept out of `seen`. */
  lost: number;
  /** The source has something to deliver (queued ones included); see `Notifier.readyCount`. */
  ready: boolean;
  /** A file event for this source is queued in the loop. */
  queued: boolean;
  /** What the queued file event will deliver (before intersecting with interest). */
  queuedMask: number;
  /** Readiness observations waiting out `readinessDelayMs`, oldest first (made on first use). */
  delayed: number[] | null;
  unsubscribe: () => void;
  /** Virtual time of the latest delivery, and deliveries since then with no report from the source. */
  idleAt: number;
  idle: number;
  /** Its last watch went (a later watch makes a new record): reports and events for it are dropped. */
  removed: boolean;
}

class WatchImpl implements Watch {
  effective = false;
  removed = false;
  timer: TimerId | undefined;
  constructor(
    readonly record: SourceRecord,
    public mask: number,
    readonly handler: WatchHandler,
    readonly label: string,
    private readonly notifier: Notifier,
  ) {}
  get source(): ReadinessSource {
    return this.record.source;
  }
  setMask(mask: number): void {
    assertMask(mask);
    if (this.removed) throw new DetnetError('ERR_WATCH_REMOVED', `watch ${this.label} on ${this.source.name} was removed`);
    this.mask = mask;
    this.notifier.refresh(this.record);
  }
  remove(): void {
    this.notifier.unwatch(this);
  }
}

export class Notifier {
  private readonly records = new Map<ReadinessSource, SourceRecord>();
  /** Watched sources, oldest first (as `watches`); a pass queues file events newest first. */
  private readonly order: SourceRecord[] = [];
  /**
   * How many records have `ready` set: the sources with something to deliver (queued ones
   * included). A flag per record rather than a Set, because watches come and go once per
   * connect and a Set that keeps filling and emptying reallocates its table as it does.
   */
  private readyCount = 0;
  readonly delivery: 'level' | 'edge';
  readonly readinessDelayMs: number;
  readonly watchDelayMs: number | undefined;
  readonly loseReadinessBeforeWatch: boolean;
  /** Called whenever a source becomes deliverable (the real-clock loop uses it to wake up). */
  onWake: (() => void) | undefined;
  readonly runawayLimit: number;
  /**
   * How a runaway error names a watch (the interpreter names a channel's fileevent script);
   * undefined or an undefined answer: the watch's label.
   */
  describeWatch: DescribeWatch;

  constructor(
    private readonly clock: Clock,
    options: NotifierOptions = {},
    private readonly trace?: Trace,
  ) {
    this.delivery = options.delivery ?? 'level';
    this.readinessDelayMs = options.readinessDelayMs ?? 0;
    this.watchDelayMs = options.watchDelayMs;
    this.loseReadinessBeforeWatch = options.loseReadinessBeforeWatch ?? false;
    this.runawayLimit = checkRunawayLimit(options.runawayLimit);
    assertDelay(this.readinessDelayMs);
    if (this.watchDelayMs !== undefined) assertDelay(this.watchDelayMs);
    if (this.loseReadinessBeforeWatch && this.delivery !== 'edge' && this.watchDelayMs === undefined) {
      throw new DetnetError(
        'ERR_INVALID_OPTION',
        'loseReadinessBeforeWatch with level delivery needs watchDelayMs (a level watch without a registration delay is effective at once and cannot lose readiness)',
      );
    }
  }

  /** Watches `source` for the bits in `mask`; `handler` runs from the event loop. */
  watch(source: ReadinessSource, mask: number, handler: WatchHandler, label = 'watch'): Watch {
    assertMask(mask);
    if (typeof handler !== 'function') throw new DetnetError('ERR_INVALID_HANDLER', 'watch handler must be a function');
    const record = this.records.get(source) ?? this.createRecord(source);
    const w = new WatchImpl(record, mask, handler, label, this);
    record.watches.push(w);
    if (this.watchDelayMs === undefined) {
      this.makeEffective(w);
    } else {
      w.timer = this.clock.setTimer(
        this.watchDelayMs,
        () => {
          w.timer = undefined;
          this.makeEffective(w);
        },
        `register:${label}`,
      );
    }
    return w;
  }

  /**
   * Read-only view of every live watch, oldest source first, with the notifier's view of its
   * source (`seen` readiness, `lost` rises): plain data for inspection snapshots
   * (src/socket/inspect.ts). Changes nothing.
   */
  inspectWatches(): WatchView[] {
    const out: WatchView[] = [];
    for (const r of this.order) {
      for (const w of r.watches) out.push({ source: r.source.name, label: w.label, mask: w.mask, effective: w.effective, seen: r.seen, lost: r.lost });
    }
    return out;
  }

  private createRecord(source: ReadinessSource): SourceRecord {
    const record: SourceRecord = {
      source,
      watches: [],
      seen: source.readiness(),
      edges: 0,
      lost: 0,
      ready: false,
      queued: false,
      queuedMask: 0,
      delayed: null,
      unsubscribe: noop,
      idleAt: -1,
      idle: 0,
      removed: false,
    };
    if (this.delivery === 'edge' && record.seen !== 0) {
      // Readiness that happened before anything watched the source.
      if (this.loseReadinessBeforeWatch && this.trace?.enabled) this.trace.record(this.clock.now(), 'loop.lost', { source: source.name, mask: record.seen });
      else record.edges = record.seen;
    }
    record.unsubscribe = source.onReadinessChange(() => this.sourceChanged(record));
    this.records.set(source, record);
    this.order.push(record);
    return record;
  }

  private makeEffective(w: WatchImpl): void {
    if (w.removed) return;
    w.effective = true;
    if (this.trace?.enabled) this.trace.record(this.clock.now(), 'loop.watch', { source: w.record.source.name, label: w.label, mask: w.mask });
    this.refresh(w.record);
  }

  /** @internal Removes a watch (Watch.remove). */
  unwatch(w: WatchImpl): void {
    if (w.removed) return;
    w.removed = true;
    if (w.timer !== undefined) this.clock.clearTimer(w.timer);
    const record = w.record;
    removeItem(record.watches, w);
    if (this.trace?.enabled) this.trace.record(this.clock.now(), 'loop.unwatch', { source: record.source.name, label: w.label });
    if (record.watches.length === 0) {
      // Like Tcl_DeleteFileHandler: a queued event for it finds nothing and is dropped.
      record.unsubscribe();
      record.removed = true;
      this.records.delete(record.source);
      removeItem(this.order, record);
      this.setReady(record, false);
    } else {
      this.refresh(record);
    }
  }

  private sourceChanged(record: SourceRecord): void {
    if (record.removed) return;
    // Any report (data read or arriving, space freed, readiness moving) is progress.
    record.idle = 0;
    const level = record.source.readiness();
    if (this.readinessDelayMs === 0) {
      this.see(record, level);
      return;
    }
    // Falling readiness is seen now; otherwise a level-triggered handler that consumed it would
    // be called again and again until the clock moved.
    if ((record.seen & ~level) !== 0) this.see(record, record.seen & level);
    if ((level & ~record.seen) === 0) return;
    // Each timer applies the oldest observation, so reordered ties cannot apply a stale one last;
    // intersecting with the readiness at that moment drops bits that have fallen meanwhile.
    const delayed = (record.delayed ??= []);
    delayed.push(level);
    this.clock.setTimer(
      this.readinessDelayMs,
      () => {
        const next = delayed.shift();
        if (next !== undefined) this.see(record, next & record.source.readiness());
      },
      `notifier.see:${record.source.name}`,
    );
  }

  /** Updates the notifier's view of a source's readiness. */
  private see(record: SourceRecord, level: number): void {
    if (record.removed) return;
    // Level delivery works from the view, so a lost rise stays out of it until that bit falls
    // and rises again (a new event); edge delivery works from edges, so its view follows the
    // source and only the edge is dropped.
    let view = level;
    if (record.lost !== 0) {
      record.lost &= level;
      view &= ~record.lost;
    }
    if (view === record.seen) return;
    const rising = view & ~record.seen;
    const lost = rising !== 0 && this.loseReadinessBeforeWatch && !record.watches.some((w) => w.effective);
    if (lost && this.delivery === 'level') {
      record.lost |= rising;
      view &= ~rising;
    }
    record.seen = view;
    // Fields (and the source's name) are built only when a trace will record them.
    if (this.trace?.enabled) this.trace.record(this.clock.now(), 'loop.ready', { source: record.source.name, mask: level });
    if (lost) {
      if (this.trace?.enabled) this.trace.record(this.clock.now(), 'loop.lost', { source: record.source.name, mask: rising });
    } else if (this.delivery === 'edge' && rising !== 0) {
      record.edges |= rising;
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
    if (record.removed) return;
    const pending = this.delivery === 'level' ? record.seen : record.edges;
    if ((pending & this.interest(record)) !== 0) {
      if (!record.ready) {
        this.setReady(record, true);
        this.onWake?.();
      }
    } else {
      this.setReady(record, false);
    }
  }

  private setReady(record: SourceRecord, ready: boolean): void {
    if (record.ready === ready) return;
    record.ready = ready;
    this.readyCount += ready ? 1 : -1;
  }

  /** Whether any watched source has a file event to deliver now. */
  hasReady(): boolean {
    return this.readyCount > 0;
  }

  /** Number of watches (effective or not). */
  get watchCount(): number {
    let n = 0;
    for (const r of this.order) n += r.watches.length;
    return n;
  }

  /**
   * One notifier pass: hands every deliverable source not already queued to `enqueue`, newest
   * watched source first, and remembers what its event will deliver. Returns how many.
   */
  collect(enqueue: (source: ReadinessSource) => void): number {
    let n = 0;
    const order = this.order;
    for (let i = order.length - 1; i >= 0; i--) {
      const record = order[i] as SourceRecord;
      if (!record.ready) continue;
      const interest = this.interest(record);
      let mask: number;
      if (this.delivery === 'level') {
        mask = record.seen & interest;
      } else {
        mask = record.edges & interest;
        record.edges &= ~mask;
        this.refresh(record);
      }
      if (record.queued) {
        // Already queued (a nested pass): Tcl just updates the pending event's mask.
        record.queuedMask = this.delivery === 'level' ? mask : record.queuedMask | mask;
        continue;
      }
      record.queued = true;
      record.queuedMask = mask;
      enqueue(record.source);
      n++;
    }
    return n;
  }

  /**
   * Delivers the queued file event of `source`: runs, newest first, the handlers of the
   * effective watches whose mask intersects what it carries. A handler's exception goes to
   * `onError`; if `onError` throws, delivery stops and the exception propagates.
   */
  deliver(source: ReadinessSource, onError: (err: unknown, label: string) => void): void {
    const record = this.records.get(source);
    if (record === undefined || !record.queued) return;
    record.queued = false;
    const mask = record.queuedMask & this.interest(record);
    record.queuedMask = 0;
    if (mask === 0) return;
    const now = this.clock.now();
    countDelivery(record, mask, now, this.runawayLimit, this.describeWatch);
    if (this.trace?.enabled) this.trace.record(now, 'loop.file', { source: source.name, mask });
    const watches = record.watches;
    // The common case, one watch, needs no snapshot: a watch added meanwhile is not in it anyway.
    if (watches.length === 1) {
      runWatch(watches[0] as WatchImpl, mask, onError);
      return;
    }
    // Snapshot: handlers may add or remove watches while running. Newest first.
    const snapshot = [...watches];
    for (let i = snapshot.length - 1; i >= 0; i--) runWatch(snapshot[i] as WatchImpl, mask, onError);
  }

  /** `source`'s watches as `describeWatch` names them (for runaway messages), or its name. */
  describeSource(source: ReadinessSource): string {
    return describeWatches(source, this.records.get(source)?.watches ?? [], this.describeWatch);
  }
}

/** Runs one watch's handler for a delivery of `mask`, unless it was removed meanwhile. */
function runWatch(w: WatchImpl, mask: number, onError: (err: unknown, label: string) => void): void {
  if (w.removed || !w.effective) return;
  const bits = mask & w.mask;
  if (bits === 0) return;
  try {
    w.handler(bits);
  } catch (err) {
    onError(err, w.label);
  }
}
