/**
 * A readable timeline of a trace: one line per entry, virtual time first.
 *
 * Owns: the human format used by the examples and the CLI. Channel observations (`obs`, the
 * §13 lines) are always shown: commands with their result or error, fileevent deliveries with
 * the command they ran inside, notes. Network, DNS, fault and loop entries are shown in the
 * `net` level (the default for the CLI) or `all` level; `obs` level shows channel lines only.
 *
 * Departs from nothing: it only formats; the JSONL trace is the machine-readable form.
 */
import type { TraceEntry } from './trace.js';

/** How much a timeline shows: `obs` channel lines only, `net` also network/DNS/fault events, `all` everything. */
export type TimelineLevel = 'obs' | 'net' | 'all';

/** Kinds shown at level `net` besides observations. */
const NET_KINDS = /^(net\.(attempt|connected|fail|refuse|drop|accept|fin|rst|unreachable|syn-retry|delay|hold)|dns\.(answer|fail)|fault\.|host\.(crash|restart)|loop\.(lost|bgerror))/;

function pad(t: number): string {
  const text = Number.isInteger(t) ? `${t}` : t.toFixed(3);
  return `${text.padStart(8)} ms`;
}

function fields(entry: TraceEntry): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(entry)) {
    if (k === 't' || k === 'kind') continue;
    parts.push(`${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  return parts.join(' ');
}

/** Formats one entry, or returns null if `level` hides it. */
export function formatEntry(entry: TraceEntry, level: TimelineLevel = 'net'): string | null {
  const t = pad(entry.t);
  if (entry.kind === 'obs') {
    if (typeof entry['op'] === 'string') {
      if (typeof entry['error'] === 'string') return `${t}  % ${entry['op']}\n${' '.repeat(13)}error: ${entry['error'] === '' ? '(empty message)' : entry['error']}  [${String(entry['errorcode'])}]`;
      const result = String(entry['result'] ?? '');
      return `${t}  % ${entry['op']}${result === '' ? '' : `  → ${result}`}`;
    }
    if (typeof entry['event'] === 'string') {
      return `${t}  ⚡ ${entry['event']} ${String(entry['chan'])} (during ${String(entry['during'])})`;
    }
    if (typeof entry['note'] === 'string') return `${t}  # ${entry['note']}: ${String(entry['value'])}`;
    return `${t}  ${fields(entry)}`;
  }
  if (level === 'obs') return null;
  if (level === 'net' && !NET_KINDS.test(entry.kind)) return null;
  return `${t}    · ${entry.kind} ${fields(entry)}`;
}

/** Formats every visible entry, one per line. */
export function formatTimeline(entries: readonly TraceEntry[], level: TimelineLevel = 'net'): string[] {
  const lines: string[] = [];
  for (const e of entries) {
    const line = formatEntry(e, level);
    if (line !== null) lines.push(line);
  }
  return lines;
}
