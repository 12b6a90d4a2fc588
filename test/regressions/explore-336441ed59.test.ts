// The counterexamples `detnet explore` found while it was built (issue 12), pinned with their
// schedules: each replays to the lost quick connect under 336441ed59, and the same schedule is
// fine under the default profile — so the failure is the bug's, not the schedule's.
// - the default scenario (loopback only, 0 ms): schedule 0.1 lets the RST of the refused ::1
//   attempt arrive before the socket's watch is registered;
// - examples/scenarios/readable-only.json at --latency 0: schedule 4x0.1, the same race on two
//   machines once every link is instant (at its 5 ms the race cannot happen at all).
import { describe, expect, it } from 'vitest';
import { parseSchedule } from '../../src/clock/schedule-encoding.js';
import { cli } from '../unit/cli/helpers.js';

const PINNED = [
  { scenario: 'default', schedule: '0.1', extra: [] as string[], why: '✗ the case fails: ✗ expectations failed' },
  { scenario: 'examples/scenarios/readable-only.json', schedule: '4x0.1', extra: ['--latency', '0'], why: '✗ the case fails: vwait done ended only by its guard' },
];

describe('counterexamples of detnet explore, replayed', () => {
  for (const p of PINNED) {
    it(`${p.scenario} with schedule ${p.schedule} loses the connect under 336441ed59 and not under the default profile`, async () => {
      const buggy = await cli(['replay', p.scenario, '--schedule', p.schedule, '--bugs', '336441ed59', ...p.extra]);
      expect(buggy.code).toBe(1);
      expect(buggy.out).toContain(p.why);
      // Every pinned choice was taken: the replayed ties start with exactly the schedule.
      const chose = [...buggy.out.matchAll(/^ {2}tie \d+ at \d+ ms: .*→ (\d+)$/gm)].map((m) => Number(m[1]));
      const pinned = parseSchedule(p.schedule);
      expect(chose.slice(0, pinned.length)).toEqual(pinned);
      expect(buggy.out).toContain('loop.lost');
      const fixed = await cli(['replay', p.scenario, '--schedule', p.schedule, ...p.extra]);
      expect(fixed.code).toBe(0);
      expect(fixed.out).toContain('✓ the property holds on this schedule');
    });
  }
});
