/**
 * The fast-check arbitraries of `detnet/fast-check`: topologies, latencies, fault plans, client
 * programs, schedules, and whole connect cases made of them.
 *
 * Owns: what is generated and how it shrinks. Every value is plain JSON (topology.ts,
 * client-program.ts), so a shrunk counterexample prints as a small story and can be pinned.
 * Shrinking goes towards the simple: fewer candidates, `accept` first in the fate list, zero
 * latency (scripted per-packet delays shrink to shorter lists of smaller numbers), no faults, an
 * empty schedule (FIFO at every tie), the quietest client.
 *
 * Why scripted latency is the default: a timing race needs two events to land in a narrow window.
 * Drawn from the world RNG, the window is hit by luck and a failure shrinks to an opaque seed;
 * drawn by fast-check as a list of small integers, delays are often equal or zero (fast-check
 * favours small and boundary values), and shrinking keeps only the delays that matter.
 *
 * Does not: build or run worlds (world-from.ts, client-program.ts) or judge.
 */
import fc from 'fast-check';
import type { LatencyModel } from '../sim/latency.js';
import type { ClientProgram, ConnectCase, PolledOption } from './client-program.js';
import type { CandidateSpec, Family, Fate, FaultEvent, FaultPlan, Topology } from './topology.js';

/** Options of `latencyArb`. */
export interface LatencyArbOptions {
  /** Largest delay of one packet, in ms (default 100). */
  readonly maxMs?: number;
  /** Which model kinds to draw (default scripted, fixed and uniform). */
  readonly kinds?: readonly ('scripted' | 'fixed' | 'uniform')[];
}

/**
 * Latency models: `scripted` per-packet delays (the k-th packet on the link takes the k-th
 * delay, then `thenMs`), `fixed`, or `uniform` (drawn from the world seed). Scripted lists
 * shrink towards fewer and smaller delays, down to all zeros.
 */
export function latencyArb(options: LatencyArbOptions = {}): fc.Arbitrary<LatencyModel> {
  const maxMs = options.maxMs ?? 100;
  const kinds = options.kinds ?? ['scripted', 'fixed', 'uniform'];
  const delay = fc.nat({ max: maxMs });
  const byKind = {
    scripted: {
      arbitrary: fc
        .record({ delaysMs: fc.array(delay, { maxLength: 8 }), thenMs: delay })
        .map(({ delaysMs, thenMs }): LatencyModel => ({ kind: 'scripted', delaysMs, thenMs })),
      weight: 4,
    },
    fixed: {
      // Zero is weighted up: a connect that ends at the instant it starts is where the races live.
      arbitrary: fc.oneof(fc.constant(0), delay).map((ms): LatencyModel => ({ kind: 'fixed', ms })),
      weight: 3,
    },
    uniform: {
      arbitrary: fc
        .tuple(delay, delay)
        .map(([a, b]): LatencyModel => ({ kind: 'uniform', minMs: Math.min(a, b), maxMs: Math.max(a, b) })),
      weight: 1,
    },
  } as const;
  return fc.oneof(...kinds.map((k) => byKind[k]));
}

/** Options of `topologyArb`. */
export interface TopologyArbOptions {
  /** Fewest and most candidates (default 1 and 8). */
  readonly minCandidates?: number;
  readonly maxCandidates?: number;
  /** Fates to draw from; the first is where shrinking goes (default accept, refuse, unreachable, blackhole, slow). */
  readonly fates?: readonly Fate[];
  /** Latency of each candidate's link (default `latencyArb()`). */
  readonly latency?: fc.Arbitrary<LatencyModel>;
}

const ALL_FATES: readonly Fate[] = ['accept', 'refuse', 'unreachable', 'blackhole', 'slow'];

/** A candidate: family, fate and link latency. */
export function candidateArb(options: Pick<TopologyArbOptions, 'fates' | 'latency'> = {}): fc.Arbitrary<CandidateSpec> {
  return fc.record({
    family: fc.constantFrom<Family>('inet6', 'inet'),
    fate: fc.constantFrom<Fate>(...(options.fates ?? ALL_FATES)),
    latency: options.latency ?? latencyArb(),
  });
}

/** A service name resolving to 1–8 candidates of mixed families, each with a fate and a latency. */
export function topologyArb(options: TopologyArbOptions = {}): fc.Arbitrary<Topology> {
  return fc.record({
    candidates: fc.array(candidateArb(options), { minLength: options.minCandidates ?? 1, maxLength: options.maxCandidates ?? 8 }),
    seed: fc.integer({ min: 1, max: 0x7fffffff }),
  });
}

/** Options of `faultPlanArb`. */
export interface FaultPlanArbOptions {
  /** Most timed faults (default 3). */
  readonly maxFaults?: number;
  /** Latest start of a fault, in ms (default 100). */
  readonly maxAt?: number;
}

