/**
 * The scenario runner beyond what the parity table shows: the fault timeline on the simulated
 * world, the trace entries behind the observation lines (merged with the world's, the client
 * script's delimited), failures a Tcl script could not catch (they fail the run, with the run
 * so far), the hard time limit of real runs, and what a backend refuses to run.
 *
 * Expected values come from the reference (Linux SYN retries: 1 s then 3 s; §8 messages) and
 * from the scenario itself (the listener's line).
 */
import { STUCK_HANDLER } from '../../helpers/stuck-handler.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeBackend } from '../../../src/scenario/node-backend.js';
import { REFUSED_PORT_BASE, runScenario, ScenarioRunError } from '../../../src/scenario/runner.js';
import type { Scenario } from '../../../src/scenario/scenario.js';
import { simBackend } from '../../../src/scenario/sim-backend.js';
import { isMeta } from '../../../src/trace/observation.js';
import type { TraceEntry } from '../../../src/trace/trace.js';
import { leakedSince, socketResources, type ResourceCounts } from '../../helpers/real-sockets.js';

const childReply = { role: 'port', on: '127.0.0.1', behaviour: { kind: 'reply-close', line: 'bye' }, process: 'child' } as const;

async function failure(scenario: Scenario, backend: 'sim' | 'node'): Promise<{ code?: string; message: string }> {
  try {
    await runScenario(scenario, backend === 'sim' ? simBackend(scenario) : nodeBackend(scenario));
  } catch (err) {
    return err as { code?: string; message: string };
  }
  throw new Error('expected the run to fail');
}

/** Entries as JSON: two runs of one scenario on fresh worlds record the same ones, times included. */
function toLines(entries: readonly TraceEntry[]): string[] {
  return entries.map((e) => JSON.stringify(e));
}

