// Which trace a backend is held to, and the verdict line: a backend with a declared
// difference is held to its own trace, every other backend to expect.trace.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectationFor, verdict } from '../../../src/cli/verdict.js';
import type { Scenario } from '../../../src/scenario/scenario.js';
import type { ObservationLine } from '../../../src/trace/observation.js';
import { cli } from './helpers.js';

const COMMON: ObservationLine[] = [{ op: 'socket -async 127.0.0.1 <port>', result: '<c1>' }];
const NODE_ONLY: ObservationLine[] = [...COMMON, { note: 'node', value: '1' }];
const SCENARIO: Scenario = {
  name: 'x',
  description: 'x',
  refusedPort: true,
  client: [{ op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'rport' }],
  expect: { trace: COMMON },
  differences: [
    { backend: 'node', reason: 'node is special', trace: NODE_ONLY },
    { backend: 'tclsh', reason: 'tclsh cannot' },
  ],
};

describe('expectationFor', () => {
  it('holds a backend with a declared difference to its own trace and the others to expect.trace', () => {
    expect(expectationFor(SCENARIO, 'sim')).toEqual({ lines: COMMON, source: 'expect.trace' });
    expect(expectationFor(SCENARIO, 'node')).toEqual({ lines: NODE_ONLY, source: 'differences[node].trace', reason: 'node is special' });
    expect(expectationFor(SCENARIO, 'tclsh')).toEqual({ notRunnable: 'tclsh cannot' });
  });

  it('expects nothing of a scenario without expectations', () => {
    const { expect: _e, differences: _d, ...bare } = SCENARIO;
    expect(expectationFor(bare, 'sim')).toBeNull();
  });
});

describe('verdict', () => {
  it('passes on equal lines, ignoring meta lines, and names the source and the reason', () => {
    const v = verdict({ lines: NODE_ONLY, source: 'differences[node].trace', reason: 'node is special' }, [{ meta: 'port', role: 'port', value: '1' }, ...NODE_ONLY], 'node');
    expect(v.ok).toBe(true);
    expect(v.text).toBe('✓ expectations met: the trace equals differences[node].trace, 3 lines\n  (node differs here by nature: node is special)');
  });

  it('fails on the first difference and shows both sides', () => {
    const v = verdict({ lines: COMMON, source: 'expect.trace' }, NODE_ONLY, 'sim');
    expect(v.ok).toBe(false);
    expect(v.text).toMatch(/^✗ expectations failed: the trace differs from expect\.trace\ntraces differ at line 2/);
    expect(v.text).toMatch(/^\+ sim +2: \{"note":"node","value":"1"\}$/m);
  });
});

describe('detnet run on a backend the scenario rules out', () => {
  it('exits 2 with the reason and runs nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'detnet-cli-verdict-'));
    try {
      const file = join(dir, 'x.json');
      writeFileSync(file, JSON.stringify(SCENARIO));
      const { code, out, err } = await cli(['run', file, '--backend', 'tclsh']);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toBe('detnet: scenario "x" does not run on tclsh: tclsh cannot\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
