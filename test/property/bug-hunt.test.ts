// The promise of the README: the property tests "find each historical Tcl bug when it is
// switched on". For each bug switch of src/socket/profiles.ts this file states, as a sentence,
// the invariant a Tcl user relies on and that the bug broke (reference §10), then
//   1. checks it holds on random cases under DEFAULT_PROFILE (Tcl 8.6.13 unix), and counts the
//      cases where its premise applied, so a vacuous pass cannot hide;
//   2. checks the same invariant under withBugs(DEFAULT_PROFILE, [bug]) and asserts that it
//      FAILS, printing the seed, the number of runs fast-check needed and the shrunk case.
// The invariants live in test/helpers/hunts.ts (shared with test/regressions/). Cases and
// observations come from detnet/fast-check (src/fc: connectCaseArb, runConnectCase),
// the same arbitraries users get; expected values come from the reference (§3.2–§3.6, §5, §7),
// through its `expectedOutcome` model, not from runs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE, withBugs, type Profile } from '../../src/socket/profiles.js';
import { connectCaseArb } from '../../src/fc/arbitraries.js';
import { runConnectCase, type ConnectCase } from '../../src/fc/client-program.js';
import { HUNTS, type Hunt, type Verdict } from '../helpers/hunts.js';
import { PROPERTY_RUNS, propertyParams } from '../helpers/property.js';

const FILE = 'test/property/bug-hunt.test.ts';

const huntCaseArb = connectCaseArb();

function property(hunt: Hunt, profile: Profile, onVerdict: (v: Verdict) => void = () => undefined): fc.IPropertyWithHooks<[ConnectCase]> {
  return fc.property(huntCaseArb, (c) => {
    onVerdict(hunt.check(c, runConnectCase(c, profile)));
  });
}

describe('the property tests find each historical Tcl bug when it is switched on', () => {
  for (const hunt of HUNTS) {
    describe(`${hunt.sentence} (bug ${hunt.bug})`, () => {
      it('holds under the default profile, and its premise applies to a fair share of the cases', () => {
        const params = propertyParams<[ConnectCase]>(`${hunt.bug} holds by default`, FILE);
        let applied = 0;
        fc.assert(property(hunt, DEFAULT_PROFILE, (v) => void (v === 'held' && applied++)), params);
        console.log(`[bug-hunt] ${hunt.bug}: premise applied in ${applied} of ${params.numRuns} cases`);
        // A property whose premise never applies proves nothing: ask for at least 1% of the
        // cases. The rarest premise (581937ab1e: a readable-only handler on a connect that fails)
        // applies in about 2–3.5% of the generated cases (22–34 of 1,000 over seeds 1–5 and the
        // CI seed), so 2% failed on some local seeds; see the printed counts.
        expect(applied).toBeGreaterThanOrEqual(Math.floor((params.numRuns ?? PROPERTY_RUNS) / 100));
      });

      it(`fails once ${hunt.bug} is switched on, and reports a replayable counterexample`, () => {
        const buggy = withBugs(DEFAULT_PROFILE, [hunt.bug]);
        const params = propertyParams<[ConnectCase]>(`${hunt.bug} is found under ${buggy.name}`, FILE);
        const details = fc.check(property(hunt, buggy), params);
        console.log(
          `[bug-hunt] ${hunt.bug}: failed=${details.failed} after ${details.numRuns} run(s), ${details.numShrinks} shrink(s); ` +
            `seed=${details.seed} path=${details.counterexamplePath ?? '-'}\n` +
            `  shrunk case: ${JSON.stringify(details.counterexample?.[0] ?? null)}\n` +
            `  broken because: ${firstLine(details.errorInstance)}`,
        );
        expect(details.failed).toBe(true);
        // The shrunk case still breaks the invariant under the bug, and only under the bug.
        const c = details.counterexample?.[0];
        expect(c).toBeDefined();
        if (c === undefined) return;
        expect(() => hunt.check(c, runConnectCase(c, buggy))).toThrow();
        expect(() => hunt.check(c, runConnectCase(c, DEFAULT_PROFILE))).not.toThrow();
      });
    });
  }
});

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? '';
}
