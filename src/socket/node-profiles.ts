/**
 * Node profiles: Node versions as data — the defaults `net.connect` starts from and the switches
 * of the historical connect bugs that the Node connect machine reads.
 *
 * Owns: the catalogue of Node behaviours. `node-current` (every fix in, 500 ms attempt timeout)
 * is the reference; every other profile differs from it only by the bug switches it lists and
 * by whether the connectionAttempt* events exist. `withNodeBugs` composes a profile with chosen
 * switches, so one bug can be studied alone (as `withBugs` does for the Tcl profiles).
 *
 * The bugs (ids are the nodejs/node PR or issue that names them):
 *   47822  20.0: the last attempt is timed too, and a timed-out attempt records no error, so a
 *          handshake slower than the attempt timeout fails even on the last address
 *          (ERR_SOCKET_CONNECTION_TIMEOUT); fixed by #47860.
 *   48464  20.0–20.2 (npm/cli#6409): after one attempt timed out, a stale flag makes every later
 *          result look like the timed-out one: the successful attempt's handle is closed, its
 *          timer keeps running; fixed by #48464.
 *   51045  before #51045 (#48763): a result or timer arriving after `destroy()` starts the next
 *          attempt, and Node's `assert(self.connecting)` kills the process.
 *   51826  before #51826 (#50841): `destroy()` inside a 'lookup' listener is not noticed by the
 *          walk, which then trips the same assertion.
 *   60334  before PR #60334: the default attempt timeout is 250 ms, not 500 ms, too short for
 *          slow links (#54359, #52216: slow IPv4 plus unreachable IPv6 ends in ETIMEDOUT).
 *
 * Departs from reality: the historical behaviours are reconstructed from the issue threads and
 * the fix PRs, not from the old sources, and the version ranges are approximate (a fix lands in
 * a release line some weeks after its merge). nodejs/undici#5092 is not a switch: it is a
 * property of how undici reports errors, and the machine lets both orders of two events due at
 * the same instant happen (the clock's tie-breaker picks), which is what that issue needs.
 */
import { DetnetError } from '../errors.js';
import { CURRENT_SWITCHES, type NodeMachineConfig, type NodeMachineSwitches } from './node-connect-machine.js';
import { resolveConnectOptions, type ConnectDefaults, type NodeConnectOptions } from './node-connect-plan.js';

/** Identifiers of the Node connect bugs detnet can switch on. */
export type NodeBugId = '47822' | '48464' | '51045' | '51826' | '60334';

/** Every Node bug id, in the order of their fixes. */
export const NODE_BUG_IDS: readonly NodeBugId[] = Object.freeze(['47822', '48464', '51045', '51826', '60334']);

/** A Node version's connect behaviour. */
export interface NodeProfile {
  readonly name: string;
  readonly nodeVersion: string;
  readonly description: string;
  /** Bug switches this profile carries. */
  readonly bugs: readonly NodeBugId[];
  readonly switches: NodeMachineSwitches;
  /** `net.getDefaultAutoSelectFamily()` and `net.getDefaultAutoSelectFamilyAttemptTimeout()`. */
  readonly defaults: ConnectDefaults;
}

/** The default attempt timeout of current Node (PR #60334). */
const CURRENT_ATTEMPT_TIMEOUT_MS = 500;
/** The default attempt timeout before PR #60334. */
const OLD_ATTEMPT_TIMEOUT_MS = 250;

const REFERENCE: NodeProfile = Object.freeze({
  name: 'node-current',
  nodeVersion: '25.1+',
  description: 'Current Node (after PR #60334): every connect fix in, 500 ms default attempt timeout.',
  bugs: Object.freeze([]),
  switches: CURRENT_SWITCHES,
  defaults: Object.freeze({ autoSelectFamily: true, attemptTimeoutMs: CURRENT_ATTEMPT_TIMEOUT_MS }),
});

