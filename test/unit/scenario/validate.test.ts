/**
 * Scenario validation: every file of the parity table is valid, and each kind of mistake is
 * rejected with `ERR_SCENARIO_INVALID` and a message naming the scenario and the exact path.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../src/scenario/scenario.js';
import { allSteps, validateScenario } from '../../../src/scenario/validate.js';
import { loadParityTable } from '../../parity/table.js';

/** A small valid scenario to break one field at a time. */
function base(): Record<string, unknown> {
  return {
    name: 'base',
    description: 'refused port, writable handler',
    refusedPort: true,
    handlers: [{ name: 'W', steps: [{ op: 'fileevent', chan: 'c1', event: 'writable', handler: null }, { op: 'set', var: 'done', value: '1' }] }],
    client: [
      { op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'rport' },
      { op: 'fileevent', chan: 'c1', event: 'writable', handler: 'W' },
      { op: 'vwait', var: 'done', timeoutMs: 1000 },
      { op: 'close', chan: 'c1' },
    ],
  };
}

function rejects(mutate: (s: Record<string, unknown>) => void): string {
  const s = base();
  mutate(s);
  try {
    validateScenario(s);
  } catch (err) {
    expect((err as { code?: string }).code).toBe('ERR_SCENARIO_INVALID');
    return (err as Error).message;
  }
  throw new Error('expected the scenario to be rejected');
}

function client(s: Record<string, unknown>): Record<string, unknown>[] {
  return s['client'] as Record<string, unknown>[];
}

