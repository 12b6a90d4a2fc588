// Issue 9 item 4, the scenario-file form: an echo child accepting after 50 ms, a drop rule on
// 127.0.0.1 from 10 ms to 930,000 ms, `puts a`/`flush`, sixteen `after 60000`, `puts b`/
// `flush`. The echo of "a" never gets through, the child's sending half times out and its
// socket goes; before the fix the client's own sending half went with it (one stream object
// shared by both ends), so the last blocking flush spun for ever and `detnet run` never exited.
// Now "b" is taken by the client's kernel (it meets an RST later, as on Linux) and the run ends.
// The spin never touched the clock, so the scenario is first run under a budget of socket
// writes: a regression fails there instead of hanging the suite.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/scenario/runner.js';
import type { Scenario, Step } from '../../../src/scenario/scenario.js';
import { SIM_HOST, simBackend } from '../../../src/scenario/sim-backend.js';
import { cli, timeline } from './helpers.js';

const SCENARIO: Scenario = {
  name: 'flush-after-peer-timeout',
  description: 'issue 9 item 4: a blocking flush after the peer timed out must end',
  listeners: [{ role: 'port', on: '127.0.0.1', behaviour: { kind: 'echo' }, process: 'child', acceptDelayMs: 50 }],
  faults: [{ atMs: 10, untilMs: 930_000, to: { address: '127.0.0.1' }, verdict: 'drop' }],
  client: [
    { op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'port' },
    { op: 'puts', chan: 'c1', text: 'a' },
    { op: 'flush', chan: 'c1' },
    ...Array.from({ length: 16 }, (): Step => ({ op: 'after', ms: 60_000 })),
    { op: 'puts', chan: 'c1', text: 'b' },
    { op: 'flush', chan: 'c1' },
  ],
};

const WRITE_BUDGET = 10_000;

const scratch = mkdtempSync(join(tmpdir(), 'detnet-flush-spin-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('detnet run: a blocking flush after the peer timed out (issue 9 item 4)', () => {
  it('ends, under a write budget and then through the command line, with exit code 0', async () => {
    const backend = simBackend(SCENARIO);
    const host = backend.world.host(SIM_HOST);
    const make = host.socket.bind(host);
    host.socket = (family) => {
      const s = make(family);
      const write = s.write.bind(s);
      let calls = 0;
      s.write = (data) => {
        if (++calls > WRITE_BUDGET) throw new Error(`write budget exceeded on ${s.name} (a flush spinning?)`);
        return write(data);
      };
      return s;
    };
    const run = await runScenario(SCENARIO, backend);
    // The child's echo of "a" was dropped until its retransmissions ran out.
    expect(backend.world.trace.ofKind('net.drop').length).toBeGreaterThan(10);
    expect(run.lines.filter((l) => 'op' in l && l.op === 'flush <c1>')).toEqual([
      { op: 'flush <c1>', result: '' },
      { op: 'flush <c1>', result: '' },
    ]);

    const file = join(scratch, 'scenario.json');
    writeFileSync(file, JSON.stringify(SCENARIO));
    const { code, out } = await cli(['run', file]);
    expect(code).toBe(0);
    const texts = timeline(out).map(([ms, text]) => `${ms} ${text}`);
    expect(texts).toContain('960000 % flush sock1');
  });
});
