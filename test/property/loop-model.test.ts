import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { propertyParams } from '../helpers/property.js';
import { interpret, loopApi, programArb, TclModel } from './loop-programs.js';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { SeededTieBreaker } from '../../src/clock/tie-breaker.js';
import { Rng } from '../../src/random/rng.js';

const FILE = 'test/property/loop-model.test.ts';

describe('EventLoop against a model of Tcl 8.6', () => {
  it('random after / after idle / cancel / update / vwait / sleep programs fire the same handlers at the same times as Tcl', () => {
    // The log holds every handler run with its virtual time, every cancel result, every vwait
    // outcome (satisfied, would wait forever, budget) and every background error, in order; the
    // model is a literal transcription of Tcl's notifier, timer and idle code. Half the runs
    // use a seeded tie-breaker on the clock: Tcl's own timers must keep Tcl's order anyway.
    fc.assert(
      fc.property(programArb, fc.option(fc.integer(), { nil: null }), (program, tieSeed) => {
        const expected: string[] = [];
        const model = new TclModel(expected);
        interpret(model, program, expected);

        const actual: string[] = [];
        const clock = new VirtualClock(tieSeed === null ? {} : { tieBreaker: new SeededTieBreaker(new Rng(tieSeed)) });
        interpret(loopApi(actual, { clock }).api, program, actual);

        expect(actual).toEqual(expected);
        expect(clock.now()).toBe(model.now());
      }),
      propertyParams('loop matches Tcl model', FILE),
    );
  });

  it('would-wait-forever is thrown exactly when the model has no pending event left', () => {
    // Every top-level vwait that says "forever" must find nothing pending at all — no timer on
    // the clock and no queued, due or idle work — and the model must agree it is dry; every
    // other outcome must come with the model still able to go on or satisfied.
    fc.assert(
      fc.property(programArb, (program) => {
        const modelLog: string[] = [];
        const model = new TclModel(modelLog);
        const modelDry: boolean[] = [];
        model.onForever = () => modelDry.push(model.dry);
        interpret(model, program, modelLog);

        const log: string[] = [];
        const { api, loop, clock } = loopApi(log);
        const implDry: boolean[] = [];
        api.onForever = () => implDry.push(clock.pendingCount === 0 && !loop.hasPendingWork());
        interpret(api, program, log);

        expect(implDry.every((dry) => dry)).toBe(true);
        expect(modelDry.every((dry) => dry)).toBe(true);
        expect(implDry.length).toBe(modelDry.length);
        expect(log.filter((l) => l.includes(' forever@'))).toEqual(modelLog.filter((l) => l.includes(' forever@')));
      }),
      propertyParams('would wait forever iff model is dry', FILE),
    );
  });
});
