// The acceptance test of issue 12: a user's 20-line property (examples/connect-helper-property.ts)
// over their own connect helper (examples/connect-helper.ts), written with detnet/fast-check.
// The correct helper passes; the one with a planted 1 ms timing window is found within a bound
// on the pinned seed, shrinks to at most two candidates, and the report carries a readable
// schedule, the timeline and the replay command. (How fast over 20 seeds: npm run bench -- explore.)
import { describe, expect, it } from 'vitest';
import { explore, formatFailure } from '../../src/fast-check.js';
import { connectWithGrace, connectWithTimeout } from '../../examples/connect-helper.js';
import { helperCaseArb, helperReportsOnceAndTruly } from '../../examples/connect-helper-property.js';
import { propertyParams } from '../helpers/property.js';

const FILE = 'test/examples/connect-helper.test.ts';
/** The seed the "found within a bound" assertion is pinned to, and the bound. */
const PINNED_SEED = 20261124;
const FOUND_WITHIN = 300;

describe('a user property over their own connect helper', () => {
  it('holds for the correct helper: it reports exactly once, and what the reference model predicts', () => {
    const params = propertyParams('connect helper', FILE);
    const report = explore(helperCaseArb, helperReportsOnceAndTruly(connectWithTimeout), { seed: params.seed ?? PINNED_SEED, runs: params.numRuns ?? 1000 });
    if (report.failure !== undefined) throw new Error(formatFailure(report.failure, report.seed));
    expect(report.runs).toBe(params.numRuns);
  });

  it('finds the planted 1 ms window of the buggy helper on the pinned seed, shrunk to at most two candidates', () => {
    const report = explore(helperCaseArb, helperReportsOnceAndTruly(connectWithGrace), { seed: PINNED_SEED, runs: 5_000, replayCommand: () => `npx vitest run ${FILE}` });
    const f = report.failure;
    expect(f).toBeDefined();
    if (f === undefined) return;
    console.log(formatFailure(f, report.seed));
    expect(f.run).toBeLessThanOrEqual(FOUND_WITHIN);
    expect(f.counterexample.topology.candidates.length).toBeLessThanOrEqual(2);
    expect(f.reproduced).toBe(true);
    // The report is readable on its own: the shrunk case, the schedule, the timeline at level
    // all (clock and loop entries included) and the command that replays it.
    const text = formatFailure(f, report.seed);
    expect(text).toContain('schedule: ');
    expect(text).toMatch(/loop\.timer .*label=Timeout/);
    expect(text).toContain(`replay: npx vitest run ${FILE}`);
    // And the correct helper passes on exactly that case.
    expect(() => helperReportsOnceAndTruly(connectWithTimeout)(f.counterexample)).not.toThrow();
  });
});
