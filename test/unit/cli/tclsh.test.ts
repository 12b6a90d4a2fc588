// The one CLI test that leaves the simulated world: `detnet run --backend tclsh` on a parity
// scenario runs it in real tclsh 8.6 and prints the same normalised lines the scenario pins.
// The scenario names no hosts, so it needs no private hosts file (unshare).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../../src/scenario/validate.js';
import { toJSONL } from '../../../src/trace/observation.js';
import { cli } from './helpers.js';

const FILE = fileURLToPath(new URL('../../../scenarios/parity/refused-poll-connecting.json', import.meta.url));

describe('detnet run --backend tclsh', () => {
  it('runs a parity scenario in real tclsh and meets its pinned trace', async () => {
    const scenario = validateScenario(JSON.parse(readFileSync(FILE, 'utf8')));
    expect(scenario.hosts ?? []).toEqual([]);
    const { code, out, err } = await cli(['run', 'parity/refused-poll-connecting', '--backend', 'tclsh', '--format', 'obs']);
    expect(err).toMatch(/^✓ expectations met: the trace equals expect\.trace/);
    expect(code).toBe(0);
    expect(out).toBe(toJSONL(scenario.expect?.trace ?? []));
  });
});
