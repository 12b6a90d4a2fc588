// RealClock over Node's timers. Kept short (tens of milliseconds of real waiting in total, run
// concurrently) because it waits on the wall clock.
import { afterEach, expect, test } from 'vitest';
import { RealClock } from '../../../src/clock/real-clock.js';

const clocks: RealClock[] = [];
function makeClock(): RealClock {
  const clock = new RealClock();
  clocks.push(clock);
  return clock;
}
afterEach(() => {
  for (const clock of clocks.splice(0)) clock.clearAll();
});

/** Resolves after `ms` of real time, using the clock under test itself. */
function sleep(clock: RealClock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimer(ms, resolve));
}

test('a short real timer fires, no earlier than its delay, and leaves nothing pending', async () => {
  const clock = makeClock();
  const start = clock.now();
  const firedAt = await new Promise<number>((resolve) => clock.setTimer(5, () => resolve(clock.now())));
  // Node may fire a timer up to ~1 ms "early" by its own rounding; never much earlier.
  expect(firedAt - start).toBeGreaterThanOrEqual(4);
  expect(clock.pendingCount).toBe(0);
});

test('a scheduled task fires once through its fire() method', async () => {
  const clock = makeClock();
  const fired = await new Promise<number>((resolve) => clock.schedule(2, { fire: () => resolve(clock.pendingCount), timerLabel: () => 'task' }));
  expect(fired).toBe(0); // the timer is no longer pending when its task runs
});

test('clearTimer cancels a pending timer and reports it only once', async () => {
  const clock = makeClock();
  let fired = false;
  const id = clock.setTimer(5, () => (fired = true));
  expect(clock.clearTimer(id)).toBe(true);
  expect(clock.clearTimer(id)).toBe(false);
  await sleep(clock, 20);
  expect(fired).toBe(false);
});

test("a delay beyond Node's 2^31-1 ms limit is not cut short to one millisecond", async () => {
  // Plain setTimeout would fire this after 1 ms with a TimeoutOverflowWarning.
  const clock = makeClock();
  const warnings: string[] = [];
  const onWarning = (w: Error): void => void warnings.push(w.name);
  process.on('warning', onWarning);
  let fired = false;
  clock.setTimer(2 ** 31 + 10, () => (fired = true));
  await sleep(clock, 15);
  process.off('warning', onWarning);
  expect(fired).toBe(false);
  expect(clock.pendingCount).toBe(1);
  expect(warnings).not.toContain('TimeoutOverflowWarning');
});

test('now() is monotonic and starts near zero', async () => {
  const clock = makeClock();
  const first = clock.now();
  expect(first).toBeGreaterThanOrEqual(0);
  expect(first).toBeLessThan(50);
  await sleep(clock, 2);
  expect(clock.now()).toBeGreaterThan(first);
});

test('an invalid delay is refused with ERR_INVALID_DELAY', () => {
  const clock = makeClock();
  let code: string | undefined;
  try {
    clock.setTimer(-1, () => {});
  } catch (err) {
    code = (err as { code?: string }).code;
  }
  expect(code).toBe('ERR_INVALID_DELAY');
  expect(clock.pendingCount).toBe(0);
});
