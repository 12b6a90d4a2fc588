/**
 * The sequence diagram of one run, as an SVG string: one lane for the client interpreter (Tcl
 * commands and events), one for the event loop and notifier, one per host kernel and one for
 * the network; virtual time runs down the page, one row per trace entry; packets are arrows
 * between a kernel and the network, coloured and labelled with their verdict (refused,
 * dropped, unreachable, delayed, held).
 *
 * Owns: the layout (`laneOf`, `rowOf`) and the SVG text. Every row is a focusable `<g
 * class="ev" data-row="N">` so the page scripts (report-script.ts, the sandbox) can select it;
 * labels are real `<text>`, so the diagram's words can be selected and searched.
 *
 * Does not: run anything, read the DOM, or use Node built-ins: the same function renders the
 * `detnet html` report and the sandbox page.
 *
 * Departs from reality: a row is an entry, not a length of time — equal-time entries keep the
 * order they happened in, and a gap in virtual time is marked by the time column only.
 */
import type { TraceEntry } from '../trace/trace.js';
import { escapeHtml } from './escape.js';

/** Lane kinds, left to right. */
export type LaneKind = 'client' | 'loop' | 'kernel' | 'network';

/** A lane of the diagram. */
export interface Lane {
  readonly kind: LaneKind;
  readonly title: string;
  /** For kernel lanes, the host's name. */
  readonly host?: string;
  readonly x: number;
  readonly width: number;
}

/** What one row draws: a mark on a lane, or an arrow between two lanes. */
export type RowShape =
  | { readonly kind: 'mark'; readonly lane: number; readonly text: string; readonly tone: Tone }
  | { readonly kind: 'arrow'; readonly from: number; readonly to: number; readonly text: string; readonly tone: Tone; readonly verdict: string | null };

/** Colour classes of marks and arrows. */
export type Tone = 'op' | 'error' | 'event' | 'note' | 'loop' | 'lost' | 'packet' | 'refused' | 'dropped' | 'unreachable' | 'delayed' | 'held' | 'fault' | 'kernel';

const TIME_WIDTH = 70;
const ROW = 22;
const HEAD = 48;
const WIDTHS: Readonly<Record<LaneKind, number>> = { client: 360, loop: 290, kernel: 220, network: 200 };

/** The hosts a run involves, in order of first appearance (`host.add`, or a `host` field). */
export function hostsOf(entries: readonly TraceEntry[]): string[] {
  const hosts: string[] = [];
  for (const e of entries) {
    const h = e['host'];
    if (typeof h === 'string' && !hosts.includes(h)) hosts.push(h);
  }
  return hosts;
}

/** The lanes for a run on `hosts` (at least one kernel lane). */
export function lanesFor(hosts: readonly string[]): Lane[] {
  const specs: { kind: LaneKind; title: string; host?: string }[] = [
    { kind: 'client', title: 'client interpreter (Tcl)' },
    { kind: 'loop', title: 'event loop / notifier' },
    ...(hosts.length === 0 ? ['host'] : hosts).map((h) => ({ kind: 'kernel' as const, title: `kernel: ${h}`, host: h })),
    { kind: 'network', title: 'network' },
  ];
  let x = TIME_WIDTH;
  return specs.map((s) => {
    const lane: Lane = { ...s, x, width: WIDTHS[s.kind] };
    x += lane.width;
    return lane;
  });
}

/** Which host owns `addr` (`a.b.c.d:port` or `[v6]:port`), from the run's `host.add` entries. */
function hostOfEndpoint(endpoint: unknown, owners: ReadonlyMap<string, string>): string | undefined {
  if (typeof endpoint !== 'string') return undefined;
  const addr = endpoint.startsWith('[') ? endpoint.slice(1, endpoint.indexOf(']')) : endpoint.slice(0, endpoint.lastIndexOf(':'));
  return owners.get(addr);
}

