/**
 * `detnet explore` and `detnet replay` (issue 12, item 4): explore finds the 336441ed59 race on
 * the default scenario once every link is instant, shrinks it, writes the minimal scenario
 * file and prints a replay command that reproduces the run byte for byte; exhaustive
 * enumeration proves the default scenario race-free on the default profile; and a clean
 * exploration under the file's latency says what it could not see.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explore } from '../../../src/cli/scenario-explorer.js';
import { loadScenario, resolveScenarioFile } from '../../../src/cli/scenario-files.js';
import { parseSchedule } from '../../../src/clock/schedule-encoding.js';
import { main } from '../../../src/cli.js';
import { cli } from './helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'detnet-explore-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The arguments of the `replay: detnet replay …` line of explore's output. */
function replayArgs(out: string): string[] {
  const line = out.split('\n').find((l) => l.startsWith('replay: detnet replay '));
  expect(line).toBeDefined();
  return (line as string).slice('replay: detnet '.length).split(' ');
}

describe('detnet explore on the default scenario with 336441ed59', () => {
  it('finds the lost quick connect, shrinks it and prints a replay command that reproduces it', async () => {
    // The default scenario is loopback only, where the simulator's latency is 0 ms: only the
    // FIFO order of `detnet run` hid the race, and explore never breaks ties FIFO.
    const file = join(scratch, 'race.json');
    const r = await cli(['explore', '--bugs', '336441ed59', '--runs', '200', '--out', file]);
    expect(r.code).toBe(1);
    // The run fails the scenario's own expectations: the writable event never comes.
    expect(r.out).toMatch(/^✗ run \d+ of 200 fails \(random, seed 1, profile tcl-8\.6\.13-unix\+336441ed59\)/);
    expect(r.out).toContain('vwait-timeout');
    const schedule = /^schedule: (\S+)$/m.exec(r.out)?.[1];
    expect(schedule).toBeDefined();
    // Shrunk: no trailing FIFO choices, and short (the race needs one reordering).
    const choices = parseSchedule(schedule as string);
    expect(choices.length).toBeLessThanOrEqual(3);
    expect(choices[choices.length - 1]).not.toBe(0);
    expect(existsSync(file)).toBe(true);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { profile?: string; seed?: number };
    expect(saved.profile).toBe('tcl-8.6.13-unix+336441ed59');
    expect(typeof saved.seed).toBe('number');
    const args = replayArgs(r.out);
    expect(args).toEqual(['replay', file, '--schedule', schedule]);
    const again = await cli(args);
    expect(again.code).toBe(1);
    expect(again.out).toContain('✗ the case fails: ✗ expectations failed');
    // The timeline explore printed is the one replay prints.
    const timelineOf = (text: string): string => text.slice(text.indexOf('timeline (virtual ms'), text.indexOf('\nreplay: ') >= 0 ? text.indexOf('\nreplay: ') : text.indexOf('\n✗ the case'));
    expect(timelineOf(again.out).trim()).toBe(timelineOf(r.out).trim());
  });

  it('gives byte-identical traces in explore\'s shrunk run and in detnet replay of it', async () => {
    const loaded = loadScenario(resolveScenarioFile('default'));
    const report = await explore({
      scenario: { ...loaded, profile: 'default+336441ed59' },
      strategy: 'pct',
      runs: 300,
      seed: 7,
      swarm: false,
      latency: { kind: 'fixed', ms: 0 },
    });
    const f = report.failure;
    expect(f).toBeDefined();
    if (f === undefined) return;
    const file = join(scratch, 'pct.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, JSON.stringify(f.scenario));
    const replayed = await cli(['replay', file, '--schedule', f.schedule === '' ? 'fifo' : f.schedule, '--latency', '0', '--format', 'jsonl']);
    expect(replayed.code).toBe(1);
    const explored = f.played.run.entries.map((e) => `${JSON.stringify(e)}\n`).join('');
    expect(replayed.out).toBe(explored);
    // The trace carries every choice: its clock.tie entries give the schedule back.
    const chose = f.played.run.entries.filter((e) => e.kind === 'clock.tie').map((e) => (e as unknown as { chose: number }).chose);
    expect(chose.slice(0, f.choices.length)).toEqual(f.choices);
  });

  it('finds it in swarm mode too, and prints the shrunk fault mix in the replay command', async () => {
    const file = join(scratch, 'swarm.json');
    const r = await cli(['explore', '--bugs', '336441ed59', '--latency', '0', '--swarm', '--runs', '300', '--out', file]);
    expect(r.code).toBe(1);
    // In swarm mode the expectations are not the property; the endless vwait is.
    expect(r.out).toContain('ended only by its guard');
    const mix = /^fault mix: (\S+)$/m.exec(r.out)?.[1];
    // The bug alone loses the connect: every fault kind shrinks away.
    expect(mix).toBe('none');
    const args = replayArgs(r.out);
    expect(args.slice(-2)).toEqual(['--mix', 'none']);
    expect((await cli(args)).code).toBe(1);
  });
});

describe('what explore says when nothing fails', () => {
  it('proves the default scenario race-free on the default profile by exhaustive enumeration', async () => {
    const r = await cli(['explore', '--strategy', 'exhaustive', '--latency', '0']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^✓ all [\d,]+ schedules pass \(every schedule covered\) \(exhaustive, profile default\)$/m);
  });

  it('finds the same race by exhaustive enumeration under 336441ed59', async () => {
    const r = await cli(['explore', '--strategy', 'exhaustive', '--latency', '0', '--bugs', '336441ed59', '--out', join(scratch, 'ex.json')]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^✗ run \d+ of 10000 fails \(exhaustive, profile/);
  });

  it('says that the world\'s latency hides same-instant races, and --latency 0 shows them', async () => {
    // readable-only: two machines 5 ms apart, so a connect completes 10 ms after it starts.
    const example = 'examples/scenarios/readable-only.json';
    const clean = await cli(['explore', example, '--bugs', '336441ed59', '--runs', '100']);
    expect(clean.code).toBe(0);
    expect(clean.out).toContain("note: the scenario's latency applied (links between machines take 5 ms), so a connect never completes in the instant it starts");
    const instant = await cli(['explore', example, '--bugs', '336441ed59', '--runs', '300', '--latency', '0', '--out', join(scratch, 'ro.json')]);
    expect(instant.code).toBe(1);
    expect(replayArgs(instant.out).slice(-2)).toEqual(['--latency', '0']);
    expect((await cli(replayArgs(instant.out))).code).toBe(1);
  });

  it('says nothing about latency on a loopback-only scenario, whose links are instant', async () => {
    const r = await cli(['explore', '--runs', '20']);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('note:');
  });

  it('passes 1,000 random runs of the default scenario at zero latency on the default profile (no false alarm)', async () => {
    const r = await cli(['explore', '--latency', '0', '--runs', '1000']);
    expect(r).toMatchObject({ code: 0 });
    expect(r.out).toMatch(/^✓ all 1000 runs pass \(random, seed 1, profile default; \d+ ties met\)$/m);
  });

  it('writes plain progress lines on a stderr that is not a terminal', async () => {
    const r = await cli(['explore', '--latency', '0', '--runs', '20']);
    expect(r.err.split('\n').filter((l) => l.startsWith('exploring: ')).at(-1)).toBe('exploring: 20/20');
    expect(r.err).not.toContain('\r');
  });
});

describe('the progress line on a terminal', () => {
  it('is rewritten in place and cleared at the end', async () => {
    let err = '';
    const tty = { isTTY: true, write: (t: string) => (err += t) };
    const code = await main(['explore', '--runs', '200'], { write: () => undefined }, tty);
    expect(code).toBe(0);
    expect(err).not.toContain('\n');
    expect(err).toContain('\rexploring: 200/200\x1b[K');
    expect(err.endsWith('\r\x1b[K')).toBe(true);
  });
});

describe('usage mistakes', () => {
  it('refuses --swarm with the exhaustive strategy', async () => {
    const r = await cli(['explore', '--swarm', '--strategy', 'exhaustive']);
    expect(r).toEqual({ code: 2, out: '', err: 'detnet: --swarm draws a fault mix per run: it needs --strategy random or pct, not exhaustive\n' });
  });

  it('names a bad schedule and a bad mix of replay', async () => {
    const bad = await cli(['replay', 'default', '--schedule', '0..1']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--schedule: invalid schedule "0..1"');
    const mix = await cli(['replay', 'default', '--schedule', 'fifo', '--mix', 'drop=2']);
    expect(mix.code).toBe(2);
    expect(mix.err).toContain('--mix: invalid fault mix part "drop=2"');
  });

  it('replay needs --schedule', async () => {
    const r = await cli(['replay', 'default']);
    expect(r).toEqual({ code: 2, out: '', err: 'detnet: replay needs --schedule (as detnet explore prints it; fifo for none)\n' });
  });
});
