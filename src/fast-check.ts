/**
 * `detnet/fast-check`: property testing of connect logic on the simulated world.
 *
 * One explicit export list, like the main barrel. fast-check is a peer dependency: this entry
 * point imports it, `detnet` (src/index.ts) never does, so users who do not test with
 * fast-check never load it.
 *
 * What is here: arbitraries (topologies of 1–8 candidates with a fate and a latency each —
 * scripted per-packet delays shrink towards 0 —, timed fault plans, the seed page's client
 * programs, tie schedules, whole connect cases), `worldFrom` (a case's world and an
 * interpreter on its client), the reference model `expectedOutcome`, `runProgram` /
 * `runConnectCase` (play a client program and observe it), `checkDeterministic`, and the
 * reporters (`explore`, `assertProperty`, `detnetReporter`) that print a failure's schedule,
 * its timeline at every level and the exact replay command.
 */
export {
  candidateArb,
  clientProgramArb,
  connectCaseArb,
  faultPlanArb,
  latencyArb,
  scheduleArb,
  topologyArb,
  type ConnectCaseArbOptions,
  type FaultPlanArbOptions,
  type LatencyArbOptions,
  type ScheduleArbOptions,
  type TopologyArbOptions,
} from './fc/arbitraries.js';
export {
  HELLO,
  addressOf,
  runConnectCase,
  runProgram,
  type Answer,
  type ClientProgram,
  type ConnectCase,
  type Observations,
  type OptionRead,
  type PolledOption,
  type ProgramShape,
  type RunOptions,
} from './fc/client-program.js';
export { checkDeterministic, describeDeterminism, type DeterminismReport } from './fc/deterministic.js';
export { explore, rerun, vitestReplay, type ExploreFailure, type ExploreOptions, type ExploreReport, type TieReport } from './fc/explore.js';
export { assertProperty, detnetReporter, formatFailure, formatTies } from './fc/report.js';
export {
  PORT,
  REPLY,
  SERVICE,
  SLOW_ACCEPT_MS,
  SYN_RETRIES,
  candidateAddress,
  candidateHost,
  expectedOutcome,
  type CandidateSpec,
  type Expected,
  type Family,
  type Fate,
  type FaultEvent,
  type FaultPlan,
  type Topology,
} from './fc/topology.js';
export { captureWorlds, worldFrom, type CaseWorld, type WorldFromOptions } from './fc/world-from.js';
export { scripted, type LatencyModel } from './sim/latency.js';
export { BackgroundHandlerError, type DrainOptions, type DrainReport } from './socket/test-support.js';
