/**
 * The public barrel `detnet` (src/index.ts) must never load `node:net`, `node:dns` or any other
 * Node built-in, directly or through the modules it re-exports: pure users of the simulated
 * world must be able to run anywhere. Real sockets live on `detnet/node` (src/node.ts).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every module reachable from `entry` through static imports/exports, and the built-ins they name. */
function graph(entry: string): { files: Set<string>; builtins: Map<string, string> } {
  const files = new Set<string>();
  const builtins = new Map<string, string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(join(root, file), 'utf8');
    for (const m of text.matchAll(/^(?:import|export)[^;]*?from '([^']+)'/gm)) {
      const target = m[1] as string;
      if (target.startsWith('node:')) builtins.set(file, target);
      else if (target.startsWith('.')) visit(normalize(join(dirname(file), target)).replace(/\.js$/, '.ts'));
    }
  };
  visit(entry);
  return { files, builtins };
}

describe('package entry points', () => {
  it('the main barrel reaches the world, the channels and the scenarios but no Node built-in', () => {
    const { files, builtins } = graph('src/index.ts');
    expect(files.has('src/sim/world.ts')).toBe(true);
    expect(files.has('src/socket/interp.ts')).toBe(true);
    expect(files.has('src/scenario/runner.ts')).toBe(true);
    expect([...builtins.entries()]).toEqual([]);
  });

  it('the node subpath is where node:net comes in', () => {
    const { builtins } = graph('src/node.ts');
    expect([...builtins.values()]).toContain('node:net');
  });

  it('the net subpath loads streams and events but never node:net', () => {
    const { files, builtins } = graph('src/net-facade.ts');
    expect(files.has('src/socket/node-connect-machine.ts')).toBe(true);
    expect([...new Set(builtins.values())].sort()).toEqual(['node:events', 'node:stream']);
  });
});
