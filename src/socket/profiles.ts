/**
 * Profiles: Tcl versions and platforms as data switches. Who reads them: the connect machine
 * (`machine`, through the connector), the connector (the `-error`, `-peername`, `-sockname`
 * and `-connecting` answers), the channel (close errors, readable-on-failure), and — through
 * `Interp`, which builds its event loop's notifier from `notifier` — the notifier.
 *
 * Owns: the catalogue of behaviours (reference §9–§10, seed page tables). `tcl-8.6.13-unix` is
 * the default and the reference everything else is described against; every other profile
 * differs from it only by the switches listed. Historical profiles carry the bugs the seed page
 * lists for their version/platform row; `withBugs` composes a profile with chosen bug switches
 * so a single bug can be studied alone.
 *
 * Departs from reality: a profile changes observable behaviour only; it does not emulate the
 * Windows socket layer (WSAAsyncSelect, the notifier thread): bug 336441ed59, which lived there,
 * is the notifier learning of a new socket one clock event late and losing readiness that rises
 * before (src/loop/notifier.ts). 8.6.2–8.6.3 predate TIP 427 (`-connecting`, empty
 * `-peername`/`-sockname` while connecting, 8.6.4); the `8.6.2+` rows of the seed are modelled
 * by the 8.6.13 profiles.
 */
import { DetnetError } from '../errors.js';
import type { NotifierOptions } from '../loop/notifier.js';
import type { MachineConfig } from './connect-machine.js';

/** Identifiers of the historical bugs detnet can switch on. */
export const BUG_IDS = ['13d3af3ad5', '336441ed59', '97069ea11a', '581937ab1e', 'sticky-error', 'intermediate-error', 'addresses-reflect-attempt'] as const;

/** One of `BUG_IDS`. */
export type BugId = (typeof BUG_IDS)[number];

/**
 * A Tcl version and platform as data: the switches detnet reads to behave as that release
 * did (docs/tcl-versions.md). Get one with `profile(name)`, list them with `listProfiles()`,
 * add bugs to one with `withBugs(...)`; pass it as `new Interp(driver, { profile })`.
 */
export interface Profile {
  readonly name: string;
  readonly tclVersion: string;
  readonly platform: 'unix' | 'win';
  readonly description: string;
  /** Bug switches this profile carries. */
  readonly bugs: readonly BugId[];
  readonly machine: MachineConfig;
  /**
   * The notifier `Interp` gives its event loop. 336441ed59: `LATE_REGISTRATION` — a new
   * socket's watch takes effect one clock event after it is made, and readiness that rises
   * before is lost, so a connect that ends that quickly is never reported (the loop waits
   * forever).
   */
  readonly notifier: NotifierOptions;
  /** 97069ea11a: `close` after a failed background flush raises an error with an empty message. */
  readonly emptyCloseError: boolean;
  /** 581937ab1e: on failure, a readable fileevent fires only if writable is also watched. */
  readonly readableOnFailureNeedsWritable: boolean;
  /** 8.5.15 win: a failed connect's error is reported by `-error` indefinitely, not once. */
  readonly stickyError: boolean;
  /** 8.6.1 unix: errors of intermediate attempts show up in `-error` while connecting. */
  readonly intermediateErrorVisible: boolean;
  /** 8.6.1: `-peername`/`-sockname` reflect the attempt in progress instead of "". */
  readonly addressesReflectAttempt: boolean;
  /** `-connecting` exists (TIP 427, 8.6.4+). */
  readonly hasConnectingOption: boolean;
  /** Unix (§5 -error 3): once no stored error is left, `-error` reads the live SO_ERROR. Windows
   *  (§9): not while the failed flag is set (after a success it still does). */
  readonly errorFallsBackToSoError: boolean;
}

const REFERENCE: Profile = {
  name: 'tcl-8.6.13-unix',
  tclVersion: '8.6.13',
  platform: 'unix',
  description: 'Tcl 8.6.13 on Linux: the reference behaviour (reference §3–§8).',
  bugs: [],
  machine: { onlyFirstAddress: false },
  notifier: {},
  emptyCloseError: false,
  readableOnFailureNeedsWritable: false,
  stickyError: false,
  intermediateErrorVisible: false,
  addressesReflectAttempt: false,
  hasConnectingOption: true,
  errorFallsBackToSoError: true,
};

/**
 * Bug 336441ed59's notifier: registration of a watch is a clock event of its own (0 ms, so a
 * tie-breaker orders it against a connect ending at the same instant), and a rise of readiness
 * before it is lost. Level delivery stays: the Windows driver keeps readiness flags once the
 * notifier knows the socket.
 */
const LATE_REGISTRATION: NotifierOptions = Object.freeze({ watchDelayMs: 0, loseReadinessBeforeWatch: true });

