/**
 * Read-only snapshots of an interpreter: what a teacher wants to see at one moment of a run —
 * each channel's connect machine (state, candidate list, the attempt being tried, `-error`,
 * `-connecting`), its buffers and fileevent scripts, and the notifier's watches — as plain,
 * JSON-serialisable data.
 *
 * Owns: `inspectInterp` (one snapshot) and `recordSnapshots` (one snapshot per trace entry,
 * through a trace subscription: a run that wants no report never subscribes, so it pays
 * nothing). The HTML report and the sandbox (src/web/) render these.
 *
 * Does not: change anything. It reads public read-only entry points only (`channelNames`,
 * `channel`, `Connector.attempts`/`pendingError`, `Channel.inputState`,
 * `Notifier.inspectWatches`): reading `-error` through the option would consume the stored
 * error, so the snapshot shows what `-error` *would* report once (`pendingError`) instead.
 *
 * Departs from reality: nothing to depart from; Tcl has no such view (a debugger would).
 */
import { EXCEPTION, READABLE, WRITABLE } from '../loop/notifier.js';
import { formatSockAddr } from '../net/sock-addr.js';
import type { Trace, TraceEntry } from '../trace/trace.js';
import type { Driver } from './driver.js';
import type { Interp } from './interp.js';
import { TclError } from './tcl-error.js';

/** One channel at one moment. */
export interface ChannelSnapshot {
  readonly name: string;
  /** `server` for a listening socket (the other fields are then empty). */
  readonly kind: 'client' | 'accepted' | 'server';
  /** The connect machine's state: `opening`, `inflight`, `connected`, `failed`. */
  readonly state: string;
  /** The attempt candidates, `remote ← local`, in the order §2 walks them. */
  readonly candidates: readonly string[];
  /** Index into `candidates` of the attempt in flight (or the final one); -1 before any. */
  readonly trying: number;
  /** Tcl's connecting flag (`-connecting`). */
  readonly connecting: boolean;
  /** The error `-error` would report next (`""` for none), without consuming it. */
  readonly error: string;
  /** Output bytes queued or buffered, not yet written to the socket. */
  readonly pendingOutput: number;
  /** Input characters decoded and not yet read by the script. */
  readonly bufferedInput: number;
  readonly sawEof: boolean;
  readonly blocking: boolean;
  /** Tcl's background flush is scheduled (§6). */
  readonly bgFlush: boolean;
  /** fileevent scripts by kind; absent kinds have none. */
  readonly fileevents: { readonly readable?: string; readonly writable?: string };
}

/** One notifier watch at one moment. */
export interface WatchSnapshot {
  readonly source: string;
  readonly label: string;
  /** Mask and readiness as letters: `r`, `w`, `x`. */
  readonly mask: string;
  readonly effective: boolean;
  readonly seen: string;
  readonly lost: string;
}

/** The interpreter at one moment. */
export interface InterpSnapshot {
  readonly t: number;
  readonly profile: string;
  readonly channels: readonly ChannelSnapshot[];
  readonly watches: readonly WatchSnapshot[];
}

/** `r`, `w`, `x` for the readable, writable and exception bits of `mask`; `-` for none. */
export function maskLetters(mask: number): string {
  const s = `${mask & READABLE ? 'r' : ''}${mask & WRITABLE ? 'w' : ''}${mask & EXCEPTION ? 'x' : ''}`;
  return s === '' ? '-' : s;
}

function channelSnapshot(interp: Interp<Driver>, name: string): ChannelSnapshot {
  let chan;
  try {
    chan = interp.channel(name);
  } catch (err) {
    // `channelNames` lists servers too, which `channel` does not look up: a listening socket.
    if (!(err instanceof TclError)) throw err;
    return { name, kind: 'server', state: 'listening', candidates: [], trying: -1, connecting: false, error: '', pendingOutput: 0, bufferedInput: 0, sawEof: false, blocking: true, bgFlush: false, fileevents: {} };
  }
  const c = chan.connector;
  const state = c.state;
  const readable = chan.scriptText('readable');
  const writable = chan.scriptText('writable');
  const input = chan.inputState;
  return {
    name,
    kind: chan.accepted ? 'accepted' : 'client',
    state: state.kind,
    candidates: c.attempts.map((p) => `${formatSockAddr(p.remote)} ← ${formatSockAddr(p.local)}`),
    trying: state.index,
    connecting: c.connecting,
    error: c.pendingError ?? '',
    pendingOutput: chan.pendingOutput,
    bufferedInput: input.buffered,
    sawEof: input.sawEof,
    blocking: chan.blocking,
    bgFlush: chan.bgFlush,
    fileevents: { ...(readable === '' ? {} : { readable }), ...(writable === '' ? {} : { writable }) },
  };
}

/** A snapshot of `interp` now: every open channel and server, and the notifier's watches. */
export function inspectInterp(interp: Interp<Driver>): InterpSnapshot {
  return {
    t: interp.driver.clock.now(),
    profile: interp.profile.name,
    channels: interp.channelNames().map((n) => channelSnapshot(interp, n)),
    watches: interp.loop.notifier.inspectWatches().map((w) => ({
      source: w.source,
      label: w.label,
      mask: maskLetters(w.mask),
      effective: w.effective,
      seen: maskLetters(w.seen),
      lost: maskLetters(w.lost),
    })),
  };
}

/** Snapshots taken during a run, keyed by the trace entry they follow. */
export interface SnapshotRecorder {
  /** The snapshot taken right after `entry` was recorded, if any. */
  readonly at: ReadonlyMap<TraceEntry, InterpSnapshot>;
  /** Stops recording. */
  stop(): void;
}

/**
 * Takes a snapshot of `interp` after every entry recorded in `trace` (and any of `more`), until
 * `stop()`. Unchanged consecutive snapshots are shared, so a long run stays small.
 */
export function recordSnapshots(interp: Interp<Driver>, traces: readonly Trace[]): SnapshotRecorder {
  const at = new Map<TraceEntry, InterpSnapshot>();
  let last: InterpSnapshot | null = null;
  let lastText = '';
  const take = (entry: TraceEntry): void => {
    const snap = inspectInterp(interp);
    const text = JSON.stringify({ ...snap, t: 0 });
    if (last === null || text !== lastText || last.t !== snap.t) {
      last = snap;
      lastText = text;
    }
    at.set(entry, last);
  };
  const unique = [...new Set(traces)];
  for (const t of unique) t.on('entry', take);
  return { at, stop: () => unique.forEach((t) => t.off('entry', take)) };
}
