/**
 * The real-socket backend of the scenario runner: a Node driver on loopback whose name lookup
 * answers exactly the scenario's `hosts` (so `localhost` → `::1`, `127.0.0.1` on any machine).
 *
 * Owns: creating and disposing that driver (loopback only: scenario files are shared, and a
 * shared file must not become a port scan), and waiting in real time for the child listeners
 * to finish. Node-only (it loads the Node driver); not part of the pure public surface.
 *
 * Does not: run anything (runner.ts).
 *
 * Departs from reality: what the Node driver departs from (src/socket/node-driver.ts). What
 * real loopback cannot express (faults, other machines, DNS on a clock: backend-support.ts) is
 * refused before anything runs.
 */
import { createNodeDriver } from '../socket/node-driver.js';
import { staticLookup } from '../socket/node-resolve.js';
import type { ScenarioBackend } from './backend.js';
import { assertRealRunnable } from './backend-support.js';
import { assertLoopbackScenario } from './loopback-guard.js';
import type { Scenario } from './scenario.js';
import { validateScenario } from './validate.js';

/**
 * A real loopback backend for `input` (validated first). Throws `ERR_SCENARIO_NOT_RUNNABLE` if
 * it uses what only the simulated world has (every reason listed with its path), or if any value would connect or bind outside loopback (loopback-guard.ts,
 * naming its path). The driver is `loopbackOnly`, so names resolved while running are held to
 * the same rule.
 */
export function nodeBackend(input: Scenario): ScenarioBackend {
  const scenario = validateScenario(input);
  // What loopback cannot do is refused first, every reason with its path; then the safety rule.
  assertRealRunnable(scenario, 'node', 'ERR_SCENARIO_NOT_RUNNABLE');
  assertLoopbackScenario(scenario, 'node', 'ERR_SCENARIO_NOT_RUNNABLE');
  const table: Record<string, readonly string[]> = {};
  for (const h of scenario.hosts ?? []) table[h.name] = h.addresses;
  const driver = createNodeDriver({ lookup: staticLookup(table), loopbackOnly: true });
  return {
    name: 'node',
    driver,
    waitFor: (done, ms) =>
      new Promise<boolean>((resolve) => {
        const deadline = driver.clock.now() + ms;
        const check = (): void => {
          if (done() || driver.clock.now() >= deadline) resolve(done());
          else driver.clock.setTimer(5, check, 'settle');
        };
        check();
      }),
    dispose: () => driver.dispose(),
  };
}
