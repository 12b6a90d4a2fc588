/**
 * The state panel: what the interpreter looked like right after one trace entry — for each
 * channel the connect machine's state, the candidate list with the one being tried, `-error`,
 * `-connecting`, buffered bytes and registered fileevents; then the notifier's watches — as an
 * HTML fragment.
 *
 * Owns: the markup of one snapshot (`renderStatePanel`). Does not: take snapshots
 * (src/socket/inspect.ts) or handle selection (report-script.ts, the sandbox).
 */
import type { ChannelSnapshot, InterpSnapshot } from '../socket/inspect.js';
import type { TraceEntry } from '../trace/trace.js';
import { entryFields } from './diagram.js';
import { escapeHtml } from './escape.js';

function row(name: string, value: string, cls = ''): string {
  return `<tr${cls === '' ? '' : ` class="${cls}"`}><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`;
}

function channelHtml(c: ChannelSnapshot): string {
  if (c.kind === 'server') return `<section class="chan" data-chan="${escapeHtml(c.name)}"><h4>${escapeHtml(c.name)} (server, listening)</h4></section>`;
  const candidates = c.candidates
    .map((text, i) => `<li${i === c.trying ? ' class="trying"' : ''}>${escapeHtml(text)}${i === c.trying ? (c.connecting ? '  ← trying' : `  ← ${c.state}`) : ''}</li>`)
    .join('');
  const events = [c.fileevents.readable === undefined ? '' : `readable: ${c.fileevents.readable}`, c.fileevents.writable === undefined ? '' : `writable: ${c.fileevents.writable}`]
    .filter((s) => s !== '')
    .join('; ');
  return [
    `<section class="chan" data-chan="${escapeHtml(c.name)}"><h4>${escapeHtml(c.name)} (${c.kind})</h4><table>`,
    row('connect state', c.state, `state-${c.state}`),
    row('-connecting', c.connecting ? '1' : '0'),
    row('-error (next read)', c.error === '' ? '""' : c.error, c.error === '' ? '' : 'error'),
    row('output pending', `${c.pendingOutput} bytes${c.bgFlush ? ' (background flush)' : ''}`),
    row('input buffered', `${c.bufferedInput} chars${c.sawEof ? ', eof read' : ''}`),
    row('blocking', c.blocking ? '1' : '0'),
    row('fileevents', events === '' ? '(none)' : events),
    '</table>',
    c.candidates.length === 0 ? '' : `<div class="candidates">candidates (remote ← local):<ol start="0">${candidates}</ol></div>`,
    '</section>',
  ].join('');
}

/** The panel for the row showing `entry`, with the snapshot taken right after it (if any). */
export function renderStatePanel(entry: TraceEntry, snapshot: InterpSnapshot | null): string {
  const head = `<p class="entry"><b>${escapeHtml(`${entry.t} ms`)}</b> <code>${escapeHtml(entry.kind)}</code> ${escapeHtml(entryFields(entry))}</p>`;
  if (snapshot === null) return `${head}<p class="none">No snapshot: this entry was recorded outside the client script.</p>`;
  const chans = snapshot.channels.length === 0 ? '<p class="none">No open channel.</p>' : snapshot.channels.map(channelHtml).join('');
  const watches =
    snapshot.watches.length === 0
      ? '<p class="none">No watch.</p>'
      : `<table class="watches"><tr><th>source</th><th>watch</th><th>mask</th><th>effective</th><th>seen</th><th>lost</th></tr>${snapshot.watches
          .map((w) => `<tr${w.lost !== '-' ? ' class="error"' : ''}><td>${escapeHtml(w.source)}</td><td>${escapeHtml(w.label)}</td><td>${w.mask}</td><td>${w.effective ? 'yes' : 'not yet'}</td><td>${w.seen}</td><td>${w.lost}</td></tr>`)
          .join('')}</table>`;
  return `${head}<h3>channels</h3>${chans}<h3>notifier watches</h3>${watches}`;
}

/** The panel's stylesheet (shared by the report and the sandbox). */
export const PANEL_CSS = `
.state-panel table { border-collapse: collapse; margin: 4px 0; }
.state-panel th, .state-panel td { text-align: left; padding: 1px 8px 1px 0; font: 12px ui-monospace, Menlo, Consolas, monospace; }
.state-panel tr.error td, .state-panel .error td { color: #c62828; font-weight: bold; }
.state-panel li.trying { font-weight: bold; color: #1565c0; }
.state-panel .none { color: #777; font-style: italic; }
.state-panel h3 { margin: 10px 0 2px; font-size: 14px; }
.state-panel h4 { margin: 6px 0 2px; font-size: 13px; }
`;
