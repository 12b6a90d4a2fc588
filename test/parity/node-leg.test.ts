/**
 * Parity, leg (b): every scenario of the table runs over real loopback sockets with the Node
 * driver and must give the pinned tclsh trace (or the trace its `differences` declare for
 * node, with the reason). Loopback only, each run bounded by the scenario's time limit, and
 * the last test checks that the leg left no socket, server or timer open.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/scenario/runner.js';
import { nodeBackend } from '../../src/scenario/node-backend.js';
import { diffObservations } from '../../src/trace/observation.js';
import { leakedSince, socketResources, type ResourceCounts } from '../helpers/real-sockets.js';
import { loadParityTable } from './table.js';

const table = loadParityTable();
let baseline: ResourceCounts = {};

describe('parity table: real loopback sockets (Node driver)', () => {
  beforeAll(() => {
    baseline = socketResources();
  });

  for (const c of table) {
    const expected = c.expected('node');
    if (expected === null) continue;
    const why = c.difference('node');
    it(`${c.scenario.name}: real sockets give the ${why === undefined ? 'tclsh' : 'declared node'} trace`, async () => {
      const run = await runScenario(c.scenario, nodeBackend(c.scenario));
      const diff = diffObservations(expected, run.lines, { expected: why === undefined ? 'tclsh' : 'declared', actual: 'node' });
      expect(diff, diff ?? '').toBeNull();
    });
  }

  it('leaves no socket, server or timer open after the whole leg', async () => {
    expect(await leakedSince(baseline)).toEqual({});
  });
});
