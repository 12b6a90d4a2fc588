// `npm run screenshots`: the README's pictures, taken in Debian's chromium (playwright-core)
// from the built package: docs/images/sandbox.png (the 336441ed59 lesson, fixed vs buggy on a
// seed that loses the completion) and docs/images/report.png (`detnet html` of that seed).
// Run after `npm run build` (the npm script does both). Not a test: tests assert, this draws.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import console from 'node:console';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (rel) => pathToFileURL(join(ROOT, 'dist', 'src', rel)).href;
const { startSandboxServer } = await import(dist('cli/sandbox-command.js'));
const { reportScenario } = await import(dist('web/scenario-report.js'));
const { renderReport } = await import(dist('web/report.js'));
const { validateScenario } = await import(dist('scenario/validate.js'));


const PROFILE = 'tcl-8.6.13-unix+336441ed59';
const lesson = validateScenario(JSON.parse(readFileSync(join(ROOT, 'scenarios', 'lessons', 'bug-336441ed59.json'), 'utf8')));

// The first seed whose seeded run loses the completion under the bug.
let seed = null;
for (let s = 1; s <= 100 && seed === null; s++) {
  const { run } = await reportScenario(lesson, { profile: PROFILE, seed: s, ties: 'seeded' });
  if (run.entries.some((e) => e.kind === 'loop.lost')) seed = s;
}
if (seed === null) throw new Error('no seed in 1..100 loses the completion');

const images = join(ROOT, 'docs', 'images');
mkdirSync(images, { recursive: true });
const scratch = mkdtempSync(join(tmpdir(), 'detnet-screenshots-'));
const server = await startSandboxServer({ root: join(ROOT, 'dist', 'web'), port: 0 });
const browser = await chromium.launchPersistentContext(join(scratch, 'profile'), {
  executablePath: process.env.DETNET_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1500, height: 1000 },
  timeout: 30_000,
});
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${server.url}#lesson=336441ed59`);
  await page.waitForSelector('body[data-ready="1"]');
  await page.locator('#bug-336441ed59').check();
  await page.locator('#seed').fill(String(seed));
  await page.locator('#compare').click();
  await page.locator('svg.diagram').nth(1).waitFor();
  await page.locator('svg.diagram').nth(1).locator('g.ev[data-kind="loop.lost"]').click();
  await page.screenshot({ path: join(images, 'sandbox.png') });

  const { report } = await reportScenario(lesson, { profile: PROFILE, seed, ties: 'seeded', source: 'lessons/bug-336441ed59' });
  const file = join(scratch, 'run.html');
  writeFileSync(file, renderReport(report));
  await page.setViewportSize({ width: 1500, height: 760 });
  await page.goto(pathToFileURL(file).href);
  await page.screenshot({ path: join(images, 'report.png') });
  console.log(`wrote docs/images/sandbox.png and docs/images/report.png (seed ${seed})`);
} finally {
  await browser.close();
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
}
