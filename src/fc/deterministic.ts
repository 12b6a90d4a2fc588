/**
 * `checkDeterministic(run)`: runs a simulation twice and compares the two traces byte for byte.
 *
 * Owns: the comparison and the report of the first difference (line number and both lines of
 * the JSONL traces). detnet promises that the same seed and the same calls give a byte-identical
 * trace; a user's own code can break that (a global counter, `Math.random`, iteration over
 * something unordered), and this is the check that says where.
 *
 * Does not: say why two runs differ; the first differing line is where to start looking.
 */
import type { World } from '../sim/world.js';
import type { Trace } from '../trace/trace.js';

/** What `checkDeterministic` found. */
export type DeterminismReport =
  | { readonly deterministic: true; readonly lines: number }
  | {
      readonly deterministic: false;
      /** 1-based number of the first line that differs. */
      readonly line: number;
      /** That line in each run (`undefined`: the run's trace ended before it). */
      readonly first: string | undefined;
      readonly second: string | undefined;
    };

function traceOf(x: World | Trace): Trace {
  return 'trace' in x ? x.trace : x;
}

/**
 * Calls `run` twice; each call builds its world afresh and returns it (or its trace, which must
 * keep entries). Returns whether the two JSONL traces are identical, or the first difference.
 */
export function checkDeterministic(run: () => World | Trace): DeterminismReport {
  const a = traceOf(run()).toJSONL().split('\n');
  const b = traceOf(run()).toJSONL().split('\n');
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return { deterministic: false, line: i + 1, first: a[i], second: b[i] };
  }
  return { deterministic: true, lines: a.length - 1 };
}

/** One line for people: "identical (123 lines)" or where the runs part. */
export function describeDeterminism(r: DeterminismReport): string {
  if (r.deterministic) return `identical (${r.lines} trace lines)`;
  return `the runs differ at trace line ${r.line}:\n  first:  ${r.first ?? '(end of trace)'}\n  second: ${r.second ?? '(end of trace)'}`;
}
