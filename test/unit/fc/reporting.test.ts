// The reporting half of detnet/fast-check: checkDeterministic finds the first differing trace
// line of a run that is not a function of its inputs; explore returns the shrunk case with its
// schedule, timeline and replay command; detnetReporter adds the same to fast-check's message.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDeterministic, describeDeterminism, detnetReporter, explore, formatFailure, runProgram, topologyArb, worldFrom } from '../../../src/fast-check.js';
import type { ClientProgram, Topology } from '../../../src/fast-check.js';
import { World } from '../../../src/sim/world.js';
import { DEFAULT_PROFILE, withBugs } from '../../../src/socket/profiles.js';

const topology: Topology = { candidates: [{ family: 'inet', fate: 'accept', latency: { kind: 'fixed', ms: 3 } }], seed: 7 };

describe('checkDeterministic', () => {
  it('says two runs of the same case are identical', () => {
    const r = checkDeterministic(() => runProgram(topology, waitWritable, { trace: true }).built.world);
    expect(r.deterministic).toBe(true);
    expect(describeDeterminism(r)).toMatch(/^identical \(\d+ trace lines\)$/);
  });

  it('names the first differing line when a run reads state from outside (here a counter)', () => {
    let calls = 0;
    const r = checkDeterministic(() => {
      const world = new World({ seed: 1 });
      world.addHost(`h${calls++}`, { addresses: ['10.0.0.1'] });
      return world;
    });
    expect(r).toEqual({
      deterministic: false,
      line: 1,
      first: '{"t":0,"kind":"host.add","host":"h0","addresses":["10.0.0.1"],"ipv6Loopback":true}',
      second: '{"t":0,"kind":"host.add","host":"h1","addresses":["10.0.0.1"],"ipv6Loopback":true}',
    });
  });
});

const waitWritable: ClientProgram = {
  shape: 'background', blocking: false, write: 'none', writable: true, readable: false, writableFirst: true,
  timeoutMs: null, pollNow: false, pollAt: [], pollOptions: [],
};

/** Under 336441ed59, a connect finished at the instant it starts can be lost: vwait waits forever. */
function reported(profile = withBugs(DEFAULT_PROFILE, ['336441ed59'])) {
  return ({ t, schedule }: { t: Topology; schedule: number[] }): boolean =>
    runProgram(t, waitWritable, { profile, schedule }).vwait === 'done';
}

const zeroLatencyCase = fc.record({
  t: topologyArb({ maxCandidates: 2, fates: ['refuse', 'accept'] }).map((t) => ({ ...t, candidates: t.candidates.map((c) => ({ ...c, latency: { kind: 'fixed' as const, ms: 0 } })) })),
  schedule: fc.array(fc.nat(2), { maxLength: 6 }),
});

describe('explore and the reporters', () => {
  it('return the shrunk case, a schedule whose ties carry the timers\' labels, the timeline at level all and the replay command', () => {
    const report = explore(zeroLatencyCase, reported(), { seed: 42, runs: 500, replayCommand: (f) => `replay seed=${f.seed} path=${f.path}` });
    const f = report.failure;
    expect(f).toBeDefined();
    if (f === undefined) return;
    expect(f.counterexample.t.candidates).toHaveLength(1);
    expect(f.reproduced).toBe(true);
    expect(f.ties.length).toBeGreaterThan(0);
    expect(f.ties.every((t) => t.candidates.length >= 2 && t.candidates.every((l) => l !== ''))).toBe(true);
    expect(f.schedule).toBe(f.ties.map((t) => t.chose).join('.'));
    expect(f.timeline.some((l) => l.includes('clock.tie'))).toBe(true);
    expect(f.replay).toBe(`replay seed=42 path=${f.path}`);
    const text = formatFailure(f, report.seed);
    expect(text).toContain(`schedule: ${f.schedule}`);
    expect(text).toContain('loop.lost');
  });

  it('find nothing on the default profile, where the quick connect is always reported', () => {
    expect(explore(zeroLatencyCase, reported(DEFAULT_PROFILE), { seed: 42, runs: 300 }).failure).toBeUndefined();
  });

  it('detnetReporter throws fast-check\'s message followed by the schedule, the timeline and the replay command', () => {
    const predicate = (t: Topology, schedule: number[]): boolean => reported()({ t, schedule });
    const arbs = [zeroLatencyCase.map((c) => c.t), fc.array(fc.nat(2), { maxLength: 6 })] as const;
    let message = '';
    try {
      fc.assert(fc.property(...arbs, predicate), { seed: 42, numRuns: 500, reporter: detnetReporter(predicate, 'some.test.ts') });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/Property failed after \d+ tests/);
    expect(message).toMatch(/schedule: [0-9.x]+\n {2}tie 0 at 0 ms: /);
    expect(message).toContain('timeline (level all):');
    expect(message).toMatch(/replay: DETNET_SEED=42 DETNET_PATH=[0-9:]+ npx vitest run some\.test\.ts/);
  });

  it('worldFrom keeps no trace unless asked, so cases run at full speed', () => {
    expect(worldFrom(topology).world.trace.enabled).toBe(false);
    expect(worldFrom(topology, { trace: true }).world.trace.enabled).toBe(true);
  });
});
