/**
 * `detnet`: the public surface of the pure (no `node:net`) part of detnet — virtual clock,
 * randomness, event loop and notifier, the simulated world, the Tcl 8.6 connect machine,
 * channels and profiles, scenarios, and traces. An explicit export list, no `export *`.
 *
 * Real sockets (the Node driver) and the tclsh runner live on the `detnet/node` subpath
 * (src/node.ts), so that a user of the simulated world never loads `node:net` or spawns a process.
 */

// ---- time and randomness ----------------------------------------------------------------------
export type { Clock, TimerId } from './clock/clock.js';
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
export { Rng } from './random/rng.js';

// ---- errors -------------------------------------------------------------------------------------
export { DetnetError, AssertionError } from './errors.js';
export { NetError, tclMessage, tclErrorCode, isErrno, TCL_ERRNO_MESSAGES, type Errno } from './net/net-error.js';

// ---- addresses ----------------------------------------------------------------------------------
export type { Family, SockAddr } from './net/sock-addr.js';
export { parseAddress, tryParseAddress, canonicalAddress, parsePort, type ParsedAddress } from './net/address.js';

// ---- event loop and notifier -----------------------------------------------------------------
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
export {
  Notifier,
  READABLE,
  WRITABLE,
  EXCEPTION,
  type NotifierOptions,
  type ReadinessSource,
  type Watch,
} from './loop/notifier.js';
export { ManualSource } from './loop/manual-source.js';

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
export { Host, type HostOptions, type ListenOptions } from './sim/host.js';
export { Dns, type DnsOptions, type DnsFailure } from './sim/dns.js';
export { serve, ServerApp, type AppBehaviour, type ServeOptions } from './sim/apps.js';
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
  HoldRule,
  type Match,
} from './sim/faults.js';
export { FaultRules, PASS, DROP, REFUSE, RESET, type FaultRule, type RuleHandle, type Verdict } from './sim/fault-rules.js';
export { fixed, uniform, exponential, type LatencyModel } from './sim/latency.js';
export { LINUX_DEFAULTS, type TcpParams } from './sim/tcp-params.js';
export { SimSocket } from './sim/sim-socket.js';
export { SimListener } from './sim/sim-listener.js';

// ---- Tcl sockets: machine, channels, interpreter, profiles -----------------------------------
export type { Driver, DriverSocket, DriverListener, HostAddr, AttemptResult } from './socket/driver.js';
export { SimDriver } from './socket/sim-driver.js';
export {
  Interp,
  ServerChannel,
  type InterpOptions,
  type SocketOptions,
  type ServerOptions,
  type AcceptHandler,
} from './socket/interp.js';
export { Channel, type Script } from './socket/channel.js';
export { TclError } from './socket/tcl-error.js';
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
  type MachineConfig,
  type Trigger,
} from './socket/connect-machine.js';
export { profile, listProfiles, withBugs, DEFAULT_PROFILE, type Profile, type BugId } from './socket/profiles.js';

// ---- scenarios ----------------------------------------------------------------------------------
export { validateScenario } from './scenario/validate.js';
export { runScenario, ScenarioRunError, type ScenarioBackend, type ScenarioRun, type RunScenarioOptions } from './scenario/runner.js';
export { simBackend } from './scenario/sim-backend.js';
export { renderTcl, type RenderedTcl } from './scenario/tcl-render.js';
export type { Scenario, Step, ListenerSpec, FaultSpec } from './scenario/scenario.js';