/** Address → host, from `host.add` entries. */
export function addressOwners(entries: readonly TraceEntry[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const e of entries) {
    if (e.kind !== 'host.add') continue;
    const addresses = e['addresses'];
    if (Array.isArray(addresses)) for (const a of addresses) if (typeof a === 'string') owners.set(a, String(e['host']));
  }
  return owners;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The fields of an entry other than `t` and `kind`, as `k=v` words. */
export function entryFields(e: TraceEntry): string {
  return Object.entries(e)
    .filter(([k]) => k !== 't' && k !== 'kind')
    .map(([k, v]) => `${k}=${str(v)}`)
    .join(' ');
}

const PACKET_NAMES: Readonly<Record<string, string>> = { syn: 'SYN', 'syn-ack': 'SYN-ACK', data: 'data', fin: 'FIN', rst: 'RST', ack: 'ACK' };

/** How a row draws `e`, given the lanes and the address owners. */
export function rowOf(e: TraceEntry, lanes: readonly Lane[], owners: ReadonlyMap<string, string>): RowShape {
  const laneIndex = (kind: LaneKind): number => lanes.findIndex((l) => l.kind === kind);
  const client = laneIndex('client');
  const loop = laneIndex('loop');
  const network = laneIndex('network');
  const kernel = (host: unknown): number => {
    const i = lanes.findIndex((l) => l.kind === 'kernel' && l.host === host);
    return i >= 0 ? i : laneIndex('kernel');
  };
  const pkt = (): string => PACKET_NAMES[str(e['packet'])] ?? str(e['packet']);
  const route = `${str(e['src'])} → ${str(e['dst'])}`;
  const srcKernel = (): number => kernel(hostOfEndpoint(e['src'], owners) ?? e['host']);
  const reason = e['reason'] === null || e['reason'] === undefined ? '' : ` (${str(e['reason'])})`;
  switch (e.kind) {
    case 'obs': {
      if (typeof e['op'] === 'string') {
        if (typeof e['error'] === 'string') return { kind: 'mark', lane: client, text: `% ${e['op']} ✗ ${e['error'] === '' ? '(empty message)' : e['error']}`, tone: 'error' };
        const result = str(e['result'] ?? '');
        return { kind: 'mark', lane: client, text: `% ${e['op']}${result === '' ? '' : ` → ${result}`}`, tone: 'op' };
      }
      if (typeof e['event'] === 'string') return { kind: 'arrow', from: loop, to: client, text: `⚡ ${e['event']} ${str(e['chan'])} (during ${str(e['during'])})`, tone: 'event', verdict: null };
      if (typeof e['note'] === 'string') return { kind: 'mark', lane: client, text: `# ${e['note']}: ${str(e['value'])}`, tone: e['note'] === 'vwait-timeout' ? 'error' : 'note' };
      return { kind: 'mark', lane: client, text: entryFields(e), tone: 'note' };
    }
    case 'net.attempt':
      return { kind: 'arrow', from: kernel(e['host']), to: network, text: `SYN ${route} (conn ${str(e['conn'])})`, tone: 'packet', verdict: null };
    case 'net.syn-retry':
      return { kind: 'arrow', from: srcKernel(), to: network, text: `SYN retry #${str(e['try'])} (conn ${str(e['conn'])})`, tone: 'packet', verdict: null };
    case 'net.connected':
      return { kind: 'arrow', from: network, to: srcKernel(), text: `SYN-ACK: conn ${str(e['conn'])} connected`, tone: 'packet', verdict: null };
    case 'net.fail':
      return { kind: 'mark', lane: srcKernel(), text: `conn ${str(e['conn'])} failed: ${str(e['code'])}`, tone: 'error' };
    case 'net.accept':
      return { kind: 'mark', lane: kernel(e['host']), text: `accept queue ← conn ${str(e['conn'])} from ${str(e['peer'])}`, tone: 'kernel' };
    case 'net.refuse':
      return { kind: 'arrow', from: network, to: srcKernel(), text: `refused: ${pkt()} ${route}${reason}`, tone: 'refused', verdict: 'refused' };
    case 'net.drop':
      return { kind: 'arrow', from: srcKernel(), to: network, text: `dropped: ${pkt()} ${route}${reason}`, tone: 'dropped', verdict: 'dropped' };
    case 'net.unreachable':
      return { kind: 'arrow', from: network, to: srcKernel(), text: `unreachable: ${pkt()} ${route}${reason}`, tone: 'unreachable', verdict: 'unreachable' };
    case 'net.delay':
      return { kind: 'arrow', from: srcKernel(), to: network, text: `delayed +${str(e['ms'])} ms: ${pkt()} ${route}${reason}`, tone: 'delayed', verdict: 'delayed' };
    case 'net.hold':
      return { kind: 'arrow', from: laneIndex('kernel'), to: network, text: `held: ${pkt()} conn ${str(e['conn'])}${e['rule'] === null ? '' : ` (${str(e['rule'])})`}`, tone: 'held', verdict: 'held' };
    case 'net.deliver':
      return { kind: 'arrow', from: network, to: kernel(e['host']), text: `data: ${str(e['bytes'])} bytes (conn ${str(e['conn'])}, seq ${str(e['seq'])})`, tone: 'packet', verdict: null };
    case 'net.fin':
      return { kind: 'arrow', from: kernel(e['host']), to: network, text: `FIN (conn ${str(e['conn'])}, ${str(e['socket'])})`, tone: 'packet', verdict: null };
    case 'net.rst':
      return { kind: 'arrow', from: network, to: kernel(hostOfEndpoint(e['to'], owners)), text: `RST → ${str(e['to'])} (conn ${str(e['conn'])})`, tone: 'refused', verdict: 'reset' };
    case 'loop.lost':
      return { kind: 'mark', lane: loop, text: `LOST readiness ${str(e['mask'])} of ${str(e['source'])} (no watch yet)`, tone: 'lost' };
    case 'clock.tie': {
      const candidates = Array.isArray(e['candidates']) ? (e['candidates'] as unknown[]).map(str) : [];
      const chose = typeof e['chose'] === 'number' ? e['chose'] : -1;
      return { kind: 'mark', lane: loop, text: `tie #${str(e['step'])}: ${candidates[chose] ?? '?'} of ${candidates.length}`, tone: 'loop' };
    }
    default:
      if (e.kind.startsWith('loop.') || e.kind.startsWith('clock.')) return { kind: 'mark', lane: loop, text: `${e.kind.slice(e.kind.indexOf('.') + 1)} ${entryFields(e)}`, tone: 'loop' };
      if (e.kind.startsWith('fault.')) return { kind: 'mark', lane: network, text: `${e.kind} ${entryFields(e)}`, tone: 'fault' };
      return { kind: 'mark', lane: kernel(e['host']), text: `${e.kind} ${entryFields(e)}`, tone: 'kernel' };
  }
}

/** Most characters a label shows before it is cut (the whole text is in the row's tooltip). */
function fit(text: string, width: number): string {
  const max = Math.max(8, Math.floor(width / 6.6));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function timeText(t: number): string {
  return `${Number.isInteger(t) ? t : t.toFixed(3)} ms`;
}

/**
 * The SVG of `rows` (trace entries) on lanes for their hosts. `highlight` marks rows (the
 * first divergence of a side-by-side view) with the class `diverged`.
 */
export function renderDiagram(rows: readonly TraceEntry[], context: readonly TraceEntry[] = rows, highlight: ReadonlySet<number> = new Set()): string {
  const lanes = lanesFor(hostsOf(context));
  const owners = addressOwners(context);
  const last = lanes[lanes.length - 1] as Lane;
  const width = last.x + last.width + 8;
  const height = HEAD + rows.length * ROW + 16;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="diagram" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="list" aria-label="sequence diagram, ${rows.length} events">`);
  out.push('<defs><marker id="ah" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>');
  out.push(`<text class="lane-title" x="4" y="20">time</text>`);
  lanes.forEach((l, i) => {
    const cx = l.x + 12;
    out.push(`<g class="lane lane-${l.kind}" data-lane="${i}"><rect x="${l.x}" y="0" width="${l.width}" height="${height}" class="lane-bg"/><text class="lane-title" x="${l.x + 6}" y="20">${escapeHtml(l.title)}</text><line class="lane-axis" x1="${cx}" y1="${HEAD - 14}" x2="${cx}" y2="${height}"/></g>`);
  });
  let lastT: number | null = null;
  rows.forEach((e, i) => {
    const y = HEAD + i * ROW + ROW / 2;
    const shape = rowOf(e, lanes, owners);
    const cls = ['ev', `tone-${shape.tone}`, ...(highlight.has(i) ? ['diverged'] : [])].join(' ');
    const verdict = shape.kind === 'arrow' && shape.verdict !== null ? ` data-verdict="${shape.verdict}"` : '';
    const full = `${timeText(e.t)} ${shape.text}`;
    out.push(`<g class="${cls}" data-row="${i}" data-kind="${escapeHtml(e.kind)}"${verdict} tabindex="-1" role="listitem" aria-label="${escapeHtml(full)}"><title>${escapeHtml(full)}</title>`);
    out.push(`<rect class="row-hit" x="0" y="${y - ROW / 2}" width="${width}" height="${ROW}"/>`);
    if (e.t !== lastT) out.push(`<text class="time" x="4" y="${y + 4}">${timeText(e.t)}</text>`);
    lastT = e.t;
    if (shape.kind === 'mark') {
      const l = lanes[shape.lane] as Lane;
      out.push(`<circle class="dot" cx="${l.x + 12}" cy="${y}" r="4"/><text class="label" x="${l.x + 20}" y="${y + 4}">${escapeHtml(fit(shape.text, l.width - 24))}</text>`);
    } else {
      const a = lanes[shape.from] as Lane;
      const b = lanes[shape.to] as Lane;
      const x1 = a.x + 12;
      const x2 = b.x + 12;
      const left = Math.min(x1, x2);
      const span = Math.abs(x2 - x1);
      out.push(`<line class="arrow" x1="${x1}" y1="${y + 5}" x2="${x2}" y2="${y + 5}" marker-end="url(#ah)"/>`);
      if (shape.verdict === 'dropped') out.push(`<text class="cross" x="${x2 - 4}" y="${y + 9}">✕</text>`);
      out.push(`<text class="label" x="${left + 8}" y="${y + 1}">${escapeHtml(fit(shape.text, Math.max(span, 260) - 10))}</text>`);
    }
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('');
}

/** The diagram's stylesheet (shared by the report and the sandbox). */
export const DIAGRAM_CSS = `
svg.diagram { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; user-select: text; }
svg.diagram .lane-bg { fill: #fafafa; stroke: #e0e0e0; }
svg.diagram .lane-client .lane-bg { fill: #f3f7ff; }
svg.diagram .lane-network .lane-bg { fill: #f7f7f0; }
svg.diagram .lane-title { font-weight: bold; fill: #333; }
svg.diagram .lane-axis { stroke: #bbb; stroke-dasharray: 3 3; }
svg.diagram .time { fill: #666; }
svg.diagram .row-hit { fill: transparent; cursor: pointer; }
svg.diagram .ev:hover .row-hit { fill: #0000000a; }
svg.diagram .ev.selected .row-hit { fill: #ffe08a88; }
svg.diagram .ev.diverged .row-hit { fill: #ff8a8055; }
svg.diagram .ev:focus { outline: none; }
svg.diagram .label { fill: #222; }
svg.diagram .dot { fill: #555; }
svg.diagram .arrow { stroke: #555; stroke-width: 1.5; }
svg.diagram .tone-op .dot { fill: #1565c0; }
svg.diagram .tone-error .dot { fill: #c62828; } svg.diagram .tone-error .label { fill: #c62828; font-weight: bold; }
svg.diagram .tone-event .arrow { stroke: #2e7d32; } svg.diagram .tone-event .label { fill: #2e7d32; font-weight: bold; }
svg.diagram .tone-note .label { fill: #555; font-style: italic; }
svg.diagram .tone-loop .dot { fill: #999; } svg.diagram .tone-loop .label { fill: #666; }
svg.diagram .tone-lost .dot { fill: #c62828; } svg.diagram .tone-lost .label { fill: #c62828; font-weight: bold; }
svg.diagram .tone-refused .arrow, svg.diagram .tone-refused .label { stroke: #c62828; fill: #c62828; }
svg.diagram .tone-refused .label, svg.diagram .tone-dropped .label, svg.diagram .tone-unreachable .label, svg.diagram .tone-delayed .label, svg.diagram .tone-held .label { stroke: none; }
svg.diagram .tone-dropped .arrow { stroke: #6a1b9a; stroke-dasharray: 5 3; } svg.diagram .tone-dropped .label, svg.diagram .cross { fill: #6a1b9a; }
svg.diagram .tone-unreachable .arrow { stroke: #ef6c00; } svg.diagram .tone-unreachable .label { fill: #ef6c00; }
svg.diagram .tone-delayed .arrow { stroke: #00838f; stroke-dasharray: 2 2; } svg.diagram .tone-delayed .label { fill: #00838f; }
svg.diagram .tone-held .arrow { stroke: #795548; } svg.diagram .tone-held .label { fill: #795548; }
svg.diagram .tone-fault .dot { fill: #ef6c00; }
`;
