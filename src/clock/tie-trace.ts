/**
 * Ties in the trace, and the world's choice of schedule source.
 *
 * Owns: the `clock.tie` trace kind — `{ t, kind: 'clock.tie', step, candidates, chose }`, one
 * entry per choice, where `t` is the instant the tied timers are due, `step` the position in
 * the schedule, `candidates` the timers' labels in scheduling order and `chose` the index
 * taken — and `worldSchedule`, which turns a world's `tieBreaker` option into a tie-breaker
 * and the `onTie` hook that records those entries. Reading the `chose` fields of a trace's
 * `clock.tie` entries, in order, gives back the run's schedule.
 *
 * Does not own: the world (src/sim/world.ts calls `worldSchedule`) or how the timeline shows
 * entries (`clock.tie` is shown at the `all` level).
 *
 * Departs from reality: a real trace cannot tell which simultaneous events were simultaneous.
 */
import type { Rng } from '../random/rng.js';
import type { Trace } from '../trace/trace.js';
import { DetnetError } from '../errors.js';
import { PctSource } from './pct-source.js';
import type { TieBreaker, TieDecision } from './schedule-source.js';
import { SeededSource } from './seeded-source.js';
import { fifoTieBreaker } from './tie-breaker.js';

declare module '../trace/trace.js' {
  interface TraceKindMap {
    /** The clock's schedule source chose candidate `chose` of `candidates` (labels), decision `step`. */
    'clock.tie': { step: number; candidates: string[]; chose: number };
  }
}

/** The trace kinds a world's clock records (besides the simulator's own, src/sim/trace-kinds.ts). */
export const CLOCK_TRACE_KINDS = ['clock.tie'] as const;

/** Returns an `onTie` hook that records each decision as a `clock.tie` entry in `trace`. */
export function traceTies(trace: Trace): (decision: TieDecision) => void {
  return (d) => {
    if (!trace.enabled) return;
    trace.record(d.at, 'clock.tie', { step: d.step, candidates: d.candidates.map((c) => c.label), chose: d.chose });
  };
}

/**
 * A world's `tieBreaker` option: `fifo` (the default: scheduling order, nothing recorded),
 * `seeded` (uniform random from the world RNG's `ties` fork), `pct` (PCT with its defaults,
 * from the same fork), a tie-breaker or schedule source of your own, or a function that builds
 * one from the `ties` fork (e.g. `(rng) => new PctSource(rng, { depth: 2, steps: 10 })`).
 */
export type WorldTieOption = 'fifo' | 'seeded' | 'pct' | TieBreaker | ((ties: Rng) => TieBreaker);

/** The tie-breaker and trace hook for a world with RNG `rng`, trace `trace` and option `option`. */
export function worldSchedule(
  option: WorldTieOption | undefined,
  rng: Rng,
  trace: Trace,
): { readonly tieBreaker: TieBreaker; readonly onTie: (decision: TieDecision) => void } {
  let tieBreaker: TieBreaker;
  if (option === undefined || option === 'fifo') tieBreaker = fifoTieBreaker;
  else if (option === 'seeded') tieBreaker = new SeededSource(rng.fork('ties'));
  else if (option === 'pct') tieBreaker = new PctSource(rng.fork('ties'));
  else if (typeof option === 'function') tieBreaker = option(rng.fork('ties'));
  else tieBreaker = option;
  if (tieBreaker === null || typeof tieBreaker !== 'object' || typeof tieBreaker.choose !== 'function') {
    throw new DetnetError(
      'ERR_INVALID_OPTIONS',
      `tieBreaker must be 'fifo', 'seeded', 'pct', an object with choose(), or a function returning one; got ${String(option)}`,
    );
  }
  return { tieBreaker, onTie: traceTies(trace) };
}
