/**
 * The scenario data model: one network set-up plus one Tcl client script, as plain JSON data.
 *
 * Owns: the names of the shapes and their meaning — a loopback topology (listeners on
 * 127.0.0.1, ::1 or both, each with a behaviour), ports by role, host name answers, and (v2) a
 * simulated world of machines, DNS answers, latency and TCP settings; a fault timeline
 * (simulated world only); the client script as steps in Tcl's vocabulary, named fileevent
 * handlers, expectations, and backend-inherent differences with their reasons. The shapes
 * themselves are defined once, in schema.ts.
 *
 * Versions: a v2 file is a compatible superset of v1 (every v1 file is a valid v2 file with
 * the same meaning), so there is no version field; a v2-only field (`world`, `dns`, the new
 * fault kinds, a listener on a non-loopback address or a fixed port) simply makes the file
 * sim-only, and the real backends refuse it naming the field.
 *
 * Does not: validate (validate.ts), render Tcl (tcl-render.ts) or run anything (runner.ts,
 * tclsh-runner.ts). Everything here is JSON-serialisable: no functions, no Maps, no undefined
 * values that matter; a scenario file is exactly this shape.
 *
 * Room for Tcl scripts (issue 10): the world (`world`, `hosts`, `dns`, `listeners`' places,
 * `faults`) is independent of how the client is written, so `client` can later also take Tcl
 * source (a string, or a `.tcl` file beside the JSON) instead of steps, and a listener a
 * behaviour `{ kind: 'tcl', … }` whose callbacks are Tcl; both are new union members in
 * schema.ts, and nothing else in a file changes.
 *
 * Departs from reality: without `world`, the topology is one dual-stack machine with loopback
 * only, and other hosts exist only as DNS answers.
 */
import type { ObservationLine, PortRole } from '../trace/observation.js';
import type { DeepReadonly, FaultData, LatencyData, ScenarioData, StepData, WorldData } from './schema.js';
import type { Static } from '@sinclair/typebox';
import type { DnsAnswerSchema, ListenerBehaviourSchema, ListenerSchema } from './schema.js';

// Every type below is the static type of a schema in schema.ts: one definition serves the
// compiler, the validator and the JSON Schema editors read. Descriptions live there.

/** Symbolic name of a client channel: `c1`, `c2`, … in creation order (`<c1>` in traces). */
export type ChanId = `c${number}`;

/** Roles of listening ports (`rport` is a port with no listener: connects are refused). */
export type ListenerRole = ListenerSpec['role'];

/**
 * Where a listener listens: `127.0.0.1`, `::1`, `both` (one listener on each loopback address,
 * same port), or (v2, simulated world only) any address of a machine of `world`.
 */
export type ListenOn = string;

/**
 * What a listener does with each connection: `reply-close` (send `line` with Tcl's CRLF, close),
 * `reply-open` (send it, stay open), `echo` and `receive` (child only: echo lines, or read
 * them and report them in a note), `close` (at once), `never-accept` (child only: the kernel
 * completes handshakes into the backlog).
 */
export type ListenerBehaviour = DeepReadonly<Static<typeof ListenerBehaviourSchema>>;

/**
 * A listener. `in-process` listeners are `socket -server` in the client's own interpreter: they
 * accept and act only while the client services its event loop, and their commands are traced.
 * `child` listeners run on their own (a child `tclsh` in the Tcl rendering, a server fixture on
 * the driver elsewhere, as reference §11 does for tests 14.7–14.10), so a client that blocks
 * still gets answers; they report what they received in notes at the end.
 */
export type ListenerSpec = DeepReadonly<Static<typeof ListenerSchema>>;

/**
 * One entry of the fault timeline (simulated world only), from `atMs` to `untilMs`: a verdict
 * on matching packets (`to`/`from` by address, machine or port), a partition (both ways or
 * one way), a machine crash (restart at `untilMs`), an interface down, a route change, or a
 * DNS failure. v1 files' `{atMs, untilMs?, to?, verdict}` is the first kind.
 */
export type FaultSpec = FaultData;

/** The simulated world of a v2 scenario: machines, the client's machine, latency, TCP. */
export type WorldSpec = WorldData;

/** A latency model: fixed, uniform, exponential or a scripted per-packet list. */
export type LatencySpec = LatencyData;

/** A name answered by the world's DNS, on the clock. */
export type DnsAnswerSpec = DeepReadonly<Static<typeof DnsAnswerSchema>>;

/** A port reference in a step: a role (`<port>`, `<rport>` …) or a literal number. */
export type PortRef = PortRole | number;

/**
 * One command of the client script, in Tcl's vocabulary; each is one traced op line.
 * `socket` is `-async` unless `async: false`; `fconfigure` gets one option (`get`), sets
 * pairs (`set`) or gets all; `fileevent` with `handler: null` removes (`{}`); `gets` with
 * `var` returns the count; `after` sleeps without servicing events; `vwait` is guarded: after
 * `timeoutMs` the wait ends and a `vwait-timeout` note is written.
 */
export type Step = StepData;

/**
 * A polling loop: repeat `step` (one command) until its result meets `until`, it raises, or
 * `max` iterations ran; run `between` after each unsatisfied iteration. Op lines of the loop
 * are not written (their number may depend on timing); events still are. The sequence of
 * results (an error written as `error: <message>`) becomes one note, recorded as `runs`
 * (`1x3,0`), `changes` (`1,0`, for timing-dependent counts) or `last`.
 */
export type PollStep = Extract<Step, { readonly op: 'poll' }>;

/** A named fileevent handler; when it runs an `event` line is written, then its steps run. */
export type HandlerSpec = NonNullable<Scenario['handlers']>[number];

/** A difference between one backend and the others that comes from the backend itself. */
export type BackendDifference = NonNullable<Scenario['differences']>[number];

/** One scenario (a file is exactly this shape). */
export type Scenario = ScenarioData;

/** Keeps `ObservationLine` in this module's vocabulary (expectations are lists of them). */
export type ExpectedTrace = readonly ObservationLine[];

/** Default hard limit of one real run, in ms. */
export const DEFAULT_SCENARIO_TIMEOUT_MS = 10_000;

/**
 * Longest `after` or `vwait` guard a scenario may ask for: 24 hours of virtual time, far past
 * Linux's 127 s SYN timeout and long enough for a day-long keepalive story. Real backends are
 * still held to the scenario's `timeoutMs`.
 */
export const MAX_WAIT_MS = 24 * 60 * 60 * 1000;
