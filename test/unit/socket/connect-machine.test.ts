// The pure connect machine: every row of the state table in its header, the attempt order of
// reference §2, the onlyFirstAddress switch (bug 13d3af3ad5), the §3.4 trigger table, and the
// events that cannot happen. Expected values come from the reference sections cited per test.
import { describe, expect, it } from 'vitest';
import {
  INITIAL_ERROR,
  advanceFor,
  attemptPairs,
  initialState,
  isConnecting,
  step,
  type ConnectEvent,
  type ConnectState,
  type MachineConfig,
  type PlainAddr,
  type Trigger,
} from '../../../src/socket/connect-machine.js';

const WALK: MachineConfig = { onlyFirstAddress: false };
const FIRST_ONLY: MachineConfig = { onlyFirstAddress: true };
const v4 = (address: string): PlainAddr => ({ family: 'inet', address });
const v6 = (address: string): PlainAddr => ({ family: 'inet6', address });
const WILDCARD = [v4('0.0.0.0'), v6('::')];

describe('attemptPairs (reference §2, attempt order)', () => {
  it('pairs each remote in resolver order with the wildcard local of its own family', () => {
    // §2: "for each remote candidate in order, for each local address of the same family".
    const pairs = attemptPairs([v6('::1'), v4('127.0.0.1')], 80, WILDCARD, 0);
    expect(pairs).toEqual([
      { remote: { family: 'inet6', address: '::1', port: 80 }, local: { family: 'inet6', address: '::', port: 0 } },
      { remote: { family: 'inet', address: '127.0.0.1', port: 80 }, local: { family: 'inet', address: '0.0.0.0', port: 0 } },
    ]);
  });

  it('keeps the remote order even when it puts IPv4 last (Tcl does not re-sort remotes)', () => {
    // §2: "The order is exactly the resolver's order ... Tcl does not re-sort remote candidates."
    const pairs = attemptPairs([v4('10.0.0.2'), v6('fd00::1'), v4('10.0.0.1')], 1, WILDCARD, 0);
    expect(pairs.map((p) => p.remote.address)).toEqual(['10.0.0.2', 'fd00::1', '10.0.0.1']);
  });

  it('tries several locals of the same family in their order for each remote', () => {
    const locals = [v4('10.1.0.1'), v6('fd00::9'), v4('10.1.0.2')];
    const pairs = attemptPairs([v4('10.0.0.1'), v4('10.0.0.2')], 7, locals, 5000);
    expect(pairs.map((p) => `${p.remote.address}<-${p.local.address}:${p.local.port}`)).toEqual([
      '10.0.0.1<-10.1.0.1:5000',
      '10.0.0.1<-10.1.0.2:5000',
      '10.0.0.2<-10.1.0.1:5000',
      '10.0.0.2<-10.1.0.2:5000',
    ]);
  });

  it('skips family-mismatched pairs silently, leaving none for -myaddr ::1 to an IPv4 target', () => {
    // §2 "Pairs of different families are skipped silently"; §3.2 example `-myaddr ::1`.
    expect(attemptPairs([v4('127.0.0.1')], 80, [v6('::1')], 0)).toEqual([]);
  });
});

/** Runs `events` from `state` and returns the final state and every effect, in order. */
function run(state: ConnectState, events: readonly ConnectEvent[], pairs: number, config = WALK) {
  let s = state;
  const effects: string[] = [];
  for (const e of events) {
    const r = step(s, e, pairs, config);
    s = r.state;
    for (const f of r.effects) effects.push(f.type === 'open' ? `open(${f.index})` : f.type === 'finished' ? `finished(${f.outcome})` : f.type);
  }
  return { state: s, effects };
}

