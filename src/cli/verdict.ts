/**
 * The verdict of a run against its scenario's expectations.
 *
 * Owns: which trace a backend is held to — the backend's own trace from `differences` when
 * the scenario declares one (with its reason), else `expect.trace` — and the one-line
 * verdict, with `diffObservations`' report of the first difference when it fails.
 *
 * Does not: run anything or decide exit codes (the run command does: a failed verdict is 1).
 */
import type { Scenario } from '../scenario/scenario.js';
import { diffObservations, type ObservationLine } from '../trace/observation.js';
import type { BackendName } from './traced-run.js';

/** The trace `backend` is held to, and where it comes from. */
export interface Expectation {
  readonly lines: readonly ObservationLine[];
  /** `expect.trace`, or `differences[<backend>].trace`. */
  readonly source: string;
  /** Why the backend has a trace of its own, when it has one. */
  readonly reason?: string;
}

/**
 * What `scenario` expects of `backend`: null when it expects nothing. Throws nothing; a
 * backend the scenario says cannot run it is `notRunnable` (its reason).
 */
export function expectationFor(scenario: Scenario, backend: BackendName): Expectation | { readonly notRunnable: string } | null {
  const difference = (scenario.differences ?? []).find((d) => d.backend === backend);
  if (difference !== undefined) {
    if (difference.trace === undefined) return { notRunnable: difference.reason };
    return { lines: difference.trace, source: `differences[${backend}].trace`, reason: difference.reason };
  }
  const trace = scenario.expect?.trace;
  return trace === undefined ? null : { lines: trace, source: 'expect.trace' };
}

/** A verdict: whether the lines met the expectation, and the text to print. */
export interface Verdict {
  readonly ok: boolean;
  readonly text: string;
}

/** Compares a run's normalised `lines` with `expectation`. */
export function verdict(expectation: Expectation, lines: readonly ObservationLine[], backend: BackendName): Verdict {
  const diff = diffObservations(expectation.lines, lines, { expected: 'expected', actual: backend });
  const why = expectation.reason === undefined ? '' : `\n  (${backend} differs here by nature: ${expectation.reason})`;
  if (diff === null) return { ok: true, text: `✓ expectations met: the trace equals ${expectation.source}, ${lines.length} lines${why}` };
  return { ok: false, text: `✗ expectations failed: the trace differs from ${expectation.source}${why}\n${diff}` };
}
