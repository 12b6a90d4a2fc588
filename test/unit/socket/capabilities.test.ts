// Capabilities are types: the synchronous command forms need a BlockingDriver, and the event
// loop's synchronous waits need a SteppableClock. The `@ts-expect-error` lines are the proof
// at compile time (`npm run typecheck` fails if any of those calls starts to compile); each is
// also run, to show what a JavaScript caller without types gets instead.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { RealClock } from '../../../src/clock/real-clock.js';
import { isSteppable, type SteppableClock } from '../../../src/clock/steppable-clock.js';
import { VirtualClock } from '../../../src/clock/virtual-clock.js';
import { createNodeDriver, type NodeDriver } from '../../../src/node.js';
import { World } from '../../../src/sim/world.js';
import { isBlockingDriver, type BlockingDriver, type Driver } from '../../../src/socket/driver.js';
import { Interp } from '../../../src/socket/interp.js';
import { SimDriver } from '../../../src/socket/sim-driver.js';

const syncRefused = expect.objectContaining({ code: 'ERR_SYNC_ON_REAL_DRIVER' });

describe('the blocking capability', () => {
  it('is a type the sim driver has and the node driver lacks', () => {
    expectTypeOf<SimDriver>().toExtend<BlockingDriver>();
    expectTypeOf<NodeDriver>().toExtend<Driver>();
    expectTypeOf<NodeDriver>().not.toExtend<BlockingDriver>();
    const world = new World({ seed: 1 });
    world.addHost('h', { addresses: ['10.0.0.1'] });
    expect(isBlockingDriver(new SimDriver(world, 'h'))).toBe(true);
    expect(isBlockingDriver(createNodeDriver())).toBe(false);
  });

  it('makes the synchronous forms of an interpreter over the node driver fail to compile, and throw ERR_SYNC_ON_REAL_DRIVER for untyped callers', async () => {
    const driver = createNodeDriver();
    const interp = new Interp(driver);
    try {
      // @ts-expect-error socket needs an Interp<BlockingDriver>
      expect(() => interp.socket('127.0.0.1', 9)).toThrow(syncRefused);
      // @ts-expect-error vwait needs an Interp<BlockingDriver>
      expect(() => interp.vwait('x')).toThrow(syncRefused);
      // @ts-expect-error after ms needs an Interp<BlockingDriver>
      expect(() => interp.after(1)).toThrow(syncRefused);
      // @ts-expect-error server needs an Interp<BlockingDriver>
      expect(() => interp.server(0, () => undefined)).toThrow(syncRefused);
      // Nothing was opened by the refused calls.
      expect(driver.openHandleCount).toBe(0);
      expect(interp.channelNames()).toEqual([]);
    } finally {
      interp.close();
      await driver.dispose();
    }
  });

  it('keeps the commands that never wait on every interpreter, and narrows with isBlocking()', () => {
    const world = new World({ seed: 1 });
    world.addHost('h', { addresses: ['10.0.0.1'] });
    const either: Interp<Driver> = new Interp(new SimDriver(world, 'h'));
    // @ts-expect-error an Interp<Driver> may be over the node driver: not without narrowing
    const unnarrowed = (): void => either.vwait('x');
    expectTypeOf(unnarrowed).toBeFunction();
    either.set('x', '1'); // never waits: on every interpreter
    either.update();
    expect(either.isBlocking()).toBe(true);
    if (either.isBlocking()) {
      // Narrowed: the synchronous forms compile and run.
      either.after(5);
      expect(world.clock.now()).toBe(5);
    }
    const plain: Interp = new Interp(new SimDriver(world, 'h'));
    expectTypeOf(plain.driver).toExtend<BlockingDriver>();
  });
});

describe('the steppable clock capability', () => {
  it('is what VirtualClock offers and RealClock does not, asked at run time by isSteppable', () => {
    expectTypeOf<VirtualClock>().toExtend<SteppableClock>();
    expectTypeOf<RealClock>().not.toExtend<SteppableClock>();
    expect(isSteppable(new VirtualClock())).toBe(true);
    const real = new RealClock();
    expect(isSteppable(real)).toBe(false);
    real.clearAll();
  });
});
