// Walks the state table of src/socket/node-connect-machine.ts row by row with direct calls to
// nodeStep (no harness), checking the effects of each row. Expected effects follow lib/net.js
// as read (internalConnectMultiple, afterConnectMultiple, internalConnectMultipleTimeout,
// Socket.prototype._destroy) and the event orders seen on Node 20.20 (noted where used).
import { describe, expect, it } from 'vitest';
import { AssertionError } from '../../../src/errors.js';
import { attemptError } from '../../../src/socket/node-connect-errors.js';
import {
  initialNodeState,
  isNodeConnecting,
  nodeStep,
  type NodeConnectState,
} from '../../../src/socket/node-connect-machine.js';
import type { NodeConnectEffect, NodeConnectEvent } from '../../../src/socket/node-connect-io.js';
import type { NodeConnectOptions } from '../../../src/socket/node-connect-plan.js';
import { DEFAULT_NODE_PROFILE, nodeMachineConfig, type NodeProfile } from '../../../src/socket/node-profiles.js';

const V6 = { address: '::1', family: 6 };
const V4 = { address: '127.0.0.1', family: 4 };
const V4B = { address: '127.0.0.2', family: 4 };

/** A machine and the effects of its last step. */
class Walker {
  state: NodeConnectState;
  constructor(options: NodeConnectOptions = { host: 'db.test', port: 10 }, profile: NodeProfile = DEFAULT_NODE_PROFILE) {
    this.state = initialNodeState(nodeMachineConfig(options, profile));
  }
  step(event: NodeConnectEvent): readonly NodeConnectEffect[] {
    const r = nodeStep(this.state, event);
    this.state = r.state;
    return r.effects;
  }
  /** Steps through `events`, returning the effects of the last. */
  steps(...events: NodeConnectEvent[]): readonly NodeConnectEffect[] {
    let last: readonly NodeConnectEffect[] = [];
    for (const e of events) last = this.step(e);
    return last;
  }
}

const returned: NodeConnectEvent = { type: 'listenersReturned' };
/** connect, a lookup with `answers`, and every 'lookup' listener returned. */
function announced(w: Walker, answers = [V6, V4, V4B]): readonly NodeConnectEffect[] {
  w.step({ type: 'connect' });
  w.step({ type: 'lookupDone', answers });
  let last: readonly NodeConnectEffect[] = [];
  for (let i = 0; i < answers.length; i++) last = w.step(returned);
  return last;
}
const emits = (effects: readonly NodeConnectEffect[]): string[] =>
  effects.flatMap((e) => (e.type === 'emit' ? [`${e.event.name}${e.deferred ? ' (deferred)' : ''}`] : []));

describe('lookup', () => {
  it('asks for every address, then announces each answer entry and waits for its listeners', () => {
    const w = new Walker();
    expect(w.step({ type: 'connect' })).toEqual([{ type: 'lookup', request: { host: 'db.test', hints: 32, all: true } }]);
    expect(w.state.kind).toBe('resolving');
    expect(w.step({ type: 'lookupDone', answers: [V6, V4] })).toEqual([
      { type: 'emit', event: { name: 'lookup', error: null, address: '::1', family: 6, host: 'db.test' }, deferred: false },
      { type: 'awaitListeners' },
    ]);
    expect(emits(w.step(returned))).toEqual(['lookup']);
    expect(w.state).toMatchObject({ kind: 'announcingLookup', index: 1 });
  });

  it('announces a lookup failure, then destroys with it on the next tick', () => {
    const w = new Walker();
    w.step({ type: 'connect' });
    const error = new Error('getaddrinfo ENOTFOUND db.test');
    const fx = w.step({ type: 'lookupFailed', error });
    expect(fx).toEqual([
      { type: 'emit', event: { name: 'lookup', error: { kind: 'external', error }, address: undefined, family: undefined, host: 'db.test' }, deferred: false },
      { type: 'nextTick', event: { type: 'destroy', error: { kind: 'external', error } } },
    ]);
    const tick = fx[1];
    expect(tick?.type === 'nextTick' && emits(w.step(tick.event))).toEqual(['error (deferred)', 'close (deferred)']);
    expect(w.state.kind).toBe('closed');
  });

  it('destroys with ERR_INVALID_IP_ADDRESS on the next tick when no entry is usable', () => {
    const w = new Walker();
    const fx = announced(w, [{ address: 'nope', family: 4 }]);
    expect(fx).toEqual([{ type: 'nextTick', event: { type: 'destroy', error: expect.objectContaining({ code: 'ERR_INVALID_IP_ADDRESS' }) } }]);
  });

  it('dials an IP literal on the next tick without any lookup', () => {
    const w = new Walker({ host: '::1', port: 10 });
    expect(w.step({ type: 'connect' })).toEqual([{ type: 'nextTick', event: { type: 'dialLiteral' } }]);
    expect(emits(w.step({ type: 'dialLiteral' }))).toEqual(['connectionAttempt']);
  });
});

