/**
 * Which kind of client a scenario has: steps (Tcl's vocabulary as JSON data, run by run.ts and
 * rendered for tclsh by tcl-render.ts) or Tcl source (run as written by tcl-script-run.ts and,
 * unchanged, by tclsh-script.ts).
 *
 * Owns: telling the two apart and reading either out of a scenario, so the modules that only
 * understand steps ask here instead of narrowing the union themselves.
 * Also the checks of a Tcl client's fields (validate.ts calls them).
 * Does not: read files (a `{file}` client is made inline by the loader, src/cli/scenario-files.ts).
 */
import { DetnetError } from '../errors.js';
import { formatList } from '../tcl/list.js';
import type { ListenerSpec, Scenario, Step } from './scenario.js';
import type { TclClientData } from './schema.js';
import type { Checker } from './checker.js';

/** The client's steps; none for a Tcl client. */
export function clientSteps(scenario: Scenario): readonly Step[] {
  return Array.isArray(scenario.client) ? (scenario.client as readonly Step[]) : [];
}

/**
 * Every step of the client script and of every handler with its JSON path, depth first (a
 * polling loop's `step` and `between` follow the loop); none of the client's for a Tcl client.
 */
export function stepsWithPaths(scenario: Scenario): [Step, string][] {
  const out: [Step, string][] = [];
  const visit = (step: Step, path: string): void => {
    out.push([step, path]);
    if (step.op !== 'poll') return;
    visit(step.step, `${path}.step`);
    (step.between ?? []).forEach((b, i) => visit(b, `${path}.between[${i}]`));
  };
  clientSteps(scenario).forEach((step, i) => visit(step, `client[${i}]`));
  (scenario.handlers ?? []).forEach((h, i) => h.steps.forEach((step, j) => visit(step, `handlers[${i}].steps[${j}]`)));
  return out;
}

/**
 * `world` with the Tcl source `tcl` as its client: the world's own client, step handlers,
 * expectations and declared differences give way to the script (they describe another client).
 */
export function withTclClient(world: Scenario, tcl: string): Scenario {
  const { handlers: _h, expect: _e, differences: _d, ...rest } = world;
  return { ...rest, client: { tcl } };
}

/** Whether the client is Tcl source (inline or a file not yet read). */
export function isTclClient(scenario: Scenario): boolean {
  return !Array.isArray(scenario.client);
}

/**
 * The client's Tcl source, or null for a step client. Throws `ERR_SCENARIO_INVALID` for a
 * `{file}` client nobody read: only the loader knows the folder the file sits in.
 */
export function tclClientSource(scenario: Scenario): string | null {
  const c = scenario.client;
  if (Array.isArray(c)) return null;
  const t = c as TclClientData;
  if ('tcl' in t) return t.tcl;
  throw new DetnetError('ERR_SCENARIO_INVALID', `scenario "${scenario.name}": client file ${t.file} was not read (load the scenario with loadScenario, which reads it from the scenario's folder)`);
}

/**
 * Tcl that defines `__accept_<role>` with `body` and listens with it on `on` (127.0.0.1, ::1 or
 * both, one port), returning the port: the same text tclsh-script.ts runs, so the set-up of an
 * in-process Tcl listener is one piece of Tcl on every backend.
 */
export function tclListenerSetup(role: string, on: string, body: string, port: number): string {
  const first = on === 'both' ? '127.0.0.1' : on;
  return [
    `proc __accept_${role} {chan addr port} ${formatList([body])}`,
    'apply {{first both want cmd} {',
    '    for {set try 0} {$try < 50} {incr try} {',
    '        set s [socket -server $cmd -myaddr $first $want]',
    '        set p [lindex [fconfigure $s -sockname] 2]',
    '        if {!$both || ![catch {socket -server $cmd -myaddr ::1 $p}]} {return $p}',
    '        close $s',
    '    }',
    '    error "no port free on both loopback addresses"',
    `}} ${formatList([first, on === 'both' ? '1' : '0', String(port), `__accept_${role}`])}`,
  ].join('\n');
}

/**
 * The Tcl accept body of an in-process listener of a Tcl client: its own for `{kind: 'tcl'}`,
 * else the step behaviour written in Tcl (as the renderer's `__accept` does it: reply, close,
 * count into the signal variable), so both Tcl runners set every in-process listener up with
 * one piece of Tcl. Null for behaviours only a child has.
 */
export function inProcessAcceptTcl(l: ListenerSpec): string | null {
  const b = l.behaviour;
  const lines: string[] = [];
  switch (b.kind) {
    case 'tcl':
      return b.accept;
    case 'reply-close':
      lines.push(`catch {puts $chan ${formatList([b.line])}; close $chan}`);
      break;
    case 'reply-open':
      lines.push(`catch {puts $chan ${formatList([b.line])}; flush $chan}`);
      break;
    case 'close':
      lines.push('catch {close $chan}');
      break;
    default:
      return null;
  }
  if (l.signal !== undefined) lines.push(`set ::${l.signal} [incr ::__accepted_${l.role}]`);
  return lines.join('\n');
}

/** A Tcl client: `{tcl}` or `{file}`, and no step handlers (the script defines its own procs). */
export function checkTclClient(c: Checker, s: Readonly<Record<string, unknown>>): void {
  const o = c.obj(s['client'], 'client', ['tcl', 'file']);
  if ((o['tcl'] === undefined) === (o['file'] === undefined)) c.fail('client', 'a Tcl client has exactly one of "tcl" (the source) or "file" (a .tcl file beside the scenario)');
  if (o['tcl'] !== undefined && c.str(o['tcl'], 'client.tcl').trim() === '') c.fail('client.tcl', 'expected a Tcl script');
  if (o['file'] !== undefined && !/^[A-Za-z0-9_.-]+\.tcl$/.test(c.str(o['file'], 'client.file'))) c.fail('client.file', `expected a .tcl file name in the scenario's folder, got ${JSON.stringify(o['file'])}`);
  if (s['handlers'] !== undefined) c.fail('handlers', 'step handlers go with a step client; a Tcl client defines its own procs');
}
