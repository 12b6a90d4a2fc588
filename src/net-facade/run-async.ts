/**
 * `runAsync`: runs a simulated world while async user code awaits it, letting promise chains
 * settle between world events (what @sinonjs/fake-timers' `runAllAsync` does for its clock).
 *
 * Owns: the loop "settle the host's microtasks, fire the next world event, settle again" until
 * the user's promise settles; its result or rejection; a virtual-time budget; the error for a
 * promise that can never settle because nothing is left to happen in the world.
 *
 * Does not: read real time. The host loop's turns (`nextHostTurn`) are only used to let
 * microtasks and `process.nextTick` callbacks run; with no real I/O in flight they run in the
 * same order every time, so a run is as deterministic as the world.
 *
 * A run that fires more world events than the clock's `loopLimit` stops with
 * ERR_CLOCK_LOOP_LIMIT (a timer that re-arms itself at the same instant would never let time
 * move).
 *
 * Departs from a real process: an error thrown by a world event (an 'error' event nobody
 * listens to, a modelled internal assertion) rejects `runAsync` instead of killing the process.
 */
import { nextHostTurn } from '../clock/real-clock.js';
import { DetnetError, invalidArgType } from '../errors.js';
import type { World } from '../sim/world.js';

/** Options of `runAsync`. */
export interface RunAsyncOptions {
  /** Most virtual time (ms) the run may cover before it fails with ERR_RUN_BUDGET (default: none). */
  readonly budgetMs?: number;
}

/**
 * Runs `world` until `work` (a promise, or a function returning one or a value) settles, and
 * returns its result. Fails with `ERR_WORLD_IDLE` when nothing is pending in the world and the
 * promise is still waiting (it would wait forever), `ERR_RUN_BUDGET` past `budgetMs`.
 */
export async function runAsync<T>(world: World, work: Promise<T> | (() => T | Promise<T>), options: RunAsyncOptions = {}): Promise<T> {
  if (typeof work !== 'function' && !(work instanceof Promise)) throw invalidArgType('runAsync work', 'a promise or a function', work);
  const start = world.clock.now();
  const until = options.budgetMs === undefined ? Infinity : start + options.budgetMs;
  let settled = false;
  const promise = Promise.resolve().then(() => (typeof work === 'function' ? work() : work));
  promise.then(
    () => void (settled = true),
    () => void (settled = true),
  );
  await nextHostTurn();
  let fired = 0;
  while (!settled) {
    if (++fired > world.clock.loopLimit) throw runaway(world);
    const due = world.clock.nextDue();
    if (due === undefined) {
      throw new DetnetError('ERR_WORLD_IDLE', `runAsync: the awaited work is still pending at t=${world.clock.now()} ms and nothing more can happen in the world`);
    }
    if (due > until) {
      world.clock.advanceTo(until);
      throw new DetnetError('ERR_RUN_BUDGET', `runAsync: the awaited work is still pending after its budget of ${String(options.budgetMs)} ms`);
    }
    world.clock.runNext();
    await nextHostTurn();
  }
  return promise;
}

/**
 * Runs `world` until no event is pending, settling microtasks between events (for code that
 * starts work without handing back a promise).
 */
export async function runAllAsync(world: World, options: RunAsyncOptions = {}): Promise<void> {
  const until = options.budgetMs === undefined ? Infinity : world.clock.now() + options.budgetMs;
  await nextHostTurn();
  let fired = 0;
  for (;;) {
    if (++fired > world.clock.loopLimit) throw runaway(world);
    const due = world.clock.nextDue();
    if (due === undefined) return;
    if (due > until) {
      world.clock.advanceTo(until);
      return;
    }
    world.clock.runNext();
    await nextHostTurn();
  }
}

function runaway(world: World): DetnetError {
  return new DetnetError('ERR_CLOCK_LOOP_LIMIT', `runAsync: more than ${world.clock.loopLimit} world events in one run at t=${world.clock.now()} ms (runaway loop?)`);
}
