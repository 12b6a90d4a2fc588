/// <reference lib="dom" />
/**
 * The teaching sandbox's page script (bundled by esbuild into dist/web/sandbox.js): pick a
 * lesson or a scenario, edit the scenario, pick a profile, bug switches, a seed and the tie
 * order, run it on the simulated world in the page, step through the events, put a fixed and
 * a buggy run side by side with the first divergence marked, and explore seeds to open a
 * failing one.
 *
 * Owns: the DOM wiring only, in plain DOM (no UI library: a dozen controls do not need one).
 * Everything it shows comes from the same functions as `detnet html` (../report.ts,
 * ../diagram.ts, ../state-panel.ts, ../scenario-report.ts) and ./compare.ts.
 *
 * Does not: talk to any server beyond loading `catalog.json` beside the page (the scenarios,
 * written by the build); nothing else leaves the page.
 *
 * The Tcl slot: the "Tcl script" box holds a Tcl client (it starts with the seed page's first
 * use case); "Run Tcl" runs it on the world of the editor's scenario (./tcl-run.ts) and shows
 * its output and timeline as text under the box.
 */
import type { Scenario } from '../../scenario/scenario.js';
import { validateScenario } from '../../scenario/validate.js';
import { BUG_IDS, listProfiles, type BugId } from '../../socket/profiles.js';
import { DIAGRAM_CSS, renderDiagram } from '../diagram.js';
import { escapeHtml } from '../escape.js';
import { initialRow, panelsOf, type RunReport } from '../report.js';
import { reportScenario } from '../scenario-report.js';
import { PANEL_CSS } from '../state-panel.js';
import { exploreSeeds, firstDivergence, profileName } from './compare.js';
import { LESSONS, type Lesson } from './lessons.js';
import { SANDBOX_CSS } from './style.js';
import { runTclOnWorld, TCL_LESSON } from './tcl-run.js';

/** One scenario of the catalog the build writes (`catalog.json`). */
interface CatalogEntry {
  readonly id: string;
  readonly scenario: unknown;
}

const el = <T extends HTMLElement>(id: string): T => {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the sandbox page lacks #${id}`);
  return found as T;
};

const ui = {
  lesson: el<HTMLSelectElement>('lesson'),
  scenario: el<HTMLSelectElement>('scenario'),
  profile: el<HTMLSelectElement>('profile'),
  bugs: el<HTMLSpanElement>('bugs'),
  seed: el<HTMLInputElement>('seed'),
  ties: el<HTMLSelectElement>('ties'),
  run: el<HTMLButtonElement>('run'),
  compare: el<HTMLButtonElement>('compare'),
  exploreCount: el<HTMLInputElement>('explore-count'),
  explore: el<HTMLButtonElement>('explore'),
  lessonText: el<HTMLElement>('lesson-text'),
  exploreResults: el<HTMLElement>('explore-results'),
  settings: el<HTMLElement>('settings'),
  outcome: el<HTMLElement>('outcome'),
  replay: el<HTMLElement>('replay'),
  where: el<HTMLElement>('where'),
  prev: el<HTMLButtonElement>('prev'),
  next: el<HTMLButtonElement>('next'),
  error: el<HTMLElement>('error'),
  diagrams: el<HTMLElement>('diagrams'),
  state: el<HTMLElement>('state'),
  editor: el<HTMLTextAreaElement>('editor'),
  tcl: el<HTMLTextAreaElement>('tcl'),
  runTcl: el<HTMLButtonElement>('run-tcl'),
  tclSettings: el<HTMLElement>('tcl-settings'),
  tclOutput: el<HTMLElement>('tcl-output'),
};

let catalog: CatalogEntry[] = [];
/** The scenario text as loaded, to tell an edited scenario from a catalog one. */
let loadedText = '';
/** The reports on screen (one, or fixed and buggy side by side) and their panels. */
let shown: { report: RunReport; panels: string[]; rowPanel: number[] }[] = [];
let selected = -1;

function text(node: HTMLElement, value: string): void {
  node.textContent = value;
}

function checkedBugs(): BugId[] {
  return BUG_IDS.filter((b) => (document.getElementById(`bug-${b}`) as HTMLInputElement | null)?.checked === true);
}

function setBugs(bugs: readonly BugId[]): void {
  for (const b of BUG_IDS) (document.getElementById(`bug-${b}`) as HTMLInputElement).checked = bugs.includes(b);
}

