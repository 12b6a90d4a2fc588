// Two things the clock now tells a schedule source and a trace: which causal chain each tied
// timer belongs to (PCT's threads), and every tie decision it accepted (onTie). Chains must
// survive throwing and re-entrant callbacks; onTie must report exactly the accepted choices.
import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../../../src/clock/virtual-clock.js';
import { fifoTieBreaker } from '../../../src/clock/tie-breaker.js';
import type { TieBreaker, TieCandidate, TieDecision } from '../../../src/clock/schedule-source.js';

/** A breaker that always takes the last candidate and remembers what it saw. */
function spy(): { breaker: TieBreaker; seen: TieCandidate[][] } {
  const seen: TieCandidate[][] = [];
  return { seen, breaker: { name: 'spy', choose: (c) => (seen.push([...c]), c.length - 1) } };
}

describe('causal chains', () => {
  test('a timer scheduled outside callbacks starts a chain; timers scheduled by its callbacks join it, transitively', () => {
    const { breaker, seen } = spy();
    const clock = new VirtualClock({ tieBreaker: breaker });
    // root r (seq 0) → child c (seq 2) → grandchild g (seq 3), all meeting other roots in ties.
    clock.setTimer(1, () => clock.setTimer(1, () => clock.setTimer(1, () => {}, 'g'), 'c'), 'r');
    clock.setTimer(2, () => {}, 'other2');
    clock.setTimer(3, () => {}, 'other3');
    clock.runUntilIdle();
    const chainOf = (label: string): number | undefined => seen.flat().find((c) => c.label === label)?.chain;
    expect(chainOf('c')).toBe(0);
    expect(chainOf('g')).toBe(0);
    expect(chainOf('other2')).toBe(1);
    expect(chainOf('other3')).toBe(2);
  });

  test('after a callback throws, a timer scheduled from outside starts its own chain again', () => {
    const { breaker, seen } = spy();
    const clock = new VirtualClock({ tieBreaker: breaker });
    clock.setTimer(1, () => {
      throw new Error('boom');
    }, 'thrower');
    expect(() => clock.runUntilIdle()).toThrow('boom');
    const a = clock.setTimer(1, () => {}, 'a');
    clock.setTimer(1, () => {}, 'b');
    clock.runUntilIdle();
    const candidate = seen.flat().find((c) => c.label === 'a');
    expect(candidate?.chain).toBe(candidate?.seq);
    expect(candidate?.id).toBe(a);
  });

  test('a callback that runs the clock again keeps its own chain for what it schedules afterwards', () => {
    const { breaker, seen } = spy();
    const clock = new VirtualClock({ tieBreaker: breaker });
    clock.setTimer(1, () => {
      clock.setTimer(0, () => {}, 'inner'); // chain 0, fired by the nested run below
      clock.runNext();
      clock.setTimer(5, () => {}, 'after'); // still chain 0
    }, 'outer');
    clock.setTimer(6, () => {}, 'rival'); // seq 1, its own chain
    clock.runUntilIdle();
    const after = seen.flat().find((c) => c.label === 'after');
    const rival = seen.flat().find((c) => c.label === 'rival');
    expect(after?.chain).toBe(0);
    expect(rival?.chain).toBe(1);
  });
});

describe('onTie', () => {
  test('reports each accepted choice with its step, instant, candidates and index', () => {
    const decisions: TieDecision[] = [];
    const { breaker } = spy();
    const clock = new VirtualClock({ tieBreaker: breaker, onTie: (d) => decisions.push(d) });
    for (const label of ['x', 'y', 'z']) clock.setTimer(4, () => {}, label);
    clock.setTimer(7, () => {}, 'alone');
    clock.runUntilIdle();
    expect(decisions.map((d) => [d.step, d.at, d.candidates.map((c) => c.label), d.chose])).toEqual([
      [0, 4, ['x', 'y', 'z'], 2],
      [1, 4, ['x', 'y'], 1],
    ]);
  });

  test('is never called in FIFO order, which makes no decision', () => {
    let calls = 0;
    const clock = new VirtualClock({ tieBreaker: fifoTieBreaker, onTie: () => calls++ });
    for (let i = 0; i < 3; i++) clock.setTimer(1, () => {});
    clock.runUntilIdle();
    expect(calls).toBe(0);
  });

  test('is not called for a choice the clock rejected, and the step is not used up', () => {
    const decisions: TieDecision[] = [];
    let answer = 5;
    const clock = new VirtualClock({ tieBreaker: { name: 'bad-then-good', choose: () => answer }, onTie: (d) => decisions.push(d) });
    clock.setTimer(1, () => {});
    clock.setTimer(1, () => {});
    expect(() => clock.runNext()).toThrow();
    expect(decisions).toEqual([]);
    answer = 1;
    clock.runUntilIdle();
    expect(decisions.map((d) => d.step)).toEqual([0]);
  });
});
