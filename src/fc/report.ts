/**
 * Failure reports for people: the shrunk case, its schedule with the tie candidates' labels,
 * the timeline at every level, and the exact replay command.
 *
 * Owns: `formatFailure` (text of an `explore` failure), `assertProperty` (explore, and throw
 * `ERR_PROPERTY_FAILED` with that text), and `detnetReporter`, a fast-check `reporter`
 * parameter that adds the timeline to fast-check's own message — for `fc.assert(...)` and for
 * `@fast-check/vitest`'s `test.prop(arbs, { reporter })` alike.
 *
 * Tie labels are printed as the trace's `clock.tie` entries carry them: the clock's timer labels,
 * e.g. `conn2 [fd00::1]:32769→[fd00::11]:7000 syn`, `after#0 Timeout`, `register:connect:sock1`.
 *
 * Does not: run cases itself (explore.ts).
 */
import fc from 'fast-check';
import { DetnetError } from '../errors.js';
import { explore, rerun, type ExploreFailure, type ExploreOptions, type TieReport } from './explore.js';

function tieLine(t: TieReport): string {
  const shown = t.candidates.map((c, i) => (i === t.chose ? `[${c}]` : c)).join('  ');
  return `  tie ${t.step} at ${t.at} ms: ${shown}  → ${t.chose}`;
}

/** The schedule section: the encoded schedule, then one line per tie (chosen candidate in brackets). */
export function formatTies(schedule: string, ties: readonly TieReport[]): string[] {
  if (ties.length === 0) return ['schedule: "" (no same-instant choice was made)'];
  return [`schedule: ${schedule}`, ...ties.map(tieLine)];
}

/** The whole report of an `explore` failure. */
export function formatFailure<T>(f: ExploreFailure<T>, seed: number): string {
  return [
    `property failed at case ${f.run} (seed ${seed}), shrunk ${f.shrinks} time(s): ${f.error}`,
    `counterexample: ${JSON.stringify(f.counterexample)}`,
    ...(f.reproduced ? [] : ['warning: re-running the counterexample did not fail again (is the property deterministic?)']),
    ...formatTies(f.schedule, f.ties),
    `timeline (level all${f.worlds > 1 ? `, last of ${f.worlds} worlds` : ''}):`,
    ...f.timeline,
    `replay: ${f.replay}`,
  ].join('\n');
}

/** Runs `explore` and throws `ERR_PROPERTY_FAILED` with `formatFailure`'s text if it finds a counterexample. */
export function assertProperty<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => boolean | void, options: ExploreOptions<T>): void {
  const report = explore(arbitrary, predicate, options);
  if (report.failure !== undefined) throw new DetnetError('ERR_PROPERTY_FAILED', formatFailure(report.failure, report.seed));
}

/**
 * A fast-check `reporter` that, on failure, re-runs `predicate` on the counterexample with full
 * traces and throws fast-check's own message followed by the schedule, the timeline (level
 * `all`) and the replay command. Pass the property's predicate (taking the arbitraries' values
 * as its arguments) and, optionally, the test file for the command.
 */
export function detnetReporter<Ts extends unknown[]>(predicate: (...args: Ts) => boolean | void, file = ''): (details: fc.RunDetails<Ts>) => void {
  return (details) => {
    if (!details.failed || details.counterexample === null) return;
    const args = details.counterexample;
    const again = rerun((a: Ts) => predicate(...a), args);
    const replay = `DETNET_SEED=${details.seed} DETNET_PATH=${details.counterexamplePath ?? ''} npx vitest run${file === '' ? '' : ` ${file}`}`;
    throw new Error(
      [fc.defaultReportMessage(details), ...formatTies(again.schedule, again.ties), 'timeline (level all):', ...again.timeline, `replay: ${replay}`].join('\n'),
    );
  };
}
