/**
 * The Tcl renderer: scenario → one self-contained Tcl 8.6 script that sets up the listeners on
 * loopback, runs the client steps and prints the §13 observation trace as JSON lines.
 *
 * Owns: the translation of each step into a traced Tcl command (through the prelude's `__op`),
 * handlers as procs, listeners (in-process `socket -server`, or a child `tclsh` running the
 * child-listener program), the refused port, `meta` lines declaring the real ports and channel
 * names, and the host-name mapping the script needs (returned as hosts-file text; the tclsh
 * runner installs it in a private mount namespace).
 *
 * Does not: run tclsh (tclsh-runner.ts) or validate beyond what only Tcl cannot express.
 *
 * What Tcl on loopback cannot express is rejected with `ERR_SCENARIO_NOT_RENDERABLE`: what
 * only the simulated world has (backend-support.ts: faults, machines, DNS, fixed ports, every
 * reason with its path), anything that would leave loopback (the check shared with the node backend,
 * loopback-guard.ts, with the JSON path of the value), loopback spelled other than `127.0.0.1`
 * / `::1`, and host answers glibc would re-order (with both families, RFC 6724 puts `::1`
 * before `127.0.0.1`, so only that order can be reproduced).
 *
 * Scenario data stays data: every scenario string enters the script as one quoted word
 * (`tclLiteral`), scenario variables live in the `::scenario` namespace and the script's own
 * state in `::detnet` (a scenario's variable names cannot contain `::`), and a child
 * listener's settings reach it on its stdin, never as words of its command pipeline.
 */
import { DetnetError } from '../errors.js';
import { addressFamily } from '../net/address.js';
import { assertRealRunnable } from './backend-support.js';
import { assertLoopbackScenario } from './loopback-guard.js';
import { opText, portText } from './op-text.js';
import type { ListenerSpec, PortRef, Scenario, Step } from './scenario.js';
import { DEFAULT_SCENARIO_TIMEOUT_MS } from './scenario.js';
import { TCL_CHILD_LISTENER, TCL_PRELUDE, TCL_WORLD_PROCS } from './tcl-prelude.js';
import { validateScenario } from './validate.js';
import { clientSteps, isTclClient } from './client-kind.js';

/** A rendered scenario: the script and, when the scenario names hosts, the hosts file it needs. */
export interface RenderedTcl {
  readonly script: string;
  /** Hosts-file text (`::1 localhost` …) to install privately, or null if none is needed. */
  readonly hosts: string | null;
}

const LOOPBACK_ADDRESSES = ['127.0.0.1', '::1'];

function notRenderable(scenario: Scenario, why: string): DetnetError {
  return new DetnetError('ERR_SCENARIO_NOT_RENDERABLE', `scenario "${scenario.name}" cannot run in tclsh on loopback: ${why}`);
}

/**
 * A Tcl word for any string: double-quoted, with `\ " $ [ ] { }` escaped and every character
 * outside printable ASCII written as `\uXXXX`, so it is safe inside braces and in any file
 * encoding.
 */
