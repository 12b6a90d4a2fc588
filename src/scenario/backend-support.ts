/**
 * What the real loopback backends (node, tclsh) cannot do, said per field: a scenario they
 * cannot run is refused before anything is created, with every reason and its path
 * (`faults[0]: real loopback cannot drop packets`), never run half-way with the parts they
 * cannot express left out.
 *
 * Owns: the list of v2 features that exist only on the simulated world (the world of machines,
 * DNS answers on a clock, fixed listener ports, every kind of fault) and the words for each.
 * Does not: the loopback safety rule (loopback-guard.ts), which runs after this and covers
 * where connects and binds may go.
 *
 * Departs from reality: none; it describes the limits of a real loopback interface without
 * root: no packet filter, no second machine, no resolver of our own.
 */
import { DetnetError } from '../errors.js';
import type { FaultSpec, Scenario } from './scenario.js';

/** Why real loopback cannot carry out `f`, for its path. */
function faultReason(f: FaultSpec): string {
  if ('verdict' in f) {
    const v = f.verdict;
    if (typeof v === 'object') return 'real loopback cannot delay packets';
    return {
      drop: 'real loopback cannot drop packets',
      refuse: 'real loopback cannot refuse a connection a listener would accept',
      unreachable: 'real loopback cannot answer with ICMP unreachable',
      reset: 'real loopback cannot reset connections on demand',
      hold: 'real loopback cannot hold and release packets',
    }[v];
  }
  if ('partition' in f) return 'real loopback cannot partition machines';
  if ('crash' in f) return 'real loopback cannot crash a machine';
  if ('interfaceDown' in f) return 'real loopback cannot take an interface down (that needs root)';
  if ('route' in f) return 'real loopback cannot change routes (that needs root)';
  return 'real loopback cannot make DNS lookups fail (names are answered by "hosts")';
}

/** Every reason `scenario` (valid) cannot run on a real loopback backend, as `path: reason`. */
export function realBackendProblems(scenario: Scenario): string[] {
  const out: string[] = [];
  if (scenario.world !== undefined) out.push('world: real loopback is one machine, the one the tests run on; other machines, routes, latency and TCP settings exist only on the simulated world');
  if ((scenario.dns ?? []).length > 0) out.push('dns: real loopback has no DNS of detnet\'s own; give names in "hosts"');
  (scenario.listeners ?? []).forEach((l, i) => {
    if (l.port !== undefined) out.push(`listeners[${i}].port: real loopback listens on a free port; a fixed port may be taken or privileged`);
  });
  (scenario.faults ?? []).forEach((f, i) => out.push(`faults[${i}]: ${faultReason(f)}`));
  return out;
}

/**
 * Throws `DetnetError` with `code` when `scenario` cannot run on `backend`, listing every
 * reason on its own line: `scenario "<name>" cannot run on <backend>: <path>: <reason>`.
 */
export function assertRealRunnable(scenario: Scenario, backend: 'node' | 'tclsh', code: `ERR_${string}`): void {
  const problems = realBackendProblems(scenario);
  if (problems.length > 0) throw new DetnetError(code, problems.map((p) => `scenario "${scenario.name}" cannot run on ${backend}: ${p}`).join('\n'));
}
