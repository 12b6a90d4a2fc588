// The HTML report (src/web): a run of a scenario with a snapshot per event, drawn as a sequence
// diagram. The expected counts come from the run's trace (what kinds of entry happened), not
// from the renderer, and the lesson's seeds are found by searching, not copied from a run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../src/scenario/scenario.js';
import { serve } from '../../../src/sim/apps.js';
import { World } from '../../../src/sim/world.js';
import { Interp } from '../../../src/socket/interp.js';
import { SimDriver } from '../../../src/socket/sim-driver.js';
import { addressOwners, hostsOf, lanesFor, renderDiagram, rowOf } from '../../../src/web/diagram.js';
import { validateScenario } from '../../../src/scenario/validate.js';
import { renderReport } from '../../../src/web/report.js';
import { reportScenario } from '../../../src/web/scenario-report.js';
import type { TraceEntry } from '../../../src/trace/trace.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const readScenario = (rel: string): Scenario => validateScenario(JSON.parse(readFileSync(join(ROOT, 'scenarios', rel), 'utf8')));
const LESSON = readScenario('lessons/bug-336441ed59.json');
const BUGGY = 'default+336441ed59';

/** Entries the diagram draws as arrows: packets, verdicts and events delivered to the client. */
const ARROW_KINDS = new Set(['net.attempt', 'net.syn-retry', 'net.connected', 'net.refuse', 'net.drop', 'net.unreachable', 'net.delay', 'net.hold', 'net.deliver', 'net.fin', 'net.rst']);
const isArrow = (e: TraceEntry): boolean => ARROW_KINDS.has(e.kind) || (e.kind === 'obs' && typeof e['event'] === 'string');
const count = (text: string, needle: string): number => text.split(needle).length - 1;

/** The first seed in 1..40 whose seeded run of the lesson under `profile` loses the completion. */
async function firstLosingSeed(profile: string): Promise<number | null> {
  for (let seed = 1; seed <= 40; seed++) {
    const { run } = await reportScenario(LESSON, { profile, seed, ties: 'seeded' });
    if (run.entries.some((e) => e.kind === 'loop.lost')) return seed;
  }
  return null;
}

describe('the 336441ed59 lesson as a report', () => {
  it('with the bug some seed loses the completion, and the report says so and offers the exact replay', async () => {
    const seed = await firstLosingSeed(BUGGY);
    expect(seed).not.toBeNull();
    const { report } = await reportScenario(LESSON, { profile: BUGGY, seed: seed ?? 0, ties: 'seeded', source: 'lessons/bug-336441ed59' });
    expect(report.failed).toBe(true);
    expect(report.outcome).toMatch(/vwait done timed out/);
    expect(report.replay).toBe(`npx detnet html lessons/bug-336441ed59 --profile ${BUGGY} --seed ${seed} --ties seeded -o run.html`);
    const html = renderReport(report);
    expect(html).toContain('LOST readiness');
    expect(html).toContain(`seed <b id="seed">${seed}</b>`);
  });

  it('the same seed with the bug switched off reports the connect: no lost readiness, no timeout', async () => {
    const seed = (await firstLosingSeed(BUGGY)) ?? 0;
    const { report, run } = await reportScenario(LESSON, { profile: 'default', seed, ties: 'seeded' });
    expect(run.entries.some((e) => e.kind === 'loop.lost')).toBe(false);
    expect(report.failed).toBe(false);
    expect(run.lines.some((l) => 'event' in l && l.event === 'writable')).toBe(true);
  });

  it('the state panel of the lost readiness shows the connect in flight and its watch not yet effective', async () => {
    const seed = (await firstLosingSeed(BUGGY)) ?? 0;
    const { report } = await reportScenario(LESSON, { profile: BUGGY, seed, ties: 'seeded' });
    const i = report.rows.findIndex((e) => e.kind === 'loop.lost');
    const snap = report.snapshots[i];
    expect(snap?.channels[0]?.state).toBe('inflight');
    expect(snap?.watches.map((w) => w.effective)).toEqual([false]);
  });

  it('is deterministic: the same settings give byte-identical pages', async () => {
    const a = renderReport((await reportScenario(LESSON, { profile: BUGGY, seed: 3, ties: 'seeded' })).report);
    const b = renderReport((await reportScenario(LESSON, { profile: BUGGY, seed: 3, ties: 'seeded' })).report);
    expect(a).toBe(b);
  });
});

