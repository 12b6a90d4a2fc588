// `detnet run`: the default scenario's walk, determinism, the output formats against the
// scenario runner, expectations and exit codes, and the errors for bad files and options.
// Everything here runs on the simulated backend: no real sockets, no tclsh.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/scenario/runner.js';
import type { Scenario } from '../../../src/scenario/scenario.js';
import { simBackend } from '../../../src/scenario/sim-backend.js';
import { validateScenario } from '../../../src/scenario/validate.js';
import { toJSONL } from '../../../src/trace/observation.js';
import { cli, timeline } from './helpers.js';
import { clientSteps } from '../../../src/scenario/client-kind.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const readScenario = (rel: string): Scenario => validateScenario(JSON.parse(readFileSync(join(ROOT, 'scenarios', rel), 'utf8')), { strict: true });
const DEFAULT = readScenario('default.json');

const scratch = mkdtempSync(join(tmpdir(), 'detnet-cli-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes `content` (an object is written as JSON) to a scratch file and returns its path. */
function scratchFile(name: string, content: unknown): string {
  const file = join(scratch, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('detnet run on the default scenario', () => {
  it('prints the walk: ::1 refused, then 127.0.0.1, one writable event, then the reply', async () => {
    // What the scenario file implies: localhost answers ::1 first, nobody listens there, the
    // listener on 127.0.0.1 accepts after its delay and answers its line; the handler sees
    // no error. The timeline shows real ports, so the port is read from the header.
    const listener = DEFAULT.listeners?.[0];
    if (listener === undefined || listener.behaviour.kind !== 'reply-open') throw new Error('the default scenario changed shape');
    const { code, out } = await cli(['run']);
    expect(code).toBe(0);
    const port = /<port> = (\d+)/.exec(out)?.[1];
    expect(port).toMatch(/^\d+$/);
    const lines = timeline(out);
    const texts = lines.map(([, text]) => text);
    const index = (pattern: RegExp): number => texts.findIndex((t) => pattern.test(t));
    const refused = index(new RegExp(`net\\.refuse packet=syn .* dst=\\[::1\\]:${port} reason=no-listener`));
    const failed = index(/net\.fail conn=1 code=ECONNREFUSED/);
    const v4 = index(new RegExp(`net\\.attempt conn=2 .* dst=127\\.0\\.0\\.1:${port}$`));
    const connected = index(/net\.connected conn=2/);
    const writable = texts.filter((t) => /⚡ writable /.test(t));
    expect([refused, failed, v4, connected].every((i) => i >= 0)).toBe(true);
    expect(refused).toBeLessThan(failed);
    expect(failed).toBeLessThan(v4);
    expect(v4).toBeLessThan(connected);
    expect(writable).toEqual(['⚡ writable sock1 (during vwait done)']);
    expect(connected).toBeLessThan(index(/⚡ writable/));
    // -error is empty: the refused ::1 attempt is not reported once 127.0.0.1 succeeded.
    expect(texts).toContain('% fconfigure sock1 -error');
    // The blocking gets returns the server's line when the server gets round to answering.
    const reply = lines.find(([, text]) => text === `% gets sock1  → ${listener.behaviour.kind === 'reply-open' ? listener.behaviour.line : ''}`);
    expect(reply?.[0]).toBe(listener.acceptDelayMs);
    expect(out).toMatch(/\n✓ expectations met: the trace equals expect\.trace, 12 lines\n$/);
  });

  it('gives byte-identical output for the same seed', async () => {
    const first = await cli(['run', '--seed', '7']);
    const second = await cli(['run', '--seed', '7']);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^backend sim, profile tcl-8\.6\.13-unix, seed 7$/m);
    expect(second.out).toBe(first.out);
    const jsonl = [await cli(['run', '--seed', '7', '--format', 'jsonl']), await cli(['run', '--seed', '7', '--format', 'jsonl'])];
    expect(jsonl[1]?.out).toBe(jsonl[0]?.out);
  });

  it('--format obs prints exactly the lines runScenario gives, and the verdict on stderr', async () => {
    const expected = toJSONL((await runScenario(DEFAULT, simBackend(DEFAULT))).lines);
    const { code, out, err } = await cli(['run', '--format', 'obs']);
    expect(code).toBe(0);
    expect(out).toBe(expected);
    expect(err).toMatch(/^✓ expectations met/);
  });

  it('--format jsonl prints the raw trace: every line an entry, the refusal and the commands in it', async () => {
    const { code, out } = await cli(['run', '--format', 'jsonl']);
    expect(code).toBe(0);
    const entries = out.trimEnd().split('\n').map((l) => JSON.parse(l) as { t: unknown; kind: unknown; [k: string]: unknown });
    expect(entries.every((e) => typeof e.t === 'number' && typeof e.kind === 'string')).toBe(true);
    expect(entries.some((e) => e.kind === 'net.refuse' && String(e['dst']).startsWith('[::1]:'))).toBe(true);
    expect(entries.filter((e) => e.kind === 'obs' && e['event'] === 'writable')).toHaveLength(1);
  });

  it('--level obs leaves the network out and --level all adds the event loop', async () => {
    const obs = timeline((await cli(['run', '--level', 'obs'])).out).map(([, t]) => t);
    const all = timeline((await cli(['run', '--level', 'all'])).out).map(([, t]) => t);
    expect(obs.some((t) => t.includes('net.'))).toBe(false);
    expect(obs).toContain('⚡ writable sock1 (during vwait done)');
    expect(all.some((t) => t.includes('loop.vwait'))).toBe(true);
  });
});

describe('detnet run on other scenarios', () => {
  it('finds a parity scenario by id, by bare name and by path, with the same output', async () => {
    const byId = await cli(['run', 'parity/refused-poll-connecting', '--format', 'obs']);
    const byName = await cli(['run', 'refused-poll-connecting', '--format', 'obs']);
    const byPath = await cli(['run', join(ROOT, 'scenarios/parity/refused-poll-connecting.json'), '--format', 'obs']);
    const scenario = readScenario('parity/refused-poll-connecting.json');
    expect(byId.code).toBe(0);
    expect(byId.out).toBe(toJSONL(scenario.expect?.trace ?? []));
    expect(byName.out).toBe(byId.out);
    expect(byPath.out).toBe(byId.out);
  });

  it('a scenario whose expectations fail exits 1 and prints the first difference', async () => {
    const trace = (DEFAULT.expect?.trace ?? []).map((l) => ('op' in l && l.op === 'gets <c1>' ? { ...l, result: 'goodbye' } : l));
    const file = scratchFile('wrong-expectation.json', { ...DEFAULT, name: 'wrong-expectation', expect: { trace } });
    const { code, out } = await cli(['run', file]);
    expect(code).toBe(1);
    expect(out).toMatch(/✗ expectations failed/);
    expect(out).toMatch(/^- expected +10: \{"op":"gets <c1>","result":"goodbye"\}$/m);
    expect(out).toMatch(/^\+ sim +10: \{"op":"gets <c1>","result":"220 hello"\}$/m);
  });

  it('--profile tcl-8.5.15-unix tries ::1 only, fails the pinned expectations and says why', async () => {
    // Bug 13d3af3ad5: 8.5 does not walk the address list, so the writable event reports the
    // refusal of the first address and 127.0.0.1 is never tried.
    const { code, out } = await cli(['run', '--profile', 'tcl-8.5.15-unix']);
    expect(code).toBe(1);
    const texts = timeline(out).map(([, t]) => t);
    expect(texts.some((t) => /net\.attempt .* dst=127\.0\.0\.1:/.test(t))).toBe(false);
    expect(texts).toContain('% fconfigure sock1 -error  → connection refused');
    expect(out).toMatch(/note: --profile tcl-8\.5\.15-unix replaces the scenario's profile \(tcl-8\.6\.13-unix\)/);
  });

  it('a run that could never finish stops early with exit 1 and the trace so far', async () => {
    // A blocking gets that no one will ever answer: real Tcl would hang; the simulated world
    // sees that nothing pending can wake it, and the run stops there.
    const file = scratchFile('hang.json', {
      name: 'hang',
      description: 'a blocking gets that nothing answers',
      listeners: [{ role: 'port', on: '127.0.0.1', behaviour: { kind: 'receive' }, process: 'child' }],
      client: [
        { op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'port' },
        { op: 'gets', chan: 'c1' },
      ],
    });
    const timelineRun = await cli(['run', file]);
    expect(timelineRun.code).toBe(1);
    expect(timeline(timelineRun.out).map(([, t]) => t)).toContain('% gets sock1');
    expect(timelineRun.out).toMatch(/\n✗ the run stopped early: reading "sock1" would block forever: .*\n$/);
    const obsRun = await cli(['run', file, '--format', 'obs']);
    expect(obsRun.code).toBe(1);
    expect(obsRun.out.split('\n')[0]).toBe('{"op":"socket -async 127.0.0.1 <port>","result":"<c1>"}');
    expect(obsRun.err).toMatch(/^✗ the run stopped early: /);
  });

  it('a scenario without expectations runs, says there is nothing to check, and exits 0', async () => {
    const { expect: _pinned, ...bare } = DEFAULT;
    const { code, out } = await cli(['run', scratchFile('no-expectations.json', { ...bare, name: 'no-expectations' })]);
    expect(code).toBe(0);
    expect(out).toMatch(/\(the scenario states no expectations: nothing to check\)\n$/);
  });
});

describe('detnet run errors (exit 2, nothing runs)', () => {
  it('names a missing file', async () => {
    const missing = join(scratch, 'missing.json');
    const { code, out, err } = await cli(['run', missing]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(`detnet: no scenario "${missing}": not a file, nor a built-in scenario (see "detnet scenarios")\n`);
  });

  it('names a file that is not JSON', async () => {
    const file = scratchFile('broken.json', '{"name": ');
    const { code, err } = await cli(['run', file]);
    expect(code).toBe(2);
    expect(err.startsWith(`detnet: ${file}: not valid JSON: `)).toBe(true);
  });

  it('names the file and the bad path inside an invalid scenario', async () => {
    const client = [...clientSteps(DEFAULT)];
    client[1] = { op: 'fileevent', chan: 'c2', event: 'writable', handler: 'Connected' };
    const file = scratchFile('bad-chan.json', { ...DEFAULT, name: 'bad-chan', client });
    const { code, out, err } = await cli(['run', file]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(`detnet: ${file}: scenario "bad-chan": client[1].chan: channel c2 is used before a socket step creates it\n`);
  });

  it('names the file and the path when its profile does not exist', async () => {
    // Validation checks the profile now, so the message has the scenario and path like any other.
    const file = scratchFile('bad-profile.json', { ...DEFAULT, name: 'bad-profile', profile: 'tcl-9.9' });
    const { code, err } = await cli(['run', file]);
    expect(code).toBe(2);
    expect(err).toMatch(new RegExp(`^detnet: ${file.replace(/[.]/g, '\\.')}: scenario "bad-profile": profile: unknown profile "tcl-9\\.9"`));
  });

  it('rejects options that do not fit together or values out of range', async () => {
    const cases: [string[], RegExp][] = [
      [['run', '--level', 'all', '--format', 'obs'], /--level applies to --format timeline only/],
      [['run', '--seed', '3', '--backend', 'node'], /--seed applies to the sim backend only/],
      [['run', '--profile', 'tcl-8.6.1-unix', '--backend', 'tclsh'], /--profile applies to the sim and node backends/],
      [['run', '--profile', 'nope'], /--profile: unknown profile "nope": expected one of tcl-8\.6\.13-unix/],
      [['run', '--seed', '-1'], /--seed expects an integer in 0\.\.4294967295, got "-1"/],
      [['run', '--seed', '1.5'], /--seed expects an integer in 0\.\.4294967295, got "1\.5"/],
      [['run', '--backend', 'qemu'], /--backend expects one of sim, node, tclsh, got "qemu"/],
      [['run', '--format'], /--format expects a value/],
      [['run', '--seed', '1', '--seed', '2'], /--seed is given twice/],
      [['run', 'default', 'default'], /run takes one scenario, got 2/],
    ];
    for (const [argv, message] of cases) {
      const { code, out, err } = await cli(argv);
      expect({ argv, code, out }).toEqual({ argv, code: 2, out: '' });
      expect(err).toMatch(message);
    }
  });

  it('refuses a scenario with fault rules on the node backend before opening any socket', async () => {
    const file = scratchFile('faulty.json', { ...DEFAULT, name: 'faulty', faults: [{ atMs: 0, verdict: { delayMs: 20 } }] });
    const { code, err } = await cli(['run', file, '--backend', 'node']);
    expect(code).toBe(2);
    expect(err).toBe('detnet: scenario "faulty" cannot run on node: faults[0]: real loopback cannot delay packets\n');
  });
});
