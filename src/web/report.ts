/**
 * The `detnet html` report: one self-contained HTML page (inline CSS, SVG and script; it loads
 * nothing, so it opens offline and can be mailed) with the sequence diagram of one run and a
 * state panel that follows the selected event.
 *
 * Owns: the `RunReport` data a page is made of and `renderReport` (data → HTML string). The
 * page states the scenario, profile, seed and tie order it shows, and the exact command that
 * replays it. Each distinct snapshot's panel is rendered once; rows point at them.
 *
 * Does not: run anything (scenario-report.ts does) or use Node built-ins (the sandbox renders
 * its diagrams with the same functions in the browser).
 */
import type { InterpSnapshot } from '../socket/inspect.js';
import type { TraceEntry } from '../trace/trace.js';
import { DIAGRAM_CSS, renderDiagram } from './diagram.js';
import { escapeHtml, jsonForScript } from './escape.js';
import { REPORT_SCRIPT } from './report-script.js';
import { PANEL_CSS, renderStatePanel } from './state-panel.js';

/** Everything one report shows. */
export interface RunReport {
  readonly scenario: string;
  readonly description: string;
  readonly profile: string;
  readonly seed: number;
  /** How same-instant events were ordered: `fifo` or `seeded`. */
  readonly ties: string;
  /** The command that replays this exact run. */
  readonly replay: string;
  /** What happened, in one sentence (expectations met, a lost completion, a failure). */
  readonly outcome: string;
  /** Whether the outcome is a failure (shown in red). */
  readonly failed: boolean;
  /** The rows: the client script's entries, in recording order. */
  readonly rows: readonly TraceEntry[];
  /** Every entry of the run (set-up included): hosts and addresses for the lanes. */
  readonly context: readonly TraceEntry[];
  /** The snapshot right after each row (same length as `rows`; null where none was taken). */
  readonly snapshots: readonly (InterpSnapshot | null)[];
}

/** The row a page selects first: the first lost readiness, timeout or error, else the first row. */
export function initialRow(rows: readonly TraceEntry[]): number {
  const i = rows.findIndex((e) => e.kind === 'loop.lost' || (e.kind === 'obs' && (e['note'] === 'vwait-timeout' || typeof e['error'] === 'string')));
  return i >= 0 ? i : 0;
}

/** Panels of every row, each distinct snapshot rendered once: `{ panels, rowPanel }`. */
export function panelsOf(report: Pick<RunReport, 'rows' | 'snapshots'>): { panels: string[]; rowPanel: number[] } {
  const panels: string[] = [];
  const index = new Map<string, number>();
  const rowPanel = report.rows.map((e, i) => {
    const html = renderStatePanel(e, report.snapshots[i] ?? null);
    let at = index.get(html);
    if (at === undefined) {
      at = panels.length;
      panels.push(html);
      index.set(html, at);
    }
    return at;
  });
  return { panels, rowPanel };
}

const PAGE_CSS = `
body { font: 14px system-ui, sans-serif; margin: 0; color: #222; }
header { padding: 10px 16px; border-bottom: 1px solid #ddd; background: #f5f5f5; }
header h1 { font-size: 18px; margin: 0 0 4px; }
header p { margin: 2px 0; }
header code, .replay code { background: #fff; border: 1px solid #ddd; padding: 1px 4px; user-select: all; }
.outcome.failed { color: #c62828; font-weight: bold; }
.outcome.ok { color: #2e7d32; font-weight: bold; }
main { display: flex; align-items: flex-start; }
.diagram-box { flex: 1 1 auto; overflow: auto; max-height: calc(100vh - 130px); }
.state-panel { flex: 0 0 420px; padding: 8px 12px; border-left: 1px solid #ddd; position: sticky; top: 0; max-height: calc(100vh - 130px); overflow: auto; }
.keys { color: #666; font-size: 12px; }
`;

/** The whole page. */
export function renderReport(report: RunReport): string {
  const { panels, rowPanel } = panelsOf(report);
  const data = { panels, rowPanel, initial: initialRow(report.rows) };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="detnet html">
<title>detnet: ${escapeHtml(report.scenario)} (${escapeHtml(report.profile)}, seed ${report.seed})</title>
<style>${PAGE_CSS}${DIAGRAM_CSS}${PANEL_CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(report.scenario)}</h1>
<p>${escapeHtml(report.description)}</p>
<p id="run-settings">profile <b id="profile">${escapeHtml(report.profile)}</b> · seed <b id="seed">${report.seed}</b> · ties <b>${escapeHtml(report.ties)}</b> · ${report.rows.length} events</p>
<p class="outcome ${report.failed ? 'failed' : 'ok'}" id="outcome">${escapeHtml(report.outcome)}</p>
<p class="replay">replay: <code id="replay">${escapeHtml(report.replay)}</code> <span class="keys">— click an event, or use ↑ ↓ (← →) to step, Home/End to jump · <span id="where"></span></span></p>
</header>
<main>
<div class="diagram-box">${renderDiagram(report.rows, report.context)}</div>
<aside class="state-panel" id="state" aria-live="polite"></aside>
</main>
<script type="application/json" id="detnet-data">${jsonForScript(data)}</script>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;
}