describe('the diagram', () => {
  it('has one lane each for the client, the event loop, the host kernel and the network, and one arrow per packet or delivered event', async () => {
    const { report } = await reportScenario(readScenario('default.json'));
    const html = renderReport(report);
    expect(count(html, '<g class="lane ')).toBe(4);
    expect(html).toContain('kernel: local');
    expect(count(html, '<line class="arrow"')).toBe(report.rows.filter(isArrow).length);
    expect(report.rows.filter(isArrow).length).toBeGreaterThan(3);
  });

  it('labels the refused attempt on ::1 with its verdict', async () => {
    // The default scenario: localhost answers ::1 first, and nobody listens there.
    const { report } = await reportScenario(readScenario('default.json'));
    const html = renderReport(report);
    const refused = /<g class="ev tone-refused[^"]*"[^>]*data-verdict="refused"[^>]*>.*?<\/g>/.exec(html)?.[0] ?? '';
    expect(refused).toMatch(/refused: SYN \[::1\]:\d+ → \[::1\]:\d+ \(no-listener\)/);
  });

  it('shows a delay fault as a delayed packet, and the connect lands that much later', async () => {
    const base = readScenario('default.json');
    const scenario: Scenario = { ...base, name: 'delayed', expect: {}, faults: [{ atMs: 0, to: { address: '127.0.0.1' }, verdict: { delayMs: 300 } }] };
    const { report, run } = await reportScenario(scenario);
    const delays = run.entries.filter((e) => e.kind === 'net.delay');
    expect(delays.length).toBeGreaterThan(0);
    expect(delays[0]?.['ms']).toBe(300);
    const html = renderReport(report);
    expect(html).toContain('data-verdict="delayed"');
    expect(html).toMatch(/delayed \+300 ms: SYN 127\.0\.0\.1:\d+ → 127\.0\.0\.1:\d+/);
  });

  it('escapes scenario text: a description cannot end the data block or inject markup', async () => {
    const base = readScenario('default.json');
    const { report } = await reportScenario({ ...base, description: 'evil </script><script>alert(1)</script> & <b>' });
    const html = renderReport(report);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('evil &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;');
    const data = /<script type="application\/json" id="detnet-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    expect(data).not.toContain('<');
    expect((JSON.parse(data) as { rowPanel: number[] }).rowPanel.length).toBe(report.rows.length);
  });

  it('loads nothing: no external script, stylesheet, image or URL', async () => {
    const html = renderReport((await reportScenario(readScenario('default.json'))).report);
    expect(html).not.toMatch(/<script[^>]+src=|<link|<img|url\(http|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });
});

describe('the diagram of a multi-host world', () => {
  it('draws a kernel lane per host and sends each packet from its sender to the network and on to its receiver', () => {
    const world = new World({ seed: 1 });
    world.addHost('client', { addresses: ['10.0.0.1'] });
    const server = world.addHost('server', { addresses: ['10.0.0.2'] });
    serve(server, { port: 25, behaviour: { kind: 'reply', line: '220 hi', then: 'keep-open' } });
    const tcl = new Interp(new SimDriver(world, 'client'), { trace: world.trace });
    const h = tcl.socket('10.0.0.2', 25);
    expect(h.gets()).toBe('220 hi');
    const entries = world.trace.entries;
    const lanes = lanesFor(hostsOf(entries));
    expect(lanes.map((l) => l.title)).toEqual(['client interpreter (Tcl)', 'event loop / notifier', 'kernel: client', 'kernel: server', 'network']);
    const owners = addressOwners(entries);
    const syn = entries.find((e) => e.kind === 'net.attempt');
    const data = entries.find((e) => e.kind === 'net.deliver');
    expect(syn === undefined ? null : rowOf(syn, lanes, owners)).toMatchObject({ kind: 'arrow', from: 2, to: 4 });
    // The server's banner arrives at the client's kernel.
    expect(data === undefined ? null : rowOf(data, lanes, owners)).toMatchObject({ kind: 'arrow', from: 4, to: 2 });
    expect(count(renderDiagram(entries), '<g class="lane ')).toBe(5);
  });
});
