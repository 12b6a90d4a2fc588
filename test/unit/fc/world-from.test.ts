// worldFrom turns case data into a world: one host per candidate with its fate and link latency,
// the DNS answer in resolver order, timed faults on the fault timeline, an interpreter on the
// client. Expected outcomes come from the fates' definitions (topology.ts), not from runs.
import { describe, expect, it } from 'vitest';
import { expectedOutcome, runProgram, worldFrom, type ClientProgram, type Topology } from '../../../src/fast-check.js';

const poll: ClientProgram = {
  shape: 'poll-connecting', blocking: false, write: 'none', writable: false, readable: false, writableFirst: false,
  timeoutMs: null, pollNow: false, pollAt: [], pollOptions: [],
};
const ms = (n: number) => ({ kind: 'fixed' as const, ms: n });

describe('worldFrom', () => {
  it('resolves the service to one address per candidate, in order, each on its own host', () => {
    const t: Topology = { candidates: [{ family: 'inet6', fate: 'refuse', latency: ms(1) }, { family: 'inet', fate: 'accept', latency: ms(2) }], seed: 3 };
    const { world, service } = worldFrom(t);
    expect(world.dns.get(service)?.map((a) => a.address)).toEqual(['fd00::11', '10.0.0.12']);
    expect(world.hosts.map((h) => h.name)).toEqual(['client', 'c0', 'c1']);
    expect(world.network.latencyModel('client', 'c1')).toEqual(ms(2));
    expect(world.network.latencyModel('c1', 'client')).toEqual(ms(2));
  });

  it('gives each fate its error: refuse, unreachable and blackhole end the walk as the model says', () => {
    for (const fate of ['refuse', 'unreachable', 'blackhole'] as const) {
      const t: Topology = { candidates: [{ family: 'inet', fate, latency: ms(1) }], seed: 1 };
      const o = runProgram(t, poll);
      const expected = expectedOutcome(t);
      expect(expected.kind).toBe('failed');
      const first = o.reads.find((r) => r.option === '-error' && r.connectingBefore === '0');
      expect(first?.answer).toEqual({ value: expected.kind === 'failed' ? expected.message : '' });
    }
  });

  it('a slow candidate connects at once and its line comes after the server app accepts', () => {
    const t: Topology = { candidates: [{ family: 'inet', fate: 'slow', latency: ms(1) }], seed: 1 };
    const o = runProgram(t, poll);
    expect(o.finalPeer).toEqual({ value: '10.0.0.11 10.0.0.11 7000' });
    expect(o.reply).toEqual({ value: 'hello from the server' });
  });

  it('installs a timed fault plan: a blackhole window over the first SYN makes an accepting candidate time out', () => {
    const t: Topology = { candidates: [{ family: 'inet', fate: 'accept', latency: ms(1) }], seed: 1 };
    const o = runProgram(t, poll, { faults: [{ kind: 'blackhole', candidate: 0, at: 0, forMs: 60_000 }] });
    const first = o.reads.find((r) => r.option === '-error' && r.connectingBefore === '0');
    expect(first?.answer).toEqual({ value: 'connection timed out' });
  });

  it('refuses a topology without candidates with ERR_INVALID_TOPOLOGY', () => {
    expect(() => worldFrom({ candidates: [], seed: 1 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_TOPOLOGY' }));
  });
});
