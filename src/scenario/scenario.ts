/**
 * The scenario data model: one network set-up plus one Tcl client script, as plain JSON data.
 *
 * Owns: the shapes only — topology that loopback can express (listeners on 127.0.0.1, ::1 or
 * both, each with a behaviour), ports by role, host name answers, a fault timeline (simulated
 * world only), the client script as steps in Tcl's vocabulary, named fileevent handlers (each a
 * list of steps), expectations, and backend-inherent differences with their reasons.
 *
 * Does not: validate (validate.ts), render Tcl (tcl-render.ts) or run anything (runner.ts,
 * tclsh-runner.ts). Everything here is JSON-serialisable: no functions, no Maps, no undefined
 * values that matter; a scenario file is exactly this shape.
 *
 * Departs from reality: the topology is a loopback host and its listeners; other hosts exist
 * only as DNS answers and fault rules, which only the simulated world honours.
 */
import type { ObservationLine, PortRole } from '../trace/observation.js';

/** Symbolic name of a client channel: `c1`, `c2`, … in creation order (`<c1>` in traces). */
export type ChanId = `c${number}`;

/** Roles of listening ports (`rport` is a port with no listener: connects are refused). */
export type ListenerRole = 'port' | 'port6';

/** Where a listener listens. `both` = one listener on 127.0.0.1 and one on ::1, same port. */
export type ListenOn = '127.0.0.1' | '::1' | 'both';

/** What a listener does with each connection it accepts. */
export type ListenerBehaviour =
  /** Sends `line` (with Tcl's CRLF line end) and closes. */
  | { readonly kind: 'reply-close'; readonly line: string }
  /** Sends `line` and keeps the connection open. */
  | { readonly kind: 'reply-open'; readonly line: string }
  /** Sends every line it receives back until the client closes (child process only). */
  | { readonly kind: 'echo' }
  /** Reads lines until the client closes; they are reported in a note (child process only). */
  | { readonly kind: 'receive' }
  /** Closes the connection right after accepting it. */
  | { readonly kind: 'close' }
  /** Listens but never accepts: the kernel completes handshakes into the backlog (child only). */
  | { readonly kind: 'never-accept' };

/**
 * A listener. `in-process` listeners are `socket -server` in the client's own interpreter: they
 * accept and act only while the client services its event loop, and their commands are traced.
 * `child` listeners run on their own (a child `tclsh` in the Tcl rendering, a server fixture on
 * the driver elsewhere, as reference §11 does for tests 14.7–14.10), so a client that blocks
 * still gets answers; they report what they received in notes at the end.
 */
export interface ListenerSpec {
  readonly role: ListenerRole;
  readonly on: ListenOn;
  readonly behaviour: ListenerBehaviour;
  readonly process: 'in-process' | 'child';
  /** Child only: wait this long before accepting anything ("accept late"). */
  readonly acceptDelayMs?: number;
  /** In-process only: a variable set (untraced) to the accept count after each accept. */
  readonly signal?: string;
}

/** A fault rule for the simulated world (loopback backends cannot express faults). */
export interface FaultSpec {
  /** Virtual time (ms) from which the rule applies. */
  readonly atMs: number;
  /** Virtual time (ms) at which the rule is removed; absent = until the end. */
  readonly untilMs?: number;
  /** Which connections it applies to: destination address and/or port role; absent = all. */
  readonly to?: { readonly address?: string; readonly port?: PortRole };
  /** What happens to a matching connection attempt or segment. */
  readonly verdict: 'refuse' | 'drop' | 'unreachable' | 'reset' | { readonly delayMs: number };
}

/** A port reference in a step: a role (`<port>`, `<rport>` …) or a literal number. */
export type PortRef = PortRole | number;

