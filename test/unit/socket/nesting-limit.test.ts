/**
 * Tcl's nesting limit (issue 9, item 6): a readable handler that calls `update` on a connection
 * that stays readable recurses once per delivery. Before the limit, the JavaScript stack decided
 * where that ended, so traces differed between runs in one process (917, 936, 961 lines …).
 * Real tclsh 8.6.13, checked with a loopback script, evaluates a handler at nesting depth d at
 * level 2d + 1 (its event script, then the proc), refuses the first one past `interp
 * recursionlimit` with `too many nested evaluations (infinite loop?)` / `TCL LIMIT STACK` as a
 * background error, deletes that fileevent, and lets every outer `update` and `vwait` go on.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECURSION_LIMIT, NestingLimit, TCL_RECURSION_LIMIT } from '../../../src/socket/nesting-limit.js';
import { createSimDriver } from '../../../src/socket/sim-driver.js';
import { Interp, type Channel } from '../../../src/socket/interp.js';
import { World } from '../../../src/sim/world.js';
import { runScenario } from '../../../src/scenario/runner.js';
import { simBackend } from '../../../src/scenario/sim-backend.js';
import type { Scenario } from '../../../src/scenario/scenario.js';

/** How many handlers nest under a recursion limit of `levels`: the largest d with 2d + 1 ≤ levels. */
const nestedUnder = (levels: number): number => Math.floor((levels - 1) / 2);

/**
 * A client connected to an in-process server that sent one line nobody reads, with a readable
 * handler that calls `update` (the connection stays readable, so every `update` delivers again).
 */
function recursiveUpdate(recursionLimit?: number): { interp: Interp; c: Channel; depths: number[] } {
  const world = new World({ seed: 1 });
  world.addHost('local');
  const interp = new Interp(createSimDriver(world, 'local'), recursionLimit === undefined ? {} : { recursionLimit });
  const server = interp.server(0, (chan) => {
    chan.puts('hello');
    chan.flush();
  }, { myaddr: '127.0.0.1' });
  const c = interp.socket('127.0.0.1', server.port, { async: false });
  c.configure({ '-blocking': '0' });
  const depths: number[] = [];
  let depth = 0;
  c.fileevent('readable', {
    text: 'R',
    run: () => {
      depths.push(++depth);
      try {
        interp.update();
      } finally {
        depth--;
      }
    },
  });
  return { interp, c, depths };
}

describe('the nesting limit of event handlers', () => {
  it('lets exactly as many handlers nest as Tcl would under the same recursion limit, then raises Tcl’s error as a background error', () => {
    const limit = 21;
    const { interp, c, depths } = recursiveUpdate(limit);
    expect(() => interp.vwait('x', { budgetMs: 1000 })).toThrow(/would wait forever/);
    expect(Math.max(...depths)).toBe(nestedUnder(limit));
    const bg = interp.loop.backgroundErrors;
    expect(bg).toHaveLength(1);
    expect(bg[0]?.handler).toBe(`fileevent ${c.name} readable`);
    expect(bg[0]?.error).toMatchObject({ message: 'too many nested evaluations (infinite loop?)', errorCode: 'TCL LIMIT STACK' });
    // As in Tcl, the fileevent whose script raised is deleted, so the recursion ends there.
    expect(c.fileeventQuery('readable')).toBe('');
  });

  it('does not record the event of a handler the limit refused (its script never ran)', () => {
    const limit = 9;
    const { interp, depths } = recursiveUpdate(limit);
    expect(() => interp.vwait('x', { budgetMs: 100 })).toThrow(/would wait forever/);
    const events = interp.trace.entries.filter((e) => e.kind === 'obs' && 'event' in e && e['event'] === 'readable');
    expect(events).toHaveLength(depths.length);
    expect(depths.length).toBe(nestedUnder(limit));
  });

  it('uses a default well inside the JavaScript stack, with Tcl’s limit as the documented ceiling', () => {
    const { interp, depths } = recursiveUpdate();
    expect(() => interp.vwait('x', { budgetMs: 1000 })).toThrow(/would wait forever/);
    expect(DEFAULT_RECURSION_LIMIT).toBeLessThanOrEqual(TCL_RECURSION_LIMIT);
    expect(Math.max(...depths)).toBe(nestedUnder(DEFAULT_RECURSION_LIMIT));
  });

  it('stops the run with ERR_STACK_EXHAUSTED, never a script error, when the stack runs out before the limit', () => {
    // A limit far past what the engine's stack holds: the overflow must not become a
    // background error whose depth differs from run to run.
    const { interp } = recursiveUpdate(10_000_000);
    let caught: unknown;
    try {
      interp.vwait('x', { budgetMs: 1000 });
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: 'ERR_STACK_EXHAUSTED' });
    expect(interp.loop.backgroundErrors).toHaveLength(0);
  });

  it('rejects a recursion limit that is not a positive integer', () => {
    expect(() => new NestingLimit(0)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    expect(() => new NestingLimit(1.5)).toThrow(/positive integer/);
  });
});

describe('the recursive-update scenario of the issue', () => {
  const scenario: Scenario = {
    name: 'recursive-update',
    description: 'a readable handler that calls update on a connection that stays readable',
    listeners: [{ role: 'port', on: '127.0.0.1', behaviour: { kind: 'reply-open', line: 'hello' }, process: 'in-process' }],
    handlers: [{ name: 'R', steps: [{ op: 'update' }] }],
    client: [
      { op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'port' },
      { op: 'fileevent', chan: 'c1', event: 'readable', handler: 'R' },
      { op: 'vwait', var: 'x', timeoutMs: 1000 },
    ],
  };

  async function once(): Promise<{ reason: string; lines: string }> {
    try {
      await runScenario(scenario, simBackend(scenario));
    } catch (err) {
      const e = err as { reason: string; partial: { lines: readonly unknown[] } };
      return { reason: e.reason, lines: e.partial.lines.map((l) => JSON.stringify(l)).join('\n') };
    }
    throw new Error('expected the background error to fail the run');
  }

  it('gives the same trace, byte for byte, in five runs in one process', async () => {
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push(await once());
    const first = runs[0];
    expect(first?.reason).toMatch(/a handler raised a background error: fileevent sock\d+ readable: too many nested evaluations \(infinite loop\?\)/);
    for (const r of runs) expect(r).toEqual(first);
    // One event line per nested handler, and each handler's `update` returns: an op line each.
    const events = first?.lines.split('\n').filter((l) => l.startsWith('{"event":"readable"')) ?? [];
    expect(events).toHaveLength(nestedUnder(DEFAULT_RECURSION_LIMIT));
  });
});
