/**
 * The loopback rule of the real backends, applied to a scenario: the one check the node
 * backend (node-backend.ts, and runScenario again for any backend named `node`) and the tclsh
 * renderer (tcl-render.ts) run before anything is created. Scenario files are shared; on a
 * real backend, running one must never connect, or bind, anywhere but loopback.
 *
 * Owns: which values of a scenario reach the network and how each is judged, with the JSON path
 * of the first offender: every `socket` step's `host` (an address literal must be loopback; a
 * name must be one the scenario's `hosts` answers, every answer loopback, and not a name the
 * system resolver would read as a number instead of looking it up) and `myaddr` (loopback; the
 * wildcard is refused too), and every address in `hosts`, used or not (the tclsh backend
 * installs the whole table as /etc/hosts). Address judgement is src/net/loopback.ts's.
 *
 * Also every listener's address (v2 allows any machine's address; validation alone would let
 * one through when a file names a machine). Does not: check what a driver is asked at run
 * time: the node backend's driver also refuses any non-loopback answer or destination itself
 * (`loopbackOnly`), which covers names resolved while running.
 *
 * Departs from reality: none; real Tcl and Node would connect wherever they were told.
 */
import { DetnetError } from '../errors.js';
import { tryParseAddress } from '../net/address.js';
import { checkLoopbackLiteral, looksNumeric } from '../net/loopback.js';
import type { Scenario } from './scenario.js';
import { stepsWithPaths } from './client-kind.js';

/** The backends that use real sockets. */
export type RealBackend = 'node' | 'tclsh';

/** Why connecting to `host` leaves loopback (without the path), or null. */
function hostProblem(scenario: Scenario, host: string): string | null {
  if (tryParseAddress(host) !== null) {
    const verdict = checkLoopbackLiteral(host);
    return verdict.ok ? null : verdict.why;
  }
  if (looksNumeric(host)) return `host name ${host} would be read as a numeric address by the system resolver`;
  const hosts = scenario.hosts ?? [];
  const i = hosts.findIndex((h) => h.name === host);
  const entry = hosts[i];
  if (entry === undefined) return `host name ${host} is not answered by the scenario's "hosts"`;
  for (const [j, address] of entry.addresses.entries()) {
    // Validation made every answer an IP literal, so the only way it can fail is not being loopback.
    if (!checkLoopbackLiteral(address).ok) return `${host} resolves to ${address} (hosts[${i}].addresses[${j}]), which is not a loopback address`;
  }
  return null;
}

/**
 * The first value of `scenario` that would make `backend` leave loopback, as
 * `path: why; the <backend> backend only …`, or null when every value stays on loopback.
 * `scenario` must be valid (validate.ts).
 */
export function loopbackViolation(scenario: Scenario, backend: RealBackend): string | null {
  const connects = `the ${backend} backend only connects on loopback`;
  for (const [step, path] of stepsWithPaths(scenario)) {
    if (step.op !== 'socket') continue;
    const host = hostProblem(scenario, step.host);
    if (host !== null) return `${path}.host: ${host}; ${connects}`;
    if (step.myaddr !== undefined) {
      const verdict = checkLoopbackLiteral(step.myaddr);
      if (!verdict.ok) return `${path}.myaddr: ${verdict.why}; the ${backend} backend only binds to loopback`;
    }
  }
  // v2 lets a listener listen on any machine's address; a real backend listens on loopback only.
  for (const [i, l] of (scenario.listeners ?? []).entries()) {
    if (l.on === 'both') continue;
    const verdict = checkLoopbackLiteral(l.on);
    if (!verdict.ok) return `listeners[${i}].on: ${verdict.why}; the ${backend} backend only listens on loopback`;
  }
  for (const [i, h] of (scenario.hosts ?? []).entries()) {
    if (looksNumeric(h.name)) return `hosts[${i}].name: host name ${h.name} would be read as a numeric address by the system resolver; ${connects}`;
    for (const [j, address] of h.addresses.entries()) {
      if (!checkLoopbackLiteral(address).ok) return `hosts[${i}].addresses[${j}]: ${h.name} resolves to ${address}, which is not a loopback address; ${connects}`;
    }
  }
  return null;
}

/**
 * Throws `DetnetError` with `code` (the backend's "cannot run this" code) and the message
 * `scenario "<name>": <path>: <why>` when `scenario` would leave loopback on `backend`.
 */
export function assertLoopbackScenario(scenario: Scenario, backend: RealBackend, code: `ERR_${string}`): void {
  const violation = loopbackViolation(scenario, backend);
  if (violation !== null) throw new DetnetError(code, `scenario "${scenario.name}": ${violation}`);
}
