// The Node profiles, and for each historical bug switch a scripted connect that shows the
// symptom users reported under the bug and the behaviour of current Node without it. Each
// story names its issue; the expected symptoms are the reports', not runs of this code.
import { describe, expect, it } from 'vitest';
import { fifoTieBreaker, lifoTieBreaker } from '../../../src/clock/tie-breaker.js';
import { codeOf } from '../../../src/socket/node-connect-errors.js';
import {
  DEFAULT_NODE_PROFILE,
  listNodeProfiles,
  NODE_BUG_IDS,
  nodeProfile,
  withNodeBugs,
  type NodeBugId,
} from '../../../src/socket/node-profiles.js';
import type { NodeSocketEvent } from '../../../src/socket/node-socket-events.js';
import { runNodeScript, stillConnecting, type NodeRun, type NodeScript } from '../../helpers/node-connect-harness.js';

const CURRENT = DEFAULT_NODE_PROFILE;
const bug = (id: NodeBugId) => withNodeBugs(CURRENT, [id]);
const V6 = { address: '2001:db8::1', family: 6 };
const V4 = { address: '10.0.0.1', family: 4 };
const V4B = { address: '10.0.0.2', family: 4 };

function errorOf(run: NodeRun): Extract<NodeSocketEvent, { name: 'error' }>['error'] | undefined {
  const found = run.emitted.find((e) => e.event.name === 'error');
  return found?.event.name === 'error' ? found.event.error : undefined;
}

describe('the catalogue', () => {
  it('has current Node as the bug-free reference with the 500 ms default', () => {
    expect(CURRENT.name).toBe('node-current');
    expect(CURRENT.bugs).toEqual([]);
    expect(CURRENT.defaults).toEqual({ autoSelectFamily: true, attemptTimeoutMs: 500 });
    expect(nodeProfile('default')).toBe(CURRENT);
  });

  it('gives Node 22/24 the 250 ms default and nothing else, as `node -e` on Node 20.20 reports', () => {
    const p = nodeProfile('node-24');
    expect(p.name).toBe('node-22');
    expect(p.bugs).toEqual(['60334']);
    expect(p.defaults.attemptTimeoutMs).toBe(250);
    expect(p.switches).toEqual(CURRENT.switches);
  });

  it('lists older profiles carrying strictly more bugs, without the connectionAttempt* events', () => {
    const names = listNodeProfiles().map((p) => p.name);
    expect(names).toEqual(['node-current', 'node-22', 'node-20.11', 'node-20.2', 'node-20.0']);
    expect(nodeProfile('node-20.0').bugs).toEqual(NODE_BUG_IDS);
    for (const old of ['node-20.11', 'node-20.2', 'node-20.0']) expect(nodeProfile(old).switches.attemptEvents).toBe(false);
  });

  it('refuses unknown profile names and bug ids with ERR_ codes that list the known ones', () => {
    expect(() => nodeProfile('node-19')).toThrow(expect.objectContaining({ code: 'ERR_UNKNOWN_PROFILE', message: expect.stringContaining('node-current') }));
    expect(() => withNodeBugs(CURRENT, ['99999' as NodeBugId])).toThrow(expect.objectContaining({ code: 'ERR_UNKNOWN_BUG' }));
  });

  it('composes bugs once each and names the result after them', () => {
    const p = withNodeBugs(withNodeBugs(CURRENT, ['48464']), ['48464', '47822']);
    expect(p.bugs).toEqual(['48464', '47822']);
    expect(p.name).toBe('node-current+48464+48464+47822');
    expect(p.switches).toMatchObject({ staleTimeoutFlag: true, timeLastAttempt: true, silentTimeouts: true, walkAfterDestroy: false });
  });
});

describe('nodejs/node#47822: a handshake slower than the attempt timeout', () => {
  // IPv6 is blackholed; IPv4 answers, but only after 700 ms: longer than one attempt timeout.
  const script = (profile = CURRENT): NodeScript => ({
    options: { host: 'api.test', port: 443 },
    profile,
    lookup: { kind: 'answers', answers: [V6, V4] },
    fates: { [V4.address]: { kind: 'connect', afterMs: 700 } },
  });

  it('connects on current Node, because the last attempt is not timed', () => {
    const run = runNodeScript(script());
    expect(run.names.at(-2)).toBe('connect');
    expect(run.emitted.at(-1)?.at).toBe(500 + 700);
  });

  it('fails with ERR_SOCKET_CONNECTION_TIMEOUT under the bug, as users of Node 20.0 saw', () => {
    const run = runNodeScript(script(bug('47822')));
    expect(run.names).not.toContain('connect');
    expect(errorOf(run)).toMatchObject({ code: 'ERR_SOCKET_CONNECTION_TIMEOUT' });
    expect(run.timersArmed).toEqual([[0, 500], [1, 500]]);
  });
});

