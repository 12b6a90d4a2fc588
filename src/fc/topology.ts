/**
 * The values a `detnet/fast-check` case is made of — a topology and a fault plan — and the
 * reference model of how a connect walk over that topology must end.
 *
 * Owns: the plain-data shapes (`Topology`, `CandidateSpec`, `Fate`, `FaultPlan`), the address
 * each candidate gets, and `expectedOutcome`, the simple model of spec §3.2–§3.3: the first
 * accepting candidate in resolver order wins; if none accepts, the walk fails with the last
 * attempt's error. Everything here is JSON, so a shrunk case can be printed, pasted into a
 * regression test and replayed.
 *
 * Does not: build worlds (world-from.ts) or generate values (arbitraries.ts).
 *
 * Departs from reality: every candidate is its own host, one address each, so each can have its
 * own fate and its own link latency; a real name would usually map several addresses to one
 * machine. The walk's outcome does not depend on that.
 */
import { tclMessage, type Errno } from '../net/net-error.js';
import type { LatencyModel } from '../sim/latency.js';

/** Address family of a candidate. */
export type Family = 'inet' | 'inet6';

/**
 * What a candidate does with a SYN: `accept` (and send one line), `refuse` (no listener: RST,
 * ECONNREFUSED), `unreachable` (ICMP host unreachable: EHOSTUNREACH), `blackhole` (silence:
 * SYN retries, then ETIMEDOUT) or `slow` (the kernel accepts at once, the server app only after
 * `SLOW_ACCEPT_MS`, so its line comes late).
 */
export type Fate = 'accept' | 'refuse' | 'unreachable' | 'blackhole' | 'slow';

/** One address the service name resolves to. */
export interface CandidateSpec {
  readonly family: Family;
  readonly fate: Fate;
  /** One-way latency of every packet between the client and this candidate, both ways. */
  readonly latency: LatencyModel;
}

/** A service name resolving to 1–8 candidates, in resolver order (Tcl walks them in this order, §2). */
export interface Topology {
  readonly candidates: readonly CandidateSpec[];
  /** Seed of the world (latency draws of random models; ties when the seeded strategy is used). */
  readonly seed: number;
}

/** A timed fault on one candidate's link: installed at `at`, removed at `at + forMs`. */
export interface FaultEvent {
  readonly kind: 'blackhole' | 'unreachable' | 'refuse' | 'reset';
  /** Index of the candidate it hits (taken modulo the number of candidates). */
  readonly candidate: number;
  readonly at: number;
  readonly forMs: number;
}

/** Faults on top of the topology's fates, in installation order. */
export type FaultPlan = readonly FaultEvent[];

/** The service name every candidate answers for. */
export const SERVICE = 'svc.test';
/** The port the client connects to. */
export const PORT = 7000;
/** The line an accepting candidate sends. */
export const REPLY = 'hello from the server';
/** How late a `slow` candidate's server app accepts, in ms. */
export const SLOW_ACCEPT_MS = 50;
/** SYN retries of a case's world: a blackholed candidate times out after 7 s, not 127 s. */
export const SYN_RETRIES = 2;

/** The address of candidate `i`: distinct per index, so each can have its own fate. */
export function candidateAddress(c: Pick<CandidateSpec, 'family'>, i: number): string {
  return c.family === 'inet' ? `10.0.0.${11 + i}` : `fd00::${11 + i}`;
}

/** The host name of candidate `i`. */
export function candidateHost(i: number): string {
  return `c${i}`;
}

/** How the walk must end: connected to an address, or failed with Tcl's message for the last error. */
export type Expected =
  | { readonly kind: 'connected'; readonly address: string }
  | { readonly kind: 'failed'; readonly message: string };

const FATE_ERRNO: Readonly<Record<Exclude<Fate, 'accept' | 'slow'>, Errno>> = {
  refuse: 'ECONNREFUSED',
  unreachable: 'EHOSTUNREACH',
  blackhole: 'ETIMEDOUT',
};

/**
 * The reference model of a walk over `t` with no fault plan (spec §3.2–§3.3): the first
 * candidate that accepts (`accept` or `slow`) in resolver order; if none, the error of the last
 * attempt. Every candidate goes in flight (a simulated connect always answers "in progress"),
 * and every failure ends (RST, ICMP, or the SYN retries running out), so the walk always ends.
 */
export function expectedOutcome(t: Topology): Expected {
  let last: Errno = 'EHOSTUNREACH';
  for (const [i, c] of t.candidates.entries()) {
    if (c.fate === 'accept' || c.fate === 'slow') return { kind: 'connected', address: candidateAddress(c, i) };
    last = FATE_ERRNO[c.fate];
  }
  return { kind: 'failed', message: tclMessage(last) };
}
