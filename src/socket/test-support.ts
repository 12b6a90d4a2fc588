/**
 * What an `Interp` offers tests beyond Tcl: strict background errors and `drain`.
 *
 * Owns: `BackgroundHandlerError` (a handler's exception, raised to the test instead of only
 * landing in `loop.backgroundErrors`) and `drainLoop`, which lets the timers and events a
 * program forgot about run before a test checks its results, and says what ran. `Interp`
 * (interp.ts) wires both in; they live here so that the interpreter stays about Tcl.
 *
 * Does not: decide when a strict error is raised (the Interp does: at once inside `vwait`,
 * `update` or `drain`, else by the next command).
 *
 * Departs from Tcl: Tcl has `bgerror` and `interp bgerror`, which report and go on; a test
 * wants the run to fail instead, with the handler's own error attached (`cause`).
 */
import type { SteppableClock } from '../clock/steppable-clock.js';
import { DetnetError } from '../errors.js';
import type { BackgroundError, EventLoop } from '../loop/event-loop.js';
import type { Trace, TraceEntry } from '../trace/trace.js';

/**
 * An event handler (fileevent script, `after` script, accept command) threw while the
 * interpreter ran with `strictBackgroundErrors`. `cause` is what it threw; `handler` names it.
 */
export class BackgroundHandlerError extends DetnetError {
  /** Label of the handler that threw, e.g. `fileevent sock1 writable`. */
  readonly handler: string;
  /** Virtual time of the throw, in ms. */
  readonly at: number;
  constructor(entry: BackgroundError) {
    const message = entry.error instanceof Error ? entry.error.message : String(entry.error);
    super('ERR_BACKGROUND_ERROR', `${entry.handler} raised an error at ${entry.at} ms: ${message}`, { cause: entry.error });
    this.name = 'BackgroundHandlerError';
    this.handler = entry.handler;
    this.at = entry.at;
  }
}

/**
 * `strictBackgroundErrors` for one interpreter: a handler's exception fails the run. Inside the
 * loop (`current()` names a `vwait`, `update` or `drain`) it is thrown at once and leaves the
 * loop; the loop catches it once more on its way out (it wraps the handler's own catch), and
 * that second report is not a new error, so it is taken back off `backgroundErrors`. Anywhere
 * else (a fileevent delivered inside a channel command, §3.5; the loop serviced directly) it
 * waits for the next command (`raisePending`), so the command running now is not cut short.
 */
export class StrictBackgroundErrors {
  private pending: BackgroundHandlerError | undefined;

  constructor(
    private readonly loop: EventLoop,
    /** The command running now (the Interp's innermost one, `toplevel` if none). */
    private readonly current: () => string,
  ) {
    loop.onBackgroundError = (entry) => this.failed(entry);
  }

  private failed(entry: BackgroundError): void {
    if (entry.error instanceof BackgroundHandlerError) {
      const list = this.loop.backgroundErrors;
      if (list[list.length - 1] === entry) list.pop();
      throw entry.error;
    }
    const failure = new BackgroundHandlerError(entry);
    if (/^(vwait|update|drain)\b/.test(this.current())) throw failure;
    this.pending ??= failure;
  }

  /** Throws the error a previous command left pending, once. */
  raisePending(): void {
    const failure = this.pending;
    if (failure === undefined) return;
    this.pending = undefined;
    throw failure;
  }
}

/** Options of `Interp.drain`. */
export interface DrainOptions {
  /** Most virtual time the drain may cover, in ms (required: a forgotten periodic timer never ends). */
  readonly budgetMs: number;
}

/** What `Interp.drain` ran and where it stopped. */
export interface DrainReport {
  /** Loop events serviced: timer batches, file events and idle batches. */
  readonly events: number;
  /**
   * What ran, in order, when the trace is enabled (`after#3 Timeout`, `idle after#4 Check`,
   * `fileevent sock1 readable`); empty with a disabled trace (`events` still counts).
   */
  readonly ran: readonly string[];
  /** Nothing is left: no loop event and no timer of the world is pending. */
  readonly idle: boolean;
  /** Virtual time when the drain stopped, in ms. */
  readonly until: number;
}

function describe(e: TraceEntry): string | null {
  if (e.kind === 'loop.timer') return `${String(e['id'])} ${String(e['label'])}`;
  if (e.kind === 'loop.idle') return `idle ${String(e['id'])} ${String(e['label'])}`;
  if (e.kind === 'obs' && typeof e['event'] === 'string') return `fileevent ${String(e['chan'])} ${e['event']}`;
  return null;
}

/**
 * Services `loop` on `clock` until nothing is pending or `budgetMs` of virtual time has passed
 * (the clock then stands at the budget's end). World timers that do nothing for the loop (a
 * packet in flight) count as pending: the drain moves time to them.
 */
export function drainLoop(loop: EventLoop, clock: SteppableClock, trace: Trace, options: DrainOptions): DrainReport {
  const budget = options?.budgetMs;
  if (typeof budget !== 'number' || !Number.isFinite(budget) || budget < 0) {
    throw new DetnetError('ERR_INVALID_DRAIN', `drain needs a finite budgetMs >= 0, got ${String(budget)}`);
  }
  const deadline = clock.now() + budget;
  const ran: string[] = [];
  const listen = (e: TraceEntry): void => {
    const line = describe(e);
    if (line !== null) ran.push(line);
  };
  trace.on('entry', listen);
  let events = 0;
  let idle = false;
  try {
    for (;;) {
      if (loop.doOneEvent(false)) {
        if (++events > loop.loopLimit) throw new DetnetError('ERR_LOOP_LIMIT', `drain serviced more than ${loop.loopLimit} events`);
        continue;
      }
      const next = clock.nextDue();
      if (next === undefined) {
        idle = true;
        break;
      }
      if (next > deadline) {
        clock.advanceTo(deadline);
        break;
      }
      clock.runNext();
    }
  } finally {
    trace.off('entry', listen);
  }
  return { events, ran, idle, until: clock.now() };
}
