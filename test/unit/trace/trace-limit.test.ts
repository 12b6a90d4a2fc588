/**
 * The trace's bound (issue 9, item 7): a trace keeps at most `limit` entries, then one
 * `trace.dropped` note, then nothing; a scenario run whose trace fills stops with
 * ERR_TRACE_LIMIT instead of comparing an incomplete observation. The default keeps ordinary
 * runs complete.
 */
import { describe, expect, it } from 'vitest';
import { runScenario, type ScenarioBackend } from '../../../src/scenario/runner.js';
import { simBackend } from '../../../src/scenario/sim-backend.js';
import type { Scenario } from '../../../src/scenario/scenario.js';
import { createSimDriver } from '../../../src/socket/sim-driver.js';
import { World } from '../../../src/sim/world.js';
import { Trace, TRACE_LIMIT, type TraceEntry } from '../../../src/trace/trace.js';

describe('the trace limit', () => {
  it('keeps `limit` entries, then one trace.dropped note, and counts the rest as dropped', () => {
    const trace = new Trace({ limit: 3 });
    const emitted: TraceEntry[] = [];
    trace.on('entry', (e) => emitted.push(e));
    for (let i = 0; i < 7; i++) trace.record(i, 'x', { i });
    expect(trace.entries.map((e) => e.kind)).toEqual(['x', 'x', 'x', 'trace.dropped']);
    expect(trace.entries[3]).toEqual({ t: 3, kind: 'trace.dropped', limit: 3 });
    expect(trace.dropped).toBe(4);
    // Subscribers see what the trace keeps, so whatever they collect is bounded too.
    expect(emitted).toEqual(trace.entries);
  });

  it('does not bound a trace that keeps nothing: its subscribers see every entry', () => {
    const trace = new Trace({ limit: 1, keep: false });
    let seen = 0;
    trace.on('entry', () => seen++);
    for (let i = 0; i < 5; i++) trace.record(i, 'x');
    expect(seen).toBe(5);
    expect(trace.dropped).toBe(0);
  });

  it('starts over after clear', () => {
    const trace = new Trace({ limit: 1 });
    trace.record(0, 'a');
    trace.record(1, 'b');
    trace.clear();
    trace.record(2, 'c');
    expect(trace.entries.map((e) => e.kind)).toEqual(['c']);
    expect(trace.dropped).toBe(0);
  });

  it('rejects a limit that is not a non-negative integer', () => {
    expect(() => new Trace({ limit: -1 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    expect(() => new Trace({ limit: 0.5 })).toThrow(/non-negative integer/);
  });
});

const SCENARIO: Scenario = {
  name: 'refused',
  description: 'a refused connect polled with update',
  refusedPort: true,
  client: [
    { op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'rport' },
    { op: 'update' },
    { op: 'fconfigure', chan: 'c1', get: '-error' },
    { op: 'close', chan: 'c1' },
  ],
};

describe('the trace limit in scenario runs', () => {
  it('keeps an ordinary run complete under the default limit', async () => {
    const backend = simBackend(SCENARIO);
    const run = await runScenario(SCENARIO, backend, { traces: [backend.world.trace] });
    expect(TRACE_LIMIT).toBe(1_000_000);
    expect(backend.world.trace.dropped).toBe(0);
    expect(run.entries.some((e) => e.kind === 'trace.dropped')).toBe(false);
  });

  it('stops a run past its entry budget before the next step, inside a polling loop too', async () => {
    // A poll of 1,000 rounds of `after 1` records a few entries per round: a budget of 200
    // entries must stop it within the loop, not after it.
    const polling: Scenario = {
      ...SCENARIO,
      client: [
        { op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'rport' },
        { op: 'poll', step: { op: 'eof', chan: 'c1' }, until: { equals: 'never' }, max: 1000, between: [{ op: 'after', ms: 1 }], record: 'runs', note: 'n' },
      ],
    };
    const backend = simBackend(polling);
    const failure = await runScenario(polling, backend, { traces: [backend.world.trace], entryLimit: 200 }).then(
      () => null,
      (err: unknown) => err as { code: string; reason: string; partial: { entries: readonly unknown[] } },
    );
    expect(failure?.reason).toBe('the run recorded more than 200 trace entries');
    expect(failure?.partial.entries.length).toBeGreaterThan(200);
    expect(failure?.partial.entries.length).toBeLessThan(220);
  });

  it('stops a run whose trace fills with ERR_TRACE_LIMIT', async () => {
    const world = new World({ seed: 1, trace: { limit: 5 } });
    world.addHost('local');
    const driver = createSimDriver(world, 'local');
    const backend: ScenarioBackend = {
      name: 'sim',
      driver,
      waitFor: (done, ms) => Promise.resolve(world.runUntil(done, { budgetMs: ms })),
      dispose: () => Promise.resolve(),
    };
    await expect(runScenario(SCENARIO, backend, { traces: [world.trace] })).rejects.toMatchObject({
      code: 'ERR_SCENARIO_RUN',
      reason: 'the trace passed its limit of 5 entries; later entries were dropped',
    });
  });
});
