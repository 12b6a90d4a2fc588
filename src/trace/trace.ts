/**
 * The trace: every event a world or loop processes, as JSON-serialisable records.
 *
 * Owns: recording, subscription (typed events through eventemitter3) and JSON-lines output.
 * Entries are plain objects `{ t, kind, ...fields }`; `t` is the clock time in ms. Kinds are
 * dotted by layer: `clock.*`, `loop.*`, `net.*`, `dns.*`, `fault.*`, `chan.*`; channel
 * observations in the format of the Tcl reference (§13) are kind `obs` and are turned into
 * their exact line shape by `src/trace/observation.ts`.
 *
 * Same seed ⇒ same entries in the same order ⇒ byte-identical JSONL, because every field is
 * written in a fixed order by the code that records it and nothing iterates a hash.
 */
import { EventEmitter } from 'eventemitter3';

/** One trace record. Values must be JSON-serialisable. */
export interface TraceEntry {
  readonly t: number;
  readonly kind: string;
  readonly [field: string]: unknown;
}

/** Events a trace emits to subscribers. */
export interface TraceEvents {
  /** Every recorded entry. */
  entry: (entry: TraceEntry) => void;
}

export interface TraceOptions {
  /** Keep entries in memory for `entries`/`toJSONL` (default true). */
  readonly keep?: boolean;
  /** Record at all (default true). A disabled trace costs one branch per event. */
  readonly enabled?: boolean;
}

export class Trace extends EventEmitter<TraceEvents> {
  private readonly kept: TraceEntry[] = [];
  readonly keep: boolean;
  enabled: boolean;

  constructor(options: TraceOptions = {}) {
    super();
    this.keep = options.keep ?? true;
    this.enabled = options.enabled ?? true;
  }

  /** Records an entry of `kind` at time `t` with extra `fields` (written after t and kind). */
  record(t: number, kind: string, fields?: Readonly<Record<string, unknown>>): void {
    if (!this.enabled) return;
    const entry: TraceEntry = fields === undefined ? { t, kind } : { t, kind, ...fields };
    if (this.keep) this.kept.push(entry);
    this.emit('entry', entry);
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

  /** All kept entries as JSON lines (one object per line, trailing newline). */
  toJSONL(): string {
    let out = '';
    for (const e of this.kept) out += `${JSON.stringify(e)}\n`;
    return out;
  }

  /** Forgets kept entries. */
  clear(): void {
    this.kept.length = 0;
  }
}