describe('the walk', () => {
  it('announces attempt 0, starts it on a fresh handle, and arms the attempt timer', () => {
    const w = new Walker();
    const fx = announced(w);
    expect(fx).toEqual([
      { type: 'emit', event: { name: 'connectionAttempt', address: '::1', port: 10, family: 6 }, deferred: false },
      { type: 'awaitListeners' },
    ]);
    expect(w.step(returned)).toEqual([{ type: 'startAttempt', attempt: 0, address: '::1', port: 10, family: 6 }]);
    expect(w.step({ type: 'opened', attempt: 0 })).toEqual([{ type: 'armAttemptTimer', attempt: 0, ms: 500 }]);
    expect(w.state).toMatchObject({ kind: 'inFlight', attempt: 0 });
  });

  it('on a timeout announces it, then closes the abandoned handle before announcing the next attempt', () => {
    const w = new Walker();
    announced(w);
    w.steps(returned, { type: 'opened', attempt: 0 });
    expect(emits(w.step({ type: 'attemptTimerFired', attempt: 0 }))).toEqual(['connectionAttemptTimeout']);
    const fx = w.step(returned);
    expect(fx[0]).toEqual({ type: 'closeHandle', attempt: 0, cancelsConnect: false });
    expect(fx[1]).toMatchObject({ type: 'emit', event: { name: 'connectionAttempt', address: '127.0.0.1' } });
    expect(w.state.walk?.errors).toEqual([attemptError('ETIMEDOUT', '::1', 10)]);
  });

  it('clears the timer and reports a failed attempt before going on', () => {
    const w = new Walker();
    announced(w);
    w.steps(returned, { type: 'opened', attempt: 0 });
    const fx = w.step({ type: 'attemptFailed', attempt: 0, code: 'ECONNREFUSED' });
    expect(fx).toEqual([
      { type: 'clearAttemptTimer', attempt: 0 },
      { type: 'emit', event: { name: 'connectionAttemptFailed', address: '::1', port: 10, family: 6, error: attemptError('ECONNREFUSED', '::1', 10) }, deferred: false },
      { type: 'awaitListeners' },
    ]);
  });

  it('reports a synchronous failure with the local detail and arms no timer for it', () => {
    const w = new Walker();
    announced(w);
    w.step(returned);
    const fx = w.step({ type: 'openFailed', attempt: 0, code: 'EINVAL' });
    expect(fx.some((e) => e.type === 'armAttemptTimer' || e.type === 'clearAttemptTimer')).toBe(false);
    expect(fx[0]).toMatchObject({ event: { name: 'connectionAttemptFailed', error: { message: 'connect EINVAL ::1:10 - Local (undefined:undefined)' } } });
  });

  it('never times the last attempt', () => {
    const w = new Walker();
    announced(w, [V6, V4]);
    w.steps(returned, { type: 'opened', attempt: 0 }, { type: 'attemptFailed', attempt: 0, code: 'ECONNREFUSED' }, returned, returned);
    expect(w.step({ type: 'opened', attempt: 1 })).toEqual([]);
    expect(w.state.walk?.timer).toBeNull();
  });

  it('connects: clears the timer, emits connect then ready, and keeps the handle', () => {
    const w = new Walker();
    announced(w);
    w.steps(returned, { type: 'opened', attempt: 0 });
    const fx = w.step({ type: 'attemptConnected', attempt: 0 });
    expect(fx[0]).toEqual({ type: 'clearAttemptTimer', attempt: 0 });
    expect(emits(fx)).toEqual(['connect', 'ready']);
    expect(w.state).toMatchObject({ kind: 'connected', walk: { handle: 0 } });
    expect(isNodeConnecting(w.state)).toBe(false);
  });

  it('ends a walk whose every attempt failed with an AggregateError, then close(true)', () => {
    const w = new Walker();
    announced(w, [V6, V4]);
    w.steps(returned, { type: 'opened', attempt: 0 }, { type: 'attemptFailed', attempt: 0, code: 'ECONNREFUSED' }, returned, returned);
    w.steps({ type: 'opened', attempt: 1 }, { type: 'attemptFailed', attempt: 1, code: 'ECONNREFUSED' });
    const fx = w.step(returned);
    expect(fx[0]).toEqual({ type: 'closeHandle', attempt: 1, cancelsConnect: false });
    expect(emits(fx)).toEqual(['error (deferred)', 'close (deferred)']);
    const error = fx.find((e) => e.type === 'emit' && e.event.name === 'error');
    expect(error).toMatchObject({ event: { error: { kind: 'aggregate', code: 'ECONNREFUSED' } } });
    expect(w.state.kind).toBe('closed');
  });

  it('drops a result of an attempt it no longer waits on', () => {
    const w = new Walker();
    announced(w);
    w.steps(returned, { type: 'opened', attempt: 0 }, { type: 'attemptTimerFired', attempt: 0 }, returned, returned, { type: 'opened', attempt: 1 });
    const before = w.state;
    expect(w.step({ type: 'attemptConnected', attempt: 0 })).toEqual([]);
    expect(w.state).toBe(before);
  });
});

