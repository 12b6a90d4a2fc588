/**
 * The tclsh tracing wrappers (src/scenario/tclsh-obs.ts): a script sees what unwrapped tclsh
 * gives it — results, error messages, `-errorcode`, `$::errorInfo` — and the wrappers record
 * the socket and event commands, and only those, with detnet's `op` text.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scriptScenario } from '../../../src/cli/tcl-run.js';
import { tclshTclObservations } from '../../../src/scenario/tcl-observations.js';
import { runTclClientInTclsh } from '../../../src/scenario/tclsh-script.js';
import { formatLine } from '../../../src/trace/observation.js';
import { normaliseStdout } from '../../parity/tcl-table.js';

const scratch = mkdtempSync(join(tmpdir(), 'detnet-tclsh-obs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function script(name: string, lines: readonly string[]): ReturnType<typeof scriptScenario> {
  const path = join(scratch, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return scriptScenario(path, null);
}

// Each command's outcome and errorInfo, for errors of the wrapped commands and of their originals.
const ERRORS = script('errors.tcl', [
  'proc accept {c a p} {close $c}',
  'set server [socket -server accept -myaddr 127.0.0.1 0]',
  'set port [lindex [fconfigure $server -sockname] 2]',
  'close $server',
  'proc show {script} {',
  '    set code [catch {uplevel 1 $script} m opts]',
  '    puts "$code | $m | [expr {$code ? [dict get $opts -errorcode] : {}}]"',
  '    puts $::errorInfo',
  '}',
  'proc helper {} {socket 127.0.0.1 $::port}',
  'foreach cmd {{socket 127.0.0.1 $port} {gets nosuch} gets fconfigure {puts a b c d} {read -nonewline} after vwait',
  '        {chan configure} {socket -async} {fileevent stdin bogus} helper {chan gets} {chan names sock*}} {show $cmd}',
  'set s [socket -async 127.0.0.1 $port]',
  'foreach cmd {{fileevent $s readable {puts x}} {fileevent $s readable} {gets $s} {chan configure $s -blocking}',
  '        {puts $s hi; flush $s} {close $s} {close $s}} {show $cmd}',
]);

describe('tclsh with the tracing wrappers', () => {
  it('gives a script the same results, messages, error codes and errorInfo as unwrapped tclsh', () => {
    const plain = runTclClientInTclsh(ERRORS);
    const traced = runTclClientInTclsh(ERRORS, { obs: true });
    expect(plain.status, plain.stderr.join('\n')).toBe(0);
    expect(plain.stdout.some((l) => l.startsWith('wrong # args: should be "chan configure'))).toBe(true);
    expect(normaliseStdout(traced.stdout)).toEqual(normaliseStdout(plain.stdout));
    expect(traced.status).toBe(0);
  });

  it('records only the socket commands, with their errors, and none the command rejects before reaching a socket', () => {
    const lines = tclshTclObservations(runTclClientInTclsh(ERRORS, { obs: true })).map(formatLine);
    const refused = '{"op":"socket 127.0.0.1 <lport>","error":"couldn\'t open socket: connection refused","errorcode":"POSIX ECONNREFUSED {connection refused}"}';
    // The direct call and the one from helper.
    expect(lines.filter((l) => l === refused)).toHaveLength(2);
    expect(lines.some((l) => /nosuch|bogus|stdin|"op":"(gets|fconfigure|after|vwait|puts a)"/.test(l))).toBe(false);
    expect(lines).toContain('{"op":"fileevent <c2> readable","result":"puts x"}');
    expect(lines).toContain('{"op":"fconfigure <c2> -blocking","result":"1"}');
    // The second close finds no channel: tclsh rejects it before any socket is involved.
    expect(lines.filter((l) => l.startsWith('{"op":"close <c2>"'))).toHaveLength(1);
  });

  it('records events with the command they ran during, and read -nonewline as detnet does', () => {
    const run = runTclClientInTclsh(
      script('events.tcl', [
        'proc accept {c a p} {puts $c hello; close $c}',
        'set srv [socket -server accept -myaddr 127.0.0.1 0]',
        'set s [socket 127.0.0.1 [lindex [fconfigure $srv -sockname] 2]]',
        'chan configure $s -blocking 0',
        'chan event $s readable {set ::line [read -nonewline $s]}',
        'vwait line',
        'puts "line: $line"',
        'close $s',
        'close $srv',
      ]),
      { obs: true },
    );
    expect(run.stdout).toEqual(['line: hello']);
    expect(tclshTclObservations(run).map(formatLine)).toEqual([
      '{"op":"socket -server accept -myaddr 127.0.0.1 0","result":"<c1>"}',
      '{"op":"socket 127.0.0.1 <lport>","result":"<c2>"}',
      '{"op":"fconfigure <c2> -blocking 0","result":""}',
      '{"op":"fileevent <c2> readable {set ::line [read -nonewline $s]}","result":""}',
      '{"event":"accept","chan":"<a1>","during":"vwait line"}',
      '{"op":"puts <a1> hello","result":""}',
      '{"op":"close <a1>","result":""}',
      '{"event":"readable","chan":"<c2>","during":"vwait line"}',
      '{"op":"read <c2>","result":"hello\\n"}',
      '{"op":"vwait line","result":""}',
      '{"op":"close <c2>","result":""}',
      '{"op":"close <c1>","result":""}',
    ]);
  });
});
