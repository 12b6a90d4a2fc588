/**
 * The tclsh leg of a Tcl client: runs the scenario's Tcl source, unchanged, in a real tclsh
 * 8.6 on loopback, with the scenario's hosts file and listeners, and returns what it wrote.
 * The detnet twin is tcl-script-run.ts; both give the script the same world.
 *
 * Owns: the wrapper script that sets that world up before the client runs — child listeners
 * (the renderer's child program, tcl-prelude.ts, one tclsh process each), in-process Tcl
 * accept callbacks (the very Tcl tcl-script-run.ts evaluates), the refused port, the ports
 * as global variables by role, and `detnet::received <port>` as a proc that asks the child
 * on its stdin — then `source`s the client file as written, and tears down without waiting
 * for the children when the script ends, fails or calls `exit`.
 *
 * With `{ obs: true }` the wrapper also installs the tracing procs of tclsh-obs.ts before the
 * set-up (recording from just before the `source`, after a `meta port` line per role) and the
 * run returns the observation lines they wrote to a file beside the script.
 *
 * Does not: render steps (tcl-render.ts) or parse output (the script's stdout is its own).
 *
 * Departs from the script run alone: `exit` is wrapped (it tears down first), and an uncaught
 * error's errorInfo ends in the wrapper's `source` line rather than tclsh's own.
 */
import { DetnetError } from '../errors.js';
import { assertRealRunnable } from './backend-support.js';
import { inProcessAcceptTcl, tclClientSource, tclListenerSetup } from './client-kind.js';
import { assertLoopbackScenario } from './loopback-guard.js';
import { DEFAULT_SCENARIO_TIMEOUT_MS, type Scenario } from './scenario.js';
import { TCL_CHILD_LISTENER, TCL_WORLD_PROCS } from './tcl-prelude.js';
import { hostsFile, tclLiteral } from './tcl-render.js';
import { runTclshFiles } from './tclsh-runner.js';
import { TCLSH_OBS_FILE, TCLSH_OBS_PROCS } from './tclsh-obs.js';
import { parseJSONL, type ObservationLine } from '../trace/observation.js';
import { validateScenario } from './validate.js';

/** What tclsh did with a Tcl client. */
export interface TclshScriptRun {
  /** Lines the script wrote to stdout (a last line without a newline included). */
  readonly stdout: readonly string[];
  readonly stderr: readonly string[];
  /** Exit status; null when killed. */
  readonly status: number | null;
  readonly timedOut: boolean;
  /**
   * With `{ obs: true }`: the §13 observation lines tclsh recorded (tclsh-obs.ts), the ports by
   * role declared first as `meta port` lines; not normalised. Otherwise empty.
   */
  readonly obs: readonly ObservationLine[];
}

/** How to run a Tcl client in tclsh. */
export interface TclshScriptOptions {
  /** Record the observation trace (interposes on the socket and event commands; see tclsh-obs.ts). */
  readonly obs?: boolean;
}

/** Name the client's source is written under beside the wrapper (`info script` inside it). */
export const TCLSH_CLIENT_FILE = 'client.tcl';

const WRAPPER_PROCS = String.raw`
namespace eval ::detnet {variable children {}; variable child; array set child {}}
proc ::detnet::received {port} {
    if {![info exists ::detnet::child($port)]} {error "no child listener on port \"$port\""}
    set ch $::detnet::child($port)
    puts $ch received
    if {[gets $ch reply] < 0 || [lindex $reply 0] ne "received"} {error "child listener on port $port did not answer"}
    return [lindex $reply 1]
}
proc ::detnet::teardown {} {
    foreach ch $::detnet::children {catch {fconfigure $ch -blocking 0; close $ch}}
    set ::detnet::children {}
}
rename exit ::detnet::exit
proc exit {{code 0}} {::detnet::teardown; ::detnet::exit $code}
`;

/**
 * Runs `input`'s Tcl client in tclsh (validated; refused with `ERR_SCENARIO_NOT_RENDERABLE`
 * when loopback tclsh cannot give it its world). Throws `ERR_TCLSH_UNAVAILABLE` without tclsh.
 */
export function runTclClientInTclsh(input: Scenario, options: TclshScriptOptions = {}): TclshScriptRun {
  const scenario = validateScenario(input);
  const source = tclClientSource(scenario);
  if (source === null) throw new DetnetError('ERR_SCENARIO_INVALID', `scenario "${scenario.name}" has a step client: run it with runScenarioInTclsh`);
  assertRealRunnable(scenario, 'tclsh', 'ERR_SCENARIO_NOT_RENDERABLE');
  assertLoopbackScenario(scenario, 'tclsh', 'ERR_SCENARIO_NOT_RENDERABLE');
  const timeoutMs = scenario.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS;
  const out = [`# detnet: the world of scenario ${scenario.name} for its Tcl client (src/scenario/tclsh-script.ts)`, WRAPPER_PROCS.trim(), TCL_WORLD_PROCS.trim()];
  const obs = options.obs === true;
  // Installed before the set-up, recording nothing until the path is set: accept callbacks of in-process listeners are wrapped too.
  if (obs) out.push(TCLSH_OBS_PROCS.trim());
  out.push(`set ::detnet::child_source ${tclLiteral(TCL_CHILD_LISTENER.trim())}`);
  for (const l of scenario.listeners ?? []) {
    const b = l.behaviour;
    if (l.process === 'child') {
      const line = b.kind === 'reply-close' || b.kind === 'reply-open' ? b.line : '';
      out.push(`set ::${l.role} [::detnet::start_child ${l.role} ${l.on} ${b.kind} ${tclLiteral(line)} ${l.acceptDelayMs ?? 0} ${timeoutMs}]`);
    } else {
      const body = inProcessAcceptTcl(l);
      if (body === null) throw new DetnetError('ERR_SCENARIO_INVALID', `scenario "${scenario.name}": an in-process ${b.kind} listener`);
      out.push(`set ::${l.role} [${tclListenerSetup(l.role, l.on, body, l.port ?? 0)}]`);
    }
  }
  if (scenario.refusedPort === true) out.push('set ::rport [::detnet::refused_port]');
  if (obs) {
    out.push(`set ::detnet::obs::path [file join [file dirname [info script]] ${TCLSH_OBS_FILE}]`);
    const roles = [...(scenario.listeners ?? []).map((l) => l.role), ...(scenario.refusedPort === true ? ['rport'] : [])];
    for (const role of roles) out.push(`::detnet::obs::emit meta port role ${role} value $::${role}`);
  }
  out.push(
    `set ::argv0 ${TCLSH_CLIENT_FILE}`,
    `if {[catch {uplevel #0 [list source [file join [file dirname [info script]] ${TCLSH_CLIENT_FILE}]]} msg]} {`,
    '    ::detnet::teardown',
    '    puts stderr $::errorInfo',
    '    ::detnet::exit 1',
    '}',
    'exit 0',
    '',
  );
  const r = runTclshFiles({ script: out.join('\n'), hosts: hostsFile(scenario), files: { [TCLSH_CLIENT_FILE]: source }, readBack: obs ? [TCLSH_OBS_FILE] : [] }, timeoutMs);
  const trace = obs ? parseJSONL(r.readBack[TCLSH_OBS_FILE] ?? '', 'tclsh observation file') : [];
  return { stdout: lines(r.stdout), stderr: lines(r.stderr), status: r.status, timedOut: r.timedOut, obs: trace };
}

function lines(text: string): string[] {
  if (text === '') return [];
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  return all;
}
