// detnet/fast-check is its own entry point: fast-check is a peer dependency that only this
// subpath loads. The main barrel must not reach it (users who never test with fast-check never
// load it), and package.json must declare the subpath and the peer dependency.
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The packages imported by the modules reachable from `entry` (static imports and re-exports). */
function packagesReached(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(root, file), 'utf8');
    for (const m of text.matchAll(/^(?:import|export)[^;]*?from '([^']+)'/gm)) {
      const target = m[1] as string;
      if (target.startsWith('.')) visit(normalize(join(dirname(file), target)).replace(/\.js$/, '.ts'));
      else packages.add(target);
    }
  };
  visit(entry);
  return packages;
}

describe('the detnet/fast-check entry point', () => {
  it('is the only entry point that loads fast-check', () => {
    expect(packagesReached('src/fast-check.ts').has('fast-check')).toBe(true);
    expect(packagesReached('src/index.ts').has('fast-check')).toBe(false);
    expect(packagesReached('src/node.ts').has('fast-check')).toBe(false);
  });

  it('is declared in package.json, with fast-check as a peer and a dev dependency', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, { default: string; types: string }>;
      peerDependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.exports['./fast-check']).toEqual({ types: './dist/src/fast-check.d.ts', default: './dist/src/fast-check.js' });
    expect(Object.keys(pkg.peerDependencies)).toContain('fast-check');
    expect(Object.keys(pkg.devDependencies)).toContain('fast-check');
  });
});
