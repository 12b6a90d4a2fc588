// The scripted latency model (src/sim/latency.ts): per-packet delays in sending order, then
// `thenMs`; validation; and each world walks the list from its start, so a model object reused
// by fast-check across runs (or on both directions of a link) never carries a position over.
import { describe, expect, it } from 'vitest';
import { checkLatency, drawLatency, latencyBounds, scripted, type LatencyModel } from '../../../src/sim/latency.js';
import { Rng } from '../../../src/random/rng.js';
import { World } from '../../../src/sim/world.js';
import { serve } from '../../../src/sim/apps.js';
import { connect } from './fixtures.js';

describe('scripted latency', () => {
  it('gives the k-th draw the k-th delay, then thenMs, and draws nothing from the RNG', () => {
    const model = scripted([3, 0, 7.4], { thenMs: 2 });
    const rng = new Rng(1);
    const untouched = new Rng(1);
    expect([1, 2, 3, 4, 5].map(() => drawLatency(model, rng))).toEqual([3, 0, 7, 2, 2]);
    expect(rng.int(0, 1_000_000)).toBe(untouched.int(0, 1_000_000));
  });

  it('keeps one position per generator, so each world starts the list afresh', () => {
    const model = scripted([5, 9]);
    const a = new Rng(1);
    const b = new Rng(1);
    expect(drawLatency(model, a)).toBe(5);
    expect(drawLatency(model, b)).toBe(5);
    expect(drawLatency(model, a)).toBe(9);
    expect(drawLatency(model, a)).toBe(0); // thenMs defaults to 0
  });

  it('is refused with ERR_INVALID_LATENCY, not a TypeError from printing it, when the model holds a BigInt or a cycle', () => {
    expect(() => scripted([1n as unknown as number])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_LATENCY' }));
    const cyclic: Record<string, unknown> = { kind: 'scripted', delaysMs: [-1] };
    cyclic['self'] = cyclic;
    expect(() => checkLatency(cyclic as unknown as LatencyModel)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_LATENCY' }));
  });

  it('is refused with ERR_INVALID_LATENCY for negative, infinite or non-number delays', () => {
    expect(() => scripted([1, -1])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_LATENCY' }));
    expect(() => scripted([Infinity])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_LATENCY' }));
    expect(() => checkLatency({ kind: 'scripted', delaysMs: 'x' as unknown as number[] })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_LATENCY' }));
    expect(() => scripted([1], { thenMs: -2 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_LATENCY' }));
  });

  it('bounds cover the list and thenMs', () => {
    expect(latencyBounds(scripted([4, 9, 1], { thenMs: 6 }))).toEqual({ min: 1, max: 9 });
    expect(latencyBounds(scripted([]))).toEqual({ min: 0, max: 0 });
  });

  it('set on both directions of a link, times a handshake packet by packet: SYN 3 ms, SYN-ACK 4 ms', () => {
    const world = new World({ seed: 1 });
    world.addHost('a', { addresses: ['10.0.0.1'] });
    const b = world.addHost('b', { addresses: ['10.0.0.2'] });
    serve(b, { port: 80, behaviour: { kind: 'record' } });
    const model = scripted([3, 4]);
    world.network.setLatency(model, { from: 'a', to: 'b' });
    world.network.setLatency(model, { from: 'b', to: 'a' });
    connect(world.host('a'), '10.0.0.2', 80);
    world.runUntilIdle();
    const connected = world.trace.entries.find((e) => e.kind === 'net.connected');
    expect(connected?.t).toBe(7);
  });
});
