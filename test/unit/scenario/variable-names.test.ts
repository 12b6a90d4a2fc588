/**
 * Which variable names a scenario may use: plain Tcl identifiers, never a namespace path, an
 * array element or a name starting with `__` (reserved for the runner). Every place a scenario
 * names a variable — `set`, `gets … var`, `vwait`, a listener's `signal` — follows the one rule,
 * and a refusal names the exact path.
 */
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../../src/scenario/validate.js';
import { variableNameProblem } from '../../../src/scenario/variable-name.js';

function scenarioNaming(name: string): Record<string, unknown> {
  return {
    name: 'names',
    description: 'uses one variable name everywhere a scenario can',
    listeners: [{ role: 'port', on: '127.0.0.1', behaviour: { kind: 'close' }, process: 'in-process', signal: name }],
    client: [
      { op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'port' },
      { op: 'gets', chan: 'c1', var: name },
      { op: 'set', var: name, value: '1' },
      { op: 'vwait', var: name, timeoutMs: 10 },
    ],
  };
}

describe('scenario variable names', () => {
  it.each(['done', 'x', 'Line2', '_x', 'a_b__c', 'quiet', 'children'])('accepts the plain identifier %j everywhere', (name) => {
    expect(variableNameProblem(name)).toBeNull();
    expect(() => validateScenario(scenarioNaming(name))).not.toThrow();
  });

  it.each([
    ['__children', /reserved/],
    ['__quiet', /reserved/],
    ['__map', /reserved/],
    ['__', /reserved/],
    ['a::b', /namespace/],
    ['::x', /namespace/],
    ['a(b)', /array/],
    ['x y', /letters, digits and _/],
    ['1x', /letters, digits and _/],
    ['', /letters, digits and _/],
    ['é', /letters, digits and _/],
  ])('refuses %j, saying why', (name, why) => {
    expect(variableNameProblem(name)).toMatch(why);
    // The first place it appears is the listener's signal; each step position is checked too.
    expect(() => validateScenario(scenarioNaming(name))).toThrow(/listeners\[0\]\.signal: /);
    for (const [i, key] of [[1, 'var'], [2, 'var'], [3, 'var']] as const) {
      const s = scenarioNaming(name);
      delete (s['listeners'] as Record<string, unknown>[])[0]?.['signal'];
      const client = s['client'] as Record<string, unknown>[];
      for (let j = 1; j <= 3; j++) if (j !== i) client[j] = { op: 'update' };
      expect(() => validateScenario(s)).toThrow(new RegExp(`client\\[${i}\\]\\.${key}: .*`));
      try {
        validateScenario(s);
      } catch (err) {
        expect((err as { code?: string }).code).toBe('ERR_SCENARIO_INVALID');
        expect((err as Error).message).toMatch(why);
      }
    }
  });
});
