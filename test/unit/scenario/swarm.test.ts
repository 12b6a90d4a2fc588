/**
 * Swarm mode's fault mix (issue 12, item 2): each run draws which fault kinds are on and how
 * often; the mix's text form round-trips, so the replay command carries it exactly; a bad mix
 * is a typed error naming the part; shrinking a mix only ever removes or lowers.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/random/rng.js';
import { drawMix, formatMix, MIX_KINDS, parseMix, smallerMixes } from '../../../src/scenario/swarm.js';
import { playCase } from '../../../src/cli/scenario-explorer.js';
import { loadScenario, resolveScenarioFile } from '../../../src/cli/scenario-files.js';
import { ReplaySource } from '../../../src/clock/replay-source.js';

describe('fault mixes', () => {
  it('differ between runs: some runs have few kinds on, some many', () => {
    const sizes = Array.from({ length: 64 }, (_, i) => Object.keys(drawMix(new Rng(i))).length);
    expect(Math.min(...sizes)).toBe(0);
    expect(Math.max(...sizes)).toBe(MIX_KINDS.length);
  });

  it('are drawn from the seed alone', () => {
    expect(formatMix(drawMix(new Rng(5)))).toBe(formatMix(drawMix(new Rng(5))));
  });

  it('round-trip through their text form', () => {
    for (let i = 0; i < 32; i++) {
      const mix = drawMix(new Rng(i));
      expect(parseMix(formatMix(mix))).toEqual(mix);
    }
    expect(formatMix({})).toBe('none');
    expect(parseMix('none')).toEqual({});
  });

  it('reject a bad part with ERR_INVALID_MIX naming it', () => {
    for (const [text, part] of [['drop=2', 'drop=2'], ['loss=0.1', 'loss=0.1'], ['drop=0.1,', ''], ['drop=0', 'drop=0']] as const) {
      expect(() => parseMix(text)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_MIX', message: expect.stringContaining(`"${part}"`) }));
    }
    expect(() => parseMix('drop=0.1,drop=0.2')).toThrow(/given twice/);
  });

  it('shrink by switching one kind off or halving one probability, never growing', () => {
    const mix = { drop: 0.25, reset: 0.01 };
    const smaller = smallerMixes(mix);
    expect(smaller).toEqual([{ reset: 0.01 }, { drop: 0.13, reset: 0.01 }, { drop: 0.25 }]);
    expect(smallerMixes({})).toEqual([]);
  });

  it('hit packets when installed: refuse=1 refuses every connect of the default scenario', async () => {
    const scenario = loadScenario(resolveScenarioFile('default'));
    const refused = await playCase({ scenario, mix: parseMix('refuse=1'), latency: undefined, checkExpectations: false }, new ReplaySource([]));
    const clean = await playCase({ scenario, mix: {}, latency: undefined, checkExpectations: false }, new ReplaySource([]));
    const refusals = (c: typeof clean): number => c.run.entries.filter((e) => e.kind === 'net.refuse').length;
    // ::1 has no listener either way; with the mix, 127.0.0.1 refuses too.
    expect(refusals(clean)).toBe(1);
    expect(refusals(refused)).toBe(2);
    expect(refused.run.lines.some((l) => 'error' in l || JSON.stringify(l).includes('connection refused'))).toBe(true);
  });
});
