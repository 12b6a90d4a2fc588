/**
 * Benchmark `tcl`: detnet's Tcl interpreter (src/tcl) against real `tclsh` on the same scripts.
 *
 * Owns: three small workloads, each a loop of 10,000 iterations, and the cross-check that both
 * interpreters compute the same result before anything is timed:
 * - `tcl.loop`: `for` with `incr` (the cost of a command and of a cached loop body);
 * - `tcl.proc`: a proc call and an `expr` per iteration;
 * - `tcl.lists`: `lappend`, `lindex`, `string length` and `format` per iteration.
 * The unit is loop iterations per second. Ours is timed in this process (calibrated samples,
 * median); tclsh times itself with `time {script} N` (its own clock, so process start-up is
 * not counted), one process per workload. The ratio says how far a bytecode-compiled tclsh is
 * ahead of a tree-walking interpreter.
 *
 * And `tcl.scenario` (issue 10 item 6: interpreting should cost at most 2× the step form):
 * the default scenario (scenarios/default.json) run whole on the simulated world — world,
 * child listener, client, teardown — once with its steps (`runScenario`) and once with the
 * same client written in Tcl (`runTclScenario`), in runs per second; the baseline is the step
 * form, so a ratio (detnet/baseline) of 0.5 or more meets the goal. Both runs are checked to
 * have read the server's reply first.
 *
 * Departs from reality: tclsh is not interleaved with our samples (it is another process).
 */
import { spawnSync } from 'node:child_process';
import { World } from '../src/sim/world.js';
import { Interp } from '../src/socket/interp.js';
import { SimDriver } from '../src/socket/sim-driver.js';
import { TclInterp } from '../src/tcl/index.js';
import { readFileSync } from 'node:fs';
import { runScenario } from '../src/scenario/runner.js';
import type { Scenario } from '../src/scenario/scenario.js';
import { simBackend } from '../src/scenario/sim-backend.js';
import { runTclScenario } from '../src/scenario/tcl-script-run.js';
import { validateScenario } from '../src/scenario/validate.js';
import { median, nowMs, result, type BenchResult } from './harness.js';

/** The default scenario's client and handler, as a Tcl programmer writes them. */
const DEFAULT_AS_TCL = `proc Connected {} {
    global c1 done
    fconfigure $c1 -error
    fileevent $c1 writable {}
    puts $c1 HELO
    flush $c1
    set done connected
}
set c1 [socket -async localhost $port]
fileevent $c1 writable Connected
set guard [after 10000 {set done timeout}]
vwait done
after cancel $guard
puts [gets $c1]
close $c1`;

/** Runs per second of \`once\` (calibrated samples, median). */
async function runsPerSecond(once: () => Promise<void>): Promise<number> {
  for (let i = 0; i < 20; i++) await once();
  const speeds: number[] = [];
  for (let s = 0; s < 9; s++) {
    const start = nowMs();
    let runs = 0;
    do {
      await once();
      runs++;
    } while (nowMs() - start < 100);
    speeds.push((runs * 1000) / (nowMs() - start));
  }
  return median(speeds);
}

/** The default scenario as steps (baseline) and as a Tcl client (detnet). */
async function scenarioBench(): Promise<BenchResult> {
  const steps = validateScenario(JSON.parse(readFileSync(new URL('../../scenarios/default.json', import.meta.url), 'utf8')) as unknown);
  const { handlers: _h, expect: _e, ...world } = steps;
  const tcl: Scenario = { ...world, client: { tcl: DEFAULT_AS_TCL } };
  const reply = (steps.listeners?.[0]?.behaviour as { line: string }).line;
  // Both forms must do the same thing before either is timed.
  const stepRun = await runScenario(steps, simBackend(steps));
  if (!stepRun.lines.some((l) => 'result' in l && l.result === reply)) throw new Error('bench tcl.scenario: the step run did not read the reply');
  const tclRun = await runTclScenario(tcl, simBackend(tcl));
  if (tclRun.stdout[0] !== reply) throw new Error(`bench tcl.scenario: the Tcl run printed ${JSON.stringify(tclRun.stdout)}`);
  const asSteps = await runsPerSecond(async () => void (await runScenario(steps, simBackend(steps))));
  const asTcl = await runsPerSecond(async () => void (await runTclScenario(tcl, simBackend(tcl))));
  return result('tcl.scenario', { scenario: 'default' }, 'runs/s', { detnet: asTcl, baseline: asSteps }, 'the same scenario as steps');
}

const ITERATIONS = 10_000;
const UNIT = 'iterations/s';
const BASELINE = 'tclsh 8.6 (time)';

const WORKLOADS: readonly { readonly name: string; readonly script: string }[] = [
  { name: 'tcl.loop', script: `set s 0; for {set i 0} {$i < ${ITERATIONS}} {incr i} { incr s $i }; set s` },
  {
    name: 'tcl.proc',
    script: `proc add {a b} { expr {$a + $b} }; set s 0; for {set i 0} {$i < ${ITERATIONS}} {incr i} { set s [add $s $i] }; set s`,
  },
  {
    name: 'tcl.lists',
    script: `set l {}; set n 0; for {set i 0} {$i < ${ITERATIONS}} {incr i} { lappend l [format %05d $i]; incr n [string length [lindex $l end]] }; set n`,
  },
];

function interpreter(): TclInterp {
  const world = new World({ seed: 1 });
  world.addHost('box', { addresses: ['10.0.0.5'] });
  return new TclInterp(new Interp(new SimDriver(world, 'box')), { traceOutput: false });
}

/** Our speed: calibrated samples of the script on one interpreter (its parse cache warm). */
function ours(script: string): { speed: number; value: string } {
  const tcl = interpreter();
  const value = tcl.eval(script);
  for (let i = 0; i < 3; i++) tcl.eval(script);
  const speeds: number[] = [];
  for (let s = 0; s < 9; s++) {
    const start = nowMs();
    let runs = 0;
    do {
      tcl.eval(script);
      runs++;
    } while (nowMs() - start < 50);
    speeds.push((runs * ITERATIONS * 1000) / (nowMs() - start));
  }
  return { speed: median(speeds), value };
}

/** tclsh's speed from its own `time` command, and the script's value. */
function tclsh(script: string): { speed: number; value: string } {
  const probe = `set v [eval {${script}}]\nset t [lindex [time {eval {${script}}} 20] 0]\nputs "$v $t"`;
  const r = spawnSync('tclsh', [], { input: probe, timeout: 120_000 });
  if (r.status !== 0) throw new Error(`bench tcl: tclsh failed: ${r.stderr.toString()}`);
  const [value, micros] = r.stdout.toString().trim().split(' ') as [string, string];
  return { speed: (ITERATIONS * 1e6) / Number(micros), value };
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const w of WORKLOADS) {
    const theirs = tclsh(w.script);
    const mine = ours(w.script);
    // A speed for a wrong answer would mean nothing.
    if (mine.value !== theirs.value) throw new Error(`bench ${w.name}: ours gave ${mine.value}, tclsh ${theirs.value}`);
    results.push(result(w.name, { iterations: ITERATIONS }, UNIT, { detnet: mine.speed, baseline: theirs.speed }, BASELINE));
  }
  results.push(await scenarioBench());
  return results;
}
