import { describe, expect, it } from 'vitest';
import { Fifo } from '../../../src/loop/fifo.js';

describe('Fifo', () => {
  it('shifts in insertion order across its compaction threshold', () => {
    const q = new Fifo<number>();
    for (let i = 0; i < 5000; i++) q.push(i);
    const out: number[] = [];
    for (let i = 0; i < 3000; i++) out.push(q.shift() as number);
    for (let i = 5000; i < 5010; i++) q.push(i);
    while (q.size > 0) out.push(q.shift() as number);
    expect(out).toEqual(Array.from({ length: 5010 }, (_, i) => i));
    expect(q.shift()).toBeUndefined();
  });

  it('insertSorted is stable: equal keys keep arrival order, and never lands before the head', () => {
    const q = new Fifo<[number, string]>();
    const before = (a: [number, string], b: [number, string]) => a[0] < b[0];
    q.push([1, 'a']);
    q.push([5, 'b']);
    expect(q.shift()).toEqual([1, 'a']);
    q.insertSorted([0, 'early'], before);
    q.insertSorted([5, 'c'], before);
    q.insertSorted([3, 'd'], before);
    expect(q.toArray().map((e) => e[1])).toEqual(['early', 'd', 'b', 'c']);
  });
});
