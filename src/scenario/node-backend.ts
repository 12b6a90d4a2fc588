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
 * Departs from reality: what the Node driver departs from (src/socket/node-driver.ts); fault
 * rules cannot be expressed on real sockets, so a scenario with faults is rejected.
 */
import { DetnetError } from '../errors.js';
import { createNodeDriver } from '../socket/node-driver.js';
import { staticLookup } from '../socket/node-resolve.js';
import type { ScenarioBackend } from './backend.js';
import { assertLoopbackScenario } from './loopback-guard.js';
import type { Scenario } from './scenario.js';
import { validateScenario } from './validate.js';

/**
 * A real loopback backend for `input` (validated first). Throws `ERR_SCENARIO_NOT_RUNNABLE` if
 * it has faults, or if any value would connect or bind outside loopback (loopback-guard.ts,
 * naming its path). The driver is `loopbackOnly`, so names resolved while running are held to
 * the same rule.
 */
export function nodeBackend(input: Scenario): ScenarioBackend {
  const scenario = validateScenario(input);
  if ((scenario.faults ?? []).length > 0) {
    throw new DetnetError('ERR_SCENARIO_NOT_RUNNABLE', `scenario "${scenario.name}" has fault rules, which exist only on the simulated world`);
  }
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
