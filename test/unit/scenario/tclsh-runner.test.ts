/**
 * The tclsh leg's process handling: a hard time limit that kills, failures that carry the
 * script's output, and a private hosts file that only the run sees.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../src/scenario/scenario.js';
import { runRenderedTcl, runScenarioInTclsh, tclshEnvironment } from '../../../src/scenario/tclsh-runner.js';

describe('tclsh runner', () => {
  it('kills a script that passes its time limit and says so', () => {
    const run = runRenderedTcl({ script: 'puts {{"meta":"begin"}}\nafter 60000\n', hosts: null }, 300);
    expect(run.timedOut).toBe(true);
    expect(run.status).toBeNull();
    // What the script printed before it was killed is kept for the report.
    expect(run.raw).toEqual([{ meta: 'begin' }]);
  });

  it('reports a scenario killed by its time limit as ERR_TCLSH_FAILED with its partial trace', () => {
    const scenario: Scenario = {
      name: 'stuck',
      description: 'waits longer than it may',
      timeoutMs: 300,
      client: [{ op: 'vwait', var: 'never', timeoutMs: 30_000 }],
    };
    expect(() => runScenarioInTclsh(scenario)).toThrow(/scenario "stuck" in tclsh was killed after its time limit[\s\S]*"meta":"begin"/);
  });

  it('reports a script that exits with an error status', () => {
    expect(runRenderedTcl({ script: 'puts stderr oops; exit 3', hosts: null }).status).toBe(3);
  });

  it('shows tclsh the scenario’s hosts file without touching the machine’s /etc/hosts', () => {
    expect(tclshEnvironment().privateHosts).toBe(true);
    const before = readFileSync('/etc/hosts', 'utf8');
    const script = 'puts "{\\"note\\":\\"hosts\\",\\"value\\":\\"[lindex [exec getent ahostsv6 detnet-only-here] 0]\\"}"';
    const run = runRenderedTcl({ script, hosts: '::1 detnet-only-here\n' });
    expect(run.status).toBe(0);
    expect(run.raw[0]).toEqual({ note: 'hosts', value: '::1' });
    expect(readFileSync('/etc/hosts', 'utf8')).toBe(before);
    expect(before).not.toContain('detnet-only-here');
  });
});
