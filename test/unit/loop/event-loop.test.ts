import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/clock/virtual-clock.js';
import { RealClock } from '../../../src/clock/real-clock.js';
import {
  EventLoop,
  EventLoopLimitError,
  VwaitBudgetError,
  WouldWaitForeverError,
} from '../../../src/loop/event-loop.js';
import { Trace } from '../../../src/trace/trace.js';
import { AssertionError, DetnetError } from '../../../src/errors.js';

function setup(): { clock: VirtualClock; loop: EventLoop; log: string[]; trace: Trace } {
  const clock = new VirtualClock();
  const trace = new Trace();
  const loop = new EventLoop(clock, { trace });
  return { clock, loop, log: [], trace };
}

describe('after', () => {
  it('a timer that comes due while nobody services the loop only queues its handler', () => {
    // Advancing the clock is what a blocking channel operation does; Tcl runs no handler then.
    const { clock, loop, log } = setup();
    loop.after(10, () => log.push(`ran@${clock.now()}`));
    clock.advance(50);
    expect(log).toEqual([]);
    expect(loop.hasPendingWork()).toBe(true);
    loop.update();
    expect(log).toEqual(['ran@50']);
  });

  it('timers due at the same instant run in creation order', () => {
    const { clock, loop, log } = setup();
    loop.after(5, () => log.push('a'));
    loop.after(3, () => log.push('b'));
    loop.after(5, () => log.push('c'));
    loop.after(3, () => log.push('d'));
    clock.advance(5);
    loop.update();
    expect(log).toEqual(['b', 'd', 'a', 'c']);
  });

  it('a handler scheduled with after 0 by a running timer batch waits for the next timer event', () => {
    // Tcl excludes timers created during a timer event; an idle callback queued before the
    // batch therefore runs before the new after-0 handler only if the batch had ended.
    const { loop, log } = setup();
    loop.after(0, () => {
      log.push('first');
      loop.after(0, () => log.push('created-in-batch'));
    });
    loop.after(0, () => log.push('second'));
    loop.afterIdle(() => log.push('idle'));
    loop.update();
    expect(log).toEqual(['first', 'second', 'created-in-batch', 'idle']);
  });

  it('ids are Tcl style after#N shared by after and after idle', () => {
    const { loop } = setup();
    expect([loop.after(1, () => undefined), loop.afterIdle(() => undefined), loop.after(2, () => undefined)]).toEqual([
      'after#0',
      'after#1',
      'after#2',
    ]);
    expect(loop.afterInfo()).toEqual(['after#0', 'after#1', 'after#2']);
  });

  it('a negative delay counts as zero as in Tcl, and NaN is rejected with ERR_INVALID_DELAY', () => {
    const { clock, loop, log } = setup();
    loop.after(-5, () => log.push(`ran@${clock.now()}`));
    loop.update();
    expect(log).toEqual(['ran@0']);
    expect(() => loop.after(Number.NaN, () => undefined)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_DELAY' }));
  });
});

describe('after cancel', () => {
  it('cancels a scheduled timer so it never runs and the clock forgets it', () => {
    const { clock, loop, log } = setup();
    const id = loop.after(10, () => log.push('x'));
    expect(loop.cancel(id)).toBe(true);
    expect(clock.pendingCount).toBe(0);
    expect(() => loop.vwait('never')).toThrow(WouldWaitForeverError);
    expect(log).toEqual([]);
  });

  it('cancels a timer that is already due but has not run yet', () => {
    const { clock, loop, log } = setup();
    const id = loop.after(10, () => log.push('x'));
    clock.advance(20);
    expect(loop.cancel(id)).toBe(true);
    loop.update();
    expect(log).toEqual([]);
  });

  it('a handler can cancel a later handler of the same timer batch', () => {
    const { loop, log } = setup();
    let second = '';
    loop.after(0, () => {
      log.push('first');
      loop.cancel(second);
    });
    second = loop.after(0, () => log.push('second'));
    loop.update();
    expect(log).toEqual(['first']);
  });

  it('an idle callback can cancel a later idle callback of the same batch', () => {
    const { loop, log } = setup();
    let second = '';
    loop.afterIdle(() => {
      log.push('first');
      loop.cancel(second);
    });
    second = loop.afterIdle(() => log.push('second'));
    loop.update();
    expect(log).toEqual(['first']);
  });

  it('cancelling an unknown or finished id returns false', () => {
    const { loop } = setup();
    const id = loop.after(0, () => undefined);
    loop.update();
    expect(loop.cancel(id)).toBe(false);
    expect(loop.cancel('after#99')).toBe(false);
  });
});

describe('after idle', () => {
  it('runs only when no timer or file event is ready', () => {
    const { loop, log } = setup();
    loop.afterIdle(() => log.push('idle'));
    loop.after(0, () => log.push('timer'));
    loop.update();
    expect(log).toEqual(['timer', 'idle']);
  });

  it('idle callbacks scheduled by an idle callback wait for the next pass, after ready timers', () => {
    // The after-0 timer created by the first idle callback is ready at the next pass, so it
    // runs before the idle callback that the same batch scheduled.
    const { loop, log } = setup();
    loop.afterIdle(() => {
      log.push('idle1');
      loop.afterIdle(() => log.push('idle-from-idle'));
      loop.after(0, () => log.push('timer-from-idle'));
    });
    loop.afterIdle(() => log.push('idle2'));
    const n = loop.update();
    expect(log).toEqual(['idle1', 'idle2', 'timer-from-idle', 'idle-from-idle']);
    expect(n).toBe(3); // idle batch, timer event, idle batch
  });

  it('update idletasks runs idle callbacks but no timers', () => {
    const { loop, log } = setup();
    loop.after(0, () => log.push('timer'));
    loop.afterIdle(() => log.push('idle'));
    loop.updateIdle();
    expect(log).toEqual(['idle']);
  });
});

describe('update', () => {
  it('processes what is ready now without moving the virtual clock', () => {
    const { clock, loop, log } = setup();
    loop.after(0, () => log.push('now'));
    loop.after(1, () => log.push('later'));
    loop.update();
    expect(log).toEqual(['now']);
    expect(clock.now()).toBe(0);
  });

  it('stops a handler that keeps re-arming idle callbacks with EventLoopLimitError', () => {
    const clock = new VirtualClock();
    const loop = new EventLoop(clock, { loopLimit: 50 });
    const again = (): void => void loop.afterIdle(again, 'again');
    loop.afterIdle(again, 'again');
    expect(() => loop.update()).toThrow(EventLoopLimitError);
    expect(() => loop.update()).toThrow(/after#\d+:again/);
  });
});

describe('vwait', () => {
  it('returns on the next write of the variable, even with the same value', () => {
    const { clock, loop } = setup();
    loop.set('done', '1');
    loop.after(30, () => loop.set('done', '1'));
    loop.vwait('done');
    expect(clock.now()).toBe(30);
  });

  it('returns when the variable is unset', () => {
    const { clock, loop } = setup();
    loop.set('x', 'v');
    loop.after(7, () => loop.unset('x'));
    loop.vwait('x');
    expect(clock.now()).toBe(7);
    expect(loop.get('x')).toBeUndefined();
  });

  it('a write before vwait starts does not satisfy it', () => {
    const { loop } = setup();
    loop.set('done');
    expect(() => loop.vwait('done')).toThrow(WouldWaitForeverError);
  });

  it('waits for a predicate and returns at once when it already holds', () => {
    const { clock, loop } = setup();
    let hits = 0;
    loop.after(10, () => hits++);
    loop.after(20, () => hits++);
    loop.vwait(() => hits === 2);
    expect(clock.now()).toBe(20);
    loop.after(5, () => hits++);
    loop.vwait(() => hits === 2);
    expect(clock.now()).toBe(20); // no event needed
  });

  it('a nested vwait inside a handler works and the outer one returns after it', () => {
    const { clock, loop, log } = setup();
    loop.after(10, () => {
      log.push(`outer handler@${clock.now()}`);
      loop.after(5, () => loop.set('inner'));
      loop.vwait('inner');
      log.push(`inner done@${clock.now()}`);
      loop.set('outer');
    });
    loop.vwait('outer');
    expect(log).toEqual(['outer handler@10', 'inner done@15']);
    expect(clock.now()).toBe(15);
  });

  it('throws WouldWaitForeverError with Tcl wording when nothing could wake it', () => {
    const { clock, loop } = setup();
    loop.after(10, () => undefined);
    const err = (() => {
      try {
        loop.vwait('forever');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(WouldWaitForeverError);
    expect(err).toMatchObject({ code: 'ERR_WOULD_WAIT_FOREVER', waitingFor: 'forever', at: 10 });
    expect((err as Error).message).toMatch(/^can't wait for variable "forever": would wait forever/);
    expect(clock.now()).toBe(10); // the pending timer was used up first
  });

  it('runs idle callbacks before deciding that it would wait forever', () => {
    const { loop } = setup();
    loop.afterIdle(() => loop.set('v'));
    expect(() => loop.vwait('v')).not.toThrow();
    expect(loop.get('v')).toBe('1');
  });

  it('throws VwaitBudgetError and stops the clock at the end of the budget', () => {
    const { clock, loop, log } = setup();
    loop.after(100, () => log.push('late'));
    expect(() => loop.vwait('x', { budgetMs: 40 })).toThrow(VwaitBudgetError);
    expect(clock.now()).toBe(40);
    expect(log).toEqual([]);
    // An event exactly at the deadline is still within budget.
    loop.after(10, () => loop.set('y'));
    expect(() => loop.vwait('y', { budgetMs: 10 })).not.toThrow();
  });

  it('throws ERR_SYNC_WAIT_ON_REAL_CLOCK on a real clock', () => {
    const loop = new EventLoop(new RealClock());
    expect(() => loop.vwait('x')).toThrow(expect.objectContaining({ code: 'ERR_SYNC_WAIT_ON_REAL_CLOCK' }));
    expect(() => loop.doOneEvent(true)).toThrow(expect.objectContaining({ code: 'ERR_SYNC_WAIT_ON_REAL_CLOCK' }));
  });

  it('records its start and outcome in the trace', () => {
    const { loop, trace } = setup();
    loop.after(1, () => loop.set('a'));
    loop.vwait('a');
    expect(() => loop.vwait('b')).toThrow(WouldWaitForeverError);
    expect(trace.ofKind('loop.vwait').map((e) => [e.kind, e['what'], e['outcome']])).toEqual([
      ['loop.vwait', 'a', undefined],
      ['loop.vwait.end', 'a', 'satisfied'],
      ['loop.vwait', 'b', undefined],
      ['loop.vwait.end', 'b', 'forever'],
    ]);
  });
});

describe('background errors', () => {
  it('a throwing handler goes to the bgerror handler and the trace, and the loop goes on', () => {
    const seen: string[] = [];
    const clock = new VirtualClock();
    const trace = new Trace();
    const loop = new EventLoop(clock, {
      trace,
      onBackgroundError: (e) => seen.push(`${e.handler}@${e.at}: ${(e.error as Error).message}`),
    });
    loop.after(5, () => {
      throw new DetnetError('ERR_DEMO', 'boom');
    }, 'bad');
    loop.after(6, () => loop.set('done'));
    loop.vwait('done');
    expect(seen).toEqual(['bad@5: boom']);
    expect(loop.backgroundErrors).toHaveLength(1);
    expect(trace.entriesOf('loop.bgerror')).toEqual([
      { t: 5, kind: 'loop.bgerror', handler: 'bad', message: 'boom', code: 'ERR_DEMO' },
    ]);
  });

  it('a throwing bgerror handler propagates out of the servicing call', () => {
    const clock = new VirtualClock();
    const loop = new EventLoop(clock, {
      onBackgroundError: () => {
        throw new Error('bgerror failed');
      },
    });
    loop.after(0, () => {
      throw new Error('first');
    });
    expect(() => loop.update()).toThrow('bgerror failed');
  });

  it('an AssertionError from a handler is a detnet bug and propagates instead of being a bgerror', () => {
    const { loop } = setup();
    loop.after(0, () => {
      throw new AssertionError('broken');
    });
    expect(() => loop.update()).toThrow(AssertionError);
    expect(loop.backgroundErrors).toEqual([]);
  });
});

describe('vwaitAsync on a real clock', () => {
  it('returns after a real after timer sets the variable', async () => {
    const clock = new RealClock();
    const loop = new EventLoop(clock);
    const order: string[] = [];
    loop.after(15, () => {
      order.push('timer');
      loop.set('done');
    });
    loop.afterIdle(() => order.push('idle'));
    await loop.vwaitAsync('done');
    expect(order).toEqual(['idle', 'timer']);
    expect(clock.now()).toBeGreaterThanOrEqual(14);
    expect(clock.pendingCount).toBe(0);
  });

  it('rejects with VwaitBudgetError when its real budget runs out', async () => {
    const clock = new RealClock();
    const loop = new EventLoop(clock);
    await expect(loop.vwaitAsync('never', { budgetMs: 20 })).rejects.toBeInstanceOf(VwaitBudgetError);
    expect(clock.pendingCount).toBe(0);
  });

  it('on a virtual clock it is the synchronous vwait', async () => {
    const { clock, loop } = setup();
    loop.after(12, () => loop.set('v'));
    await loop.vwaitAsync('v');
    expect(clock.now()).toBe(12);
  });
});
