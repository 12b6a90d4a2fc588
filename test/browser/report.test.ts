// A `detnet html` report in a real browser (Debian's chromium through playwright-core): the
// page works from a file with no network, its diagram has the lanes and arrows the trace
// implies, a verdict label reads as written, and clicking or stepping with the keyboard shows
// the state of that moment.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/scenario/scenario.js';
import { validateScenario } from '../../src/scenario/validate.js';
import { renderReport } from '../../src/web/report.js';
import { reportScenario } from '../../src/web/scenario-report.js';
import { withBrowser } from '../helpers/browser.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const readScenario = (rel: string): Scenario => validateScenario(JSON.parse(readFileSync(join(ROOT, 'scenarios', rel), 'utf8')));
const scratch = mkdtempSync(join(tmpdir(), 'detnet-browser-report-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ARROW_KINDS = /^net\.(attempt|syn-retry|connected|refuse|drop|unreachable|delay|hold|deliver|fin|rst)$/;

describe('a detnet html report in chromium', () => {
  it('draws four lanes and one arrow per packet or event, and reads the refused verdict', async () => {
    const { report } = await reportScenario(readScenario('default.json'));
    const file = join(scratch, 'default.html');
    writeFileSync(file, renderReport(report));
    const arrows = report.rows.filter((e) => ARROW_KINDS.test(e.kind) || (e.kind === 'obs' && typeof e['event'] === 'string')).length;
    await withBrowser(async (page) => {
      // Any request beyond the file itself would be a report that is not self-contained.
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href);
      expect(await page.locator('svg.diagram g.lane').count()).toBe(4);
      expect(await page.locator('svg.diagram line.arrow').count()).toBe(arrows);
      const verdict = await page.locator('svg.diagram g[data-verdict="refused"] text.label').first().textContent();
      expect(verdict).toMatch(/^refused: SYN \[::1\]/);
      expect(await page.locator('#profile').textContent()).toBe('tcl-8.6.13-unix');
      expect(requests).toEqual([pathToFileURL(file).href]);
    });
  });

  it('clicking the lost readiness of the 336441ed59 lesson shows the connect in flight; the arrow keys step', async () => {
    const lesson = readScenario('lessons/bug-336441ed59.json');
    let page1 = null;
    for (let seed = 1; seed <= 40 && page1 === null; seed++) {
      const r = await reportScenario(lesson, { profile: 'default+336441ed59', seed, ties: 'seeded' });
      if (r.report.rows.some((e) => e.kind === 'loop.lost')) page1 = r.report;
    }
    if (page1 === null) throw new Error('no seed in 1..40 lost the completion');
    const lost = page1.rows.findIndex((e) => e.kind === 'loop.lost');
    const file = join(scratch, 'lesson.html');
    writeFileSync(file, renderReport(page1));
    await withBrowser(async (page) => {
      await page.goto(pathToFileURL(file).href);
      await page.locator(`svg.diagram g.ev[data-row="0"]`).click();
      expect(await page.locator('#where').textContent()).toBe(`event 1 of ${page1.rows.length}`);
      await page.locator(`svg.diagram g.ev[data-row="${lost}"]`).click();
      const panel = await page.locator('#state').innerText();
      expect(panel).toContain('loop.lost');
      expect(panel).toMatch(/connect state\s+inflight/);
      expect(panel).toMatch(/not yet/);
      await page.keyboard.press('ArrowDown');
      expect(await page.locator('#where').textContent()).toBe(`event ${lost + 2} of ${page1.rows.length}`);
      expect(await page.locator('svg.diagram g.ev.selected').getAttribute('data-row')).toBe(String(lost + 1));
      await page.keyboard.press('End');
      expect(await page.locator('svg.diagram g.ev.selected').getAttribute('data-row')).toBe(String(page1.rows.length - 1));
    });
  });
});
