/**
 * Runs a scenario whose client is Tcl source (client-kind.ts) on a detnet backend — the
 * simulated world or real loopback sockets — with detnet's Tcl interpreter (src/tcl/), and
 * returns what the script wrote and the trace behind it. The tclsh twin is tclsh-script.ts.
 *
 * Owns: the set-up a Tcl client sees, identical on every backend: the scenario's listeners
 * (child listeners as `FixtureListener`s, in-process ones in the script's own interpreter, a
 * `{kind: 'tcl'}` behaviour as a proc `__accept_<role> {chan addr port}` registered with
 * `socket -server`), the refused port, the ports as global variables named by their role
 * (`port`, `port6`, `rport`), and `detnet::received <port>`; then the script, then releasing
 * everything. The script's output is the result; its trace entries are the teacher's view.
 *
 * `detnet::received <port>`: the lines the child listener on `<port>` has received so far, as
 * a Tcl list, after the world has let it read what is already on its way (on the sim: events
 * due up to 1 s of virtual time until the child is idle; on real sockets: until it has been
 * idle for two checks 5 ms apart). A script asks it between two client commands to see what
 * the server got, without a report at the end.
 *
 * What is traced (issue 10 item 3; the one rule for Tcl clients): the socket and event
 * commands, as the socket `Interp` records them (`obs` lines: `socket`, `puts`, `gets`,
 * `fileevent`, `vwait`, events …) and each line written to stdout (`tcl.output`); bookkeeping
 * (`set`, `incr`, lists, strings, `expr`, control flow, procs) is not, so two scripts that
 * reach the same socket behaviour by different bookkeeping give comparable traces. A teacher's
 * view of every command is `trace: 'all'` (one `tcl.command` entry per command evaluated,
 * with its words; see src/tcl/eval.ts).
 *
 * Does not: compare runs (the parity tests), read files (the loader), or render anything.
 *
 * Departs from reality: a script's uncaught error ends the run as in tclsh (stderr gets its
 * errorInfo, status 1) and nothing else runs after it; the listeners' reports are not printed.
 */
import { DetnetError } from '../errors.js';
import { isBlockingDriver } from '../socket/driver.js';
import { Interp } from '../socket/interp.js';
import { TclInterp } from '../tcl/tcl-interp.js';
import { TclFailure, TclScriptError } from '../tcl/errors.js';
import { formatList } from '../tcl/list.js';
import type { CommandFn, Gen } from '../tcl/context.js';
import type { Trace, TraceEntry } from '../trace/trace.js';
import type { ScenarioBackend } from './backend.js';
import { assertRealRunnable } from './backend-support.js';
import { inProcessAcceptTcl, tclClientSource, tclListenerSetup } from './client-kind.js';
import type { FixtureListener } from './fixture-server.js';
import { assertLoopbackScenario } from './loopback-guard.js';
import type { Scenario } from './scenario.js';
import { childListener, refusedPort } from './topology.js';
import { validateScenario } from './validate.js';
import { SCENARIO_LOOP_LIMIT } from './runner.js';

/** What the trace records of a Tcl client: socket and event commands only, or every command. */
export type TclTraceLevel = 'sockets' | 'all';

/** How to run a Tcl client beyond its backend. */
export interface TclScenarioOptions {
  /** Other traces to merge into `entries` (the simulated world's), in recording order. */
  readonly traces?: readonly Trace[];
  /** `sockets` (default): socket and event commands; `all`: also every other command. */
  readonly trace?: TclTraceLevel;
  /** Most commands the script may evaluate (default: the interpreter's, 10,000,000). */
  readonly budget?: number;
  /** Name the script is reported under in errorInfo (default: the scenario's name). */
  readonly scriptName?: string;
}

/** One run of a Tcl client on a detnet backend. */
export interface TclScenarioRun {
  readonly backend: 'sim' | 'node';
  /** Every line the script wrote to stdout, in order (a `-nonewline` tail as its own line). */
  readonly stdout: readonly string[];
  /** Lines written to stderr, then the errorInfo of an uncaught error, as tclsh prints it. */
  readonly stderr: readonly string[];
  /** 0, the code passed to `exit`, or 1 after an uncaught error (tclsh's exit status). */
  readonly status: number;
  /** The ports of the set-up by role (`port`, `port6`, `rport`). */
  readonly ports: ReadonlyMap<string, number>;
  /** Trace entries of the script (set-up excluded), merged with `options.traces`. */
  readonly entries: readonly TraceEntry[];
}

/** How long `detnet::received` lets the world run before it answers with what it has. */
const RECEIVED_WAIT_MS = 1000;

