/**
 * The simulated backend of the scenario runner: one `World` with one loopback-only host, the
 * scenario's host-name answers in that host's hosts file, and its fault timeline installed as
 * world fault rules.
 *
 * Owns: translating the scenario's topology-level data (hosts, faults, seed) into world
 * calls. Listeners are made by the runner through the driver, like on every backend.
 *
 * Does not: run anything (runner.ts).
 *
 * Departs from reality: the host has only loopback addresses, which is all a loopback
 * scenario needs; the world's other defaults (Linux TCP timers, 0 ms loopback latency) apply.
 */
import type { WorldTieOption } from '../clock/tie-trace.js';
import { createSimDriver } from '../socket/sim-driver.js';
import { DROP, REFUSE, RESET, type Verdict } from '../sim/fault-rules.js';
import { rule } from '../sim/faults.js';
import { World } from '../sim/world.js';
import type { FaultSpec, Scenario } from './scenario.js';
import type { ScenarioBackend } from './backend.js';

/** Name of the one simulated host. */
export const SIM_HOST = 'local';

function verdictOf(f: FaultSpec): Verdict {
  const v = f.verdict;
  if (typeof v === 'object') return { kind: 'delay', ms: v.delayMs };
  switch (v) {
    case 'refuse':
      return REFUSE;
    case 'drop':
      return DROP;
    case 'reset':
      return RESET;
    case 'unreachable':
      return { kind: 'unreachable' };
  }
}

/** World settings a scenario file does not carry. */
export interface SimBackendOptions {
  /** How same-instant events are ordered (default `fifo`; `seeded` shows 336441ed59-style races). */
  readonly tieBreaker?: WorldTieOption;
}

/** A simulated backend for `scenario` (world seed: `scenario.seed`, default 1). */
export function simBackend(scenario: Scenario, options: SimBackendOptions = {}): ScenarioBackend & { readonly world: World } {
  const world = new World({ seed: scenario.seed ?? 1, ...(options.tieBreaker === undefined ? {} : { tieBreaker: options.tieBreaker }) });
  const host = world.addHost(SIM_HOST);
  for (const h of scenario.hosts ?? []) host.setHostsEntry(h.name, h.addresses);
  const driver = createSimDriver(world, SIM_HOST);
  return {
    name: 'sim',
    world,
    driver,
    // What is due now has already happened as far as a concurrently running peer could tell.
    waitFor: (done, ms) => {
      driver.settle();
      return Promise.resolve(world.runUntil(done, { budgetMs: ms }));
    },
    dispose: () => Promise.resolve(),
    // The fault timeline needs the ports, so it is installed once the runner has set them up.
    prepare(ports: ReadonlyMap<string, number>): void {
      (scenario.faults ?? []).forEach((f, i) => {
        const port = f.to?.port === undefined ? undefined : ports.get(f.to.port);
        const match = {
          ...(f.to?.address === undefined ? {} : { to: f.to.address }),
          ...(port === undefined ? {} : { port }),
        };
        world.faults.install(rule(`scenario-fault-${i}`, match, verdictOf(f)), {
          at: f.atMs,
          ...(f.untilMs === undefined ? {} : { until: f.untilMs }),
        });
      });
    },
  };
}
