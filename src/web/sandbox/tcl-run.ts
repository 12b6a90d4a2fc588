/**
 * The sandbox's Tcl slot: a student's Tcl client run on the world the page's scenario editor
 * describes, on the simulated world in the page, with the page's profile, seed and tie order.
 *
 * Owns: putting the script into the world (the editor's scenario keeps its hosts, listeners,
 * DNS and faults; its own client gives way), the run (src/scenario/tcl-script-run.ts, the
 * same runner as `detnet run FILE.tcl`), and what the page shows of it: the script's stdout,
 * its errorInfo if it failed, and the timeline of its socket commands and network events.
 * Also the Tcl the box starts with: the seed page's first use case on the default world.
 *
 * Does not: touch the DOM (app.ts) or read files; the browser runs it.
 */
import type { Scenario } from '../../scenario/scenario.js';
import { withTclClient } from '../../scenario/client-kind.js';
import { simBackend } from '../../scenario/sim-backend.js';
import { runTclScenario } from '../../scenario/tcl-script-run.js';
import { validateScenario } from '../../scenario/validate.js';
import { formatTimeline } from '../../trace/timeline.js';

/** What the page shows of a Tcl run. */
export interface TclPageRun {
  readonly stdout: readonly string[];
  readonly stderr: readonly string[];
  readonly status: number;
  /** The timeline (level `net`): socket commands, events, network. */
  readonly timeline: readonly string[];
  /** The settings line: world, profile, seed, ties and the world's ports. */
  readonly settings: string;
}

/** Runs `tcl` on the world of `world` (validated with the script as its client). */
export async function runTclOnWorld(world: Scenario, tcl: string, options: { readonly profile: string; readonly seed: number; readonly ties: 'fifo' | 'seeded' }): Promise<TclPageRun> {
  const scenario = validateScenario({ ...withTclClient(world, tcl), profile: options.profile, seed: options.seed });
  const backend = simBackend(scenario, { tieBreaker: options.ties });
  const run = await runTclScenario(scenario, backend, { traces: [backend.world.trace] });
  const ports = [...run.ports].map(([role, port]) => `$${role} = ${port}`).join(', ');
  return {
    stdout: run.stdout,
    stderr: run.stderr,
    status: run.status,
    timeline: formatTimeline(run.entries, 'net'),
    settings: `Tcl client on the world of ${world.name} · profile ${options.profile} · seed ${options.seed} · ties ${options.ties}${ports === '' ? '' : ` · ${ports}`}`,
  };
}

/** The Tcl the box starts with: the seed page's background connect, on the default world. */
export const TCL_LESSON = `# The seed page's first use case: connect in the background, get told by a writable
# event, check -error, say HELO and read the reply. The world is the scenario above:
# its listeners' ports are the variables $port, $port6, and $rport is refused.
proc Connected {h} {
    fileevent $h writable {}
    set error [fconfigure $h -error]
    if {$error ne ""} {
        puts "connect failed: $error"
        close $h
        set ::done failed
        return
    }
    puts "connected to [lindex [fconfigure $h -peername] 0]"
    puts $h HELO
    flush $h
    fileevent $h readable [list Receive $h]
}
proc Receive {h} {
    if {[gets $h line] < 0} {
        if {[eof $h]} {close $h; set ::done eof}
        return
    }
    puts "reply: $line"
    close $h
    set ::done replied
}
set h [socket -async localhost $port]
set timer [after 10000 {set ::done timeout}]
fileevent $h writable [list Connected $h]
vwait done
after cancel $timer
puts "done: $done"
`;
