// Race exploration on the real simulator, with the race of examples/bug-336441ed59.ts: on a
// zero-latency loopback a connect completes at the same virtual instant as the socket's watch
// registration. Exhaustive enumeration of those same-instant choices must find the lost
// completion under a profile with the bug, with a schedule that replays it byte for byte, and
// must prove the default profile race-free for this scenario: every schedule passes and no
// bound was hit.
import { describe, expect, test } from 'vitest';
import { World } from '../../src/sim/world.js';
import { DEFAULT_PROFILE, withBugs } from '../../src/socket/profiles.js';
import { WouldWaitForeverError } from '../../src/loop/event-loop.js';
import { exploreExhaustive, describeExhaustive } from '../../src/clock/exhaustive.js';
import { ReplaySource } from '../../src/clock/replay-source.js';
import { SeededSource } from '../../src/clock/seeded-source.js';
import { parseSchedule } from '../../src/clock/schedule-encoding.js';
import type { WorldTieOption } from '../../src/clock/tie-trace.js';
import { app, interpOn, script } from '../../examples/support.js';

/** The example's scenario with a given schedule source: was the connect reported? */
function attempt(tieBreaker: WorldTieOption, buggy: boolean): { reported: boolean; world: World } {
  const world = new World({ seed: 1, tieBreaker });
  const host = world.addHost('box', { addresses: ['10.0.0.5'] });
  app(host, 9000, { kind: 'reply', line: 'ok', then: 'keep-open' }, '127.0.0.1');
  const tcl = interpOn(world, 'box', buggy ? withBugs(DEFAULT_PROFILE, ['336441ed59']) : DEFAULT_PROFILE);
  const h = tcl.socket('127.0.0.1', 9000, { async: true });
  h.fileevent('writable', script('Connected', () => {
    h.fileevent('writable', null);
    tcl.set('done');
  }));
  try {
    tcl.vwait('done');
    return { reported: true, world };
  } catch (err) {
    if (err instanceof WouldWaitForeverError) return { reported: false, world };
    throw err;
  }
}

describe('exhaustive exploration of the 336441ed59 race', () => {
  test('under the bug profile it finds a schedule that loses the connect, and that schedule replays the hang byte for byte', () => {
    let last = '';
    const report = exploreExhaustive((source) => {
      const { reported, world } = attempt(source, true);
      last = world.trace.toJSONL();
      return reported;
    });
    expect(report.failure).toBeDefined();
    const failing = last;
    const replay = new ReplaySource(parseSchedule(report.failure?.schedule ?? ''));
    const again = attempt(replay, true);
    expect(again.reported).toBe(false);
    expect(replay.fallbacks).toBe(0);
    expect(again.world.trace.toJSONL()).toBe(failing);
    // The lost completion is in the replayed trace, as the notifier records it.
    expect(again.world.trace.entriesOf('loop.lost').length).toBeGreaterThan(0);
  });

  test('under the default profile every schedule passes and no bound is hit: a proof for this scenario', () => {
    const tieSizes: number[] = [];
    const report = exploreExhaustive((source) => {
      const { reported, world } = attempt(source, false);
      for (const e of world.trace.entriesOf('clock.tie')) tieSizes.push(e.candidates.length);
      return reported;
    });
    expect(report.failure).toBeUndefined();
    expect(report.complete).toBe(true);
    expect(report.hitDepthBound || report.hitScheduleBound).toBe(false);
    // Not vacuous: the scenario has ties, so more than one order was run.
    expect(tieSizes.length).toBeGreaterThan(0);
    expect(report.schedules).toBeGreaterThan(1);
    expect(describeExhaustive(report)).toBe(`all ${report.schedules} schedules pass (every schedule covered)`);
  });

  test('a seeded run of the scenario replays byte for byte from its recorded choices', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const { world } = attempt((rng) => new SeededSource(rng.fork(`s${seed}`)), true);
      const source = world.clock.tieBreaker as SeededSource;
      const replay = new ReplaySource(parseSchedule(source.schedule));
      expect(attempt(replay, true).world.trace.toJSONL()).toBe(world.trace.toJSONL());
      expect(replay.fallbacks).toBe(0);
    }
  });
});
