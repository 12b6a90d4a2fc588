// `detnet scenarios` and `detnet profiles` list what exists: every scenario file on disk
// (read here independently of the CLI's own listing code) and every profile of profiles.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listProfiles } from '../../../src/socket/profiles.js';
import { cli } from './helpers.js';

const DIR = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
const describeFile = (file: string): string => (JSON.parse(readFileSync(join(DIR, file), 'utf8')) as { description: string }).description;

describe('detnet scenarios', () => {
  it('lists default first, then every parity file by name with its description', async () => {
    const { code, out } = await cli(['scenarios']);
    expect(code).toBe(0);
    const parity = readdirSync(join(DIR, 'parity')).filter((f) => f.endsWith('.json')).sort();
    expect(parity.length).toBeGreaterThan(30);
    const rows = out.split('\n').filter((l) => l.startsWith('  '));
    const expected = [
      ['default', describeFile('default.json')],
      ...parity.map((f) => [`parity/${f.replace(/\.json$/, '')}`, describeFile(`parity/${f}`)]),
    ];
    expect(rows.map((r) => /^ {2}(\S+) +(.*)$/.exec(r)?.slice(1))).toEqual(expected);
  });

  it('takes no arguments', async () => {
    const { code, err } = await cli(['scenarios', 'parity']);
    expect(code).toBe(2);
    expect(err).toMatch(/scenarios takes no arguments/);
  });
});

describe('detnet profiles', () => {
  it('lists every profile with its description and bug switches, the default marked', async () => {
    const { code, out } = await cli(['profiles']);
    expect(code).toBe(0);
    const profiles = listProfiles();
    expect(profiles.length).toBeGreaterThan(1);
    const blocks = out.split('\n\n').slice(1);
    expect(blocks).toHaveLength(profiles.length);
    profiles.forEach((p, i) => {
      const block = blocks[i] ?? '';
      expect(block).toMatch(new RegExp(`^ {2}${p.name.replace(/[.+]/g, '\\$&')} {2}\\(Tcl ${p.tclVersion.replace(/\./g, '\\.')} on ${p.platform}`));
      expect(block).toContain(`\n    ${p.description}\n`);
      expect(block.trimEnd().endsWith(`bug switches: ${p.bugs.length === 0 ? 'none' : p.bugs.join(', ')}`)).toBe(true);
    });
    expect(blocks[0]).toMatch(/^ {2}tcl-8\.6\.13-unix {2}\(Tcl 8\.6\.13 on unix, the default\)/);
    expect(blocks.filter((b) => b.includes('the default'))).toHaveLength(1);
    // A historical profile carries the bug the seed page lists for it: 8.5 tries one address.
    expect(out).toMatch(/tcl-8\.5\.15-unix[^]*?bug switches: [^\n]*13d3af3ad5/);
  });
});