/** Timed faults on candidates' links: blackhole, unreachable, refuse or reset windows. */
export function faultPlanArb(options: FaultPlanArbOptions = {}): fc.Arbitrary<FaultPlan> {
  const event: fc.Arbitrary<FaultEvent> = fc.record({
    kind: fc.constantFrom<FaultEvent['kind']>('blackhole', 'unreachable', 'refuse', 'reset'),
    candidate: fc.nat({ max: 7 }),
    at: fc.nat({ max: options.maxAt ?? 100 }),
    forMs: fc.integer({ min: 1, max: 200 }),
  });
  return fc.array(event, { maxLength: options.maxFaults ?? 3 });
}

/** Options of `scheduleArb`. */
export interface ScheduleArbOptions {
  /** Most recorded choices (default 24); ties past the list take the first candidate. */
  readonly maxLength?: number;
  /** Largest choice (default 2: most ties have two or three candidates); a choice out of range takes the first candidate. */
  readonly maxChoice?: number;
}

/**
 * Tie choices for `worldFrom({ schedule })` (a `ReplaySource`): shrinks to the empty list,
 * FIFO at every tie. Print one with `formatSchedule`.
 */
export function scheduleArb(options: ScheduleArbOptions = {}): fc.Arbitrary<number[]> {
  return fc.array(fc.nat({ max: options.maxChoice ?? 2 }), { maxLength: options.maxLength ?? 24 });
}

const pollOptionsArb = fc.shuffledSubarray<PolledOption>(['-error', '-peername', '-sockname']);
const pollAtArb = fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 3 });
const timeoutArb = fc.integer({ min: 1, max: 2_000 });

const QUIET = { blocking: false, write: 'none', writable: false, readable: false, writableFirst: false, timeoutMs: null, pollNow: false, pollAt: [], pollOptions: [] } as const;

/**
 * Client programs in the seed page's shapes, with random parameters: `background` (writable
 * handler, maybe a timeout), `readable-only` (data written before the connect),
 * `async-then-blocking`, `poll-connecting`, and `mixed` (every switch drawn freely).
 */
export function clientProgramArb(): fc.Arbitrary<ClientProgram> {
  const mixed = fc.record({
    shape: fc.constant('mixed' as const),
    blocking: fc.boolean(),
    write: fc.constantFrom('none' as const, 'puts' as const, 'puts+flush' as const),
    writable: fc.boolean(),
    readable: fc.boolean(),
    writableFirst: fc.boolean(),
    timeoutMs: fc.option(timeoutArb, { freq: 4 }),
    pollNow: fc.boolean(),
    pollAt: pollAtArb,
    pollOptions: pollOptionsArb,
  });
  const background = fc
    .record({ timeoutMs: fc.option(timeoutArb, { freq: 3 }), write: fc.constantFrom('none' as const, 'puts+flush' as const) })
    .map((p): ClientProgram => ({ ...QUIET, shape: 'background', writable: true, writableFirst: true, ...p }));
  const readableOnly = fc
    .record({ write: fc.constantFrom('puts+flush' as const, 'puts' as const, 'none' as const) })
    .map((p): ClientProgram => ({ ...QUIET, shape: 'readable-only', readable: true, ...p }));
  const blocking = fc
    .record({ write: fc.constantFrom('puts' as const, 'none' as const), pollAt: pollAtArb })
    .map((p): ClientProgram => ({ ...QUIET, shape: 'async-then-blocking', blocking: true, pollOptions: ['-error'], ...p }));
  const polling = fc
    .record({ pollNow: fc.boolean(), pollAt: pollAtArb, pollOptions: pollOptionsArb })
    .map((p): ClientProgram => ({ ...QUIET, shape: 'poll-connecting', ...p }));
  return fc.oneof(
    { arbitrary: mixed, weight: 4 },
    { arbitrary: background, weight: 2 },
    { arbitrary: readableOnly, weight: 1 },
    { arbitrary: blocking, weight: 1 },
    { arbitrary: polling, weight: 1 },
  );
}

/** Options of `connectCaseArb`. */
export interface ConnectCaseArbOptions {
  readonly topology?: fc.Arbitrary<Topology>;
  /** Timed faults (default: none, so that `expectedOutcome` applies). */
  readonly faults?: fc.Arbitrary<FaultPlan>;
  readonly client?: fc.Arbitrary<ClientProgram>;
  readonly schedule?: fc.Arbitrary<readonly number[]>;
}

/** Whole connect cases: everything `runConnectCase` needs. */
export function connectCaseArb(options: ConnectCaseArbOptions = {}): fc.Arbitrary<ConnectCase> {
  return fc.record({
    topology: options.topology ?? topologyArb(),
    faults: options.faults ?? fc.constant([]),
    client: options.client ?? clientProgramArb(),
    schedule: options.schedule ?? scheduleArb(),
  });
}
