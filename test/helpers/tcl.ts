/**
 * Test helpers for the Tcl interpreter: a `TclInterp` on a one-host simulated world, and
 * running a script through real `tclsh` for comparisons.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { World } from '../../src/sim/world.js';
import { SimDriver } from '../../src/socket/sim-driver.js';
import { Interp } from '../../src/socket/interp.js';
import { TclInterp, type TclInterpOptions } from '../../src/tcl/index.js';

/** A Tcl interpreter on a one-host simulated world (`box`, 10.0.0.5 plus loopback). */
export function simTcl(options: TclInterpOptions = {}): { world: World; interp: Interp; tcl: TclInterp } {
  const world = new World({ seed: 1 });
  world.addHost('box', { addresses: ['10.0.0.5'] });
  const interp = new Interp(new SimDriver(world, 'box'), { trace: world.trace });
  return { world, interp, tcl: new TclInterp(interp, options) };
}

/**
 * Runs `script` and returns stdout lines, then `error: <message>` if it failed or `exit N` if
 * it called `exit` (the shape `runTclsh` gives).
 */
export function runOurs(script: string, options: TclInterpOptions = {}): string[] {
  const { tcl } = simTcl(options);
  try {
    tcl.eval(script);
  } catch (err) {
    tcl.flushOutput();
    return [...tcl.stdout, `error: ${(err as Error).message}`];
  }
  return tcl.exitCode === undefined ? [...tcl.stdout] : [...tcl.stdout, `exit ${tcl.exitCode}`];
}

/** Whether a `tclsh` is on the PATH. */
export const HAVE_TCLSH = spawnSync('tclsh', [], { input: 'exit 0\n', timeout: 10_000 }).status === 0;

const DRIVER = String.raw`
fconfigure stdin -translation lf -encoding utf-8
fconfigure stdout -translation lf -encoding utf-8
proc capture {i args} {
  set nl "\n"
  if {[lindex $args 0] eq "-nonewline"} { set nl ""; set args [lrange $args 1 end] }
  if {[llength $args] == 2 && [lindex $args 0] ne "stdout"} {
    if {$nl eq ""} { return [$i invokehidden puts -nonewline {*}$args] }
    return [$i invokehidden puts {*}$args]
  }
  if {[llength $args] < 1 || [llength $args] > 2} { return -code error {wrong # args: should be "puts ?-nonewline? ?channelId? string"} }
  append ::out [lindex $args end]$nl
  return
}
# exit in a script ends it (recorded as a last line "exit N"), also from inside a vwait.
proc doexit {i {code 0}} { append ::out "exit $code\n"; interp cancel -unwind $i; return }
while {[gets stdin len] >= 0} {
  set script [read stdin $len]
  set i [interp create]
  $i hide puts
  interp alias $i puts {} capture $i
  interp alias $i exit {} doexit $i
  set ::out {}
  if {[catch {$i eval $script} m o] && ![string match {TCL CANCEL*} [dict get $o -errorcode]]} { append ::out "error: $m\n" }
  interp delete $i
  puts -nonewline "[string length $::out]\n$::out"
}
`;

/**
 * Runs each script in a fresh child interpreter of one `tclsh` process; returns, per script,
 * the same shape as `runOurs` (stdout lines, then `error: <message>` if it failed).
 */
export function runTclsh(scripts: readonly string[]): string[][] {
  const dir = mkdtempSync(join(tmpdir(), 'detnet-tcl-'));
  const file = join(dir, 'driver.tcl');
  writeFileSync(file, DRIVER);
  try {
    const input = scripts.map((s) => `${s.length}\n${s}`).join('');
    const r = spawnSync('tclsh', [file], { input, timeout: 60_000 });
    return parseReplies(r.stdout.toString('utf-8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseReplies(text: string): string[][] {
  const out: string[][] = [];
  let i = 0;
  while (i < text.length) {
    const nl = text.indexOf('\n', i);
    const len = Number(text.slice(i, nl));
    const body = text.slice(nl + 1, nl + 1 + len);
    i = nl + 1 + len;
    const lines = body.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    out.push(lines);
  }
  return out;
}
