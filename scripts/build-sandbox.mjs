// Builds the teaching sandbox into dist/web/ (run by `npm run build`, after tsc): the page
// (src/web/sandbox/index.html), one script bundled by esbuild for the browser from
// src/web/sandbox/app.ts (the whole simulator runs in the page: esbuild fails the build if any
// module it reaches needs a Node built-in), and catalog.json, the built-in scenarios as data.
//
// `buildSandbox(outDir)` is exported for the browser tests, which build into a scratch
// directory; `node scripts/build-sandbox.mjs [outDir]` builds from the command line.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The built-in scenarios as `{ id, scenario }`: default, then parity/* and lessons/* by name. */
export function catalog() {
  const dir = join(ROOT, 'scenarios');
  const read = (rel) => JSON.parse(readFileSync(join(dir, rel), 'utf8'));
  const out = [{ id: 'default', scenario: read('default.json') }];
  for (const sub of ['lessons', 'parity']) {
    const names = readdirSync(join(dir, sub)).filter((f) => f.endsWith('.json')).sort();
    for (const f of names) out.push({ id: `${sub}/${f.slice(0, -'.json'.length)}`, scenario: read(`${sub}/${f}`) });
  }
  return out;
}

/** Builds the sandbox into `outDir` (default dist/web); returns the directory. */
export async function buildSandbox(outDir = join(ROOT, 'dist', 'web')) {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'src', 'web', 'sandbox', 'app.ts')],
    outfile: join(outDir, 'sandbox.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    legalComments: 'none',
    logLevel: 'error',
  });
  copyFileSync(join(ROOT, 'src', 'web', 'sandbox', 'index.html'), join(outDir, 'index.html'));
  writeFileSync(join(outDir, 'catalog.json'), `${JSON.stringify(catalog())}\n`);
  return outDir;
}

if (process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  await buildSandbox(process.argv[2] === undefined ? undefined : resolve(process.argv[2]));
}
