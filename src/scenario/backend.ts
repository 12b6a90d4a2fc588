/**
 * The contract between the scenario runner and a detnet backend (the simulated world,
 * sim-backend.ts, or real loopback sockets, node-backend.ts).
 *
 * Owns: the `ScenarioBackend` interface only. It sits below both the runner (runner.ts) and
 * the step executor (run.ts), which both need it, so neither imports the other for it.
 *
 * Does not: run or build anything.
 *
 * Departs from reality: nothing; an interface.
 */
import type { Driver } from '../socket/driver.js';

/** What a backend gives the runner. */
export interface ScenarioBackend {
  readonly name: 'sim' | 'node';
  readonly driver: Driver;
  /** Lets the network run until `done()` or `ms` pass (world time on the sim, real time on node). */
  waitFor(done: () => boolean, ms: number): Promise<boolean>;
  /**
   * The driver of the machine that owns `address`, for a child listener there (v2 worlds); the
   * client's driver when absent or for loopback addresses.
   */
  driverFor?(address: string): Driver;
  /** Called once after setup with the ports by role (the sim installs its fault timeline). */
  prepare?(ports: ReadonlyMap<string, number>): void;
  /** Releases everything the backend created. */
  dispose(): Promise<void>;
}
