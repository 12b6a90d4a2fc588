/**
 * A scripted latency list makes timing a shrinkable input: for any per-packet delays of the
 * client → server link, a connect completes when the first SYN to arrive is answered — SYNs
 * leave at 0, 1000 and 3000 ms (Linux's schedule), the i-th takes the i-th delay, and the
 * SYN-ACK takes the default 1 ms back. fast-check shrinks a failing list to its smallest
 * delays, which is the point of the `scripted` model.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/scenario/runner.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { simBackend } from '../../src/scenario/sim-backend.js';
import { validateScenario } from '../../src/scenario/validate.js';
import { propertyParams } from '../helpers/property.js';

const FILE = 'test/property/scenario-scripted-latency.test.ts';

function scenario(delaysMs: readonly number[]): Scenario {
  return validateScenario(
    {
      name: 'scripted',
      description: 'a connect over a scripted link',
      world: {
        hosts: [
          { name: 'client', addresses: ['10.0.0.1'] },
          { name: 'server', addresses: ['10.0.0.2'] },
        ],
        latency: { links: [{ from: 'client', to: 'server', model: { kind: 'scripted', delaysMs } }] },
      },
      listeners: [{ role: 'port', on: '10.0.0.2', port: 80, process: 'child', behaviour: { kind: 'close' } }],
      handlers: [{ name: 'W', steps: [{ op: 'fileevent', chan: 'c1', event: 'writable', handler: null }, { op: 'set', var: 'done', value: '1' }] }],
      client: [
        { op: 'socket', chan: 'c1', host: '10.0.0.2', port: 80 },
        { op: 'fileevent', chan: 'c1', event: 'writable', handler: 'W' },
        { op: 'vwait', var: 'done', timeoutMs: 20_000 },
      ],
    },
    { strict: true },
  );
}

describe('scripted latency', () => {
  it('connects at min(d1, 1000 + d2, 3000 + d3) + 1 ms for SYN delays d1, d2, d3', async () => {
    await fc.assert(
      fc.asyncProperty(fc.tuple(fc.integer({ min: 0, max: 4000 }), fc.integer({ min: 0, max: 4000 }), fc.integer({ min: 0, max: 4000 })), async ([d1, d2, d3]) => {
        const s = scenario([d1, d2, d3]);
        const run = await runScenario(s, simBackend(s));
        // Only SYNs leave the client before the connect completes, so the list is consumed in
        // their order; a SYN never sent would have arrived after the first one anyway.
        expect(run.timed.find((l) => 'event' in l.line)?.t).toBe(Math.min(d1, 1000 + d2, 3000 + d3) + 1);
      }),
      propertyParams('scripted latency connect time', FILE, 200),
    );
  });
});
