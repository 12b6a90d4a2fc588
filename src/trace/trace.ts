/**
 * The trace: every event a world or loop processes, as JSON-serialisable records.
 *
 * Owns: recording, subscription (typed events through eventemitter3) and JSON-lines output.
 * Entries are plain objects `{ t, kind, ...fields }`; `t` is the clock time in ms. Kinds are
 * dotted by layer: `clock.*`, `loop.*`, `net.*`, `dns.*`, `fault.*`, `chan.*`; channel
 * observations in the format of the Tcl reference (§13) are kind `obs` and are turned into
 * their exact line shape by `src/trace/observation.ts`.
 *
 * Typed kinds: `TraceKindMap` lists the fields of every known kind. Other layers add theirs by
 * declaration merging (`declare module '…/trace/trace.js' { interface TraceKindMap { … } }`);
 * `record` then checks their fields, and `trace.on('<kind>', e => …)` hands subscribers a typed
 * entry. Unlisted kinds still work through the untyped `record` overload and the `entry` event.
 *
 * Same seed ⇒ same entries in the same order ⇒ byte-identical JSONL, because every field is
 * written in a fixed order by the code that records it and nothing iterates a hash.
 *
 * Bounded: a trace that keeps entries keeps at most `limit` (default `TRACE_LIMIT`, a million —
 * far more than any ordinary run records, so those stay complete and byte-identical). The
 * first entry past it is replaced by one `trace.dropped` entry, kept and emitted; later ones
 * are neither kept nor emitted, only counted in `dropped`. A cap rather than a ring, so that
 * what a trace holds is always a prefix of what happened and indexes into it stay valid.
 *
 * Does not: decide what is worth recording (the layers do), or format entries for people
 * (the CLI's timeline does that).
 */
import { EventEmitter } from 'eventemitter3';
import { DetnetError } from '../errors.js';

/** One trace record. Values must be JSON-serialisable. */
export interface TraceEntry {
  readonly t: number;
  readonly kind: string;
  readonly [field: string]: unknown;
}

/**
 * Fields of every known trace kind (besides `t` and `kind`). Open for declaration merging.
 * The `loop.*` and `clock.*` kinds are recorded by src/loop.
 */
export interface TraceKindMap {
  /** The event loop, waiting, moved the virtual clock from `from` to `to`. */
  'clock.advance': { from: number; to: number };
  /** `after ms`: a timer handler was scheduled. */
  'loop.after': { id: string; label: string; ms: number; due: number };
  /** `after idle`: an idle callback was scheduled. */
  'loop.after-idle': { id: string; label: string };
  /** `after cancel`: `was` says whether it was still scheduled, already due, or idle. */
  'loop.cancel': { id: string; was: 'scheduled' | 'due' | 'idle' };
  /** A timer handler ran (it was due at `due`). */
  'loop.timer': { id: string; label: string; due: number };
  /** An idle callback ran. */
  'loop.idle': { id: string; label: string };
  /** A file event was delivered to the watches of `source` for the bits in `mask`. */
  'loop.file': { source: string; mask: number };
  /** A handler threw; the error went to the background-error handler. */
  'loop.bgerror': { handler: string; message: string; code: string | null };
  /** A `vwait` started (depth 0 = outermost). */
  'loop.vwait': { what: string; depth: number };
  /** A `vwait` ended: its condition held, nothing could wake it, or its budget ran out. */
  'loop.vwait.end': { what: string; depth: number; outcome: 'satisfied' | 'forever' | 'budget' };
  /** An `update` started. */
  'loop.update': { depth: number };
  /** A loop variable was written (`set`). */
  'loop.set': { name: string; value: string };
  /** A loop variable was unset. */
  'loop.unset': { name: string };
  /** A watch became effective (it can now receive file events). */
  'loop.watch': { source: string; label: string; mask: number };
  /** A watch was removed. */
  'loop.unwatch': { source: string; label: string };
  /** The notifier's view of a watched source's readiness changed to `mask`. */
  'loop.ready': { source: string; mask: number };
  /** Readiness that rose while no watch was effective was dropped (bug 336441ed59 model). */
  'loop.lost': { source: string; mask: number };
  /** The trace is full: it kept `limit` entries, and drops every later one. */
  'trace.dropped': { limit: number };
}

/** Default of `TraceOptions.limit`: the most entries a trace keeps. */
export const TRACE_LIMIT = 1_000_000;

/** A known trace kind. */
export type TraceKind = keyof TraceKindMap;

/** A trace entry of known kind `K`, with its typed fields. */
export type TraceEntryOf<K extends TraceKind> = { readonly t: number; readonly kind: K } & Readonly<TraceKindMap[K]>;

/** Events a trace emits to subscribers: `entry` for every record, and one event per known kind. */
export type TraceEvents = { entry: [entry: TraceEntry] } & { [K in TraceKind]: [entry: TraceEntryOf<K>] };

