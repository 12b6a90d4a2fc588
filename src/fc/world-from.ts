/**
 * `worldFrom(topology, options)`: the simulated world a `detnet/fast-check` case describes,
 * with an interpreter on its client host, ready for a client program or a user's own code.
 *
 * Owns: turning plain case data (topology, fault plan, schedule) into a `World` — a `client`
 * host, one host per candidate with its fate and its link latency, the DNS answer, the fault
 * plan on the world's fault timeline — and the `Interp` on the client. Also the capture hook
 * the reporters use (`captureWorlds`): while it runs, every world built here keeps its trace,
 * so a failing case can be re-run and shown as a timeline without the property knowing.
 *
 * Schedules: `schedule` (a list of tie choices, as `scheduleArb` draws them) is replayed by a
 * `ReplaySource` (choices out of range, and everything past the list, take the first
 * candidate), so fast-check shrinks the schedule like any other list. `tieBreaker` picks any
 * other strategy of the world (`'seeded'`, `'pct'`, a source) instead.
 *
 * Does not: run anything (client-program.ts does), or judge.
 *
 * Departs from reality: see topology.ts (one host per candidate) and SYN_RETRIES.
 */
import { ReplaySource } from '../clock/replay-source.js';
import type { WorldTieOption } from '../clock/tie-trace.js';
import { DetnetError } from '../errors.js';
import { serve, type ServerApp } from '../sim/apps.js';
import { blackhole, refusePort, resetTraffic, unreachable } from '../sim/faults.js';
import type { FaultRule } from '../sim/fault-rules.js';
import { World } from '../sim/world.js';
import { Interp } from '../socket/interp.js';
import type { Profile } from '../socket/profiles.js';
import { SimDriver } from '../socket/sim-driver.js';
import {
  PORT,
  REPLY,
  SERVICE,
  SLOW_ACCEPT_MS,
  SYN_RETRIES,
  candidateAddress,
  candidateHost,
  type FaultEvent,
  type FaultPlan,
  type Topology,
} from './topology.js';

/** Options of `worldFrom`. */
export interface WorldFromOptions {
  /** Timed faults on top of the candidates' fates (`faultPlanArb`). */
  readonly faults?: FaultPlan;
  /** Tie choices to replay (`scheduleArb`); ignored when `tieBreaker` is given. */
  readonly schedule?: readonly number[];
  /** Any other schedule strategy of the world (default: replay `schedule`, FIFO without one). */
  readonly tieBreaker?: WorldTieOption;
  /** Profile of the client's interpreter (default Tcl 8.6.13 unix). */
  readonly profile?: string | Profile;
  /** Keep a trace (default false: a disabled trace, for speed; `captureWorlds` turns it on). */
  readonly trace?: boolean;
  /** The interpreter's `strictBackgroundErrors` (default true: a handler's exception fails the case). */
  readonly strictBackgroundErrors?: boolean;
}

/** What `worldFrom` builds. */
export interface CaseWorld {
  readonly world: World;
  /** An interpreter on the `client` host, recording into the world's trace. */
  readonly tcl: Interp;
  /** The name to connect to, and the port. */
  readonly service: string;
  readonly port: number;
  /** The server app of each candidate that has one (`accept`, `slow`), else null; by index. */
  readonly servers: readonly (ServerApp | null)[];
  /** The tie source when the case replays a schedule (for `fallbacks`), else undefined. */
  readonly replay: ReplaySource | undefined;
}

/** Worlds built while `captureWorlds` runs (innermost capture first); empty otherwise. */
const captures: World[][] = [];

/**
 * Runs `fn` and returns, with its result or error, every world `worldFrom` built meanwhile;
 * those worlds keep a full trace whatever their options said. The reporters use it to re-run
 * a failing case and print its timeline.
 */
export function captureWorlds<T>(fn: () => T): { readonly worlds: readonly World[]; readonly result?: T; readonly error?: unknown; readonly threw: boolean } {
  const worlds: World[] = [];
  captures.push(worlds);
  try {
    return { worlds, result: fn(), threw: false };
  } catch (error) {
    return { worlds, error, threw: true };
  } finally {
    captures.pop();
  }
}

function faultRule(e: FaultEvent, address: string): FaultRule {
  switch (e.kind) {
    case 'blackhole':
      return blackhole(address);
    case 'unreachable':
      return unreachable(address);
    case 'refuse':
      return refusePort(address, PORT);
    case 'reset':
      return resetTraffic({ to: address });
  }
}

function checkTopology(t: Topology): void {
  if (t === null || typeof t !== 'object' || !Array.isArray(t.candidates) || t.candidates.length === 0 || t.candidates.length > 200) {
    throw new DetnetError('ERR_INVALID_TOPOLOGY', 'a topology needs a list of 1 to 200 candidates');
  }
}

/** Builds the world of `topology` (plus `options.faults`) and an interpreter on its client. */
export function worldFrom(topology: Topology, options: WorldFromOptions = {}): CaseWorld {
  checkTopology(topology);
  const capture = captures[captures.length - 1];
  const replay = options.tieBreaker === undefined && options.schedule !== undefined ? new ReplaySource(options.schedule) : undefined;
  const tieBreaker = options.tieBreaker ?? replay;
  const keep = capture !== undefined || options.trace === true;
  const world = new World({
    seed: topology.seed,
    tcp: { synRetries: SYN_RETRIES },
    ...(tieBreaker === undefined ? {} : { tieBreaker }),
    trace: keep ? {} : { keep: false, enabled: false },
  });
  capture?.push(world);
  world.addHost('client', { addresses: ['10.0.0.1', 'fd00::1'] });
  const servers: (ServerApp | null)[] = [];
  const addresses: string[] = [];
  for (const [i, c] of topology.candidates.entries()) {
    const address = candidateAddress(c, i);
    const name = candidateHost(i);
    addresses.push(address);
    const host = world.addHost(name, { addresses: [address] });
    // One model object for both directions: a scripted list is walked by the packets of this
    // link in the order they are sent, whichever way they go.
    world.network.setLatency(c.latency, { from: 'client', to: name });
    world.network.setLatency(c.latency, { from: name, to: 'client' });
    switch (c.fate) {
      case 'accept':
      case 'slow':
        servers.push(
          serve(host, {
            port: PORT,
            behaviour: { kind: 'reply', line: REPLY, then: 'keep-open' },
            ...(c.fate === 'slow' ? { acceptDelayMs: SLOW_ACCEPT_MS } : {}),
          }),
        );
        break;
      case 'refuse': // no listener: the candidate's kernel answers the SYN with RST
        servers.push(null);
        break;
      case 'unreachable':
        world.faults.install(unreachable(address));
        servers.push(null);
        break;
      case 'blackhole':
        world.faults.install(blackhole(address));
        servers.push(null);
        break;
    }
  }
  world.dns.set(SERVICE, addresses);
  for (const e of options.faults ?? []) {
    const i = ((e.candidate % addresses.length) + addresses.length) % addresses.length;
    // Timed faults go first: a window of silence must win over the candidate's standing fate.
    world.faults.install(faultRule(e, addresses[i] as string), { at: e.at, until: e.at + e.forMs, first: true });
  }
  const tcl = new Interp(new SimDriver(world, 'client'), {
    trace: world.trace,
    strictBackgroundErrors: options.strictBackgroundErrors ?? true,
    ...(options.profile === undefined ? {} : { profile: options.profile }),
  });
  return { world, tcl, service: SERVICE, port: PORT, servers, replay };
}
