// Issue 9 item 10: `NodeDriver.dispose()` must settle every pending Promise-form operation —
// a command waiting for a lookup, a `vwaitAsync`, a `getsAsync` or `flushAsync` waiting on a
// real loopback socket, a bare `resolveAsync` or `settleAsync` — by rejecting it with
// ERR_DRIVER_DISPOSED. Before, they never settled (a script's top-level await never ended).
// Each wait is bounded: `outcome` gives up after 2 s and says "pending", which fails the test.
// Last, issue 14 item 6: the settle itself arms no timer (it yields through setImmediate).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeDriver, type NodeDriver, type NodeDriverOptions } from '../../../src/node.js';
import { Interp } from '../../../src/socket/interp.js';
import { RealSocketKit } from '../../helpers/real-sockets.js';

const BOUND_MS = 2000;
let kit: RealSocketKit;

beforeAll(() => {
  kit = new RealSocketKit();
});

afterAll(async () => {
  await kit.closeAll();
});

/** How `p` ends within BOUND_MS: its value, its error's code, or 'pending'. */
async function outcome(p: Promise<unknown>): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('pending'), BOUND_MS);
  });
  const settled = p.then(
    (value) => `resolved ${String(value)}`,
    (err: unknown) => `rejected ${String((err as { code?: unknown }).code)}`,
  );
  try {
    return await Promise.race([settled, bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** A driver whose name lookups never answer, and an interpreter over it. */
function setup(options: NodeDriverOptions = {}): { driver: NodeDriver; interp: Interp<NodeDriver> } {
  const driver = createNodeDriver({ lingerMs: 0, lookup: () => new Promise(() => undefined), ...options });
  return { driver, interp: new Interp(driver) };
}

/** Lets Node run until `done()` holds (bounded), for a command that must first be under way. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
}

describe('NodeDriver.dispose settles what is pending', () => {
  it('rejects a socketAsync waiting for its name lookup with ERR_DRIVER_DISPOSED', async () => {
    const { driver, interp } = setup();
    const pending = interp.socketAsync('never-answers.example', 80, { async: true });
    await new Promise((r) => setTimeout(r, 10)); // the command is past settle, in the lookup
    const result = outcome(pending); // watched before dispose rejects it
    await driver.dispose();
    expect(await result).toBe('rejected ERR_DRIVER_DISPOSED');
    expect(driver.openHandleCount).toBe(0);
  });

  it('rejects a vwaitAsync on a variable nobody sets with ERR_DRIVER_DISPOSED', async () => {
    const { driver, interp } = setup();
    const pending = interp.vwaitAsync('never');
    await new Promise((r) => setTimeout(r, 10));
    const result = outcome(pending); // watched before dispose rejects it
    await driver.dispose();
    expect(await result).toBe('rejected ERR_DRIVER_DISPOSED');
  });

  it('rejects a blocking getsAsync waiting on a silent real connection with ERR_DRIVER_DISPOSED', async () => {
    const server = await kit.server('127.0.0.1', { kind: 'silent' });
    const { driver, interp } = setup();
    const chan = await interp.socketAsync('127.0.0.1', server.port);
    const pending = chan.getsAsync();
    await until(() => server.accepted === 1);
    const result = outcome(pending); // watched before dispose rejects it
    await driver.dispose();
    expect(await result).toBe('rejected ERR_DRIVER_DISPOSED');
    expect(driver.openHandleCount).toBe(0);
  });

  it('rejects a blocking flushAsync waiting for a peer that does not read with ERR_DRIVER_DISPOSED', async () => {
    const server = await kit.server('127.0.0.1', { kind: 'hold' });
    const { driver, interp } = setup();
    const chan = await interp.socketAsync('127.0.0.1', server.port);
    // More than the loopback socket buffers take: Node queues it and asks for a drain, so the
    // next flush must wait for the peer to read, which it never does.
    await chan.putsAsync('x'.repeat(16 * 1024 * 1024), { nonewline: true });
    await chan.flushAsync();
    await chan.putsAsync('more', { nonewline: true });
    const pending = chan.flushAsync();
    await new Promise((r) => setTimeout(r, 50));
    expect(await outcome(Promise.race([pending, Promise.resolve('still waiting')]))).toBe('resolved still waiting');
    const result = outcome(pending); // watched before dispose rejects it
    await driver.dispose();
    expect(await result).toBe('rejected ERR_DRIVER_DISPOSED');
    server.resume();
  });

  it('rejects a bare resolveAsync and a settleAsync pending at dispose, and every call after it', async () => {
    const { driver } = setup();
    const lookup = outcome(driver.resolveAsync('never-answers.example'));
    const settle = outcome(driver.settleAsync());
    await driver.dispose();
    expect(await lookup).toBe('rejected ERR_DRIVER_DISPOSED');
    expect(await settle).toBe('rejected ERR_DRIVER_DISPOSED');
    expect(await outcome(driver.settleAsync())).toBe('rejected ERR_DRIVER_DISPOSED');
    expect(await outcome(driver.listenAsync({ address: '127.0.0.1', port: 0 }))).toBe('rejected ERR_DRIVER_DISPOSED');
  });
});

describe('NodeDriver.settleAsync', () => {
  // Issue 14 item 6: the settle every Promise-form command awaits was a 0 ms clock timer, which
  // Node rounds up to 1 ms. It now yields through setImmediate: no timer at all.
  it('lets Node poll without arming a timer on the driver clock', async () => {
    const { driver } = setup();
    const clock = driver.clock;
    const settled = driver.settleAsync();
    expect(clock.pendingCount).toBe(0);
    await settled;
    await driver.dispose();
  });
});
