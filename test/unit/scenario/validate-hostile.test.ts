/**
 * Hostile scenario data (issue 9, item 8): names that exist on every JavaScript object, values
 * JSON cannot hold or show (cycles, BigInt, 1e999, 20,000-deep nesting), sparse arrays, and
 * the work limits of item 7. Each must end in `ERR_SCENARIO_INVALID` with the path of the bad
 * value — never a TypeError or a stack overflow from inside the validator.
 */
import { describe, expect, it } from 'vitest';
import { SCENARIO_LIMITS, validateScenario } from '../../../src/scenario/validate.js';
import { errnoFromNode } from '../../../src/socket/node-errors.js';

function base(): Record<string, unknown> {
  return {
    name: 'base',
    description: 'a refused port',
    refusedPort: true,
    client: [
      { op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'rport' },
      { op: 'update' },
      { op: 'close', chan: 'c1' },
    ],
  };
}

/** The message of the `ERR_SCENARIO_INVALID` error `value` is rejected with. */
function rejection(value: unknown): string {
  try {
    validateScenario(value);
  } catch (err) {
    // A raw TypeError or RangeError here is exactly the bug: the code must be ours.
    expect((err as { code?: unknown }).code, String(err)).toBe('ERR_SCENARIO_INVALID');
    return (err as Error).message;
  }
  throw new Error('expected the scenario to be rejected');
}

function withStep(step: unknown): Record<string, unknown> {
  const s = base();
  (s['client'] as unknown[]).splice(1, 0, step);
  return s;
}

describe('scenario validation of hostile data', () => {
  it.each(['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'])('rejects an op named %s as an unknown op', (op) => {
    expect(rejection(withStep({ op }))).toMatch(new RegExp(`client\\[1\\]\\.op: unknown op "${op}" \\(known: socket,`));
  });

  it('rejects an op named __proto__ that came from JSON text, where it is an own property', () => {
    const parsed: unknown = JSON.parse('{"op":"update","__proto__":{"op":"x"}}');
    expect(rejection(withStep(parsed))).toMatch(/client\[1\]\.__proto__: unknown field \(allowed: op\)/);
  });

  it('rejects a description nested 20,000 deep by its type, without overflowing the stack', () => {
    const deep: unknown = JSON.parse(`${'['.repeat(20_000)}${']'.repeat(20_000)}`);
    expect(rejection({ ...base(), description: deep })).toMatch(/description: expected a string, got an array/);
  });

  it('rejects cyclic values with a path instead of a TypeError from JSON.stringify', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(rejection({ ...base(), description: cyclic })).toMatch(/description: expected a string, got an object/);
    const loop: unknown[] = [];
    loop.push(loop);
    expect(rejection({ ...base(), reference: loop })).toMatch(/reference\[0\]: expected a string, got an array/);
  });

  it('rejects a BigInt seed as a value JSON cannot hold', () => {
    expect(rejection({ ...base(), seed: 1n })).toMatch(/seed: expected an integer in 0\.\.4294967295, got a BigInt \(1n\)/);
  });

  it('reports 1e999, which JSON.parse turns into Infinity, as a number out of range, not "null"', () => {
    const parsed: unknown = JSON.parse('{"op":"after","ms":1e999}');
    const message = rejection(withStep(parsed));
    expect(message).toMatch(/client\[1\]\.ms: expected an integer in 0\.\.86400000, got a number out of range \(Infinity\)/);
    expect(message).not.toMatch(/null/);
    expect(rejection({ ...base(), seed: -Infinity })).toMatch(/seed: .*got a number out of range \(-Infinity\)/);
  });

  it('rejects a sparse client array at the hole, before any run can trip over it', () => {
    const client = base()['client'] as unknown[];
    // eslint-disable-next-line no-sparse-arrays
    const sparse = [client[0], , client[2]];
    expect(rejection({ ...base(), client: sparse })).toMatch(/client\[1\]: expected a value, got a hole in a sparse array/);
  });

  it('lists each allowed field once when a step has an unknown field', () => {
    const message = rejection(withStep({ op: 'update', chan: 'c1', bogus: 1 }));
    const listed = /allowed: ([^)]*)\)/.exec(message)?.[1]?.split(', ') ?? [];
    expect(listed.length).toBeGreaterThan(0);
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('does not accept a field of a step just because Object.prototype has it', () => {
    expect(rejection(withStep({ op: 'update', constructor: 1 }))).toMatch(/client\[1\]\.constructor: unknown field \(allowed: op\)/);
    expect(rejection({ ...base(), toString: 'x' })).toMatch(/\$\.toString: unknown field/);
  });
});

describe('scenario work limits (issue 9, item 7)', () => {
  const poll = (max: number, between: number): unknown => ({
    op: 'poll',
    step: { op: 'eof', chan: 'c1' },
    until: { equals: '1' },
    max,
    between: Array.from({ length: between }, () => ({ op: 'update' })),
    record: 'runs',
    note: 'n',
  });

  it('rejects the 40 KB file of the issue: a poll of 10,000 rounds with 2,500 updates between', () => {
    // Before the limits this validated and then ran out of heap after a minute.
    expect(rejection(withStep(poll(10_000, 2_500)))).toMatch(/client\[1\]\.between: at most 64 steps, got 2500/);
  });

  it('bounds the steps the client can run, a polling loop counting max × (1 + between)', () => {
    // client[0] is one step; the poll adds 10,000 × 65.
    const message = rejection(withStep(poll(10_000, 64)));
    expect(message).toMatch(/client\[1\]: the client script can run 650001 steps up to here; at most 100000 are allowed/);
    const two = base();
    (two['client'] as unknown[]).splice(1, 0, poll(1_000, 49), poll(1_000, 49));
    expect(rejection(two)).toMatch(/client\[2\]: the client script can run 100001 steps up to here/);
  });

  it('bounds the total number of steps a file may write', () => {
    const many = Array.from({ length: SCENARIO_LIMITS.steps }, () => ({ op: 'update' }));
    expect(rejection({ ...base(), client: [...(base()['client'] as unknown[]), ...many] })).toMatch(/client: the scenario has 1003 steps; at most 1000 are allowed/);
  });

  it('accepts the largest poll the limits allow', () => {
    // 1 + 1,538 × 65 + 2 = 99,973 steps: within the budget.
    expect(validateScenario(withStep(poll(1_538, 64))).name).toBe('base');
    expect(SCENARIO_LIMITS).toEqual({ steps: 1000, between: 64, runSteps: 100_000 });
  });
});

describe('own-property lookups outside the validator', () => {
  it('maps an error code named like an Object.prototype member to the fallback errno', () => {
    // Before: NEAREST["constructor"] found Object itself and returned it as an errno.
    for (const code of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(errnoFromNode(Object.assign(new Error(code), { code }), 'ECONNABORTED')).toBe('ECONNABORTED');
    }
  });
});
