/**
 * `detnet`: the public surface of the pure (no `node:net`) part of detnet — virtual clock,
 * randomness, event loop, the simulated world, the Tcl 8.6 connect machine, channels and
 * profiles, scenarios, and traces. Real sockets (the Node driver) and the tclsh runner live on
 * the `detnet/node` subpath (src/node.ts), so a user of the simulated world never loads
 * `node:net` or spawns a process (test/unit/exports.test.ts and `npm run lint:deps` check it).
 *
 * The surface decision (issue 8 item 6), for whoever adds a name here:
 * - **Exported** is what a user of the three use cases needs: build a world and its faults,
 *   run an `Interp` on a driver, explore races (clock, tie-breakers, RNG), read and compare
 *   traces, run scenarios, choose profiles, and study the pure connect machine. Every name
 *   has TSDoc at its declaration.
 * - **Types only** (`export type`) for classes a user receives but never constructs (`Host`,
 *   `Dns`, `Channel`, `ServerChannel`, `SimSocket`, ...): they can be named in annotations,
 *   and their constructors stay free to change.
 * - **Not exported**: the machinery behind those objects — the notifier and its readiness
 *   bits, the manual readiness source, address parsers, the errno → message table, the
 *   driver-side interfaces (`DriverSocket`, `DriverListener`, `AttemptResult`, `HostAddr`:
 *   writing a driver of your own is not a supported extension point). Members a class needs
 *   internally are marked `@internal` and stripped from the published `.d.ts` (`stripInternal`
 *   in tsconfig.build.json).
 * - One explicit list per module, no `export *`; the groups below follow the layers, from
 *   the bottom up.
 */

// ---- time and randomness ----------------------------------------------------------------------
export type { Clock, TimerId, TimerLabel, LazyLabel, TimerTask } from './clock/clock.js';
export { isSteppable, type SteppableClock } from './clock/steppable-clock.js';
export { VirtualClock, ClockLoopLimitError, type VirtualClockOptions, type FiredTimer } from './clock/virtual-clock.js';
export { RealClock, type RealClockOptions } from './clock/real-clock.js';
export {
  fifoTieBreaker,
  lifoTieBreaker,
  SeededTieBreaker,
  ReplayTieBreaker,
  type TieBreaker,
  type TieCandidate,
} from './clock/tie-breaker.js';
export {
  RecordingSource,
  type ScheduleSource,
  type TieDecision,
  type RecordedChoice,
} from './clock/schedule-source.js';
export { SeededSource } from './clock/seeded-source.js';
export { ReplaySource } from './clock/replay-source.js';
export { PctSource, PCT_DEFAULTS, type PctOptions } from './clock/pct-source.js';
export {
  exploreExhaustive,
  exploreExhaustiveAsync,
  describeExhaustive,
  EXHAUSTIVE_DEFAULTS,
  type ExhaustiveOptions,
  type ExhaustiveReport,
  type ExhaustiveFailure,
} from './clock/exhaustive.js';
export { formatSchedule, parseSchedule, MAX_SCHEDULE_LENGTH } from './clock/schedule-encoding.js';
export { traceTies, CLOCK_TRACE_KINDS, type WorldTieOption } from './clock/tie-trace.js';
export { Rng } from './random/rng.js';

// ---- errors and addresses ---------------------------------------------------------------------
export { DetnetError, AssertionError } from './errors.js';
export { NetError, type Errno } from './net/net-error.js';
export type { Family, SockAddr } from './net/sock-addr.js';

// ---- event loop -------------------------------------------------------------------------------
export {
  EventLoop,
  WouldWaitForeverError,
  VwaitBudgetError,
  EventLoopLimitError,
  type EventLoopOptions,
  type VwaitOptions,
  type BackgroundError,
  type AfterId,
} from './loop/event-loop.js';
export type { NotifierOptions } from './loop/notifier.js';

