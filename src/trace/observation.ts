/**
 * Observation lines: the §13 trace format shared by the simulated world, the Node driver and
 * real `tclsh`, so the three can be compared line by line.
 *
 * Owns: the five line shapes (`op` with `result` or `error`+`errorcode`, `event`, `note`,
 * `meta`), their one canonical JSON text (fixed key order, so equal lines are equal bytes),
 * parsing JSON lines back with clear errors, the run-length collapse of polling sequences
 * (`1,1,1,0` → `1x3,0`), normalisation of real channel names and ports to placeholders
 * (`<c1>`, `<a1>`, `<port>`, `<port6>`, `<rport>`, `<lport>`, `<eport>`), and a line-by-line
 * comparison that prints a readable first difference.
 *
 * Does not: produce observations (the interpreter records them as trace entries of kind `obs`;
 * the Tcl renderer's script prints them) or decide what a scenario expects.
 *
 * Normalisation works from what the trace itself declares: `{"meta":"port","role":R,"value":N}`
 * names a port, `{"meta":"chan","role":"cN","name":S}` names a client channel. Without a
 * declaration a client channel gets the next `<cN>` when it first appears; a channel first
 * seen in an `accept` event gets the next `<aN>`. A port number left over in the third element
 * of an `{address address port}` triple is ephemeral (`<eport>`).
 *
 * Departs from reality: nothing; this is bookkeeping. Values are always strings, as in Tcl.
 *
 * About 350 lines: the format, its normalisation and its comparison are one contract (the
 * parity suite depends on all three agreeing), so they live together.
 */
import { showValue } from '../show-value.js';
import { DetnetError } from '../errors.js';
import type { TraceEntry } from './trace.js';

/** A command and its result: `{"op":"fconfigure <c1> -error","result":"connection refused"}`. */
export interface OpResultLine {
  readonly op: string;
  readonly result: string;
}

/** A command that raised: message and Tcl errorCode. */
export interface OpErrorLine {
  readonly op: string;
  readonly error: string;
  readonly errorcode: string;
}

/** A handler ran: `during` is the innermost traced command running, or `toplevel`. */
export interface EventLine {
  readonly event: string;
  readonly chan: string;
  readonly during: string;
}

/** A summary value, e.g. a run-length collapsed polling sequence. */
export interface NoteLine {
  readonly note: string;
  readonly value: string;
}

/** Framing and declarations; ignored when traces are compared. */
export interface MetaLine {
  readonly meta: string;
  readonly [field: string]: string;
}

/** One line of an observation trace. */
export type ObservationLine = OpResultLine | OpErrorLine | EventLine | NoteLine | MetaLine;

/** Placeholder roles a port can have (reference §13). */
export const PORT_ROLES = ['port', 'port6', 'rport', 'lport'] as const;
export type PortRole = (typeof PORT_ROLES)[number];

function fail(message: string): DetnetError {
  return new DetnetError('ERR_OBSERVATION_INVALID', message);
}

/** Whether a line is framing/declaration (`meta`), which comparisons ignore. */
export function isMeta(line: ObservationLine): line is MetaLine {
  return 'meta' in line;
}

/** The fields of a line in canonical order, as [key, value] pairs. */
function orderedFields(line: ObservationLine): [string, string][] {
  if ('meta' in line) {
    const rest = Object.keys(line).filter((k) => k !== 'meta');
    return [['meta', line.meta], ...rest.map((k): [string, string] => [k, line[k] ?? ''])];
  }
  if ('op' in line) {
    return 'error' in line
      ? [
          ['op', line.op],
          ['error', line.error],
          ['errorcode', line.errorcode],
        ]
      : [
          ['op', line.op],
          ['result', line.result],
        ];
  }
  if ('event' in line) {
    return [
      ['event', line.event],
      ['chan', line.chan],
      ['during', line.during],
    ];
  }
  return [
    ['note', line.note],
    ['value', line.value],
  ];
}

/** The canonical JSON text of one line (no trailing newline). Equal lines give equal text. */
export function formatLine(line: ObservationLine): string {
  return `{${orderedFields(line)
    .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
    .join(',')}}`;
}

/** Lines as JSON lines text, one per line, with a trailing newline when non-empty. */
export function toJSONL(lines: readonly ObservationLine[]): string {
  let out = '';
  for (const line of lines) out += `${formatLine(line)}\n`;
  return out;
}

const SHAPES: readonly (readonly string[])[] = [
  ['op', 'result'],
  ['op', 'error', 'errorcode'],
  ['event', 'chan', 'during'],
  ['note', 'value'],
];

/**
 * Checks that `value` is an observation line: an object of string fields in one of the shapes.
 * `where` names the source in the error (e.g. `tclsh stdout line 4`).
 */