describe('step: the rows of the state table', () => {
  it('(start) start with no pairs fails with EHOSTUNREACH and reports finished', () => {
    // §3.2: "The recorded error starts as EHOSTUNREACH, so if no attempt was even possible ...".
    const r = run(initialState(), [{ type: 'start' }], 0);
    expect(r.state).toMatchObject({ kind: 'failed', error: 'EHOSTUNREACH' });
    expect(INITIAL_ERROR).toBe('EHOSTUNREACH');
    expect(r.effects).toEqual(['finished(failed)']);
  });

  it('(start) start with pairs opens pair 0', () => {
    const r = run(initialState(), [{ type: 'start' }], 2);
    expect(r.state).toEqual({ kind: 'opening', index: 0, lastError: null });
    expect(r.effects).toEqual(['open(0)']);
  });

  it('opening(i) opened in progress goes in flight and arms the watcher', () => {
    // §3.2: "in progress ... arm the internal watcher ..., state InFlight".
    const r = run(initialState(), [{ type: 'start' }, { type: 'opened', connected: false }], 2);
    expect(r.state).toMatchObject({ kind: 'inflight', index: 0 });
    expect(r.effects).toEqual(['open(0)', 'arm']);
  });

  it('opening(i) opened connected at once is Connected with nothing armed', () => {
    // §3.2: "immediate success: state Connected (no event is synthesised ...)".
    const r = run(initialState(), [{ type: 'start' }, { type: 'opened', connected: true }], 2);
    expect(r.state).toEqual({ kind: 'connected', index: 0 });
    expect(r.effects).toEqual(['open(0)', 'finished(connected)']);
  });

  it('opening(i) openFailed with a pair left opens the next pair', () => {
    // §3.2: "immediate failure: record errno, next attempt".
    const r = run(initialState(), [{ type: 'start' }, { type: 'openFailed', error: 'ENETUNREACH' }], 3);
    expect(r.state).toEqual({ kind: 'opening', index: 1, lastError: 'ENETUNREACH' });
    expect(r.effects).toEqual(['open(0)', 'open(1)']);
  });

  it('opening(i) openFailed with none left fails with that error', () => {
    const r = run(initialState(), [{ type: 'start' }, { type: 'openFailed', error: 'EADDRINUSE' }], 1);
    expect(r.state).toMatchObject({ kind: 'failed', index: 0, error: 'EADDRINUSE' });
    expect(r.effects).toEqual(['open(0)', 'finished(failed)']);
  });

  it('a socket that cannot even be created keeps the previously recorded error', () => {
    // §3.2: "create a socket (failure: skip this attempt, the recorded error is *not* changed)".
    const r = run(initialState(), [{ type: 'start' }, { type: 'openFailed', error: 'ECONNREFUSED' }, { type: 'openFailed', error: null }], 2);
    expect(r.state).toMatchObject({ kind: 'failed', error: 'ECONNREFUSED' });
  });

  it('a socket that cannot be created as the only attempt leaves the initial EHOSTUNREACH', () => {
    const r = run(initialState(), [{ type: 'start' }, { type: 'openFailed', error: null }], 1);
    expect(r.state).toMatchObject({ kind: 'failed', error: 'EHOSTUNREACH' });
  });

  const inflight0: ConnectState = { kind: 'inflight', index: 0, lastError: null };

  it('inflight(i) ready with SO_ERROR 0 is Connected after disarming', () => {
    // §3.3 steps 1–3: disarm, read SO_ERROR, 0 means Connected.
    const r = run(inflight0, [{ type: 'ready', soError: null }], 2);
    expect(r.state).toEqual({ kind: 'connected', index: 0 });
    expect(r.effects).toEqual(['disarm', 'finished(connected)']);
  });

  it('inflight(i) ready with an error and a pair left closes the attempt and opens the next', () => {
    // §3.3 step 4: "records it and continues the walk exactly where it stopped".
    const r = run(inflight0, [{ type: 'ready', soError: 'ECONNREFUSED' }], 2);
    expect(r.state).toEqual({ kind: 'opening', index: 1, lastError: 'ECONNREFUSED' });
    expect(r.effects).toEqual(['disarm', 'closeAttempt', 'open(1)']);
  });

  it('inflight(i) ready with an error and none left fails with that error and keeps the socket', () => {
    // §3.3 step 5 and §3.5 "After a failure the socket stays open": no closeAttempt.
    const r = run(inflight0, [{ type: 'ready', soError: 'ETIMEDOUT' }], 1);
    expect(r.state).toMatchObject({ kind: 'failed', index: 0, error: 'ETIMEDOUT' });
    expect(r.effects).toEqual(['disarm', 'finished(failed)']);
  });

  it('one step passes through later attempts that fail at once and stops at the next in flight', () => {
    // §3.3: "a single step can move through several candidates if the later ones fail
    // synchronously, but it never waits for a second in-flight answer".
    const r = run(
      inflight0,
      [{ type: 'ready', soError: 'ECONNREFUSED' }, { type: 'openFailed', error: 'ENETUNREACH' }, { type: 'opened', connected: false }],
      3,
    );
    expect(r.state).toEqual({ kind: 'inflight', index: 2, lastError: 'ENETUNREACH' });
    expect(r.effects).toEqual(['disarm', 'closeAttempt', 'open(1)', 'open(2)', 'arm']);
  });

  it('reports the last attempt\'s error, not the first one\'s', () => {
    // §5 -error: "The error reported is that of the **last** attempt, not the first".
    const r = run(inflight0, [{ type: 'ready', soError: 'ECONNREFUSED' }, { type: 'opened', connected: false }, { type: 'ready', soError: 'ETIMEDOUT' }], 2);
    expect(r.state).toMatchObject({ kind: 'failed', error: 'ETIMEDOUT' });
  });
});

