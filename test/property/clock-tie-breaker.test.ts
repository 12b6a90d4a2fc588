// Tie-breakers may reorder only what is simultaneous. For any tie-breaker — seeded, or an
// arbitrary list of choices replayed — a program of schedules, cancels and time-window moves
// fires exactly the timers FIFO fires, each at the same time; the sequence of firing times is
// identical, so only the order among equal-time timers can differ. Timers are named by their
// ancestry ("r3.1.0" is the first child of the second child of root timer 3), which does not
// depend on firing order, so the two runs can be compared name by name.
//
// Callbacks here only schedule: a callback that cancels a simultaneous timer would legitimately
// change *which* timers fire under another order. Cancels and steps come from outside, between
// time-window moves (advance/advanceTo/runUntilIdle), after which the set of fired timers does
// not depend on the order within an instant.
//
// The second property checks the other promise of race exploration: the choices a seeded
// breaker records, replayed, reproduce its run exactly — even with callbacks that cancel.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { propertyParams } from '../helpers/property.js';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { ReplayTieBreaker, SeededTieBreaker, fifoTieBreaker, type TieBreaker } from '../../src/clock/tie-breaker.js';
import { Rng } from '../../src/random/rng.js';

type Step =
  | { readonly op: 'schedule'; readonly delay: number }
  | { readonly op: 'cancel'; readonly back: number }
  | { readonly op: 'advance'; readonly ms: number }
  | { readonly op: 'advanceTo'; readonly offset: number }
  | { readonly op: 'runUntilIdle' };

interface Program {
  /** Child delays per timer, indexed by depth-first hash of the name (see `childrenOf`). */
  readonly children: readonly (readonly number[])[];
  /** For the replay property: whether a callback also cancels an older timer. */
  readonly cancelsInCallbacks: boolean;
  readonly steps: readonly Step[];
}

/** Maximum depth of a timer's ancestry, so that self-scheduling terminates. */
const MAX_DEPTH = 3;

function childrenOf(program: Program, name: string): readonly number[] {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return program.children[h % program.children.length] ?? [];
}

/** Runs `program` and returns the firings as [name, time] in firing order. */
function execute(program: Program, tieBreaker: TieBreaker): [string, number][] {
  const clock = new VirtualClock({ tieBreaker });
  const fired: [string, number][] = [];
  const ids: number[] = []; // every timer, in creation order
  const rootIds: number[] = []; // root timers only: the same in every run, whatever the order
  const schedule = (delay: number, name: string, depth: number): number => {
    const fire = (): void => {
      fired.push([name, clock.now()]);
      if (depth < MAX_DEPTH) childrenOf(program, name).forEach((d, i) => schedule(d, `${name}.${i}`, depth + 1));
      if (program.cancelsInCallbacks) clock.clearTimer(ids[(name.length * 7) % ids.length] as number);
    };
    const id = clock.setTimer(delay, fire, name);
    ids.push(id);
    return id;
  };
  for (const step of program.steps) {
    switch (step.op) {
      case 'schedule':
        rootIds.push(schedule(step.delay, `r${rootIds.length}`, 0));
        break;
      case 'cancel':
        if (rootIds.length > 0) clock.clearTimer(rootIds[rootIds.length - 1 - (step.back % rootIds.length)] as number);
        break;
      case 'advance':
        clock.advance(step.ms);
        break;
      case 'advanceTo':
        clock.advanceTo(clock.now() + step.offset);
        break;
      case 'runUntilIdle':
        clock.runUntilIdle();
        break;
    }
  }
  clock.runUntilIdle();
  return fired;
}

const delayArb = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(0.5, 1.5) },
);

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: delayArb.map((delay) => ({ op: 'schedule' as const, delay })) },
  { weight: 1, arbitrary: fc.nat(10).map((back) => ({ op: 'cancel' as const, back })) },
  { weight: 2, arbitrary: delayArb.map((ms) => ({ op: 'advance' as const, ms })) },
  { weight: 1, arbitrary: fc.integer({ min: -1, max: 4 }).map((offset) => ({ op: 'advanceTo' as const, offset })) },
  { weight: 1, arbitrary: fc.constant({ op: 'runUntilIdle' as const }) },
);

function programArb(cancelsInCallbacks: boolean): fc.Arbitrary<Program> {
  return fc.record({
    children: fc.array(fc.array(delayArb, { maxLength: 2 }), { minLength: 1, maxLength: 6, size: 'max' }),
    cancelsInCallbacks: fc.constant(cancelsInCallbacks),
    // size 'max': fast-check's default size would cap every program at 10 steps.
    steps: fc.array(stepArb, { maxLength: 30, size: 'max' }),
  });
}

/** Either a seeded breaker or an arbitrary replayed choice list (any index, even out of range). */
const breakerArb: fc.Arbitrary<() => TieBreaker> = fc.oneof(
  fc.integer().map((seed) => () => new SeededTieBreaker(new Rng(seed))),
  fc.array(fc.nat(6), { maxLength: 60, size: 'max' }).map((choices) => () => new ReplayTieBreaker(choices)),
);

test('any tie-breaker fires the same timers at the same times as FIFO, reordering only within an instant', () => {
  fc.assert(
    fc.property(programArb(false), breakerArb, (program, makeBreaker) => {
      const fifo = execute(program, fifoTieBreaker);
      const other = execute(program, makeBreaker());
      // The sequence of firing times is identical...
      expect(other.map(([, t]) => t)).toEqual(fifo.map(([, t]) => t));
      // ...and so is the multiset of (timer, time): sort both by name within each time.
      const canonical = (firings: [string, number][]): string[] =>
        firings.map(([name, t]) => `${t}:${name}`).sort();
      expect(canonical(other)).toEqual(canonical(fifo));
    }),
    propertyParams('tie-breakers only reorder simultaneous timers', 'test/property/clock-tie-breaker.test.ts'),
  );
});

test("replaying a seeded breaker's recorded choices reproduces its run exactly", () => {
  fc.assert(
    fc.property(programArb(true), fc.integer(), (program, seed) => {
      const seeded = new SeededTieBreaker(new Rng(seed));
      const original = execute(program, seeded);
      const replay = new ReplayTieBreaker([...seeded.choices]);
      expect(execute(program, replay)).toEqual(original);
      expect(replay.fallbacks).toBe(0);
    }),
    propertyParams('seeded choices replay exactly', 'test/property/clock-tie-breaker.test.ts'),
  );
});
