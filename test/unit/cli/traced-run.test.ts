// The CLI's traced run is runScenario's run, with the world's trace merged in: for every
// built-in scenario on the simulated world both must give the same observation lines, raw and
// normalised, or the timeline would show a different run than the parity suite checks. A run
// that stops early comes back as a failure with the run so far, not as an exception.
import { STUCK_HANDLER } from '../../helpers/stuck-handler.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tracedRun } from '../../../src/cli/traced-run.js';
import { opText } from '../../../src/scenario/op-text.js';
import { runScenario } from '../../../src/scenario/runner.js';
import { simBackend } from '../../../src/scenario/sim-backend.js';
import { validateScenario } from '../../../src/scenario/validate.js';
import { isMeta, toJSONL } from '../../../src/trace/observation.js';
import { clientSteps } from '../../../src/scenario/client-kind.js';

const DIR = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
const FILES = ['default.json', ...readdirSync(join(DIR, 'parity')).filter((f) => f.endsWith('.json')).map((f) => `parity/${f}`)];

describe('tracedRun on the sim', () => {
  it.each(FILES)('gives the same observation lines as runScenario for %s', async (file) => {
    const scenario = validateScenario(JSON.parse(readFileSync(join(DIR, file), 'utf8')));
    const reference = await runScenario(scenario, simBackend(scenario));
    const traced = await tracedRun(scenario, 'sim');
    expect(traced.failure).toBeNull();
    expect(toJSONL(traced.raw)).toBe(toJSONL(reference.raw));
    expect(toJSONL(traced.lines)).toBe(toJSONL(reference.lines));
  });

  it('shows the client script only: no listener set-up, no teardown, the reports as notes at the end', async () => {
    const scenario = validateScenario(JSON.parse(readFileSync(join(DIR, 'default.json'), 'utf8')));
    const traced = await tracedRun(scenario, 'sim');
    const ops = traced.shown.filter((e) => e.kind === 'obs' && typeof e['op'] === 'string').map((e) => String(e['op']));
    // The scenario's client steps and, inside the vwait, the handler's steps; nothing else.
    // Real names: the channel is sock1 and the port is the one the run declared.
    const port = traced.raw.filter(isMeta).find((l) => l.meta === 'port')?.['value'];
    const [socket, fileevent, vwait, gets, close] = clientSteps(scenario).map(opText);
    const handler = (scenario.handlers?.[0]?.steps ?? []).map(opText);
    const expected = [socket, fileevent, ...handler, vwait, gets, close].map((op) => String(op).replace('<c1>', 'sock1').replace('<port>', String(port)));
    expect(port).toMatch(/^\d+$/);
    expect(ops).toEqual(expected);
    expect(traced.entries.some((e) => e.kind === 'net.listen')).toBe(true);
    expect(traced.shown.some((e) => e.kind === 'net.listen')).toBe(false);
    expect(traced.shown[traced.shown.length - 1]).toMatchObject({ kind: 'obs', note: 'port accepted', value: '1' });
  });

  it('returns a run stopped by a background error as its failure, with the lines so far and the listener\'s report', async () => {
    // The handler's blocking gets can never end (the listener never accepts): the error is
    // found after teardown, so the report is in and shown as the last note.
    const scenario = validateScenario(STUCK_HANDLER);
    const traced = await tracedRun(scenario, 'sim');
    expect(traced.failure).toMatch(/^a handler raised a background error: fileevent sock1 writable: /);
    expect(traced.lines[0]).toEqual({ op: 'socket -async 127.0.0.1 <port>', result: '<c1>' });
    expect(traced.lines[traced.lines.length - 1]).toEqual({ note: 'port accepted', value: '0' });
    expect(traced.shown.some((e) => e.kind === 'net.listen')).toBe(false);
    expect(traced.shown[traced.shown.length - 1]).toMatchObject({ kind: 'obs', note: 'port accepted', value: '0' });
  });
});
