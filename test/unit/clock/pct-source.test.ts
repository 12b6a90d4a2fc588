// PCT orders ties by thread priority and changes priorities at depth − 1 drawn steps. These
// tests pin down what a thread is (a causal chain), what a change point does, and that bad
// options are refused.
import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../../../src/clock/virtual-clock.js';
import { PctSource } from '../../../src/clock/pct-source.js';
import type { TieCandidate } from '../../../src/clock/schedule-source.js';
import { Rng } from '../../../src/random/rng.js';

/** Three chains, each re-arming itself at every instant 1..6: winners per instant. */
function chains(source: PctSource): string[] {
  const clock = new VirtualClock({ tieBreaker: source });
  const first: string[] = [];
  for (const name of ['A', 'B', 'C']) {
    const step = (j: number) => (): void => {
      if (first.length < j) first.push(name);
      if (j < 6) clock.setTimer(1, step(j + 1), name);
    };
    clock.setTimer(1, step(1), name);
  }
  clock.runUntilIdle();
  return first;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('PctSource', () => {
  test('with depth 1 (no change point) one chain wins every instant: priorities belong to chains, not timers', () => {
    const winnersSeen = new Set<string>();
    for (let seed = 1; seed <= 30; seed++) {
      const first = chains(new PctSource(new Rng(seed), { depth: 1, steps: 12 }));
      expect(first).toHaveLength(6);
      expect(new Set(first).size).toBe(1);
      winnersSeen.add(first[0] as string);
    }
    // ...and the initial priorities are random: every chain wins on some seed.
    expect([...winnersSeen].sort()).toEqual(['A', 'B', 'C']);
  });

  test('a change point at a step demotes the chain that would have won it, for the rest of the run', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const source = new PctSource(new Rng(seed), { depth: 2, steps: 12 });
      const first = chains(source);
      const point = source.changePoints[0] as number;
      // Ties happen at decisions 0, 1 (instant 1: three then two candidates), 2, 3 (instant 2), …
      const instantOf = (step: number): number => Math.floor(step / 2) + 1;
      if (point % 2 === 1) {
        // On a second-place decision: the first place of every instant is unchanged.
        expect(new Set(first).size).toBe(1);
      } else {
        // On a first-place decision: one chain leads before it, another from it on.
        const at = instantOf(point);
        const before = new Set(first.slice(0, at - 1));
        const after = new Set(first.slice(at - 1));
        expect(after.size).toBe(1);
        expect(before.size).toBeLessThanOrEqual(1);
        for (const w of before) expect(after.has(w)).toBe(false);
      }
    }
  });

  test('draws depth − 1 distinct change points within the step estimate, from its Rng alone', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const a = new PctSource(new Rng(seed), { depth: 4, steps: 5 });
      expect(a.changePoints).toHaveLength(3);
      expect(new Set(a.changePoints).size).toBe(3);
      expect(a.changePoints.every((p) => Number.isInteger(p) && p >= 0 && p < 5)).toBe(true);
      expect(new PctSource(new Rng(seed), { depth: 4, steps: 5 }).changePoints).toEqual(a.changePoints);
    }
  });

  test('the same Rng seed gives the same choices; every choice is recorded with its labels', () => {
    const a = new PctSource(new Rng(9), { depth: 3, steps: 12 });
    const b = new PctSource(new Rng(9), { depth: 3, steps: 12 });
    expect(chains(a)).toEqual(chains(b));
    expect(a.choices).toEqual(b.choices);
    expect(a.choices).toHaveLength(12);
    expect(a.decisions[0]?.labels).toEqual(['A', 'B', 'C']);
  });

  test('threadOf can define threads otherwise: one thread for all makes PCT plain FIFO', () => {
    const source = new PctSource(new Rng(3), { depth: 1, steps: 12, threadOf: () => 'all' });
    const clock = new VirtualClock({ tieBreaker: source });
    const log: string[] = [];
    for (const name of ['x', 'y', 'z']) clock.setTimer(1, () => log.push(name), name);
    clock.runUntilIdle();
    expect(log).toEqual(['x', 'y', 'z']);
    expect(source.choices).toEqual([0, 0]);
  });

  test('a candidate list reaches threadOf as the clock built it, with its chain', () => {
    const seen: number[][] = [];
    const source = new PctSource(new Rng(1), {
      depth: 1,
      threadOf: (c: TieCandidate) => {
        seen.push([c.seq, c.chain]);
        return c.chain;
      },
    });
    const clock = new VirtualClock({ tieBreaker: source });
    clock.setTimer(1, () => clock.setTimer(1, () => {}, 'child'), 'root0');
    clock.setTimer(2, () => {}, 'root1');
    clock.runUntilIdle();
    // At t=2 the child (seq 2, chain of root0 = 0) ties with root1 (seq 1, its own chain 1).
    expect(seen).toContainEqual([2, 0]);
    expect(seen).toContainEqual([1, 1]);
  });

  test.each([
    ['depth 0', { depth: 0 }],
    ['a fractional depth', { depth: 1.5 }],
    ['fewer steps than change points', { depth: 4, steps: 2 }],
    ['zero steps', { depth: 1, steps: 0 }],
  ])('refuses %s with ERR_INVALID_PCT_OPTIONS', (_what, options) => {
    expect(codeOf(() => new PctSource(new Rng(1), options))).toBe('ERR_INVALID_PCT_OPTIONS');
  });
});
