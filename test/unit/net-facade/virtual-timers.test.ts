// Virtual timers for user code and runAsync: Node's timer semantics on the world clock, and
// promise chains settling between world events.
import { describe, expect, it } from 'vitest';
import { World } from '../../../src/index.js';
import { runAllAsync, runAsync, VirtualTimers } from '../../../src/net-facade.js';

describe('virtual timers on the world clock', () => {
  it('fires timeouts, intervals and immediates at world times, in Node order for equal times', async () => {
    const world = new World({ seed: 1 });
    const timers = new VirtualTimers(world.clock);
    const seen: string[] = [];
    const log = (what: string) => () => seen.push(`${world.clock.now()} ${what}`);
    const every = timers.setInterval(log('interval'), 10);
    timers.setTimeout(() => timers.clearInterval(every), 35);
    timers.setTimeout(log('zero becomes 1 ms'), 0);
    timers.setTimeout(log('NaN becomes 1 ms'), Number.NaN);
    timers.setImmediate(log('immediate'));
    await runAllAsync(world);
    expect(seen).toEqual(['0 immediate', '1 zero becomes 1 ms', '1 NaN becomes 1 ms', '10 interval', '20 interval', '30 interval']);
    expect(timers.pending).toBe(0);
  });

  it('cancels by object or by Number(timeout), and refresh() re-arms from now', async () => {
    const world = new World({ seed: 1 });
    const timers = new VirtualTimers(world.clock);
    const seen: number[] = [];
    const a = timers.setTimeout(() => seen.push(-1), 5);
    timers.clearTimeout(Number(a));
    const b = timers.setTimeout(() => seen.push(world.clock.now()), 10);
    timers.setTimeout(() => b.refresh(), 8);
    timers.setTimeout((x: unknown) => seen.push(x as number), 1, 42);
    await runAllAsync(world);
    expect(seen).toEqual([42, 18]);
  });

  it('lets awaited promise chains settle between world events inside runAsync', async () => {
    const world = new World({ seed: 1 });
    const timers = new VirtualTimers(world.clock);
    const sleep = (ms: number) => new Promise<void>((resolve) => timers.setTimeout(() => resolve(), ms));
    const result = await runAsync(world, async () => {
      const marks: number[] = [];
      for (let i = 0; i < 3; i++) {
        await sleep(100);
        await Promise.resolve();
        marks.push(world.clock.now());
      }
      return marks;
    });
    expect(result).toEqual([100, 200, 300]);
  });

  it('fails runAsync with ERR_WORLD_IDLE when the awaited work can never settle', async () => {
    const world = new World({ seed: 1 });
    await expect(runAsync(world, new Promise(() => undefined))).rejects.toMatchObject({ code: 'ERR_WORLD_IDLE' });
  });

  it('fails runAsync with ERR_RUN_BUDGET past its budget, with the clock at the budget', async () => {
    const world = new World({ seed: 1 });
    const timers = new VirtualTimers(world.clock);
    await expect(runAsync(world, new Promise((resolve) => timers.setTimeout(resolve, 5000)), { budgetMs: 1000 })).rejects.toMatchObject({ code: 'ERR_RUN_BUDGET' });
    expect(world.clock.now()).toBe(1000);
  });

  it('stops a runaway run (an immediate that re-arms itself) with ERR_CLOCK_LOOP_LIMIT', async () => {
    const world = new World({ seed: 1, loopLimit: 500 });
    const timers = new VirtualTimers(world.clock);
    const again = (): void => void timers.setImmediate(again);
    again();
    await expect(runAsync(world, new Promise(() => undefined))).rejects.toMatchObject({ code: 'ERR_CLOCK_LOOP_LIMIT' });
    expect(world.clock.now()).toBe(0);
  });
});