/** Applies the switches of `bugs` to `base` (a bug already present stays once). */
export function withNodeBugs(base: NodeProfile, bugs: readonly NodeBugId[], name = `${base.name}+${bugs.join('+')}`): NodeProfile {
  for (const bug of bugs) {
    if (!NODE_BUG_IDS.includes(bug)) throw new DetnetError('ERR_UNKNOWN_BUG', `unknown Node bug "${String(bug)}": expected one of ${NODE_BUG_IDS.join(', ')}`);
  }
  const all = [...base.bugs, ...bugs.filter((b, i) => !base.bugs.includes(b) && bugs.indexOf(b) === i)];
  const has = (b: NodeBugId): boolean => all.includes(b);
  const s = base.switches;
  return Object.freeze({
    ...base,
    name,
    bugs: Object.freeze(all),
    switches: Object.freeze({
      timeLastAttempt: s.timeLastAttempt || has('47822'),
      silentTimeouts: s.silentTimeouts || has('47822'),
      staleTimeoutFlag: s.staleTimeoutFlag || has('48464'),
      walkAfterDestroy: s.walkAfterDestroy || has('51045'),
      uncheckedLookupListener: s.uncheckedLookupListener || has('51826'),
      attemptEvents: s.attemptEvents,
    }),
    defaults: has('60334') ? Object.freeze({ ...base.defaults, attemptTimeoutMs: OLD_ATTEMPT_TIMEOUT_MS }) : base.defaults,
  });
}

/** Before #51045 the connectionAttempt* events did not exist. */
const NO_ATTEMPT_EVENTS: NodeProfile = Object.freeze({ ...REFERENCE, switches: Object.freeze({ ...CURRENT_SWITCHES, attemptEvents: false }) });

const PROFILES: readonly NodeProfile[] = Object.freeze([
  REFERENCE,
  withNodeBugs(
    { ...REFERENCE, nodeVersion: '20.12–24.x', description: 'Node 20.12+, 22 and 24: every connect fix in, but the 250 ms default attempt timeout (before PR #60334).' },
    ['60334'],
    'node-22',
  ),
  withNodeBugs(
    { ...NO_ATTEMPT_EVENTS, nodeVersion: '20.3–20.11', description: 'Node 20.3–20.11: no connectionAttempt* events; destroy() does not stop the walk (#48763) nor does it from a lookup listener (#50841); 250 ms default.' },
    ['51045', '51826', '60334'],
    'node-20.11',
  ),
  withNodeBugs(
    { ...NO_ATTEMPT_EVENTS, nodeVersion: '20.1–20.2', description: 'Node 20.1–20.2: a stale timeout flag closes the attempt that succeeds after a timeout (npm/cli#6409), plus the destroy() bugs of 20.11.' },
    ['48464', '51045', '51826', '60334'],
    'node-20.2',
  ),
  withNodeBugs(
    { ...NO_ATTEMPT_EVENTS, nodeVersion: '20.0', description: 'Node 20.0: the last attempt is timed too and timeouts record no error (#47822), plus every bug of 20.2.' },
    ['47822', '48464', '51045', '51826', '60334'],
    'node-20.0',
  ),
]);

const ALIASES: ReadonlyMap<string, string> = new Map([
  ['default', 'node-current'],
  ['node-24', 'node-22'],
]);

/** The default Node profile: current Node. */
export const DEFAULT_NODE_PROFILE = REFERENCE;

/** All built-in Node profiles, reference first, then newest to oldest. */
export function listNodeProfiles(): readonly NodeProfile[] {
  return PROFILES;
}

/** Looks a Node profile up by name; an unknown name is `ERR_UNKNOWN_PROFILE` listing the known ones. */
export function nodeProfile(name: string): NodeProfile {
  const real = ALIASES.get(name) ?? name;
  const found = PROFILES.find((p) => p.name === real);
  if (found === undefined) {
    throw new DetnetError('ERR_UNKNOWN_PROFILE', `unknown Node profile "${name}": expected one of ${[...PROFILES.map((p) => p.name), ...ALIASES.keys()].join(', ')}`);
  }
  return found;
}

/** The machine configuration for `net.connect(options)` under `profile` (options checked as Node does). */
export function nodeMachineConfig(options: NodeConnectOptions, profile: NodeProfile = DEFAULT_NODE_PROFILE): NodeMachineConfig {
  return { connect: resolveConnectOptions(options, profile.defaults), switches: profile.switches };
}