describe('scenario runner on the simulated world', () => {
  it('applies a refuse rule of the fault timeline to a port that has a listener', async () => {
    const scenario: Scenario = {
      name: 'refuse-rule',
      description: 'a listening port refused by a fault rule',
      listeners: [childReply],
      faults: [{ atMs: 0, to: { port: 'port' }, verdict: 'refuse' }],
      client: [
        { op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'port' },
        { op: 'gets', chan: 'c1' },
        { op: 'fconfigure', chan: 'c1', get: '-error' },
      ],
    };
    const run = await runScenario(scenario, simBackend(scenario));
    expect(run.lines).toEqual([
      { op: 'socket -async 127.0.0.1 <port>', result: '<c1>' },
      { op: 'gets <c1>', error: 'error reading "<c1>": socket is not connected', errorcode: 'POSIX ENOTCONN {socket is not connected}' },
      { op: 'fconfigure <c1> -error', result: 'connection refused' },
      { note: 'port accepted', value: '0' },
    ]);
  });

  it('lifts a drop rule at its end time, so a blocking gets succeeds after the SYN retries', async () => {
    // Linux retransmits the SYN after 1 s and 3 s: the rule ends at 2 s, the second try passes.
    const scenario: Scenario = {
      name: 'drop-rule',
      description: 'SYNs dropped for two seconds',
      listeners: [childReply],
      faults: [{ atMs: 0, untilMs: 2000, to: { port: 'port' }, verdict: 'drop' }],
      client: [
        { op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'port' },
        { op: 'fconfigure', chan: 'c1', get: '-connecting' },
        { op: 'gets', chan: 'c1' },
      ],
    };
    const backend = simBackend(scenario);
    const run = await runScenario(scenario, backend);
    expect(run.lines.slice(0, 3)).toEqual([
      { op: 'socket -async 127.0.0.1 <port>', result: '<c1>' },
      { op: 'fconfigure <c1> -connecting', result: '1' },
      { op: 'gets <c1>', result: 'bye' },
    ]);
    expect(backend.world.clock.now()).toBeGreaterThanOrEqual(3000);
  });

  it('picks the refused port below the ephemeral range, so a client can never connect to itself', async () => {
    const scenario: Scenario = { name: 'rport', description: 'refused port', refusedPort: true, client: [{ op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'rport' }] };
    const run = await runScenario(scenario, simBackend(scenario));
    const declared = run.raw.find((l) => 'meta' in l && l.meta === 'port');
    expect(Number((declared as { value: string }).value)).toBeGreaterThanOrEqual(REFUSED_PORT_BASE);
    expect(Number((declared as { value: string }).value)).toBeLessThan(32768);
  });

  it('fails the run, with the trace so far, when a handler blocks forever (a background error)', async () => {
    const scenario = STUCK_HANDLER;
    const err = await failure(scenario, 'sim');
    expect(err.code).toBe('ERR_SCENARIO_RUN');
    expect(err.message).toMatch(/background error/);
    expect(err.message).toContain('{"event":"writable","chan":"<c1>","during":"update"}');
  });

  it('carries the run so far in the error: the reason, the lines, the script\'s entries and the listeners\' reports', async () => {
    // The same stuck handler: the background error is found after teardown, so the child
    // listener's report is in; the message's own trace leaves it out, as it always has.
    const scenario = STUCK_HANDLER;
    const err = await failure(scenario, 'sim');
    if (!(err instanceof ScenarioRunError)) throw new Error(`expected a ScenarioRunError, got ${String(err)}`);
    expect(err.reason).toMatch(/^a handler raised a background error: fileevent sock1 writable: reading "sock1" would block forever/);
    expect(err.message).toContain(`failed on sim: ${err.reason}\n--- trace so far ---\n`);
    expect(err.message).not.toContain('port accepted');
    expect(err.partial.lines.map((l) => ('op' in l ? l.op : 'event' in l ? `event ${l.event}` : `note ${l.note}`))).toEqual([
      'socket -async 127.0.0.1 <port>',
      'fileevent <c1> writable W',
      'event writable',
      'fileevent <c1> writable {}',
      'gets <c1>',
      'update',
      'note port accepted',
    ]);
    expect(err.partial.notes).toEqual([{ note: 'port accepted', value: '0' }]);
    expect(err.partial.script.filter((e) => e.kind === 'loop.bgerror')).toHaveLength(1);
  });

  it('merges the world\'s trace with the interpreter\'s in recording order and delimits the client script', async () => {
    const scenario: Scenario = {
      name: 'merge',
      description: 'a reply from a child listener',
      listeners: [childReply],
      client: [
        { op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'port' },
        { op: 'gets', chan: 'c1' },
      ],
    };
    const alone = await runScenario(scenario, simBackend(scenario));
    const backend = simBackend(scenario);
    const merged = await runScenario(scenario, backend, { traces: [backend.world.trace] });
    // Without the world's trace there are no network entries; with it, all of them up to the
    // end of teardown, in the world's own order, interleaved so that time never goes back.
    expect(alone.entries.some((e) => e.kind.startsWith('net.'))).toBe(false);
    const world = new Set<TraceEntry>(backend.world.trace.entries);
    const fromWorld = merged.entries.filter((e) => world.has(e));
    expect(fromWorld).toEqual(backend.world.trace.entries.slice(0, fromWorld.length));
    expect(merged.entries.every((e, i) => i === 0 || e.t >= (merged.entries[i - 1]?.t ?? 0))).toBe(true);
    expect(toLines(merged.entries.filter((e) => !world.has(e)))).toEqual(toLines(alone.entries));
    // Set-up (the listener) and teardown are in `entries` but not in the script; the script's
    // op lines are exactly the client's steps, and the observation lines do not change.
    expect(merged.entries.some((e) => e.kind === 'net.listen')).toBe(true);
    expect(merged.script.some((e) => e.kind === 'net.listen')).toBe(false);
    const port = merged.raw.filter(isMeta).find((l) => l.meta === 'port')?.value;
    expect(port).toMatch(/^\d+$/);
    expect(merged.script.filter((e) => e.kind === 'obs' && 'op' in e).map((e) => e['op'])).toEqual([`socket -async 127.0.0.1 ${port}`, 'gets sock1']);
    expect(merged.lines).toEqual(alone.lines);
    expect(merged.notes).toEqual([{ note: 'port accepted', value: '1' }]);
  });

  it('rejects an invalid scenario before building anything', async () => {
    const bad = { name: 'bad', description: '', client: [{ op: 'gets', chan: 'c1' }] } as unknown as Scenario;
    await expect(runScenario(bad, simBackend(bad))).rejects.toMatchObject({ code: 'ERR_SCENARIO_INVALID' });
  });
});

describe('scenario runner on real sockets', () => {
  let baseline: ResourceCounts = {};
  beforeAll(() => {
    baseline = socketResources();
  });

  it('stops a real run at its time limit and reports ERR_SCENARIO_RUN', async () => {
    const scenario: Scenario = {
      name: 'never-replies',
      description: 'a blocking gets that no data will ever end',
      timeoutMs: 300,
      listeners: [{ role: 'port', on: '127.0.0.1', behaviour: { kind: 'never-accept' }, process: 'child' }],
      client: [
        { op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'port' },
        { op: 'gets', chan: 'c1' },
      ],
    };
    const err = await failure(scenario, 'node');
    expect(err.code).toBe('ERR_SCENARIO_RUN');
    expect(err.message).toMatch(/time limit of 300 ms/);
    expect(err.message).toContain('{"op":"socket -async 127.0.0.1 <port>","result":"<c1>"}');
    expect(err).toBeInstanceOf(ScenarioRunError);
    expect((err as ScenarioRunError).reason).toBe('the run passed its time limit of 300 ms');
    expect((err as ScenarioRunError).partial.lines[0]).toEqual({ op: 'socket -async 127.0.0.1 <port>', result: '<c1>' });
  });

  it('refuses a scenario with fault rules, which real sockets cannot express', () => {
    const scenario: Scenario = { name: 'f', description: '', faults: [{ atMs: 0, verdict: 'drop' }], client: [{ op: 'update' }] };
    expect(() => nodeBackend(scenario)).toThrow(expect.objectContaining({ code: 'ERR_SCENARIO_NOT_RUNNABLE' }));
  });

  it('leaves no socket, server or timer open after the failed real runs above', async () => {
    expect(await leakedSince(baseline)).toEqual({});
  });
});
