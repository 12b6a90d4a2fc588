/**
 * The current tree's modules, shaped as the shared workloads take them (`DetnetModules`, see
 * bench/compare-workloads.ts): how bench/sim.ts, bench/connect.ts and the workloads' unit tests
 * run the very code `npm run bench -- compare` runs on a commit's build.
 *
 * Owns: nothing but the static imports of `../src` and their grouping.
 * Does not own: the workloads or the interface (bench/compare-workloads.ts).
 * Departs from reality: nothing to depart from.
 */
import { World } from '../src/sim/world.js';
import { uniform } from '../src/sim/latency.js';
import { serve } from '../src/sim/apps.js';
import { refusePort } from '../src/sim/faults.js';
import { Rng } from '../src/random/rng.js';
import { SimDriver } from '../src/socket/sim-driver.js';
import { Interp } from '../src/socket/interp.js';
import type { Host } from '../src/sim/host.js';
import type { SimSocket } from '../src/sim/sim-socket.js';
import type { SimListener } from '../src/sim/sim-listener.js';
import type { Channel } from '../src/socket/channel.js';
import type {
  ChannelLike,
  DetnetModules,
  HostLike,
  InterpLike,
  SimListenerLike,
  SimSocketLike,
  WorldLike,
} from './compare-workloads.js';

/**
 * detnet's modules as compiled from this tree. A cast, as for a loaded build: the interface's
 * parameters are structural stand-ins (`HostLike`, an opaque latency model) that the real
 * classes' narrower parameters cannot be proven to accept, so that side is checked at run time —
 * test/unit/bench/compare.test.ts runs every workload on this object. The other side, what the
 * workloads call on the objects they get back, is checked by `CurrentOffersWorkloadApis`.
 */
export const CURRENT_MODULES = { World, uniform, serve, refusePort, Rng, SimDriver, Interp } as unknown as DetnetModules;

/** `true` when `Real` offers everything `Like` names, else a compile error where it is used. */
type Offers<Real extends Like, Like> = Real extends Like ? true : never;

/**
 * Compile-time check that this tree's classes offer what the workloads call on them: if a
 * rename or signature change here breaks a workload, `npm run typecheck` says so.
 */
export type CurrentOffersWorkloadApis = [
  // `dns.lookup` takes the resolver's own view of a host, a parameter (the run-time side).
  Offers<Omit<World, 'dns'>, Omit<WorldLike, 'dns'>>,
  Offers<Host, HostLike>,
  Offers<SimSocket, SimSocketLike>,
  Offers<SimListener, SimListenerLike>,
  Offers<Interp<SimDriver>, InterpLike>,
  Offers<Channel, ChannelLike>,
];
