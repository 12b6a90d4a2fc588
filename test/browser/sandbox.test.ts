// The teaching sandbox in a real browser: built with esbuild into a scratch directory, served by
// `detnet sandbox`'s server on loopback, driven in Debian's chromium. It walks the lesson a
// teacher would: open 336441ed59, run it fixed, switch the bug on, explore seeds, open a
// failing seed, click an event and read the state panel, then compare fixed and buggy.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxServer, type SandboxServer } from '../../src/cli/sandbox-command.js';
import { buildSandbox } from '../../scripts/build-sandbox.mjs';
import { withBrowser } from '../helpers/browser.js';

const out = mkdtempSync(join(tmpdir(), 'detnet-sandbox-build-'));
let server: SandboxServer;
beforeAll(async () => {
  await buildSandbox(out);
  server = await startSandboxServer({ root: out, port: 0 });
});
afterAll(async () => {
  await server?.close();
  rmSync(out, { recursive: true, force: true });
});

describe('the sandbox in chromium', () => {
  it('the 336441ed59 lesson: fixed runs report the connect; with the bug, exploring finds failing seeds whose lost readiness the state panel explains', async () => {
    await withBrowser(async (page) => {
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(server.url);
      await page.waitForSelector('body[data-ready="1"]');
      await page.locator('#lesson').selectOption('336441ed59');
      expect(await page.locator('#lesson-text h2').textContent()).toMatch(/^Lesson 336441ed59: /);
      expect(await page.locator('#scenario').inputValue()).toBe('lessons/bug-336441ed59');

      // Fixed Tcl, seeded ties: the writable event reaches the client.
      await page.locator('#run').click();
      await page.waitForSelector('svg.diagram');
      expect(await page.locator('#outcome').textContent()).toMatch(/^✓/);
      expect(await page.locator('svg.diagram g.ev.tone-event').count()).toBeGreaterThan(0);

      // The bug on, and 30 seeds explored: some fail; none would without the bug (unit tests).
      await page.locator('#bug-336441ed59').check();
      await page.locator('#explore').click();
      await page.waitForSelector('#explore-summary');
      const summary = await page.locator('#explore-summary').textContent();
      const failing = Number(/: (\d+) failing/.exec(summary ?? '')?.[1]);
      expect(failing).toBeGreaterThan(0);
      expect(await page.locator('button.failing-seed').count()).toBe(failing);

      // Open the first failing seed: the run is that seed's, and it lost the completion.
      const seed = await page.locator('button.failing-seed').first().getAttribute('data-seed');
      await page.locator('button.failing-seed').first().click();
      await page.waitForFunction(() => /timed out/.test(document.querySelector('#outcome')?.textContent ?? ''));
      expect(await page.locator('#seed').inputValue()).toBe(seed);
      expect(await page.locator('#replay').textContent()).toBe(`npx detnet html lessons/bug-336441ed59 --profile tcl-8.6.13-unix+336441ed59 --seed ${seed} --ties seeded -o run.html`);

      // Click the lost readiness: the connect is in flight and its watch not yet effective.
      await page.locator('svg.diagram g.ev[data-kind="loop.lost"]').click();
      const panel = await page.locator('#state').innerText();
      expect(panel).toMatch(/connect state\s+inflight/);
      expect(panel).toMatch(/connect:sock1\s+wx\s+not yet/);
      const at = Number(await page.locator('svg.diagram g.ev.selected').getAttribute('data-row'));
      await page.keyboard.press('ArrowDown');
      expect(await page.locator('svg.diagram g.ev.selected').getAttribute('data-row')).toBe(String(at + 1));

      // Fixed vs buggy, same seed: two diagrams, the first divergence marked in both.
      await page.locator('#compare').click();
      await page.waitForFunction(() => document.querySelectorAll('svg.diagram').length === 2);
      expect(await page.locator('svg.diagram').nth(0).locator('g.ev.diverged').count()).toBe(1);
      expect(await page.locator('svg.diagram').nth(1).locator('g.ev.diverged').count()).toBe(1);
      expect(await page.locator('#outcome').textContent()).toMatch(/first divergence at event \d+/);

      // Nothing left the page but its own three files.
      expect(new Set(requests.map((u) => new URL(u).pathname))).toEqual(new Set(['/', '/sandbox.js', '/catalog.json']));
      expect(await page.locator('#error').textContent()).toBe('');
    });
  });

  it('a Tcl lesson: the seed page\'s background connect, edited and run on the default world, shows its output and timeline', async () => {
    await withBrowser(async (page) => {
      await page.goto(server.url);
      await page.waitForSelector('body[data-ready="1"]');
      expect(await page.locator('#scenario').inputValue()).toBe('default');
      await page.locator('#tcl-box summary').click();
      expect(await page.locator('#tcl').inputValue()).toContain('socket -async localhost $port');

      // As given: ::1 is refused, 127.0.0.1 answers after 50 ms with the default world's line.
      await page.locator('#run-tcl').click();
      await page.waitForSelector('#tcl-output[data-status]');
      const output = await page.locator('#tcl-output').textContent();
      expect(await page.locator('#tcl-output').getAttribute('data-status')).toBe('0');
      expect(output).toContain('stdout:\n  connected to 127.0.0.1\n  reply: 220 hello\n  done: replied\n');
      expect(output).toMatch(/% socket -async localhost \d+/);
      expect(await page.locator('#tcl-settings').textContent()).toMatch(/^Tcl client on the world of default · profile tcl-8\.6\.13-unix · seed 1/);

      // Edited by the student: a script error is shown with its line, and the page goes on.
      await page.locator('#tcl').fill('puts start\nsocket localhost 70000\n');
      await page.locator('#run-tcl').click();
      await page.waitForSelector('#tcl-output[data-status="1"]');
      const failed = await page.locator('#tcl-output').textContent();
      expect(failed).toContain('stdout:\n  start\n');
      expect(failed).toContain("couldn't open socket: port number too high");
      expect(failed).toContain('line 2)');
      expect(await page.locator('#error').textContent()).toBe('');
    });
  });

  it('an edited scenario that does not validate shows the validator\'s message, and nothing runs', async () => {
    await withBrowser(async (page) => {
      await page.goto(server.url);
      await page.waitForSelector('body[data-ready="1"]');
      await page.locator('#editor').fill('{"name": "x", "description": "d", "client": [{"op": "frob"}]}');
      await page.locator('#run').click();
      await page.waitForFunction(() => (document.querySelector('#error')?.textContent ?? '') !== '');
      expect(await page.locator('#error').textContent()).toMatch(/client\[0\]/);
      expect(await page.locator('svg.diagram').count()).toBe(0);
    });
  });
});