// ---- traces -------------------------------------------------------------------------------------
export { Trace, type TraceEntry, type TraceOptions } from './trace/trace.js';
export { formatTimeline, formatEntry, type TimelineLevel } from './trace/timeline.js';
export {
  normalise,
  diffObservations,
  collapseRuns,
  fromTraceEntries,
  toJSONL as observationsToJSONL,
  parseJSONL as parseObservations,
  type ObservationLine,
} from './trace/observation.js';

// ---- the simulated world ---------------------------------------------------------------------
export { World, type WorldOptions } from './sim/world.js';
export type { Host, HostOptions, ListenOptions } from './sim/host.js';
export type { Dns, DnsOptions, DnsFailure } from './sim/dns.js';
export type { SimSocket } from './sim/sim-socket.js';
export type { SimListener } from './sim/sim-listener.js';
export { serve, type ServerApp, type AppBehaviour, type ServeOptions } from './sim/apps.js';
export {
  rule,
  partition,
  blackhole,
  refusePort,
  unreachable,
  resetTraffic,
  slow,
  lossy,
  hold,
  crashHost,
  type HoldRule,
  type Match,
} from './sim/faults.js';
export { PASS, DROP, REFUSE, RESET, type FaultRules, type FaultRule, type RuleHandle, type Verdict } from './sim/fault-rules.js';
export { fixed, uniform, exponential, scripted, type LatencyModel } from './sim/latency.js';
export { LINUX_DEFAULTS, type TcpParams } from './sim/tcp-params.js';

// ---- Tcl sockets: interpreter, channels, drivers, profiles -----------------------------------
export {
  Interp,
  type ServerChannel,
  type InterpOptions,
  type SocketOptions,
  type ServerOptions,
  type AcceptHandler,
} from './socket/interp.js';
export type { Channel, Script } from './socket/channel.js';
export { TclError } from './socket/tcl-error.js';
export { BackgroundHandlerError, type DrainOptions, type DrainReport } from './socket/test-support.js';

// ---- Tcl scripts: an interpreter that runs on an Interp (sim synchronously, any driver async) ----
export {
  TclInterp,
  TclScriptError,
  awaitValue,
  type TclInterpOptions,
  type TclContext,
  type CommandFn,
  type CommandResult,
  type Gen,
} from './tcl/index.js';
export { isBlockingDriver, type Driver, type BlockingDriver } from './socket/driver.js';
export { SimDriver } from './socket/sim-driver.js';
export { profile, listProfiles, withBugs, DEFAULT_PROFILE, type Profile, type BugId } from './socket/profiles.js';

// ---- the pure connect machine (docs/spec.md §2–§3), for study and for new front ends ----------
export {
  step,
  attemptPairs,
  initialState,
  isConnecting,
  advanceFor,
  type ConnectState,
  type ConnectEvent,
  type ConnectEffect,
  type AttemptPair,
  type PlainAddr,
  type MachineConfig,
  type Trigger,
  type Advance,
  type StepResult,
} from './socket/connect-machine.js';

// ---- scenarios ----------------------------------------------------------------------------------
export { validateScenario } from './scenario/validate.js';
export { runScenario, ScenarioRunError, type ScenarioBackend, type ScenarioRun, type RunScenarioOptions } from './scenario/runner.js';
export { simBackend } from './scenario/sim-backend.js';
export { runTclScenario, type TclScenarioRun, type TclScenarioOptions, type TclTraceLevel } from './scenario/tcl-script-run.js';
export { renderTcl, type RenderedTcl } from './scenario/tcl-render.js';
export type { Scenario, Step, ListenerSpec, FaultSpec } from './scenario/scenario.js';

// ---- scenario worlds (issue 11): checks, the JSON Schema, timed lines ----------------------------
export { checkScenario, ScenarioInvalidError, type ScenarioCheck, type ValidateOptions } from './scenario/validate.js';
export type { ScenarioIssue } from './scenario/checker.js';
export { scenarioJsonSchema } from './scenario/schema.js';
export { realBackendProblems } from './scenario/backend-support.js';
export type { TimedLine } from './scenario/runner.js';
export type { WorldSpec, LatencySpec, DnsAnswerSpec, PollStep, HandlerSpec } from './scenario/scenario.js';
