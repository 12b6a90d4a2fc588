/**
 * The observation trace of a Tcl client, one shape for every backend: what `detnet run
 * FILE.tcl --format obs` prints and what the Tcl parity table compares.
 *
 * Owns: turning a detnet run (its `obs` trace entries, tcl-script-run.ts) or a tclsh run (the
 * lines its wrapper recorded, tclsh-obs.ts) into normalised §13 lines. Ports are replaced
 * first, in every field (a script writes them into handler scripts and variable names too:
 * `set ::w(40321) 1`): the set-up's ports by role (`<port>`, `<rport>` …), then each other
 * port a client `socket` command connects to (a listener the script opened itself, with port
 * 0), in order of first appearance: `<lport>`, `<lport2>` …; then `normalise` (channel names
 * become `<cN>`/`<aN>`, ephemeral ports in `-sockname`/`-peername` triples `<eport>`).
 *
 * Does not: run anything or decide what differences are acceptable.
 *
 * Departs from reality: a number in the script's own text that equals a port is replaced too
 * (on every backend alike, so comparisons stay fair).
 */
import { fromTraceEntries, isMeta, normalise, type ObservationLine } from '../trace/observation.js';
import type { TclScenarioRun } from './tcl-script-run.js';
import type { TclshScriptRun } from './tclsh-script.js';

/** The normalised observation lines of a Tcl client's run on the sim or Node backend. */
export function detnetTclObservations(run: TclScenarioRun): ObservationLine[] {
  return normaliseTclObservations([...run.ports], fromTraceEntries(run.entries));
}

/** The normalised observation lines of a Tcl client's run in tclsh (run with `{ obs: true }`). */
export function tclshTclObservations(run: TclshScriptRun): ObservationLine[] {
  const ports: [string, number][] = [];
  for (const l of run.obs) if (isMeta(l) && l.meta === 'port' && l['role'] !== undefined) ports.push([l['role'], Number(l['value'])]);
  return normaliseTclObservations(ports, run.obs);
}

/** A client `socket` command's port: its last word. */
const SOCKET_PORT = /^socket\s(?!.*\s-server\s).*\s([0-9]+)$/s;

function normaliseTclObservations(declared: readonly (readonly [string, number])[], lines: readonly ObservationLine[]): ObservationLine[] {
  const placeholder = new Map<string, string>();
  for (const [role, port] of declared) placeholder.set(String(port), `<${role}>`);
  let learned = 0;
  for (const l of lines) {
    if (!('op' in l)) continue;
    const port = SOCKET_PORT.exec(l.op)?.[1];
    if (port === undefined || placeholder.has(port) || Number(port) < 1024 || Number(port) > 65535) continue;
    learned++;
    placeholder.set(port, learned === 1 ? '<lport>' : `<lport${learned}>`);
  }
  if (placeholder.size === 0) return normalise(lines);
  const pattern = new RegExp(`(?<![0-9])(?:${[...placeholder.keys()].join('|')})(?![0-9])`, 'g');
  const swap = (s: string): string => s.replace(pattern, (p) => placeholder.get(p) ?? p);
  const replaced = lines.map((l): ObservationLine => {
    if (isMeta(l)) return l;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(l)) out[k] = swap(v);
    return out as unknown as ObservationLine;
  });
  return normalise(replaced);
}