/** One command of the client script, in Tcl's vocabulary. Each is one traced op line. */
export type Step =
  /** `socket ?-async? ?-myaddr a? ?-myport p? host port`; `async` defaults to true. */
  | {
      readonly op: 'socket';
      readonly chan: ChanId;
      readonly host: string;
      readonly port: PortRef;
      readonly async?: boolean;
      readonly myaddr?: string;
      readonly myport?: PortRef;
    }
  /** `fconfigure $c -opt` (get one), `fconfigure $c` (all, when neither get nor set is given). */
  | { readonly op: 'fconfigure'; readonly chan: ChanId; readonly get?: string; readonly set?: readonly string[] }
  /** `fileevent $c readable|writable H`; `handler: null` removes (`{}`). */
  | { readonly op: 'fileevent'; readonly chan: ChanId; readonly event: 'readable' | 'writable'; readonly handler: string | null }
  | { readonly op: 'puts'; readonly chan: ChanId; readonly text: string; readonly nonewline?: boolean }
  /** `gets $c`, or `gets $c var` (result: the count) when `var` is given. */
  | { readonly op: 'gets'; readonly chan: ChanId; readonly var?: string }
  /** `read $c` or `read $c count`. */
  | { readonly op: 'read'; readonly chan: ChanId; readonly count?: number }
  | { readonly op: 'flush' | 'close' | 'eof' | 'fblocked'; readonly chan: ChanId }
  /** `after ms`: sleep without servicing events. */
  | { readonly op: 'after'; readonly ms: number }
  | { readonly op: 'update' }
  /** `vwait var`, guarded: after `timeoutMs` the wait ends and a `vwait-timeout` note is written. */
  | { readonly op: 'vwait'; readonly var: string; readonly timeoutMs: number }
  | { readonly op: 'set'; readonly var: string; readonly value: string }
  | PollStep;

/**
 * A polling loop: repeat `step` (one command) until its result meets `until`, it raises, or
 * `max` iterations ran; run `between` after each unsatisfied iteration. Op lines of the loop
 * are not written (their number may depend on timing); events still are. The sequence of
 * results (an error written as `error: <message>`) becomes one note, recorded as `runs`
 * (`1x3,0`), `changes` (`1,0`, for timing-dependent counts) or `last`.
 */
export interface PollStep {
  readonly op: 'poll';
  readonly step: Step;
  readonly until: { readonly equals: string } | { readonly differs: string };
  readonly max: number;
  readonly between?: readonly Step[];
  readonly record: 'runs' | 'changes' | 'last';
  readonly note: string;
}

/** A named fileevent handler; when it runs an `event` line is written, then its steps run. */
export interface HandlerSpec {
  readonly name: string;
  readonly steps: readonly Step[];
}

/** A difference between one backend and the others that comes from the backend itself. */
export interface BackendDifference {
  readonly backend: 'sim' | 'node' | 'tclsh';
  /** Why the backend differs (or cannot run the scenario); shown in test names and reports. */
  readonly reason: string;
  /** That backend's expected trace; absent = the backend does not run this scenario. */
  readonly trace?: readonly ObservationLine[];
}

/** One scenario. */
export interface Scenario {
  /** Kebab-case identifier, unique in its table. */
  readonly name: string;
  readonly description: string;
  /** Reference sections, upstream tests or oracle names this scenario re-checks. */
  readonly reference?: readonly string[];
  /** Host names and their answers in resolver order (`localhost` → `::1`, `127.0.0.1`). */
  readonly hosts?: readonly { readonly name: string; readonly addresses: readonly string[] }[];
  readonly listeners?: readonly ListenerSpec[];
  /** Refused port wanted: `<rport>` gets a port with no listener on either loopback address. */
  readonly refusedPort?: boolean;
  /** Simulated world only. */
  readonly faults?: readonly FaultSpec[];
  /** Connect-machine profile for detnet backends (default `tcl-8.6.13-unix`). */
  readonly profile?: string;
  /** World seed for the simulated backend (default 1). */
  readonly seed?: number;
  readonly handlers?: readonly HandlerSpec[];
  readonly client: readonly Step[];
  /** Hard limit for one run in real time (tclsh, node), in ms (default 10,000). */
  readonly timeoutMs?: number;
  readonly expect?: { readonly trace?: readonly ObservationLine[] };
  readonly differences?: readonly BackendDifference[];
}

/** Default hard limit of one real run, in ms. */
export const DEFAULT_SCENARIO_TIMEOUT_MS = 10_000;