describe('npm/cli#6409 (fixed by nodejs/node#48464): a stale timeout flag', () => {
  // The first address times out; the second connects 100 ms later.
  const script = (profile = CURRENT): NodeScript => ({
    options: { host: 'registry.test', port: 443 },
    profile,
    lookup: { kind: 'answers', answers: [V6, V4] },
    fates: { [V4.address]: { kind: 'connect', afterMs: 100 } },
  });

  it('keeps the successful second attempt on current Node', () => {
    const run = runNodeScript(script());
    expect(run.names).toContain('connect');
    expect(run.openHandles).toEqual([1]);
  });

  it('closes the successful second attempt under the bug and then neither connects nor fails ("Exit handler never called")', () => {
    const run = runNodeScript(script(bug('48464')));
    expect(run.closes[1]).toBe(1);
    expect(run.names).not.toContain('connect');
    expect(run.names).not.toContain('error');
    expect(stillConnecting(run)).toBe(true);
  });
});

describe('nodejs/node#48763 (fixed by #51045): a new attempt after destroy()', () => {
  // Three addresses; the user destroys the socket while the first attempt is in flight.
  const script = (profile = CURRENT): NodeScript => ({
    options: { host: 'svc.test', port: 80 },
    profile,
    lookup: { kind: 'answers', answers: [V6, V4, V4B] },
    destroyAtMs: 100,
  });

  it('stops the walk on current Node: the cancelled attempt is reported, then close', () => {
    const run = runNodeScript(script());
    expect(run.crash).toBeNull();
    expect(run.started).toEqual([V6.address]);
    expect(run.names.slice(-2)).toEqual(['connectionAttemptFailed', 'close']);
  });

  it('walks on under the bug and dies on Node’s internal assertion', () => {
    const run = runNodeScript(script(bug('51045')));
    expect(run.crash).toBe('ERR_INTERNAL_ASSERTION in internalConnectMultiple');
    expect(run.names).not.toContain('close');
  });

  it('dies whichever of destroy() and the attempt timer, due at the same instant, runs first', () => {
    for (const tieBreaker of [fifoTieBreaker, lifoTieBreaker]) {
      const fixed = runNodeScript({ ...script(), destroyAtMs: 500, tieBreaker });
      expect([fixed.crash, fixed.names.filter((n) => n === 'close').length]).toEqual([null, 1]);
      const buggy = runNodeScript({ ...script(bug('51045')), destroyAtMs: 500, tieBreaker });
      expect(buggy.crash).toBe('ERR_INTERNAL_ASSERTION in internalConnectMultiple');
    }
  });
});

describe('nodejs/node#50841 (fixed by #51826): destroy() inside a lookup listener', () => {
  const script = (profile = CURRENT): NodeScript => ({
    options: { host: 'svc.test', port: 80 },
    profile,
    lookup: { kind: 'answers', answers: [V6, V4] },
    destroyIn: { event: 'lookup', nth: 1 },
  });

  it('is honoured on current Node: no attempt, one close', () => {
    const run = runNodeScript(script());
    expect(run.started).toEqual([]);
    expect(run.names).toEqual(['lookup', 'close']);
  });

  it('crashes under the bug once the remaining lookups are announced', () => {
    const run = runNodeScript(script(bug('51826')));
    expect(run.names).toEqual(['lookup', 'lookup']);
    expect(run.crash).toBe('ERR_INTERNAL_ASSERTION in internalConnectMultiple');
  });
});

describe('PR #60334 (nodejs/node#54359, #52216): the 250 ms default', () => {
  // IPv4 first and slow (300 ms); IPv6 unreachable at once.
  const script = (profile = CURRENT): NodeScript => ({
    options: { host: 'far.test', port: 443 },
    profile,
    lookup: { kind: 'answers', answers: [V4, V6] },
    fates: { [V4.address]: { kind: 'connect', afterMs: 300 }, [V6.address]: { kind: 'fail', afterMs: 0, code: 'ENETUNREACH' } },
  });

  it('connects with the 500 ms default', () => {
    expect(runNodeScript(script()).names).toContain('connect');
  });

  it('gives AggregateError ETIMEDOUT with the 250 ms default, as #54359 reports', () => {
    const run = runNodeScript(script(bug('60334')));
    const error = errorOf(run);
    expect(error?.kind).toBe('aggregate');
    expect(error?.kind === 'aggregate' && error.errors.map((e) => e.code)).toEqual(['ETIMEDOUT', 'ENETUNREACH']);
  });
});

describe('nodejs/undici#5092: two things due at the same instant', () => {
  // The last attempt is refused at 700 ms, exactly when the client's own connect timeout
  // destroys the socket with its error. Which error the user sees depends on the order only.
  const script: NodeScript = {
    options: { host: 'both.test', port: 3113 },
    lookup: { kind: 'answers', answers: [V6, V4] },
    fates: { [V4.address]: { kind: 'fail', afterMs: 200, code: 'ECONNREFUSED' } },
    destroyAtMs: 700,
    destroyWith: 'Connect Timeout Error',
  };

  it('lets both orders happen, each giving a single well-formed end', () => {
    const first = runNodeScript({ ...script, tieBreaker: fifoTieBreaker });
    const second = runNodeScript({ ...script, tieBreaker: lifoTieBreaker });
    const codes = [first, second].map((r) => {
      const e = errorOf(r);
      return e === undefined ? 'none' : (codeOf(e) ?? e.kind);
    });
    expect(new Set(codes)).toEqual(new Set(['external', 'ETIMEDOUT']));
    for (const r of [first, second]) expect(r.names.filter((n) => n === 'error' || n === 'close')).toEqual(['error', 'close']);
  });
});
