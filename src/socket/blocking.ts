/**
 * Blocking waits shared by the synchronous and Promise forms of channel commands.
 *
 * Owns: how a command that must wait (a blocking `gets` on a connecting socket, a blocking
 * `flush` on a full buffer, `after ms`) waits. Commands are written once as generators that
 * yield `Wait`s; `runSync` satisfies a wait through the driver's blocking capability
 * (`BlockingDriver.runUntil`: world events only — event handlers are merely queued, as in
 * Tcl's blocking I/O), `runAsync` by awaiting readiness changes of the waited-on sources (any
 * driver).
 *
 * A synchronous command that never has to wait runs on any driver (a handler's `gets` on a
 * non-blocking channel, or with its line already there). One that must wait needs a
 * `BlockingDriver`: on another driver it throws `ERR_SYNC_ON_REAL_DRIVER` at its `yield`
 * (whether a wait comes depends on the channel's mode and its data, which types cannot see).
 * A synchronous wait that nothing in the world can ever satisfy throws
 * `ERR_WOULD_BLOCK_FOREVER` instead of hanging.
 */
import { DetnetError } from '../errors.js';
import type { ReadinessSource } from '../loop/notifier.js';
import { isBlockingDriver, type Driver } from './driver.js';

/** Something a command waits for: a condition, and the sources whose changes may satisfy it. */
export interface Wait {
  readonly what: string;
  readonly until: () => boolean;
  readonly sources: readonly ReadinessSource[];
}

/** A command body: yields waits, returns its result. */
export type Op<T> = Generator<Wait, T, void>;

/**
 * Runs `op` to completion synchronously; its waits, if any, need a `BlockingDriver`. A
 * wait that cannot be satisfied is thrown *into* the command at its `yield` (`op.throw`), so
 * the command's own `try`/`finally` can clean up before the error leaves it.
 */
export function runSync<T>(driver: Driver, op: Op<T>): T {
  let r = op.next();
  while (!r.done) {
    const wait = r.value;
    const failure = wait.until() ? undefined : block(driver, wait);
    r = failure === undefined ? op.next() : op.throw(failure);
  }
  return r.value;
}

/** Blocks on `wait`; returns the error that ends the wait, or undefined once it is satisfied. */
function block(driver: Driver, wait: Wait): DetnetError | undefined {
  if (!isBlockingDriver(driver)) {
    return new DetnetError('ERR_SYNC_ON_REAL_DRIVER', `${wait.what} would block; the ${driver.kind} driver cannot block: use the Promise form`);
  }
  if (driver.runUntil(wait.until)) return undefined;
  return new DetnetError(
    'ERR_WOULD_BLOCK_FOREVER',
    `${wait.what} would block forever: nothing pending in the simulated world can let it proceed (virtual time ${driver.clock.now()} ms)`,
  );
}

/** Runs `op` to completion, awaiting readiness changes of the sources it waits on. */
export async function runAsync<T>(op: Op<T>): Promise<T> {
  let r = op.next();
  while (!r.done) {
    const wait = r.value;
    let failure: unknown;
    try {
      while (!wait.until()) await changeOf(wait.sources);
    } catch (err) {
      failure = err;
    }
    r = failure === undefined ? op.next() : op.throw(failure);
  }
  return r.value;
}

/** Resolves at the next readiness change of any of `sources`. */
function changeOf(sources: readonly ReadinessSource[]): Promise<void> {
  if (sources.length === 0) {
    return Promise.reject(new DetnetError('ERR_WOULD_BLOCK_FOREVER', 'a wait with no source to watch can never end'));
  }
  return new Promise<void>((resolve) => {
    const offs: (() => void)[] = [];
    const done = (): void => {
      for (const off of offs) off();
      resolve();
    };
    for (const s of sources) offs.push(s.onReadinessChange(done));
  });
}