/** The scenario the page describes: the editor's JSON (its world is also the Tcl box's). */
function scenarioFromPage(): Scenario {
  let data: unknown;
  try {
    data = JSON.parse(ui.editor.value);
  } catch (err) {
    throw new Error(`the scenario is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return validateScenario(data);
}

function source(): string {
  return ui.editor.value === loadedText ? ui.scenario.value : 'my-scenario.json';
}

function loadScenario(id: string): void {
  const entry = catalog.find((c) => c.id === id);
  if (entry === undefined) return;
  ui.scenario.value = id;
  loadedText = JSON.stringify(entry.scenario, null, 2);
  ui.editor.value = loadedText;
}

function showLesson(lesson: Lesson | undefined): void {
  ui.lessonText.hidden = lesson === undefined;
  if (lesson === undefined) return;
  ui.lessonText.innerHTML = '';
  const add = (tag: string, cls: string, content: string): void => {
    const node = document.createElement(tag);
    node.className = cls;
    node.textContent = content;
    ui.lessonText.append(node);
  };
  add('h2', 'lesson-title', `Lesson ${lesson.bug}: ${lesson.title}`);
  add('p', 'symptom', `Symptom: ${lesson.symptom}`);
  add('p', 'steps', `Try: Run (the fixed Tcl), then tick the bug switch ${lesson.bug} and Run again${lesson.ties === 'seeded' ? `, or Explore ${lesson.exploreSeeds} seeds and open a failing one` : ''}; “Fixed vs buggy” puts both side by side.`);
  add('p', 'look', `What to look at: ${lesson.lookAt}`);
  add('p', 'fix', `The fix: ${lesson.fix}`);
}

function pickLesson(bug: string): void {
  const lesson = LESSONS.find((l) => l.bug === bug);
  showLesson(lesson);
  if (lesson === undefined) return;
  loadScenario(lesson.scenario);
  ui.profile.value = 'tcl-8.6.13-unix';
  setBugs([]);
  ui.ties.value = lesson.ties;
  ui.seed.value = '1';
  ui.exploreCount.value = String(lesson.exploreSeeds);
}

function select(i: number): void {
  const first = shown[0];
  if (first === undefined || first.report.rows.length === 0) return;
  const rows = first.report.rows.length;
  selected = Math.max(0, Math.min(rows - 1, i));
  ui.diagrams.querySelectorAll('g.ev.selected').forEach((g) => g.classList.remove('selected'));
  const panels: string[] = [];
  shown.forEach((s, k) => {
    const row = Math.min(selected, s.report.rows.length - 1);
    const g = ui.diagrams.querySelectorAll<SVGGElement>('svg.diagram')[k]?.querySelector<SVGGElement>(`g.ev[data-row="${row}"]`);
    g?.classList.add('selected');
    if (k === 0) g?.scrollIntoView({ block: 'nearest' });
    const head = shown.length > 1 ? `<h2>${k === 0 ? 'fixed' : 'buggy'}: ${escapeHtml(s.report.profile)}</h2>` : '';
    panels.push(`<div class="panel-${k}">${head}${s.panels[s.rowPanel[row] ?? 0] ?? ''}</div>`);
  });
  ui.state.innerHTML = panels.join('');
  text(ui.where, `event ${selected + 1} of ${rows}`);
}

function show(reports: RunReport[], highlight: number | null): void {
  shown = reports.map((report) => ({ report, ...panelsOf(report) }));
  const marks = new Set(highlight === null ? [] : [highlight]);
  ui.diagrams.innerHTML = reports
    .map((r, k) => `<div class="diagram-box">${reports.length > 1 ? `<h2>${k === 0 ? 'fixed' : 'buggy'}: ${escapeHtml(r.profile)}</h2>` : ''}${renderDiagram(r.rows, r.context, marks)}</div>`)
    .join('');
  ui.diagrams.classList.toggle('side-by-side', reports.length > 1);
  ui.diagrams.parentElement?.classList.toggle('comparing', reports.length > 1);
  const r = reports[reports.length - 1] as RunReport;
  text(ui.settings, `scenario ${r.scenario} · profile ${reports.map((x) => x.profile).join(' vs ')} · seed ${r.seed} · ties ${r.ties} · ${r.rows.length} events`);
  ui.outcome.className = reports.some((x) => x.failed) ? 'failed' : 'ok';
  text(ui.outcome, reports.map((x) => (reports.length > 1 ? `${x.profile}: ${x.outcome}` : x.outcome)).join('  |  ') + (highlight === null ? (reports.length > 1 ? '  —  the two runs do not diverge' : '') : `  —  first divergence at event ${highlight + 1}`));
  text(ui.replay, reports.map((x) => x.replay).join('   ;   '));
  ui.diagrams.querySelectorAll<SVGGElement>('svg.diagram').forEach((svg) => {
    svg.querySelectorAll<SVGGElement>('g.ev').forEach((g) => g.addEventListener('click', () => select(Number(g.dataset['row']))));
  });
  select(highlight ?? initialRow((reports[reports.length - 1] as RunReport).rows));
}

/** Runs `work`, showing its error (a bad scenario, an unknown profile) instead of throwing. */
async function guarded(work: () => Promise<void>): Promise<void> {
  text(ui.error, '');
  document.body.dataset['busy'] = '1';
  try {
    await work();
  } catch (err) {
    text(ui.error, err instanceof Error ? err.message : String(err));
  } finally {
    delete document.body.dataset['busy'];
  }
}

function settings(bugs: readonly BugId[] = checkedBugs()): { profile: string; seed: number; ties: 'fifo' | 'seeded' } {
  const seed = Number(ui.seed.value);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`seed must be a non-negative integer, got "${ui.seed.value}"`);
  return { profile: profileName(ui.profile.value, bugs), seed, ties: ui.ties.value === 'seeded' ? 'seeded' : 'fifo' };
}

async function run(): Promise<void> {
  const scenario = scenarioFromPage();
  const { report } = await reportScenario(scenario, { ...settings(), source: source() });
  show([report], null);
}

/** Runs the Tcl box on the editor's world; shows stdout, errorInfo and the timeline. */
async function runTcl(): Promise<void> {
  const r = await runTclOnWorld(scenarioFromPage(), ui.tcl.value, settings());
  text(ui.tclSettings, r.settings);
  const parts = ['stdout:', ...r.stdout.map((l) => `  ${l}`)];
  if (r.status !== 0) parts.push('', `the script failed (status ${r.status}):`, ...r.stderr.map((l) => `  ${l}`));
  parts.push('', 'timeline (virtual ms):', ...r.timeline);
  text(ui.tclOutput, parts.join('\n'));
  ui.tclOutput.dataset['status'] = String(r.status);
}

async function compare(): Promise<void> {
  const scenario = scenarioFromPage();
  const lessonBug = LESSONS.find((l) => l.bug === ui.lesson.value)?.bug;
  const bugs = checkedBugs().length > 0 ? checkedBugs() : lessonBug === undefined ? [] : [lessonBug];
  if (bugs.length === 0) throw new Error('tick at least one bug switch (or pick a lesson) to compare a fixed and a buggy run');
  const fixed = await reportScenario(scenario, { ...settings([]), source: source() });
  const buggy = await reportScenario(scenario, { ...settings(bugs), source: source() });
  show([fixed.report, buggy.report], firstDivergence(fixed.report.rows, buggy.report.rows));
}

async function explore(): Promise<void> {
  const scenario = scenarioFromPage();
  const count = Number(ui.exploreCount.value);
  if (!Number.isSafeInteger(count) || count < 1 || count > 500) throw new Error('explore between 1 and 500 seeds');
  const s = settings();
  text(ui.exploreResults, `exploring ${count} seeds…`);
  ui.exploreResults.hidden = false;
  const results = await exploreSeeds(scenario, { profile: s.profile, ties: s.ties, count });
  const failing = results.filter((r) => r.failed);
  ui.exploreResults.innerHTML = '';
  const head = document.createElement('p');
  head.id = 'explore-summary';
  head.textContent = `${count} seeds under ${s.profile} (ties ${s.ties}): ${failing.length} failing${failing.length === 0 ? '' : ' — open one:'}`;
  ui.exploreResults.append(head);
  for (const r of failing) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'failing-seed';
    b.dataset['seed'] = String(r.seed);
    b.title = r.outcome;
    b.textContent = `seed ${r.seed} ✗`;
    b.addEventListener('click', () => {
      ui.seed.value = String(r.seed);
      void guarded(run);
    });
    ui.exploreResults.append(b);
  }
}

async function start(): Promise<void> {
  const style = document.createElement('style');
  style.textContent = SANDBOX_CSS + DIAGRAM_CSS + PANEL_CSS;
  document.head.append(style);
  for (const p of listProfiles()) ui.profile.append(new Option(p.name, p.name));
  for (const b of BUG_IDS) {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.id = `bug-${b}`;
    label.append(box, ` ${b}`);
    ui.bugs.append(label);
  }
  for (const l of LESSONS) ui.lesson.append(new Option(`${l.bug}: ${l.title}`, l.bug));
  const response = await fetch('catalog.json');
  catalog = (await response.json()) as CatalogEntry[];
  for (const c of catalog) ui.scenario.append(new Option(c.id, c.id));
  loadScenario('default');
  ui.lesson.addEventListener('change', () => pickLesson(ui.lesson.value));
  ui.scenario.addEventListener('change', () => loadScenario(ui.scenario.value));
  ui.run.addEventListener('click', () => void guarded(run));
  ui.compare.addEventListener('click', () => void guarded(compare));
  ui.explore.addEventListener('click', () => void guarded(explore));
  ui.tcl.value = TCL_LESSON;
  ui.runTcl.addEventListener('click', () => void guarded(runTcl));
  ui.prev.addEventListener('click', () => select(selected - 1));
  ui.next.addEventListener('click', () => select(selected + 1));
  document.addEventListener('keydown', (ev) => {
    const target = ev.target as HTMLElement | null;
    if (target !== null && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
    const step = ({ ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 } as Record<string, number>)[ev.key];
    if (step !== undefined) {
      select(selected + step);
      ev.preventDefault();
    }
  });
  // A link can open a lesson directly: index.html#lesson=336441ed59.
  const wanted = /lesson=([\w-]+)/.exec(location.hash)?.[1];
  if (wanted !== undefined && LESSONS.some((l) => l.bug === wanted)) {
    ui.lesson.value = wanted;
    pickLesson(wanted);
  }
  document.body.dataset['ready'] = '1';
}

void guarded(start);
