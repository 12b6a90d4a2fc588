// The counterexample exhaustive enumeration found for the README's race (README "Exploring
// races", test/examples/explore-336441ed59.test.ts): on a zero-latency loopback, schedule
// 0.1.0 lets the connect finish before the socket's watch takes effect. Pinned here with its
// schedule: under 336441ed59 it loses the connect (vwait would wait forever, the lost readiness
// is in the trace), under the default profile the same schedule is reported, and the replay
// follows the schedule to the last choice.
import { describe, expect, it } from 'vitest';
import { ReplaySource } from '../../src/clock/replay-source.js';
import { parseSchedule } from '../../src/clock/schedule-encoding.js';
import { WouldWaitForeverError } from '../../src/loop/event-loop.js';
import { World } from '../../src/sim/world.js';
import { DEFAULT_PROFILE, withBugs, type Profile } from '../../src/socket/profiles.js';
import { app, interpOn, script } from '../../examples/support.js';

const SCHEDULE = '0.1.0';

function attempt(profile: Profile): { reported: boolean; world: World; replay: ReplaySource } {
  const replay = new ReplaySource(parseSchedule(SCHEDULE));
  const world = new World({ seed: 1, tieBreaker: replay });
  const host = world.addHost('box', { addresses: ['10.0.0.5'] });
  app(host, 9000, { kind: 'reply', line: 'ok', then: 'keep-open' }, '127.0.0.1');
  const tcl = interpOn(world, 'box', profile);
  const h = tcl.socket('127.0.0.1', 9000, { async: true });
  h.fileevent('writable', script('Connected', () => {
    h.fileevent('writable', null);
    tcl.set('done');
  }));
  try {
    tcl.vwait('done');
    return { reported: true, world, replay };
  } catch (err) {
    if (err instanceof WouldWaitForeverError) return { reported: false, world, replay };
    throw err;
  }
}

describe(`schedule ${SCHEDULE} of the loopback race`, () => {
  it('loses the quick connect under 336441ed59, following every pinned choice', () => {
    const run = attempt(withBugs(DEFAULT_PROFILE, ['336441ed59']));
    expect(run.reported).toBe(false);
    expect(run.world.trace.entriesOf('loop.lost').length).toBeGreaterThan(0);
    expect(run.replay.schedule).toBe(SCHEDULE);
    expect(run.replay.fallbacks).toBe(0);
  });

  it('is reported under the default profile', () => {
    expect(attempt(DEFAULT_PROFILE).reported).toBe(true);
  });
});
