/**
 * How an interpreter runs its event handlers — fileevent scripts, `after` scripts and accept
 * commands — and names them when the notifier stops a runaway.
 *
 * Owns: running a handler one nesting level deeper under Tcl's recursion limit
 * (nesting-limit.ts), turning its exception (the nesting error included) into a background
 * error (Tcl's bgerror), recording the `{event, chan, during}` line of a fileevent delivery,
 * and the text that names a channel's scripts in a runaway error
 * (`fileevent sock1 writable W`).
 *
 * Does not: decide when a handler runs (the notifier and the event loop do) or delete a
 * failed fileevent handler (the channel does, as Tcl does).
 *
 * Departs from Tcl: handlers are JavaScript callbacks with a display text; the recursion
 * limit's default is 200 levels, not 1000 (nesting-limit.ts says why).
 */
import type { EventLoop } from '../loop/event-loop.js';
import { READABLE, WRITABLE, type Watch } from '../loop/notifier.js';
import type { Channel, Script } from './channel.js';
import { opText, type CommandTracer, type OpText } from './command-tracer.js';
import { NestingLimit } from './nesting-limit.js';
import { tclQuote } from './tcl-words.js';

/** Runs one interpreter's event handlers (see the module header). */
export class EventScripts {
  private readonly nesting: NestingLimit;

  constructor(
    private readonly loop: EventLoop,
    private readonly tracer: CommandTracer,
    recursionLimit: number | undefined,
  ) {
    this.nesting = new NestingLimit(recursionLimit);
  }

  /**
   * Runs a handler one nesting level deeper; an exception — Tcl's nesting error included —
   * becomes a background error labelled `label`. Returns false if the handler threw.
   */
  guard(fn: () => void, label: OpText): boolean {
    try {
      this.nesting.run(fn);
      return true;
    } catch (error) {
      this.loop.reportBackgroundError(error, opText(label));
      return false;
    }
  }

  /** Runs a fileevent script, tracing its event first; false if it threw. */
  runEventScript(chan: Channel, kind: 'readable' | 'writable', script: Script): boolean {
    if (script.busy?.() === true) return true;
    // A script refused by the nesting limit never runs, so its event is not observed either.
    return this.guard(() => {
      if (this.tracer.trace.enabled) this.tracer.record({ event: kind, chan: chan.name, during: this.tracer.current });
      script.run();
    }, () => `fileevent ${chan.name} ${kind}`);
  }
}

/**
 * Names a channel's fileevent scripts for a runaway error (`fileevent sock1 writable W`), or
 * its background flush when no script is set; undefined for a watch that is not a channel's.
 * `find` looks a channel up by name, closed-but-lingering ones included.
 */
export function describeChannelWatch(watch: Watch, mask: number, find: (name: string) => Channel | undefined): string | undefined {
  const name = watch.label.startsWith('chan:') ? watch.label.slice('chan:'.length) : undefined;
  const chan = name === undefined ? undefined : find(name);
  if (chan === undefined) return undefined;
  const scripts: string[] = [];
  for (const [kind, bit] of [['readable', READABLE], ['writable', WRITABLE]] as const) {
    const text = (mask & bit) === 0 ? '' : chan.scriptText(kind);
    if (text !== '') scripts.push(`fileevent ${chan.name} ${kind} ${tclQuote(text)}`);
  }
  return scripts.length === 0 ? `the background flush of ${chan.name}` : scripts.join(' and ');
}