export function tclLiteral(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if ('\\"$[]{}'.includes(ch)) out += `\\${ch}`;
    else if (code < 0x20 || code > 0x7e) {
      // Characters beyond the BMP are written as their UTF-16 surrogate pair (Tcl 8.6 strings are UCS-2).
      for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

function portExpr(port: PortRef): string {
  return typeof port === 'number' ? String(port) : `$::detnet::port(${port})`;
}

/**
 * Where a scenario variable lives in the script: its own namespace, never the global one, so
 * no name a scenario can use (validated by variable-name.ts: no "::", no "(") meets the
 * script's state in `::detnet` or Tcl's own globals (`env`, `auto_path`, …).
 */
function scenarioVar(name: string): string {
  return `::scenario::${name}`;
}

function chanExpr(chan: string): string {
  return `$::detnet::chan(${chan})`;
}

/** The Tcl command (untraced form) a step runs. */
function command(step: Exclude<Step, { op: 'poll' | 'vwait' }>): string {
  switch (step.op) {
    case 'socket': {
      const words = [`__socket ${step.chan}`];
      if (step.async !== false) words.push('-async');
      if (step.myaddr !== undefined) words.push('-myaddr', tclLiteral(step.myaddr));
      if (step.myport !== undefined) words.push('-myport', portExpr(step.myport));
      words.push(tclLiteral(step.host), portExpr(step.port));
      return words.join(' ');
    }
    case 'fconfigure':
      if (step.get !== undefined) return `fconfigure ${chanExpr(step.chan)} ${step.get}`;
      return [`fconfigure ${chanExpr(step.chan)}`, ...(step.set ?? []).map(tclLiteral)].join(' ');
    case 'fileevent':
      return step.handler === null
        ? `fileevent ${chanExpr(step.chan)} ${step.event} {}`
        : `fileevent ${chanExpr(step.chan)} ${step.event} [list __fire ${step.event} ${step.chan} ${step.handler}]`;
    case 'puts':
      return `puts ${step.nonewline === true ? '-nonewline ' : ''}${chanExpr(step.chan)} ${tclLiteral(step.text)}`;
    case 'gets':
      return step.var === undefined ? `gets ${chanExpr(step.chan)}` : `gets ${chanExpr(step.chan)} ${scenarioVar(step.var)}`;
    case 'read':
      return step.count === undefined ? `read ${chanExpr(step.chan)}` : `read ${chanExpr(step.chan)} ${step.count}`;
    case 'flush':
    case 'close':
    case 'eof':
    case 'fblocked':
      return `${step.op} ${chanExpr(step.chan)}`;
    case 'after':
      return `after ${step.ms}`;
    case 'update':
      return 'update';
    case 'set':
      return `set ${scenarioVar(step.var)} ${tclLiteral(step.value)}`;
  }
}

/** The Tcl lines for one step, traced. */
function renderStep(step: Step): string[] {
  if (step.op === 'vwait') {
    return [`__op ${tclLiteral(opText(step))} {__vwait ${step.var} ${step.timeoutMs}}`, `__vwait_note ${step.var}`];
  }
  if (step.op === 'poll') {
    if (step.step.op === 'poll' || step.step.op === 'vwait') throw new DetnetError('ERR_SCENARIO_INVALID', 'a polling loop repeats one plain command');
    const [mode, value] = 'equals' in step.until ? ['equals', step.until.equals] : ['differs', step.until.differs];
    const between = (step.between ?? []).flatMap(renderStep).join('; ');
    return [
      `__poll ${tclLiteral(opText(step.step))} {${command(step.step)}} ${mode} ${tclLiteral(value)} ${step.max} {${between}} ${step.record} ${tclLiteral(step.note)}`,
    ];
  }
  return [`__op ${tclLiteral(opText(step))} {${command(step)}}`];
}

function renderListener(l: ListenerSpec, timeoutMs: number): string {
  const b = l.behaviour;
  const line = b.kind === 'reply-close' || b.kind === 'reply-open' ? b.line : '';
  if (l.process === 'child') {
    return `set ::detnet::port(${l.role}) [::detnet::start_child ${l.role} ${l.on} ${b.kind} ${tclLiteral(line)} ${l.acceptDelayMs ?? 0} ${timeoutMs}]`;
  }
  return `set ::detnet::port(${l.role}) [__listen ${l.role} ${l.on} [list __accept ${l.role} ${b.kind} ${tclLiteral(line)} ${tclLiteral(l.signal ?? '')}]]`;
}

/**
 * The private hosts file tclsh gets for `scenario` (null when it names no hosts); throws
 * `ERR_SCENARIO_NOT_RENDERABLE` for what a hosts file cannot say. Also used for Tcl clients.
 */
export function hostsFile(scenario: Scenario): string | null {
  const hosts = scenario.hosts ?? [];
  if (hosts.length === 0) return null;
  let text = '';
  for (const h of hosts) {
    const families = h.addresses.map((a) => addressFamily(a));
    for (const a of h.addresses) {
      // Loopback is already checked (loopback-guard.ts); other spellings of it cannot go in a hosts file as written.
      if (!LOOPBACK_ADDRESSES.includes(a)) throw notRenderable(scenario, `host ${h.name} answers ${a}: write loopback as 127.0.0.1 or ::1`);
    }
    if (new Set(h.addresses).size !== h.addresses.length) throw notRenderable(scenario, `host ${h.name} lists an address twice`);
    if (families.length === 2 && families[0] === 'inet') {
      throw notRenderable(scenario, `host ${h.name} answers 127.0.0.1 before ::1, but glibc sorts ::1 first (RFC 6724)`);
    }
    for (const a of h.addresses) text += `${a} ${h.name}\n`;
  }
  if (!hosts.some((h) => h.name === 'localhost')) text += '127.0.0.1 localhost\n';
  return text;
}

/**
 * Renders `scenario` as a Tcl script for tclsh 8.6 (validating it first). Throws
 * `ERR_SCENARIO_INVALID` for a bad scenario and `ERR_SCENARIO_NOT_RENDERABLE` for one that
 * loopback Tcl cannot express.
 */
export function renderTcl(input: Scenario): RenderedTcl {
  const scenario = validateScenario(input);
  assertRealRunnable(scenario, 'tclsh', 'ERR_SCENARIO_NOT_RENDERABLE');
  // Safety first (the rule shared with the node backend), then what the loopback script can express.
  assertLoopbackScenario(scenario, 'tclsh', 'ERR_SCENARIO_NOT_RENDERABLE');
  if (isTclClient(scenario)) throw notRenderable(scenario, 'its client is Tcl source: tclsh runs it as written (tclsh-script.ts), nothing is rendered');
  const hosts = hostsFile(scenario);
  for (const step of clientSteps(scenario)) {
    if (step.op !== 'socket') continue;
    if (addressFamily(step.host) !== null && !LOOPBACK_ADDRESSES.includes(step.host)) throw notRenderable(scenario, `socket to ${step.host}: the script listens only on 127.0.0.1 and ::1`);
    if (step.myaddr !== undefined && !LOOPBACK_ADDRESSES.includes(step.myaddr)) throw notRenderable(scenario, `-myaddr ${step.myaddr}: the script binds only 127.0.0.1 and ::1`);
  }
  const timeoutMs = scenario.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS;
  const out: string[] = [
    `# detnet scenario ${scenario.name}: generated by src/scenario/tcl-render.ts; do not edit.`,
    TCL_PRELUDE.trim(),
    TCL_WORLD_PROCS.trim(),
    `set ::detnet::child_source ${tclLiteral(TCL_CHILD_LISTENER.trim())}`,
    '',
    '# Channels not (yet) created keep their placeholder as their name.',
  ];
  const chans = clientSteps(scenario).flatMap((s) => (s.op === 'socket' ? [s.chan] : []));
  for (const c of chans) out.push(`set ::detnet::chan(${c}) <${c}>`);
  out.push('', '# Topology');
  for (const l of scenario.listeners ?? []) out.push(renderListener(l, timeoutMs));
  if (scenario.refusedPort === true) out.push('set ::detnet::port(rport) [::detnet::refused_port]');
  out.push(`__emit meta begin scenario ${tclLiteral(scenario.name)}`);
  for (const role of ['port', 'port6', 'rport'] as const) {
    const used = role === 'rport' ? scenario.refusedPort === true : (scenario.listeners ?? []).some((l) => l.role === role);
    if (used) out.push(`__emit meta port role ${role} value $::detnet::port(${role})`, `lappend ::detnet::map ${portText(role)} $::detnet::port(${role})`);
  }
  out.push('', '# Handlers');
  for (const h of scenario.handlers ?? []) {
    out.push(`proc ${h.name} {} {`, ...h.steps.flatMap(renderStep).map((l) => `    ${l}`), '}');
  }
  out.push('', '# Client script');
  for (const step of clientSteps(scenario)) out.push(...renderStep(step));
  out.push('', '__teardown', '__emit meta end', 'exit 0', '');
  return { script: out.join('\n'), hosts };
}