describe('the single-address path', () => {
  it('fails with the attempt’s own error, announced first when asynchronous', () => {
    const w = new Walker({ host: 'db.test', port: 10, autoSelectFamily: false });
    w.steps({ type: 'connect' }, { type: 'lookupDone', answers: [V4, V6] }, returned, returned, { type: 'opened', attempt: 0 });
    expect(w.state.walk?.candidates).toEqual([{ address: '127.0.0.1', family: 4 }]);
    expect(emits(w.step({ type: 'attemptFailed', attempt: 0, code: 'ECONNREFUSED' }))).toEqual(['connectionAttemptFailed']);
    const fx = w.step(returned);
    expect(fx.find((e) => e.type === 'emit' && e.event.name === 'error')).toMatchObject({ event: { error: { kind: 'system', code: 'ECONNREFUSED' } } });
  });

  it('fails at once, without connectionAttemptFailed, when the connect fails synchronously', () => {
    // internalConnect destroys straight away on a synchronous error.
    const w = new Walker({ host: '127.0.0.1', port: 10 });
    w.steps({ type: 'connect' }, { type: 'dialLiteral' }, returned);
    expect(emits(w.step({ type: 'openFailed', attempt: 0, code: 'EADDRNOTAVAIL' }))).toEqual(['error (deferred)', 'close (deferred)']);
  });
});

