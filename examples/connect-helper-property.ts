/**
 * The property a user writes for their own connect helper with `detnet/fast-check` — about
 * twenty lines: any topology (1–3 candidates, any fates, scripted latencies), any schedule of
 * same-instant choices, any timeout; the helper must report exactly once, and tell the truth
 * the reference model (`expectedOutcome`) predicts. Shared by the acceptance test
 * (test/examples/connect-helper.test.ts) and the `explore` benchmark.
 */
import fc from 'fast-check';
import { expectedOutcome, scheduleArb, topologyArb, worldFrom } from '../src/fast-check.js';
import type { ConnectResult } from './connect-helper.js';
import type { Interp } from '../src/socket/interp.js';

/** A helper under test: same signature as `connectWithTimeout`. */
export type Helper = (tcl: Interp, host: string, port: number, timeoutMs: number, done: (r: ConnectResult) => void) => void;

/** The cases: a topology, a schedule and the helper's timeout. */
export const helperCaseArb = fc.record({ topology: topologyArb({ maxCandidates: 3 }), schedule: scheduleArb(), timeoutMs: fc.integer({ min: 1, max: 200 }) });
export type HelperCase = typeof helperCaseArb extends fc.Arbitrary<infer T> ? T : never;

/** The property: returns normally when it holds, throws a sentence when it does not. */
export function helperReportsOnceAndTruly(helper: Helper): (c: HelperCase) => void {
  return ({ topology, schedule, timeoutMs }) => {
    const { tcl, service, port } = worldFrom(topology, { schedule });
    const results: ConnectResult[] = [];
    helper(tcl, service, port, timeoutMs, (r) => results.push(r));
    tcl.drain({ budgetMs: 120_000 }); // let the forgotten timers fire: a late second report shows up
    if (results.length !== 1) throw new Error(`reported ${results.length} times: ${JSON.stringify(results)}`);
    const expected = expectedOutcome(topology);
    const r = results[0] as ConnectResult;
    if (r.kind === 'connected' && (expected.kind !== 'connected' || r.peer !== expected.address)) throw new Error(`connected to ${r.peer}, expected ${JSON.stringify(expected)}`);
    if (r.kind === 'failed' && (expected.kind !== 'failed' || r.error !== expected.message)) throw new Error(`failed with "${r.error}", expected ${JSON.stringify(expected)}`);
  };
}

/** A parallel helper under test: same signature as `connectFirstOf` without its last argument. */
export type ParallelHelper = (tcl: Interp, host: string, port: number, done: (r: ConnectResult) => void) => void;

/** Cases of the parallel helper: a topology and a schedule. */
export const parallelCaseArb = fc.record({ topology: topologyArb({ maxCandidates: 3 }), schedule: scheduleArb() });
export type ParallelCase = typeof parallelCaseArb extends fc.Arbitrary<infer T> ? T : never;

/** The same property for the parallel helper: one report, and the truth. */
export function parallelReportsOnceAndTruly(helper: ParallelHelper): (c: ParallelCase) => void {
  return ({ topology, schedule }) => {
    const { tcl, service, port } = worldFrom(topology, { schedule });
    const results: ConnectResult[] = [];
    helper(tcl, service, port, (r) => results.push(r));
    tcl.drain({ budgetMs: 120_000 });
    if (results.length !== 1) throw new Error(`reported ${results.length} times: ${JSON.stringify(results)}`);
    const expected = expectedOutcome(topology);
    const r = results[0] as ConnectResult;
    if (r.kind === 'connected' && (expected.kind !== 'connected' || r.peer !== expected.address)) throw new Error(`connected to ${r.peer}, expected ${JSON.stringify(expected)}`);
    if (r.kind === 'failed' && (expected.kind !== 'failed' || r.error !== expected.message)) throw new Error(`failed with "${r.error}", expected ${JSON.stringify(expected)}`);
  };
}