export function toObservationLine(value: unknown, where: string): ObservationLine {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail(`${where}: expected a JSON object, got ${showValue(value)}`);
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  for (const k of keys) {
    if (typeof record[k] !== 'string') throw fail(`${where}: field ${showValue(k)} must be a string, got ${showValue(record[k])}`);
  }
  if (keys.includes('meta')) return record as unknown as MetaLine;
  const sorted = [...keys].sort().join(',');
  if (!SHAPES.some((shape) => [...shape].sort().join(',') === sorted)) {
    throw fail(`${where}: fields {${keys.join(', ')}} are not an op, event, note or meta line`);
  }
  return record as unknown as ObservationLine;
}

/** Parses JSON lines (blank lines ignored). Errors name the line number and the bad text. */
export function parseJSONL(text: string, source = 'input'): ObservationLine[] {
  const lines: ObservationLine[] = [];
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const row = (rows[i] ?? '').trim();
    if (row === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(row);
    } catch {
      throw fail(`${source} line ${i + 1}: not JSON: ${row.length > 200 ? `${row.slice(0, 200)}…` : row}`);
    }
    lines.push(toObservationLine(value, `${source} line ${i + 1}`));
  }
  return lines;
}

/**
 * Observation lines from trace entries of kind `obs` (the interpreter records §13 lines that
 * way); `t` and `kind` are dropped, every other entry is ignored.
 */
export function fromTraceEntries(entries: readonly TraceEntry[]): ObservationLine[] {
  const lines: ObservationLine[] = [];
  for (const entry of entries) {
    if (entry.kind !== 'obs') continue;
    const fields: Record<string, unknown> = {};
    for (const k of Object.keys(entry)) if (k !== 't' && k !== 'kind') fields[k] = entry[k];
    lines.push(toObservationLine(fields, `trace entry at t=${entry.t}`));
  }
  return lines;
}

// ---- run-length collapse ----------------------------------------------------------------------

/** How an empty value is written inside a collapsed sequence (Tcl's empty word). */
export const EMPTY_VALUE = '{}';

/**
 * Run-length collapse of a polling sequence: `['1','1','1','0']` → `1x3,0`. A run of one is
 * written bare; the empty string is written `{}`. Values should not contain `,` (the reader
 * could not split them back); nothing else is reserved.
 */
export function collapseRuns(values: readonly string[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < values.length) {
    const v = values[i] ?? '';
    let j = i + 1;
    while (j < values.length && values[j] === v) j++;
    const shown = v === '' ? EMPTY_VALUE : v;
    parts.push(j - i === 1 ? shown : `${shown}x${j - i}`);
    i = j;
  }
  return parts.join(',');
}

/**
 * Inverse of `collapseRuns` for values without `,` that do not themselves end in `x<digits>`
 * and are not `{}` (test and tooling use).
 */
export function expandRuns(collapsed: string): string[] {
  if (collapsed === '') return [];
  const out: string[] = [];
  for (const part of collapsed.split(',')) {
    const m = /^(.*)x([1-9][0-9]*)$/s.exec(part);
    const raw = m ? (m[1] ?? '') : part;
    const value = raw === EMPTY_VALUE ? '' : raw;
    const count = m ? Number(m[2]) : 1;
    for (let k = 0; k < count; k++) out.push(value);
  }
  return out;
}

/** Consecutive duplicates removed, without counts: `1,1,0` → `1,0` (for timing-dependent polls). */
export function collapseChanges(values: readonly string[]): string {
  const parts: string[] = [];
  let prev: string | undefined;
  for (const v of values) {
    if (v !== prev) parts.push(v === '' ? EMPTY_VALUE : v);
    prev = v;
  }
  return parts.join(',');
}

// ---- normalisation ----------------------------------------------------------------------------

/** Options of `normalise`. */
export interface NormaliseOptions {
  /** Ports by role, in addition to those declared by `{"meta":"port"}` lines. */
  readonly ports?: readonly (readonly [PortRole, number | string])[];
  /** How a real channel name looks (global regex). Default: `sock` + hex digits (Tcl and detnet). */
  readonly chanPattern?: RegExp;
  /** Keep `meta` lines other than the `port`/`chan` declarations (default false). */
  readonly keepMeta?: boolean;
}

/** `{address address port}` with the address repeated (reverse DNS off), as in `-sockname`. */
const TRIPLE = /(^|[\s{])([0-9A-Fa-f:.]+) \2 ([0-9]+)(?=$|[\s}])/g;

/**
 * Replaces real channel names and port numbers by placeholders so traces of different runs
 * and backends compare equal. See the module header for the rules. Lines are processed in
 * order: a channel name created again later (a reused address in real Tcl) gets a fresh
 * placeholder at its creation.
 */
