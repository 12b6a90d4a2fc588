/**
 * The switches issue 11 added to `detnet run` (`--times`, `--strict`), JSON syntax errors by
 * line and column, and `detnet schema`: each mistake is a usage error (exit 2) that says what
 * to do, and each switch does what the help says.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { lineColumn, parseJsonText } from '../../../src/cli/scenario-files.js';
import { cli } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'detnet-flags-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('--times and --strict', () => {
  it('--times applies to --format obs only', async () => {
    const r = await cli(['run', '--times']);
    expect(r).toEqual({ code: 2, out: '', err: 'detnet: --times applies to --format obs only (got --format timeline)\n' });
  });

  it('--times needs a detnet backend: tclsh has no virtual clock', async () => {
    const r = await cli(['run', '--format', 'obs', '--times', '--backend', 'tclsh']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('detnet: --times needs a detnet backend: real Tcl has no virtual clock\n');
  });

  it('a switch takes no value', async () => {
    const r = await cli(['run', '--strict=yes']);
    expect(r).toEqual({ code: 2, out: '', err: 'detnet: --strict is a switch and takes no value\n' });
  });

  it('--format obs --times prefixes each observation line with its virtual time and nothing else changes', async () => {
    const plain = await cli(['run', '--format', 'obs']);
    const timed = await cli(['run', '--format', 'obs', '--times']);
    expect(timed.code).toBe(0);
    const lines = timed.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.every((l) => Object.keys(l)[0] === 't' && typeof l['t'] === 'number')).toBe(true);
    expect(lines.map(({ t: _t, ...rest }) => JSON.stringify(rest)).join('\n')).toBe(plain.out.trim());
    // The default scenario's listener accepts after 50 ms (its acceptDelayMs): the reply is read then.
    expect(lines.find((l) => l['op'] === 'gets <c1>')?.['t']).toBe(50);
  });
});

describe('JSON syntax errors', () => {
  it('gives the line and column of an unexpected character', () => {
    expect(() => parseJsonText('{\n  "a": 1,\n  "b" 2\n}')).toThrow('line 3 column 7: ');
  });

  it('gives the end of the file for a file cut short', () => {
    expect(() => parseJsonText('{\n  "a": [1,')).toThrow('line 2 column 11: the file ends in the middle of a value');
  });

  it('counts columns from 1 on each line', () => {
    expect(lineColumn('ab\ncd', 0)).toBe('line 1 column 1');
    expect(lineColumn('ab\ncd', 4)).toBe('line 2 column 2');
  });

  it('names the file, line and column through detnet run, exit 2', async () => {
    const file = join(scratch, 'cut.json');
    writeFileSync(file, '{"name": "cut",\n "description": ');
    const r = await cli(['run', file]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`detnet: ${file}: not valid JSON: line 2 column 17: the file ends in the middle of a value\n`);
  });
});

describe('detnet schema', () => {
  it('prints the JSON Schema shipped in the package', async () => {
    const r = await cli(['schema']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(readFileSync(join(ROOT, 'schema', 'scenario.schema.json'), 'utf8'));
    expect((JSON.parse(r.out) as { title?: string }).title).toBe('detnet scenario');
  });
});