describe('destroy()', () => {
  it('while an attempt is in flight cancels it: close is owed until its ECANCELED is reported', () => {
    // Node 20.20: destroy() mid-attempt gives connectionAttemptFailed ECANCELED, then close(false).
    const w = new Walker();
    announced(w);
    w.steps(returned, { type: 'opened', attempt: 0 });
    expect(w.step({ type: 'destroy' })).toEqual([{ type: 'closeHandle', attempt: 0, cancelsConnect: true }]);
    expect(w.state).toMatchObject({ kind: 'inFlight', destroyed: true, closeOwed: false });
    const fx = w.step({ type: 'attemptFailed', attempt: 0, code: 'ECANCELED' });
    expect(emits(fx)).toEqual(['connectionAttemptFailed']);
    expect(emits(w.step(returned))).toEqual(['close (deferred)']);
    expect(w.state.kind).toBe('closed');
  });

  it('with an error emits that error before close(true)', () => {
    const w = new Walker();
    w.step({ type: 'connect' });
    const error = { kind: 'external', error: new Error('mine') } as const;
    expect(emits(w.step({ type: 'destroy', error }))).toEqual(['error (deferred)', 'close (deferred)']);
    expect(w.step({ type: 'destroy' })).toEqual([]);
  });

  it('during lookup drops the answer that comes later', () => {
    const w = new Walker();
    w.steps({ type: 'connect' }, { type: 'destroy' });
    expect(w.step({ type: 'lookupDone', answers: [V6, V4] })).toEqual([]);
    expect(w.state.kind).toBe('closed');
  });

  it('on a connected socket closes its handle and clears the idle timer', () => {
    const w = new Walker({ host: '127.0.0.1', port: 10 });
    w.steps({ type: 'connect' }, { type: 'setTimeout', ms: 1000 }, { type: 'dialLiteral' }, returned, { type: 'opened', attempt: 0 }, { type: 'attemptConnected', attempt: 0 });
    expect(w.step({ type: 'destroy' })).toEqual([
      { type: 'clearIdleTimer' },
      { type: 'closeHandle', attempt: 0, cancelsConnect: false },
      { type: 'emit', event: { name: 'close', hadError: false }, deferred: true },
    ]);
  });
});

describe('the idle timer', () => {
  it('emits timeout once per arming, is refreshed by the connect, and is disarmed by 0', () => {
    const w = new Walker({ host: '127.0.0.1', port: 10 });
    w.step({ type: 'connect' });
    expect(w.step({ type: 'setTimeout', ms: 50 })).toEqual([{ type: 'armIdleTimer', ms: 50 }]);
    expect(emits(w.step({ type: 'idleTimerFired' }))).toEqual(['timeout']);
    expect(w.step({ type: 'idleTimerFired' })).toEqual([]);
    w.steps({ type: 'setTimeout', ms: 50 }, { type: 'dialLiteral' }, returned, { type: 'opened', attempt: 0 });
    expect(w.step({ type: 'attemptConnected', attempt: 0 })[0]).toEqual({ type: 'refreshIdleTimer' });
    expect(w.step({ type: 'setTimeout', ms: 0 })).toEqual([{ type: 'clearIdleTimer' }]);
  });
});

describe('events that cannot happen', () => {
  it('throw an AssertionError naming the event and phase', () => {
    const w = new Walker();
    expect(() => w.step({ type: 'opened', attempt: 0 })).toThrow(AssertionError);
    w.step({ type: 'connect' });
    expect(() => w.step(returned)).toThrow(/listenersReturned cannot happen in phase resolving/);
  });

  it('include success of a connect that destroy() cancelled', () => {
    const w = new Walker();
    announced(w);
    w.steps(returned, { type: 'opened', attempt: 0 }, { type: 'destroy' });
    expect(() => w.step({ type: 'attemptConnected', attempt: 0 })).toThrow(AssertionError);
  });
});

describe('setTimeout', () => {
  it('refuses a negative or non-finite length with ERR_OUT_OF_RANGE, as socket.setTimeout does', () => {
    const w = new Walker();
    expect(() => w.step({ type: 'setTimeout', ms: -1 })).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
    expect(() => w.step({ type: 'setTimeout', ms: Number.NaN })).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
  });
});
