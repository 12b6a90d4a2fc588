/**
 * Memory blow-ups become clear errors (issue 9, item 7), with the two files of the issue:
 * - poll-heavy.json (40 KB): a poll of 10,000 rounds with 2,500 `update`s between. It
 *   validated, then died after a minute in a V8 heap out-of-memory abort. Now validation
 *   rejects it, naming the path.
 * - writable-forever.json (~500 bytes): a writable handler that never removes itself. It ran a
 *   million events (12 s, 2.1 GB) before ERR_LOOP_LIMIT. Now the notifier stops it after
 *   `DEFAULT_RUNAWAY_LIMIT` deliveries at one instant, naming the channel, the event and the
 *   handler's script. The budget is asserted as work (trace entries), not as time.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RUNAWAY_LIMIT, Notifier } from '../../../src/loop/notifier.js';
import { runScenario, SCENARIO_LOOP_LIMIT, ScenarioRunError } from '../../../src/scenario/runner.js';
import { simBackend } from '../../../src/scenario/sim-backend.js';
import { validateScenario } from '../../../src/scenario/validate.js';
import { createSimDriver } from '../../../src/socket/sim-driver.js';
import { Interp } from '../../../src/socket/interp.js';
import { World } from '../../../src/sim/world.js';
import { cli } from '../cli/helpers.js';

const fixture = (name: string): string => new URL(`../../fixtures/issue-9/${name}`, import.meta.url).pathname;
const load = (name: string): unknown => JSON.parse(readFileSync(fixture(name), 'utf8'));

describe('the files of issue 9, item 7', () => {
  it('rejects the 40 KB polling file at validation, naming the path, with exit 2 from the CLI', async () => {
    expect(() => validateScenario(load('poll-heavy.json'))).toThrow(/client\[1\]\.between: at most 64 steps, got 2500/);
    const { code, out, err } = await cli(['run', fixture('poll-heavy.json')]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/poll-heavy\.json: scenario "poll-heavy": client\[1\]\.between: at most 64 steps/);
  });

  it('stops the writable handler that never removes itself early, naming channel, event and script', async () => {
    const scenario = validateScenario(load('writable-forever.json'));
    const backend = simBackend(scenario);
    let caught: unknown;
    try {
      await runScenario(scenario, backend, { traces: [backend.world.trace] });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ScenarioRunError);
    const run = caught as ScenarioRunError;
    expect((run.cause as { code?: string }).code).toBe('ERR_RUNAWAY_HANDLER');
    expect(run.reason).toMatch(new RegExp(`^fileevent sock\\d+ writable W fired ${DEFAULT_RUNAWAY_LIMIT} times at virtual time \\d+ ms while sim:\\S+ stayed writable`));
    // The budget, as work: a handful of entries per delivery, nowhere near a million events.
    const source = (run.cause as { source: string }).source;
    const events = run.partial.entries.filter((e) => e.kind === 'loop.file' && e['source'] === source).length;
    // The last DEFAULT_RUNAWAY_LIMIT deliveries had no progress; a few before them (while the
    // connect completed) had some.
    expect(events).toBeGreaterThanOrEqual(DEFAULT_RUNAWAY_LIMIT);
    expect(events).toBeLessThan(DEFAULT_RUNAWAY_LIMIT + 10);
    expect(run.partial.entries.length).toBeLessThan(DEFAULT_RUNAWAY_LIMIT * 6);
  });

  it('reports the runaway through the CLI with exit 1 and the handler in the message', async () => {
    const { code, out } = await cli(['run', fixture('writable-forever.json')]);
    expect(code).toBe(1);
    expect(out).toMatch(/fileevent sock\d+ writable W fired 10000 times/);
  });
});

describe('runaways with progress', () => {
  it('stops a handler that writes forever at one instant after SCENARIO_LOOP_LIMIT events per wait, not a million', async () => {
    // A readable handler that never reads the listener's line but writes and flushes on every
    // delivery: each write is progress (the peer takes the data at zero latency), so only the
    // loop limit can stop it. Found by the scenario determinism property.
    const scenario = validateScenario({
      name: 'ping-forever',
      description: 'a readable handler that writes instead of reading',
      listeners: [{ role: 'port', on: 'both', behaviour: { kind: 'reply-open', line: 'hello' }, process: 'child' }],
      handlers: [{ name: 'R', steps: [{ op: 'puts', chan: 'c1', text: 'ping' }, { op: 'flush', chan: 'c1' }] }],
      client: [
        { op: 'socket', chan: 'c1', host: '::1', port: 'port' },
        { op: 'fileevent', chan: 'c1', event: 'readable', handler: 'R' },
        { op: 'vwait', var: 'done', timeoutMs: 500 },
      ],
    });
    const backend = simBackend(scenario);
    const failure = await runScenario(scenario, backend, { traces: [backend.world.trace] }).then(
      () => null,
      (err: unknown) => err as ScenarioRunError,
    );
    expect((failure?.cause as { code?: string } | undefined)?.code).toBe('ERR_LOOP_LIMIT');
    expect(failure?.reason).toMatch(new RegExp(`^vwait done serviced more than ${SCENARIO_LOOP_LIMIT} events`));
    // The message names the handler that kept firing, not only the socket.
    expect(failure?.reason).toMatch(/last: sim:\S+: fileevent sock\d+ readable R/);
    expect(failure?.partial.entries.filter((e) => e.kind === 'obs' && e['event'] === 'readable').length).toBeLessThanOrEqual(SCENARIO_LOOP_LIMIT + 1);
  });
});

describe('the runaway detector', () => {
  function world(): { interp: Interp } {
    const w = new World({ seed: 3 });
    w.addHost('local');
    return { interp: new Interp(createSimDriver(w, 'local')) };
  }

  it('does not stop a readable handler that consumes a little on every delivery', () => {
    // 30,000 one-byte reads at one instant: each read is progress the socket reports.
    const { interp } = world();
    const lines = 'x'.repeat(40_000);
    const server = interp.server(0, (chan) => {
      chan.puts(lines);
      chan.flush();
    }, { myaddr: '127.0.0.1' });
    const c = interp.socket('127.0.0.1', server.port, { async: false });
    c.configure({ '-blocking': '0', '-buffersize': '1' });
    let got = 0;
    c.fileevent('readable', {
      text: 'R',
      run: () => {
        got += c.read(1).length;
        if (got === 30_000) interp.set('done');
      },
    });
    interp.vwait('done', { budgetMs: 10_000 });
    expect(interp.driver.clock.now()).toBe(0);
    expect(got).toBeGreaterThan(DEFAULT_RUNAWAY_LIMIT);
  });

  it('rejects a runaway limit that is not a positive integer', () => {
    const clock = new World({ seed: 1 }).clock;
    expect(() => new Notifier(clock, { runawayLimit: 0 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
  });
});
