/**
 * The simulated backend of the scenario runner: the scenario's world (sim-world.ts: its
 * machines, or one loopback-only machine for a v1 file), a driver for the machine running the
 * client, drivers for the machines child listeners run on, and the fault timeline installed
 * once the runner knows the ports.
 *
 * Owns: choosing drivers per machine and the backend contract on the simulated world.
 * Listeners are made by the runner through the drivers, like on every backend.
 *
 * Does not: run anything (runner.ts) or translate world data (sim-world.ts).
 *
 * Departs from reality: what the simulator departs from (src/sim/); a v1 scenario's machine
 * has only loopback addresses, which is all a loopback scenario needs.
 */
import type { WorldTieOption } from '../clock/tie-trace.js';
import { tryParseAddress } from '../net/address.js';
import type { Driver } from '../socket/driver.js';
import { createSimDriver } from '../socket/sim-driver.js';
import type { LatencyModel } from '../sim/latency.js';
import type { World } from '../sim/world.js';
import type { ScenarioBackend } from './backend.js';
import type { Scenario } from './scenario.js';
import { buildWorld, installFaults } from './sim-world.js';

export { SIM_HOST } from './sim-world.js';

/** World settings a scenario file does not carry. */
export interface SimBackendOptions {
  /** How same-instant events are ordered (default `fifo`; `seeded` shows 336441ed59-style races). */
  readonly tieBreaker?: WorldTieOption;
  /** Replaces every latency model of the file, loopback included (`detnet explore --latency 0`). */
  readonly latency?: LatencyModel;
}

/**
 * A simulated backend for `scenario` (world seed: `scenario.seed`, default 1; same-instant
 * order: `options.tieBreaker`, else the file's `world.tieBreaker`, else FIFO).
 */
export function simBackend(scenario: Scenario, options: SimBackendOptions = {}): ScenarioBackend & { readonly world: World; readonly clientHost: string } {
  // An option's tie-breaker overrides the file's `world.tieBreaker`.
  const { world, client } = buildWorld(scenario, scenario.seed ?? 1, options.tieBreaker, options.latency);
  const driver = createSimDriver(world, client);
  const drivers = new Map<string, Driver>([[client, driver]]);
  return {
    name: 'sim',
    world,
    clientHost: client,
    driver,
    // A listener's address decides its machine: loopback is the client's own.
    driverFor(address: string): Driver {
      const canonical = tryParseAddress(address)?.address;
      const owner = canonical === undefined ? undefined : world.hostByAddress(canonical);
      if (owner === undefined || owner.name === client) return driver;
      let d = drivers.get(owner.name);
      if (d === undefined) drivers.set(owner.name, (d = createSimDriver(world, owner.name)));
      return d;
    },
    // What is due now has already happened as far as a concurrently running peer could tell.
    waitFor: (done, ms) => {
      driver.settle();
      return Promise.resolve(world.runUntil(done, { budgetMs: ms }));
    },
    dispose: () => Promise.resolve(),
    // The fault timeline needs the ports, so it is installed once the runner has set them up.
    prepare: (ports) => installFaults(world, scenario, ports),
  };
}
