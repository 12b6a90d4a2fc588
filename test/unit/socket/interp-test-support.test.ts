// Interp for tests (issue 12 item 3): `strictBackgroundErrors` turns a handler's exception into
// a failure of the run (typed, with the handler's error as its cause) instead of a line in
// `loop.backgroundErrors`; `drain({ budgetMs })` lets forgotten timers fire before the checks
// and says what ran.
import { describe, expect, it } from 'vitest';
import { World } from '../../../src/sim/world.js';
import { SimDriver } from '../../../src/socket/sim-driver.js';
import { Interp } from '../../../src/socket/interp.js';
import { BackgroundHandlerError } from '../../../src/socket/test-support.js';

function interp(strict?: boolean): Interp {
  const world = new World({ seed: 1 });
  world.addHost('client', { addresses: ['10.0.0.1'] });
  return new Interp(new SimDriver(world, 'client'), { trace: world.trace, ...(strict === undefined ? {} : { strictBackgroundErrors: strict }) });
}

const boom = (): never => {
  throw new Error('boom');
};

describe('strictBackgroundErrors', () => {
  it('makes vwait throw the handler error at once, typed, with the original as its cause, reported once', () => {
    const tcl = interp(true);
    tcl.afterScript(5, { text: 'Bad', run: boom });
    tcl.afterScript(10, { text: 'Done', run: () => tcl.set('done') });
    let caught: unknown;
    try {
      tcl.vwait('done');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(BackgroundHandlerError);
    const e = caught as BackgroundHandlerError;
    expect(e.code).toBe('ERR_BACKGROUND_ERROR');
    expect(e.handler).toBe('after 5');
    expect(e.at).toBe(5);
    expect((e.cause as Error).message).toBe('boom');
    // The wait stopped at the failure, not at `done`.
    expect(tcl.driver.clock.now()).toBe(5);
    expect(tcl.loop.backgroundErrors.map((b) => (b.error as Error).message)).toEqual(['boom']);
  });

  it('makes update and drain throw it too', () => {
    const tcl = interp(true);
    tcl.afterScript(0, { text: 'Bad', run: boom });
    expect(() => tcl.update()).toThrow(BackgroundHandlerError);
    const later = interp(true);
    later.afterScript(50, { text: 'Bad', run: boom });
    expect(() => later.drain({ budgetMs: 100 })).toThrow(/after 50 raised an error at 50 ms: boom/);
  });

  it('keeps an error raised outside vwait/update/drain (here the loop serviced directly) for the next command, once', () => {
    const tcl = interp(true);
    tcl.afterScript(0, { text: 'Bad', run: boom });
    expect(() => tcl.loop.update()).not.toThrow(); // not an Interp command: the error waits
    expect(() => tcl.after(1)).toThrow(BackgroundHandlerError);
    expect(() => tcl.after(1)).not.toThrow();
    // The failing command is in the observation trace with its code.
    expect(tcl.trace.entries.some((e) => e.kind === 'obs' && e['op'] === 'after 1' && e['errorcode'] === 'ERR_BACKGROUND_ERROR')).toBe(true);
  });

  it('is off by default: as in Tcl, the error is only reported and the wait goes on', () => {
    const tcl = interp();
    tcl.afterScript(5, { text: 'Bad', run: boom });
    tcl.afterScript(10, { text: 'Done', run: () => tcl.set('done') });
    tcl.vwait('done');
    expect(tcl.driver.clock.now()).toBe(10);
    expect(tcl.loop.backgroundErrors).toHaveLength(1);
  });
});

describe('drain', () => {
  it('lets a forgotten timer fire and says what ran, ending idle at its time', () => {
    const tcl = interp();
    let fired = false;
    tcl.afterScript(500, { text: 'Timeout', run: () => void (fired = true) });
    const report = tcl.drain({ budgetMs: 1_000 });
    expect(fired).toBe(true);
    expect(report).toEqual({ events: 1, ran: ['after#0 Timeout'], idle: true, until: 500 });
  });

  it('stops at its budget, leaving later timers pending and the clock at the budget end', () => {
    const tcl = interp();
    tcl.afterScript(500, { text: 'Timeout', run: () => undefined });
    const report = tcl.drain({ budgetMs: 100 });
    expect(report).toEqual({ events: 0, ran: [], idle: false, until: 100 });
    expect(tcl.loop.afterInfo()).toEqual(['after#0']);
  });

  it('refuses a missing or negative budget with ERR_INVALID_DRAIN', () => {
    const tcl = interp();
    expect(() => tcl.drain({ budgetMs: -1 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_DRAIN' }));
    expect(() => tcl.drain({} as { budgetMs: number })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_DRAIN' }));
  });
});
