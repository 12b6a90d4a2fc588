/**
 * The readable report of one run: what the scenario sets up, its script in Tcl's words, and
 * the timeline of what happened (src/trace/timeline.ts), with real channel names and ports.
 *
 * Owns: the header (scenario, backend, profile, seed, hosts, listeners, faults, and the ports
 * and channels the run declared), the script listing, and the timeline lines. Real tclsh has
 * no virtual clock, so its lines are printed in order with an empty time column.
 *
 * Does not: run anything, or print verdicts (verdict.ts); everything here is a pure function
 * of the scenario and the run, so the same seed gives the same bytes.
 */
import { opText } from '../scenario/op-text.js';
import type { FaultSpec, ListenerSpec, Scenario, Step } from '../scenario/scenario.js';
import { DEFAULT_PROFILE } from '../socket/profiles.js';
import { isMeta } from '../trace/observation.js';
import { formatTimeline, type TimelineLevel } from '../trace/timeline.js';
import type { TracedRun } from './traced-run.js';
import { clientSteps, tclClientSource } from '../scenario/client-kind.js';

/** Width of the time column of timeline.ts (`     250 ms`). */
const TIME_COLUMN = 11;

function listenerText(l: ListenerSpec): string {
  const b = l.behaviour;
  const does =
    b.kind === 'reply-close' ? `replies "${b.line}" and closes`
    : b.kind === 'reply-open' ? `replies "${b.line}" and stays open`
    : b.kind === 'echo' ? 'echoes every line'
    : b.kind === 'receive' ? 'reads lines until the client closes'
    : b.kind === 'close' ? 'closes each connection at once'
    : 'never accepts';
  const late = l.acceptDelayMs === undefined || l.acceptDelayMs === 0 ? '' : `accepts after ${l.acceptDelayMs} ms, `;
  const port = l.port === undefined ? '' : ` port ${l.port}`;
  return `<${l.role}> on ${l.on === 'both' ? '127.0.0.1 and ::1' : l.on}${port} (${l.process}): ${late}${does}`;
}

function endpoint(e: { readonly address?: string; readonly host?: string; readonly port?: string | number } | undefined): string {
  if (e === undefined) return '';
  const port = e.port === undefined ? '' : typeof e.port === 'number' ? `:${e.port}` : ` <${e.port}>`;
  return `${e.address ?? e.host ?? 'any'}${port}`;
}

/** One fault of the timeline in words, with its window. */
export function faultText(f: FaultSpec): string {
  const window = `from ${f.atMs} ms${f.untilMs === undefined ? '' : ` until ${f.untilMs} ms`}`;
  if ('verdict' in f) {
    const v = f.verdict;
    const what = typeof v === 'object' ? `delay ${v.delayMs} ms` : v === 'hold' ? 'hold (released at the end)' : v;
    const to = f.to === undefined ? 'everything' : `to ${endpoint(f.to)}`;
    const from = f.from === undefined ? '' : ` from ${endpoint(f.from)}`;
    return `${what} ${to}${from} ${window}`;
  }
  if ('partition' in f) return `partition ${f.partition.a.join('+')} ${f.partition.oneWay === true ? '→' : '↔'} ${f.partition.b.join('+')} ${window}`;
  if ('crash' in f) return `crash ${f.crash} at ${f.atMs} ms${f.untilMs === undefined ? '' : `, restart at ${f.untilMs} ms`}`;
  if ('interfaceDown' in f) return `${f.interfaceDown.host} ${f.interfaceDown.name} down ${window}`;
  if ('route' in f) return `${f.route.host} route ${f.route.prefix} ${f.route.action} ${window}`;
  return `DNS ${f.dnsFailure.name}: ${f.dnsFailure.failure} ${window}`;
}

/** One step in Tcl's words, as the script listing shows it. */
export function stepText(step: Step): string {
  switch (step.op) {
    case 'vwait':
      return `vwait ${step.var}    ;# guarded: after ${step.timeoutMs} ms a timer ends the wait`;
    case 'poll': {
      const until = 'equals' in step.until ? `is "${step.until.equals}"` : `is not "${step.until.differs}"`;
      const between = step.between === undefined || step.between.length === 0 ? '' : `, then ${step.between.map(stepText).join('; ')}`;
      return `repeat {${opText(step.step)}${between}} until the result ${until}, at most ${step.max} times ;# note ${step.note}`;
    }
    default:
      return opText(step);
  }
}

/** The header and script lines of the report (everything above the timeline). */
export function headerLines(scenario: Scenario, run: TracedRun): string[] {
  const lines = [`scenario ${scenario.name}: ${scenario.description}`];
  const setting = [`backend ${run.backend}`];
  if (run.backend !== 'tclsh') setting.push(`profile ${scenario.profile ?? DEFAULT_PROFILE.name}`);
  if (run.backend === 'sim') setting.push(`seed ${scenario.seed ?? 1}`);
  lines.push(setting.join(', '));
  for (const m of scenario.world?.hosts ?? []) {
    const lo = m.loopback?.up === false ? ', loopback down' : m.loopback?.ipv6 === false ? ', no ::1' : '';
    const client = m.name === (scenario.world?.client ?? scenario.world?.hosts[0]?.name) ? ' (runs the client)' : '';
    lines.push(`machine ${m.name}: ${m.addresses.join(', ') || 'loopback only'}${lo}${client}`);
  }
  for (const h of scenario.hosts ?? []) lines.push(`host ${h.name} → ${h.addresses.join(', ')}`);
  for (const d of scenario.dns ?? []) lines.push(`dns ${d.name} → ${d.addresses.join(', ')}${d.delayMs === undefined ? '' : ` after ${d.delayMs} ms`}`);
  for (const l of scenario.listeners ?? []) lines.push(`listener ${listenerText(l)}`);
  if (scenario.refusedPort === true) lines.push('<rport>: a port nobody listens on');
  for (const f of scenario.faults ?? []) lines.push(`fault: ${faultText(f)}`);
  const declared = run.raw.filter(isMeta).flatMap((m) => (m.meta === 'port' || m.meta === 'chan' ? [`<${m['role'] ?? '?'}> = ${m['value'] ?? m['name'] ?? '?'}`] : []));
  if (declared.length > 0) lines.push(`this run: ${declared.join(', ')}`);
  const source = tclClientSource(scenario);
  lines.push('', 'script:', ...(source === null ? clientSteps(scenario).map((s) => `  ${stepText(s)}`) : source.trimEnd().split('\n').map((l) => `  ${l}`)));
  for (const h of scenario.handlers ?? []) lines.push(`proc ${h.name}:`, ...h.steps.map((s) => `  ${stepText(s)}`));
  return lines;
}

/** The timeline lines of the run at `level`; without times for a backend that has none. */
export function timelineLines(run: TracedRun, level: TimelineLevel): string[] {
  const lines = formatTimeline(run.shown, level);
  return run.timed ? lines : lines.map((l) => `${' '.repeat(TIME_COLUMN)}${l.slice(TIME_COLUMN)}`);
}

/** The whole report: header, script, a rule, the timeline, and the failure if the run stopped. */
export function timelineReport(scenario: Scenario, run: TracedRun, level: TimelineLevel): string {
  const time = run.timed ? (run.backend === 'sim' ? 'virtual ms' : 'real ms') : 'no times: real Tcl has no virtual clock';
  const lines = [...headerLines(scenario, run), '', `timeline (${time}; level ${level}):`, ...timelineLines(run, level)];
  if (run.failure !== null) lines.push('', `✗ the run stopped early: ${run.failure}`);
  return `${lines.join('\n')}\n`;
}
