/**
 * Validation reports every problem at once: `ScenarioInvalidError.issues` holds each error
 * with its path, the message has one line per issue, warnings are returned by `checkScenario`
 * and become errors only with `strict`, and a problem in one item does not hide the next.
 */
import { describe, expect, it } from 'vitest';
import { checkScenario, ScenarioInvalidError, validateScenario } from '../../../src/scenario/validate.js';

const twoMistakes = {
  name: 'two',
  description: 'two independent mistakes',
  client: [
    { op: 'socket', chan: 'c1', host: 'nowhere', port: 'port' },
    { op: 'after', ms: -1 },
  ],
};

function invalid(value: unknown, strict = false): ScenarioInvalidError {
  try {
    validateScenario(value, { strict });
  } catch (err) {
    if (err instanceof ScenarioInvalidError) return err;
    throw err;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('every error at once', () => {
  it('lists each error of each step, with its path, as data and as one message line each', () => {
    const err = invalid(twoMistakes);
    expect(err.code).toBe('ERR_SCENARIO_INVALID');
    expect(err.issues).toEqual([
      { path: 'client[0].host', message: 'host "nowhere" is neither an IP literal nor listed in "hosts" or "dns"' },
      { path: 'client[0].port', message: 'no listener provides port role port' },
      { path: 'client[1].ms', message: 'expected an integer in 0..86400000, got -1' },
    ]);
    expect(err.message.split('\n')).toEqual(err.issues.map((i) => `scenario "two": ${i.path}: ${i.message}`));
  });

  it('keeps a channel created by a socket step with a bad host, so later steps are not blamed for it', () => {
    const err = invalid({ ...twoMistakes, client: [twoMistakes.client[0], { op: 'close', chan: 'c1' }] });
    expect(err.issues.map((i) => i.path)).toEqual(['client[0].host', 'client[0].port']);
  });

  it('returns warnings without throwing, and throws them with strict', () => {
    const warned = {
      name: 'warned',
      description: 'a fault rule for an address no connect goes to',
      refusedPort: true,
      faults: [{ atMs: 0, to: { address: '::1' }, verdict: 'drop' }],
      client: [{ op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'rport' }],
    };
    const check = checkScenario(warned);
    expect(check.errors).toEqual([]);
    expect(check.warnings).toEqual([{ path: 'faults[0].to.address', message: "no socket step's host (address or name) leads to ::1: this rule never matches" }]);
    expect(validateScenario(warned).name).toBe('warned');
    expect(invalid(warned, true).issues).toEqual([{ path: 'faults[0].to.address', message: "no socket step's host (address or name) leads to ::1: this rule never matches (warning, an error with --strict)" }]);
  });

  it('accepts a v1 fault rule exactly as before (atMs, untilMs, to.address/port role, verdict)', () => {
    const v1 = {
      name: 'v1',
      description: 'a v1 fault timeline',
      listeners: [{ role: 'port', on: '127.0.0.1', behaviour: { kind: 'close' }, process: 'child' }],
      faults: [{ atMs: 0, untilMs: 2000, to: { address: '127.0.0.1', port: 'port' }, verdict: { delayMs: 5 } }],
      client: [{ op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'port' }],
    };
    expect(checkScenario(v1)).toEqual({ label: '"v1"', errors: [], warnings: [] });
  });
});

/** `[[[…]]]` nested `depth` deep, as JSON.parse hands over a hostile file. */
function deep(depth: number): unknown {
  let v: unknown = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe('hostile values where the world checks read the raw file (fuzz counterexamples, pinned)', () => {
  const world = { hosts: [{ name: 'a', addresses: ['10.0.0.1'] }] };

  it('a deeply nested array as a socket port is an error at its path, not a stack overflow', () => {
    // Found by the fuzz suite: the world checks turned every port into a string.
    const err = invalid({ name: 'x', description: 'x', world, client: [{ op: 'socket', chan: 'c1', host: '10.0.0.1', port: deep(100_000) }] });
    expect(err.issues.map((i) => i.path)).toEqual(['client[0].port']);
  });

  it('a hole in a hosts answer list is an error at its path, not a TypeError', () => {
    // Found by the fuzz suite: `[, "127.0.0.1"]` reached the unrouted-address check as undefined.
    // eslint-disable-next-line no-sparse-arrays
    const err = invalid({ name: 'x', description: 'x', hosts: [{ name: 'localhost', addresses: [, '127.0.0.1'] }], client: [{ op: 'socket', chan: 'c1', host: 'localhost', port: 80 }] });
    expect(err.issues.map((i) => i.path)).toEqual(['hosts[0].addresses[0]']);
  });

  it('a world that is null, or a route prefix that is a nested array, is an error at its path', () => {
    expect(invalid({ name: 'x', description: 'x', world: null, client: [{ op: 'update' }] }).issues.map((i) => i.path)).toEqual(['world']);
    const routes = { hosts: [{ name: 'a', addresses: ['10.0.0.1'], routes: [{ prefix: deep(100_000), action: 'reachable' }] }] };
    expect(invalid({ name: 'x', description: 'x', world: routes, client: [{ op: 'update' }] }).issues.map((i) => i.path)).toEqual(['world.hosts[0].routes[0].prefix']);
  });
});

describe('faults that change nothing the client sees are warned about', () => {
  it('warns about a crash, an eth0 and a loopback down, a route and a to.host rule on machines the client never reaches', () => {
    const check = checkScenario({
      name: 'idle-faults',
      description: 'faults on a machine nobody talks to',
      world: { hosts: [{ name: 'client', addresses: ['10.0.0.1'] }, { name: 'server', addresses: ['10.0.0.2'] }, { name: 'idle', addresses: ['10.0.0.3'] }] },
      listeners: [{ role: 'port', on: '10.0.0.2', port: 80, process: 'child', behaviour: { kind: 'close' } }],
      faults: [
        { atMs: 0, crash: 'idle' },
        { atMs: 0, interfaceDown: { host: 'idle', name: 'eth0' } },
        { atMs: 0, interfaceDown: { host: 'server', name: 'lo' } },
        { atMs: 0, route: { host: 'server', prefix: '0.0.0.0/0', action: 'network-unreachable' } },
        { atMs: 0, to: { host: 'idle' }, verdict: 'drop' },
        { atMs: 0, crash: 'server', untilMs: 10 },
      ],
      client: [{ op: 'socket', chan: 'c1', host: '10.0.0.2', port: 80 }],
    });
    expect(check.errors).toEqual([]);
    // The last fault (a crash of the server the client connects to) is meant, and not warned about.
    expect(check.warnings.map((w) => w.path)).toEqual(['faults[0].crash', 'faults[1].interfaceDown', 'faults[2].interfaceDown', 'faults[3].route.host', 'faults[4].to.host']);
  });
});

describe('world limits', () => {
  it('refuses more faults than WORLD_LIMITS allows, naming the list and the count', () => {
    const faults = Array.from({ length: 1001 }, () => ({ atMs: 0, verdict: 'drop' }));
    const err = invalid({ name: 'many', description: 'too many faults', refusedPort: true, faults, client: [{ op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'rport' }] });
    expect(err.issues).toEqual([{ path: 'faults', message: 'at most 1000 entries, got 1001' }]);
  });
});