describe('onlyFirstAddress (bug 13d3af3ad5)', () => {
  it('fails after the first in-flight attempt fails although a second pair exists', () => {
    // §10: "socket -async only tried the first address returned by DNS (no walk)".
    const r = run({ kind: 'inflight', index: 0, lastError: null }, [{ type: 'ready', soError: 'ECONNREFUSED' }], 2, FIRST_ONLY);
    expect(r.state).toMatchObject({ kind: 'failed', index: 0, error: 'ECONNREFUSED' });
    expect(r.effects).toEqual(['disarm', 'finished(failed)']);
  });

  it('fails after the first attempt fails at once although a second pair exists', () => {
    const r = run(initialState(), [{ type: 'start' }, { type: 'openFailed', error: 'ENETUNREACH' }], 2, FIRST_ONLY);
    expect(r.state).toMatchObject({ kind: 'failed', error: 'ENETUNREACH' });
  });

  it('still connects through the first pair', () => {
    const r = run({ kind: 'inflight', index: 0, lastError: null }, [{ type: 'ready', soError: null }], 2, FIRST_ONLY);
    expect(r.state.kind).toBe('connected');
  });
});

describe('isConnecting (§3.1 -connecting column)', () => {
  it('is true in opening and inflight, false in connected and failed', () => {
    expect(isConnecting({ kind: 'opening', index: 0, lastError: null })).toBe(true);
    expect(isConnecting({ kind: 'inflight', index: 0, lastError: null })).toBe(true);
    expect(isConnecting({ kind: 'connected', index: 0 })).toBe(false);
    expect(isConnecting({ kind: 'failed', index: 0, error: 'ECONNREFUSED' })).toBe(false);
  });
});

describe('advanceFor (§3.4 trigger table)', () => {
  const table: readonly [Trigger, string][] = [
    ['eventLoop', 'check'], // one step per readiness report
    ['blockingIo', 'walk'], // waits and repeats until the walk is over
    ['nonBlockingIo', 'check'], // one zero-timeout readiness check
    ['optionQuery', 'check'], // at most one step, even on a blocking channel
    ['genericOption', 'none'],
    ['eof', 'none'],
    ['fblocked', 'none'],
    ['fileevent', 'none'],
  ];
  for (const [trigger, advance] of table) {
    it(`lets ${trigger} advance by "${advance}"`, () => {
      expect(advanceFor(trigger)).toBe(advance);
    });
  }
});

describe('impossible events throw', () => {
  const cases: readonly [string, ConnectState, ConnectEvent][] = [
    ['ready before start', initialState(), { type: 'ready', soError: null }],
    ['opened before start', initialState(), { type: 'opened', connected: false }],
    ['openFailed before start', initialState(), { type: 'openFailed', error: 'ECONNREFUSED' }],
    ['a second start', { kind: 'opening', index: 0, lastError: null }, { type: 'start' }],
    ['ready while opening', { kind: 'opening', index: 0, lastError: null }, { type: 'ready', soError: null }],
    ['start while in flight', { kind: 'inflight', index: 0, lastError: null }, { type: 'start' }],
    ['opened while in flight', { kind: 'inflight', index: 0, lastError: null }, { type: 'opened', connected: true }],
    ['openFailed while in flight', { kind: 'inflight', index: 0, lastError: null }, { type: 'openFailed', error: null }],
    ['ready once connected', { kind: 'connected', index: 0 }, { type: 'ready', soError: null }],
    ['ready once failed', { kind: 'failed', index: 0, error: 'ECONNREFUSED' }, { type: 'ready', soError: 'ECONNREFUSED' }],
    ['start once failed', { kind: 'failed', index: 0, error: 'ECONNREFUSED' }, { type: 'start' }],
  ];
  for (const [name, state, event] of cases) {
    it(`throws on ${name}`, () => {
      expect(() => step(state, event, 2, WALK)).toThrow(/cannot happen/);
    });
  }
});