/** Options of `new Trace(...)`. */
export interface TraceOptions {
  /** Keep entries in memory for `entries`/`toJSONL` (default true). */
  readonly keep?: boolean;
  /** Record at all (default true). A disabled trace costs one branch per event. */
  readonly enabled?: boolean;
  /** Most entries kept (default `TRACE_LIMIT`); later ones are dropped after one `trace.dropped`. */
  readonly limit?: number;
}

/**
 * The record of everything that happened in a world or an interpreter: typed entries with a
 * virtual time, kept in memory and emitted to subscribers (`trace.on('entry', ...)`). Pass
 * the world's trace to `new Interp(driver, { trace })` for one merged timeline; turn it off
 * (`enabled: false`) when only speed matters.
 */
export class Trace extends EventEmitter<TraceEvents> {
  private readonly kept: TraceEntry[] = [];
  readonly keep: boolean;
  readonly limit: number;
  enabled: boolean;
  private droppedCount = 0;

  constructor(options: TraceOptions = {}) {
    super();
    this.keep = options.keep ?? true;
    this.enabled = options.enabled ?? true;
    this.limit = options.limit ?? TRACE_LIMIT;
    if (!Number.isSafeInteger(this.limit) || this.limit < 0) {
      throw new DetnetError('ERR_INVALID_OPTION', `trace limit must be a non-negative integer, got ${String(this.limit)}`);
    }
  }

  /** How many entries were dropped because the trace was full (0 for a complete trace). */
  get dropped(): number {
    return this.droppedCount;
  }

  /**
   * Records an entry of `kind` at time `t` with extra `fields` (written after `t` and `kind`, in
   * their own order). Throws `ERR_TRACE_FIELD` if `fields` would overwrite `t` or `kind`.
   */
  record<K extends TraceKind>(t: number, kind: K, fields: TraceKindMap[K]): void;
  record(t: number, kind: string, fields?: Readonly<Record<string, unknown>>): void;
  record(t: number, kind: string, fields?: Readonly<Record<string, unknown>>): void {
    if (!this.enabled) return;
    if (fields !== undefined && ('t' in fields || 'kind' in fields)) {
      throw new DetnetError('ERR_TRACE_FIELD', `trace fields of ${kind} may not be named "t" or "kind"`);
    }
    if (this.keep && this.kept.length >= this.limit) {
      if (this.droppedCount++ > 0) return;
      // The one note that says the trace is no longer complete: kept and emitted.
      const note: TraceEntry = { t, kind: 'trace.dropped', limit: this.limit };
      this.kept.push(note);
      this.emit('entry', note);
      this.emit('trace.dropped', note as TraceEntryOf<'trace.dropped'>);
      return;
    }
    const entry: TraceEntry = fields === undefined ? { t, kind } : { t, kind, ...fields };
    if (this.keep) this.kept.push(entry);
    this.emit('entry', entry);
    // Kinds outside TraceKindMap are emitted too; only their listeners are untyped.
    this.emit(kind as TraceKind, entry as never);
  }

  /** Entries recorded so far (oldest first). */
  get entries(): readonly TraceEntry[] {
    return this.kept;
  }

  /** Entries whose kind equals `kind` or starts with `kind + '.'`. */
  ofKind(kind: string): TraceEntry[] {
    const prefix = `${kind}.`;
    return this.kept.filter((e) => e.kind === kind || e.kind.startsWith(prefix));
  }

  /** Entries of exactly the known kind `kind`, typed. */
  entriesOf<K extends TraceKind>(kind: K): TraceEntryOf<K>[] {
    return this.kept.filter((e): e is TraceEntryOf<K> => e.kind === kind);
  }

  /** All kept entries as JSON lines (one object per line, trailing newline). */
  toJSONL(): string {
    let out = '';
    for (const e of this.kept) out += `${JSON.stringify(e)}\n`;
    return out;
  }

  /** Forgets kept entries (and that any were dropped). */
  clear(): void {
    this.kept.length = 0;
    this.droppedCount = 0;
  }
}

/**
 * Parses JSON lines (as written by `toJSONL`) back into entries; blank lines are skipped.
 * Throws `ERR_TRACE_PARSE` naming the line for anything that is not an object with a numeric
 * `t` and a string `kind`.
 */
export function parseJSONL(text: string): TraceEntry[] {
  const out: TraceEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new DetnetError('ERR_TRACE_PARSE', `trace line ${i + 1} is not JSON`, { cause: err });
    }
    const rec = value as { t?: unknown; kind?: unknown } | null;
    if (typeof rec !== 'object' || rec === null || typeof rec.t !== 'number' || typeof rec.kind !== 'string') {
      throw new DetnetError('ERR_TRACE_PARSE', `trace line ${i + 1} lacks a numeric "t" and a string "kind"`);
    }
    out.push(rec as TraceEntry);
  }
  return out;
}
