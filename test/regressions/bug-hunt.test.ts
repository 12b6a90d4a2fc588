// Every counterexample the bug hunt has shrunk (test/regressions/pinned-cases.ts), replayed with
// its schedule: each breaks its invariant only when its bug is switched on, its run follows the
// pinned schedule exactly (every tie choice in the trace, no FIFO fallback), and two replays
// give byte-identical traces. A local run with any seed therefore still meets every bug.
import { describe, expect, it } from 'vitest';
import { formatSchedule } from '../../src/clock/schedule-encoding.js';
import { checkDeterministic, describeDeterminism, runConnectCase } from '../../src/fast-check.js';
import { DEFAULT_PROFILE, withBugs } from '../../src/socket/profiles.js';
import { HUNTS } from '../helpers/hunts.js';
import { PINNED } from './pinned-cases.js';

describe('each pinned counterexample replays with its schedule and breaks its invariant only when its bug is on', () => {
  for (const { bug, story, c } of PINNED) {
    it(`${bug}: ${story}`, () => {
      const hunt = HUNTS.find((h) => h.bug === bug);
      if (hunt === undefined) throw new Error(`no hunt for ${bug}`);
      const buggy = withBugs(DEFAULT_PROFILE, [bug]);
      expect(hunt.check(c, runConnectCase(c, DEFAULT_PROFILE))).toBe('held');
      const o = runConnectCase(c, buggy, { trace: true });
      expect(() => hunt.check(c, o)).toThrow();
      // The schedule is the whole story of the run's ties: followed exactly, and recorded.
      expect(o.built.replay?.fallbacks).toBe(0);
      expect(formatSchedule(o.built.world.trace.entriesOf('clock.tie').map((e) => e.chose))).toBe(formatSchedule(c.schedule));
      const same = checkDeterministic(() => runConnectCase(c, buggy, { trace: true }).built.world);
      expect(describeDeterminism(same)).toMatch(/^identical/);
    });
  }
});