describe('scenario validation', () => {
  it('accepts every scenario of the parity table and the small base scenario', () => {
    const table = loadParityTable();
    expect(table.length).toBeGreaterThanOrEqual(20);
    expect(validateScenario(base()).name).toBe('base');
  });

  it('returns the very object it was given, typed', () => {
    const s = base();
    expect(validateScenario(s)).toBe(s as unknown as Scenario);
  });

  it.each([
    ['an unknown top-level field', (s: Record<string, unknown>) => (s['clinet'] = []), /scenario "base": \$\.clinet: unknown field/],
    ['a name that is not kebab-case', (s: Record<string, unknown>) => (s['name'] = 'Bad Name'), /scenario "Bad Name": name: expected a kebab-case name/],
    ['an empty client script', (s: Record<string, unknown>) => (s['client'] = []), /client: expected at least one step/],
    ['an unknown op', (s: Record<string, unknown>) => (client(s)[1] = { op: 'fileevnet', chan: 'c1' }), /client\[1\]\.op: unknown op "fileevnet"/],
    ['a field the op does not take', (s: Record<string, unknown>) => (client(s)[3] = { op: 'close', chan: 'c1', text: 'x' }), /client\[3\]\.text: unknown field \(allowed: op, chan\)/],
    ['a channel used before its socket step', (s: Record<string, unknown>) => (client(s)[1] = { op: 'close', chan: 'c2' }), /client\[1\]\.chan: channel c2 is used before a socket step creates it/],
    ['channels created out of order', (s: Record<string, unknown>) => (client(s)[0] = { op: 'socket', chan: 'c2', host: '127.0.0.1', port: 'rport' }), /client\[0\]\.chan: channels are created in order: expected c1, got "c2"/],
    ['the refused port without refusedPort', (s: Record<string, unknown>) => delete s['refusedPort'], /client\[0\]\.port: port role rport needs "refusedPort": true/],
    ['a port role no listener provides', (s: Record<string, unknown>) => (client(s)[0] = { op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'port6' }), /client\[0\]\.port: no listener provides port role port6/],
    ['a host name that hosts does not answer', (s: Record<string, unknown>) => (client(s)[0] = { op: 'socket', chan: 'c1', host: 'localhost', port: 'rport' }), /client\[0\]\.host: host "localhost" is neither an IP literal nor listed in "hosts"/],
    ['a fileevent naming no handler', (s: Record<string, unknown>) => (client(s)[1] = { op: 'fileevent', chan: 'c1', event: 'writable', handler: 'X' }), /client\[1\]\.handler: no handler named "X"/],
    ['a vwait inside a handler', (s: Record<string, unknown>) => ((s['handlers'] as { steps: unknown[] }[])[0]?.steps.push({ op: 'vwait', var: 'x', timeoutMs: 5 })), /handlers\[0\]\.steps\[2\]: vwait is allowed only at the top level/],
    ['a polling loop inside a handler', (s: Record<string, unknown>) => ((s['handlers'] as { steps: unknown[] }[])[0]?.steps.push({ op: 'poll', step: { op: 'update' }, until: { equals: '' }, max: 2, record: 'last', note: 'n' })), /handlers\[0\]\.steps\[2\]: polling loops are allowed only at the top level/],
    ['a socket step inside a handler', (s: Record<string, unknown>) => ((s['handlers'] as { steps: unknown[] }[])[0]?.steps.push({ op: 'socket', chan: 'c2', host: '::1', port: 'rport' })), /handlers\[0\]\.steps\[2\]: socket steps are allowed only at the top level/],
    ['a handler name that is not capitalised', (s: Record<string, unknown>) => ((s['handlers'] as { name: string }[])[0]!.name = 'w'), /handlers\[0\]\.name: expected a capitalised name/],
    ['a vwait without a sensible timeout', (s: Record<string, unknown>) => (client(s)[2] = { op: 'vwait', var: 'done', timeoutMs: 0 }), /client\[2\]\.timeoutMs: expected an integer in 1\.\.86400000, got 0/],
    ['placeholder brackets in data', (s: Record<string, unknown>) => client(s).splice(3, 0, { op: 'puts', chan: 'c1', text: 'a<c1>' }), /client\[3\]\.text: "<" and ">" are reserved/],
    ['characters Tcl 8.6 cannot carry', (s: Record<string, unknown>) => client(s).splice(3, 0, { op: 'puts', chan: 'c1', text: 'a\u{1F600}' }), /client\[3\]\.text: characters outside the Basic Multilingual Plane/],
    ['an odd fconfigure set list', (s: Record<string, unknown>) => client(s).splice(1, 0, { op: 'fconfigure', chan: 'c1', set: ['-blocking'] }), /client\[1\]\.set: expected option\/value pairs/],
    ['a nested polling loop', (s: Record<string, unknown>) => client(s).splice(1, 0, { op: 'poll', step: { op: 'poll' }, until: { equals: '0' }, max: 3, record: 'runs', note: 'n' }), /client\[1\]\.step\.op: a polling loop repeats one plain command, not "poll"/],
    ['a poll with two stop conditions', (s: Record<string, unknown>) => client(s).splice(1, 0, { op: 'poll', step: { op: 'eof', chan: 'c1' }, until: { equals: '0', differs: '1' }, max: 3, record: 'runs', note: 'n' }), /client\[1\]\.until: expected exactly one of "equals" or "differs"/],
    ['an echo listener in the client process', (s: Record<string, unknown>) => (s['listeners'] = [{ role: 'port', on: '127.0.0.1', behaviour: { kind: 'echo' }, process: 'in-process' }]), /listeners\[0\]\.behaviour\.kind: echo needs "process": "child"/],
    ['a late accept in the client process', (s: Record<string, unknown>) => (s['listeners'] = [{ role: 'port', on: '::1', behaviour: { kind: 'close' }, process: 'in-process', acceptDelayMs: 5 }]), /listeners\[0\]\.acceptDelayMs: accepting late needs "process": "child"/],
    ['two listeners with one role', (s: Record<string, unknown>) => (s['listeners'] = [0, 1].map(() => ({ role: 'port', on: '::1', behaviour: { kind: 'close' }, process: 'child' }))), /listeners\[1\]\.role: port role port is given twice/],
    ['a host listed twice', (s: Record<string, unknown>) => (s['hosts'] = [0, 1].map(() => ({ name: 'localhost', addresses: ['::1'] }))), /hosts\[1\]\.name: host localhost is listed twice/],
    ['a host answer that is not an address', (s: Record<string, unknown>) => (s['hosts'] = [{ name: 'localhost', addresses: ['::1', 'lo'] }]), /hosts\[0\]\.addresses\[1\]: not an IP literal: "lo"/],
    ['a fault that ends before it starts', (s: Record<string, unknown>) => (s['faults'] = [{ atMs: 10, untilMs: 5, verdict: 'drop' }]), /faults\[0\]\.untilMs: must be after atMs/],
    ['a difference without its reason', (s: Record<string, unknown>) => (s['differences'] = [{ backend: 'node', reason: ' ' }]), /differences\[0\]\.reason: a difference needs its reason/],
    ['an expected line of no known shape', (s: Record<string, unknown>) => (s['expect'] = { trace: [{ op: 'x', value: 'y' }] }), /expect\.trace\[0\]: .*are not an op, event, note or meta line/],
  ])('rejects %s, naming the path', (_what, mutate, message) => {
    expect(rejects(mutate)).toMatch(message);
  });

  it('lists every step, handlers and polling parts included, for tools that scan a scenario', () => {
    const s = validateScenario({
      ...base(),
      client: [...client(base()), { op: 'poll', step: { op: 'update' }, until: { equals: '' }, max: 2, between: [{ op: 'after', ms: 1 }], record: 'last', note: 'n' }],
    });
    expect(allSteps(s).map((x) => x.op)).toEqual(['socket', 'fileevent', 'vwait', 'close', 'poll', 'update', 'after', 'fileevent', 'set']);
  });
});
