/**
 * `detnet run FILE.tcl`: a self-contained script on the default loopback world, `--world`,
 * `--format stdout` (what the script printed, nothing else), the script's exit status, and the
 * options that do not go with a Tcl client.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'detnet-run-tcl-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

// A script that opens its own server: localhost tries ::1 (nobody there) then 127.0.0.1.
const SELF = file(
  'self.tcl',
  [
    'proc accept {chan addr port} {puts $chan "hi from $addr"; close $chan}',
    'set server [socket -server accept -myaddr 127.0.0.1 0]',
    'set s [socket -async localhost [lindex [fconfigure $server -sockname] 2]]',
    'fileevent $s readable {set ::line [gets $s]}',
    'vwait line',
    'puts "got: $line"',
    'puts "peer: [lindex [fconfigure $s -peername] 0]"',
  ].join('\n'),
);

describe('detnet run FILE.tcl', () => {
  it('runs a self-contained script on the default loopback world and prints only its stdout', async () => {
    const r = await cli(['run', SELF, '--format', 'stdout']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('got: hi from 127.0.0.1\npeer: 127.0.0.1\n');
  });

  it('prints the same lines in tclsh', async () => {
    const r = await cli(['run', SELF, '--format', 'stdout', '--backend', 'tclsh']);
    expect(r.err).toBe('');
    expect(r.out).toBe('got: hi from 127.0.0.1\npeer: 127.0.0.1\n');
  });

  it('shows a timeline of the socket commands by default, and the output after it', async () => {
    const r = await cli(['run', SELF]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/% socket -async localhost \d+/);
    expect(r.out).not.toContain('% set ');
    expect(r.out).toContain('stdout:\n  got: hi from 127.0.0.1\n');
  });

  it('shows bookkeeping commands too with --trace all', async () => {
    const r = await cli(['run', SELF, '--format', 'jsonl', '--trace', 'all']);
    expect(r.out).toContain('"kind":"tcl.command","command":"set server');
  });

  it('runs on the world of --world, whose ports are variables of the script', async () => {
    const world = file(
      'world.json',
      JSON.stringify({
        name: 'w',
        description: 'a greeting child',
        hosts: [{ name: 'localhost', addresses: ['::1', '127.0.0.1'] }],
        listeners: [{ role: 'port', on: '127.0.0.1', behaviour: { kind: 'reply-close', line: 'from the world' }, process: 'child' }],
        client: [{ op: 'socket', chan: 'c1', host: 'localhost', port: 'port' }],
      }),
    );
    const script = file('client.tcl', 'set s [socket localhost $port]\nputs [gets $s]\nclose $s\n');
    const r = await cli(['run', script, '--world', world, '--format', 'stdout']);
    expect(r.err).toBe('');
    expect(r.out).toBe('from the world\n');
  });

  it('exits 1 with the errorInfo on stderr when the script fails, keeping what it printed', async () => {
    const r = await cli(['run', file('fail.tcl', 'puts one\nerror boom\nputs two\n'), '--format', 'stdout']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('one\n');
    expect(r.err.split('\n')[0]).toBe('boom');
  });

  it('runs a scenario file whose client is a .tcl file beside it, and html refuses it without a stack trace', async () => {
    const world = JSON.stringify({ name: 'beside', description: 'x', client: { file: 'beside.tcl' } });
    file('beside.tcl', 'puts "from beside: [expr {6 * 7}]"\n');
    const json = file('beside.json', world);
    const r = await cli(['run', json, '--format', 'stdout']);
    expect(r.out).toBe('from beside: 42\n');
    const html = await cli(['html', json, '-o', join(scratch, 'x.html')]);
    expect(html.code).toBe(2);
    expect(html.err).toContain('its client is Tcl');
    expect(html.err).not.toContain('    at ');
  });

  it('prints the same normalised observation lines with --format obs on sim and tclsh', async () => {
    const sim = await cli(['run', SELF, '--format', 'obs']);
    expect(sim.code, sim.err).toBe(0);
    expect(sim.out.split('\n').slice(0, 5)).toEqual([
      '{"op":"socket -server accept -myaddr 127.0.0.1 0","result":"<c1>"}',
      '{"op":"socket -async localhost <lport>","result":"<c2>"}',
      '{"op":"fileevent <c2> readable {set ::line [gets $s]}","result":""}',
      '{"event":"accept","chan":"<a1>","during":"vwait line"}',
      '{"op":"puts <a1> {hi from 127.0.0.1}","result":""}',
    ]);
    // (node: see the NODE_EVENTS_INSIDE_HANDLER difference in test/parity/tcl-table.ts)
    const tclsh = await cli(['run', SELF, '--format', 'obs', '--backend', 'tclsh']);
    expect(tclsh.code, tclsh.err).toBe(0);
    expect(tclsh.out).toBe(sim.out);
  });

  it('refuses --times for a Tcl client, --format jsonl on tclsh and --world for a step scenario (exit 2)', async () => {
    const times = await cli(['run', SELF, '--format', 'obs', '--times']);
    expect(times.code).toBe(2);
    expect(times.err).toContain('--times is for step scenarios');
    expect((await cli(['run', SELF, '--format', 'jsonl', '--backend', 'tclsh'])).code).toBe(2);
    const r = await cli(['run', 'default', '--world', 'default']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--world goes with a Tcl script');
  });
});