export function normalise(lines: readonly ObservationLine[], options: NormaliseOptions = {}): ObservationLine[] {
  const source = (options.chanPattern ?? /\bsock[0-9a-f]+\b/g).source;
  const pattern = new RegExp(source, 'g');
  const wholeName = new RegExp(`^(?:${source})$`);
  const portRole = new Map<string, string>();
  for (const [role, port] of options.ports ?? []) portRole.set(String(port), `<${role}>`);
  for (const line of lines) {
    if (isMeta(line) && line.meta === 'port' && line['role'] !== undefined && line['value'] !== undefined) {
      portRole.set(line['value'], `<${line['role']}>`);
    }
  }
  const chans = new Map<string, string>();
  /** Names declared by a `chan` meta line whose creation has not been seen yet. */
  const declared = new Set<string>();
  let clients = 0;
  let accepted = 0;
  const chanOf = (name: string): string => {
    let placeholder = chans.get(name);
    if (placeholder === undefined) {
      placeholder = `<c${++clients}>`;
      chans.set(name, placeholder);
    }
    return placeholder;
  };
  const names = (s: string): string => s.replace(pattern, chanOf);
  const triples = (s: string): string =>
    s.replace(TRIPLE, (_m, lead: string, addr: string, port: string) => `${lead}${addr} ${addr} ${portRole.get(port) ?? '<eport>'}`);
  const value = (s: string): string => triples(names(s));
  const opText = (s: string): string =>
    names(s)
      .split(' ')
      .map((word) => portRole.get(word) ?? word)
      .join(' ');

  const out: ObservationLine[] = [];
  for (const line of lines) {
    if (isMeta(line)) {
      if (line.meta === 'chan' && line['name'] !== undefined && line['role'] !== undefined) {
        chans.set(line['name'], `<${line['role']}>`);
        declared.add(line['name']);
        if (/^c[0-9]+$/.test(line['role'])) clients = Math.max(clients, Number(line['role'].slice(1)));
      } else if (line.meta !== 'port' && options.keepMeta === true) {
        out.push(line);
      }
      continue;
    }
    if ('op' in line) {
      if ('error' in line) {
        out.push({ op: opText(line.op), error: value(line.error), errorcode: value(line.errorcode) });
        continue;
      }
      // A successful `socket` creates a channel: its result is a new client name.
      if (/^socket\s/.test(line.op) && !/\s-server\s/.test(line.op) && wholeName.test(line.result)) {
        if (!declared.delete(line.result)) chans.set(line.result, `<c${++clients}>`);
      }
      out.push({ op: opText(line.op), result: value(line.result) });
    } else if ('event' in line) {
      if (line.event === 'accept') chans.set(line.chan, `<a${++accepted}>`);
      out.push({ event: line.event, chan: names(line.chan), during: opText(line.during) });
    } else {
      out.push({ note: line.note, value: value(line.value) });
    }
  }
  return out;
}

// ---- comparison -------------------------------------------------------------------------------

/** Names of the two sides in a difference report. */
export interface DiffLabels {
  readonly expected: string;
  readonly actual: string;
}

/**
 * Compares two traces line by line, ignoring `meta` lines. Returns null when they are equal,
 * else a readable report of the first difference with up to three lines of shared context.
 */
export function diffObservations(
  expected: readonly ObservationLine[],
  actual: readonly ObservationLine[],
  labels: DiffLabels = { expected: 'expected', actual: 'actual' },
): string | null {
  const a = expected.filter((l) => !isMeta(l)).map(formatLine);
  const b = actual.filter((l) => !isMeta(l)).map(formatLine);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return null;
  const width = Math.max(labels.expected.length, labels.actual.length);
  const pad = (s: string): string => s.padEnd(width);
  const out = [`traces differ at line ${i + 1} (${labels.expected}: ${a.length} lines, ${labels.actual}: ${b.length} lines)`];
  for (let k = Math.max(0, i - 3); k < i; k++) out.push(`  ${pad('')}  ${k + 1}: ${a[k]}`);
  out.push(`- ${pad(labels.expected)}  ${i + 1}: ${a[i] ?? '(end of trace)'}`);
  out.push(`+ ${pad(labels.actual)}  ${i + 1}: ${b[i] ?? '(end of trace)'}`);
  const restA = a.slice(i + 1, i + 3);
  const restB = b.slice(i + 1, i + 3);
  if (restA.length > 0) out.push(`  then ${labels.expected}: ${restA.join('  ')}`);
  if (restB.length > 0) out.push(`  then ${labels.actual}: ${restB.join('  ')}`);
  return out.join('\n');
}
