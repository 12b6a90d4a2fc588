/**
 * A guarded `vwait` ends when its guard fires: at the wait's start plus `timeoutMs`, whatever
 * else is (or is not) pending. The Tcl rendering arms the guard as an `after` timer, so real
 * Tcl writes the `vwait-timeout` note exactly then; the detnet run must too, even when the
 * world has nothing left to do (the bug: the note was written at the time of the last event,
 * 0 ms or 5000 ms, instead of at the guard's 2000 ms or 10000 ms).
 *
 * Times are asserted on timed observation lines (`ScenarioRun.timed`, what
 * `detnet run --format obs --times` prints), which the parity table's untimed lines cannot see.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/scenario/runner.js';
import type { Scenario } from '../../../src/scenario/scenario.js';
import { simBackend } from '../../../src/scenario/sim-backend.js';

async function timedNotes(scenario: Scenario): Promise<{ t: number | null; line: unknown }[]> {
  const run = await runScenario(scenario, simBackend(scenario));
  return run.timed.filter((l) => 'note' in l.line || ('op' in l.line && String(l.line.op).startsWith('vwait')));
}

describe('guarded vwait times', () => {
  it('writes vwait-timeout at the guard time when nothing at all is pending', async () => {
    // The connect is refused at 0 ms; nothing is pending after that, so only the guard can end the wait.
    const scenario: Scenario = {
      name: 'guard-idle',
      description: 'refused at once, then a guarded wait with nothing pending',
      refusedPort: true,
      client: [
        { op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'rport' },
        { op: 'vwait', var: 'done', timeoutMs: 2000 },
      ],
    };
    expect(await timedNotes(scenario)).toEqual([
      { t: 2000, line: { op: 'vwait done', result: '' } },
      { t: 2000, line: { note: 'vwait-timeout', value: 'done' } },
    ]);
  });

  it('writes vwait-timeout at the guard time when the last event came earlier', async () => {
    // A fault rule removed at 5000 ms is the last pending event; the guard says 10,000 ms.
    const scenario: Scenario = {
      name: 'guard-after-last-event',
      description: 'a refused connect, a fault timeline ending at 5 s, and a 10 s guard',
      refusedPort: true,
      faults: [{ atMs: 0, untilMs: 5000, verdict: { delayMs: 1 } }],
      client: [
        { op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'rport' },
        { op: 'vwait', var: 'done', timeoutMs: 10_000 },
      ],
    };
    expect(await timedNotes(scenario)).toEqual([
      { t: 10_000, line: { op: 'vwait done', result: '' } },
      { t: 10_000, line: { note: 'vwait-timeout', value: 'done' } },
    ]);
  });

  it('lets a guard run for 24 hours of virtual time', async () => {
    const day = 24 * 60 * 60 * 1000;
    const scenario: Scenario = {
      name: 'guard-day',
      description: 'a day-long guard',
      refusedPort: true,
      client: [
        { op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'rport' },
        { op: 'vwait', var: 'done', timeoutMs: day },
        { op: 'after', ms: day },
        { op: 'fconfigure', chan: 'c1', get: '-error' },
      ],
    };
    const run = await runScenario(scenario, simBackend(scenario));
    expect(run.timed.at(-1)).toEqual({ t: 2 * day, line: { op: 'fconfigure <c1> -error', result: 'connection refused' } });
  });
});