/**
 * Runs `input`'s Tcl client on `backend`. A script error is a result (`status` 1, errorInfo on
 * `stderr`); a set-up failure, a runaway (budget) or an internal error throws.
 */
export async function runTclScenario(input: Scenario, backend: ScenarioBackend, options: TclScenarioOptions = {}): Promise<TclScenarioRun> {
  const scenario = validateScenario(input);
  const source = tclClientSource(scenario);
  if (source === null) throw new DetnetError('ERR_SCENARIO_INVALID', `scenario "${scenario.name}" has a step client: run it with runScenario`);
  if (backend.name === 'node') {
    assertRealRunnable(scenario, 'node', 'ERR_SCENARIO_NOT_RUNNABLE');
    assertLoopbackScenario(scenario, 'node', 'ERR_SCENARIO_NOT_RUNNABLE');
  }
  const driver = backend.driver;
  const interp = new Interp(driver, { loopLimit: SCENARIO_LOOP_LIMIT, ...(scenario.profile === undefined ? {} : { profile: scenario.profile }) });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const tcl = new TclInterp(interp, {
    onStdout: (l) => void stdout.push(l),
    onStderr: (l) => void stderr.push(l),
    scriptName: options.scriptName ?? scenario.name,
    ...(options.budget === undefined ? {} : { budget: options.budget }),
    traceCommands: options.trace === 'all',
  });
  const fixtures: FixtureListener[] = [];
  const ports = new Map<string, number>();
  const entries: TraceEntry[] = [];
  const collect = (e: TraceEntry): void => void entries.push(e);
  const traces = [interp.trace, ...(options.traces ?? [])];
  try {
    for (const l of scenario.listeners ?? []) {
      if (l.process === 'child') {
        const f = await childListener(backend.driverFor?.(l.on) ?? driver, l);
        fixtures.push(f);
        ports.set(l.role, f.port);
      } else {
        // The accept callback is Tcl, a proc called by a `socket -server` of the script's own interpreter.
        const body = inProcessAcceptTcl(l);
        if (body === null) throw new DetnetError('ERR_SCENARIO_INVALID', `scenario "${scenario.name}": an in-process ${l.behaviour.kind} listener`);
        ports.set(l.role, Number(await tcl.evalAsync(tclListenerSetup(l.role, l.on, body, l.port ?? 0))));
      }
    }
    if (scenario.refusedPort === true) ports.set('rport', await refusedPort(driver));
    for (const [role, port] of ports) tcl.setVar(role, String(port));
    tcl.register('detnet::received', receivedCommand(backend, fixtures));
    for (const t of traces) t.on('entry', collect);
    backend.prepare?.(ports);
    let status = 0;
    try {
      if (isBlockingDriver(driver)) tcl.eval(source);
      else await tcl.evalAsync(source);
      status = tcl.exitCode ?? 0;
    } catch (err) {
      // Any failure the script sees (an uncaught error, a wait nothing can end, the budget)
      // ends it as an uncaught error ends tclsh; the code tells a detnet stop from a Tcl error.
      if (!(err instanceof TclScriptError)) throw err;
      stderr.push(...err.errorInfo.split('\n'));
      if (err.code !== 'ERR_TCL_SCRIPT') stderr.push(`detnet: the run stopped (${err.code})`);
      status = 1;
    }
    return { backend: backend.name, stdout, stderr, status, ports, entries };
  } finally {
    for (const t of traces) t.off('entry', collect);
    interp.close();
    for (const f of fixtures) f.close();
    await backend.dispose();
  }
}

/** `detnet::received port`: see the module header. */
function receivedCommand(backend: ScenarioBackend, fixtures: readonly FixtureListener[]): CommandFn {
  const blocking = isBlockingDriver(backend.driver);
  return (_ti, argv) => {
    if (argv.length !== 2) throw usageError('wrong # args: should be "detnet::received port"');
    const port = argv[1] ?? '';
    const fixture = fixtures.find((f) => String(f.port) === port);
    if (fixture === undefined) throw usageError(`no child listener on port "${port}"`);
    const answer = (): string => formatList(fixture.received);
    if (blocking) {
      // The simulated backend's waitFor runs the world synchronously before it returns.
      void backend.waitFor(() => fixture.idle, RECEIVED_WAIT_MS);
      return answer();
    }
    return (function* (): Gen<string> {
      let quiet = 0;
      yield backend.waitFor(() => (fixture.idle ? ++quiet >= 2 : ((quiet = 0), false)), RECEIVED_WAIT_MS);
      return answer();
    })();
  };
}

function usageError(message: string): TclFailure {
  return new TclFailure(message, 'NONE');
}