/** Applies the switches of `bugs` to `base`. */
export function withBugs(base: Profile, bugs: readonly BugId[], name = `${base.name}+${bugs.join('+')}`): Profile {
  const all = [...base.bugs, ...bugs.filter((b) => !base.bugs.includes(b))];
  const has = (b: BugId): boolean => all.includes(b);
  return {
    ...base,
    name,
    bugs: all,
    machine: { onlyFirstAddress: base.machine.onlyFirstAddress || has('13d3af3ad5') },
    notifier: has('336441ed59') ? { ...base.notifier, ...LATE_REGISTRATION } : base.notifier,
    emptyCloseError: base.emptyCloseError || has('97069ea11a'),
    readableOnFailureNeedsWritable: base.readableOnFailureNeedsWritable || has('581937ab1e'),
    stickyError: base.stickyError || has('sticky-error'),
    intermediateErrorVisible: base.intermediateErrorVisible || has('intermediate-error'),
    addressesReflectAttempt: base.addressesReflectAttempt || has('addresses-reflect-attempt'),
  };
}

const WIN_8_6_13: Profile = {
  ...REFERENCE,
  name: 'tcl-8.6.13-win',
  platform: 'win',
  description: 'Tcl 8.6.13 on Windows (§9): -error reports the stored error once, then "" (no SO_ERROR fallback).',
  errorFallsBackToSoError: false,
};

const PRE_TIP_427 = { hasConnectingOption: false } as const;

const PROFILES: readonly Profile[] = [
  REFERENCE,
  WIN_8_6_13,
  withBugs(
    { ...REFERENCE, ...PRE_TIP_427, tclVersion: '8.6.1', description: 'Tcl 8.6.1 on Unix: walks every address, but shows intermediate errors in -error and reflects the attempt in -peername/-sockname; empty close error (97069ea11a).' },
    ['97069ea11a', 'intermediate-error', 'addresses-reflect-attempt'],
    'tcl-8.6.1-unix',
  ),
  withBugs(
    { ...WIN_8_6_13, ...PRE_TIP_427, tclVersion: '8.6.1', description: 'Tcl 8.6.1 on Windows: only the first address is tried (13d3af3ad5), quick connects are lost (336441ed59), readable needs writable on failure (581937ab1e), empty close error (97069ea11a).' },
    ['13d3af3ad5', '336441ed59', '581937ab1e', '97069ea11a', 'addresses-reflect-attempt'],
    'tcl-8.6.1-win',
  ),
  withBugs(
    { ...REFERENCE, ...PRE_TIP_427, tclVersion: '8.5.15', description: 'Tcl 8.5.15 on Unix: one address only (8.5 does not walk), empty close error (97069ea11a).' },
    ['13d3af3ad5', '97069ea11a', 'addresses-reflect-attempt'],
    'tcl-8.5.15-unix',
  ),
  withBugs(
    { ...WIN_8_6_13, ...PRE_TIP_427, tclVersion: '8.5.15', description: 'Tcl 8.5.15 on Windows: one address, quick connects lost (336441ed59), readable needs writable on failure (581937ab1e), -error reported indefinitely, empty close error (97069ea11a).' },
    ['13d3af3ad5', '336441ed59', '581937ab1e', '97069ea11a', 'sticky-error', 'addresses-reflect-attempt'],
    'tcl-8.5.15-win',
  ),
];

/** Names accepted by `profile()`; `tcl-8.6.2+-unix`/`-win` alias the 8.6.13 profiles. */
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['tcl-8.6.2+-unix', 'tcl-8.6.13-unix'],
  ['tcl-8.6.2+-win', 'tcl-8.6.13-win'],
  ['default', 'tcl-8.6.13-unix'],
]);

/** The default profile: Tcl 8.6.13 on Unix. */
export const DEFAULT_PROFILE = REFERENCE;

/** All built-in profiles, reference first. */
export function listProfiles(): readonly Profile[] {
  return PROFILES;
}

/**
 * Looks a profile up by name; `name+bug+bug` is that profile `withBugs` those switches
 * (`default+336441ed59`), the name `withBugs` gives it. An unknown name is
 * `ERR_UNKNOWN_PROFILE` listing the known ones; an unknown bug lists the bug switches.
 */
export function profile(name: string): Profile {
  const exact = builtIn(name);
  if (exact !== undefined) return exact;
  // Aliases contain `+` themselves (`tcl-8.6.2+-unix`): the longest prefix that names a profile is the base.
  const parts = name.split('+');
  for (let k = parts.length - 1; k >= 1; k--) {
    const base = builtIn(parts.slice(0, k).join('+'));
    if (base === undefined) continue;
    const bugs = parts.slice(k);
    for (const b of bugs) {
      if (!(BUG_IDS as readonly string[]).includes(b)) {
        throw new DetnetError('ERR_UNKNOWN_PROFILE', `unknown bug switch "${b}" in profile "${name}": expected one of ${BUG_IDS.join(', ')}`);
      }
    }
    return withBugs(base, bugs as BugId[], name);
  }
  throw new DetnetError(
    'ERR_UNKNOWN_PROFILE',
    `unknown profile "${name}": expected one of ${[...PROFILES.map((p) => p.name), ...ALIASES.keys()].join(', ')} (add bug switches with +<bug>)`,
  );
}

function builtIn(name: string): Profile | undefined {
  const real = ALIASES.get(name) ?? name;
  return PROFILES.find((p) => p.name === real);
}
