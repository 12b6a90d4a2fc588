/**
 * `World`: the composition root of a simulation — one clock, one RNG, one trace, the hosts,
 * DNS, the network and the fault rules.
 *
 * Owns: creating all of those from one seed and options and wiring them together — each
 * host kernel gets a `HostContext` (clock, trace, TCP parameters, network, id counters) and is
 * attached to the network as the endpoint of its addresses —, the host registry and the
 * address → host map (an address belongs to at most one host), counters for socket and
 * connection ids, resetting a connection as a fault, and running the clock (`runUntil`,
 * `runFor`, `runUntilIdle`). Nothing in a world reads global time or randomness: the same seed
 * and the same calls give a byte-identical trace.
 *
 * This is the composition root of src/sim: nothing else in src/sim imports it; the parts are
 * given the narrow contexts they need (`HostContext`, `NetworkContext`, `DnsContext`).
 *
 * Does not: run a Tcl event loop. An `EventLoop` built on `world.clock` shares its time; running
 * the world only fires world events and queues loop handlers (src/loop/event-loop.ts).
 *
 * Example — a dual-stack world where `svc`'s first address is silent and its second accepts:
 *
 * ```ts
 * const world = new World({ seed: 1 });
 * world.addHost('client', { addresses: ['10.0.0.1', 'fd00::1'] });
 * const server = world.addHost('server', { addresses: ['10.0.0.2', 'fd00::2'] });
 * world.dns.set('svc', ['fd00::2', '10.0.0.2']);
 * world.faults.install(blackhole('fd00::2'));
 * serve(server, { port: 80, behaviour: { kind: 'reply', line: 'bye', then: 'close' } });
 * ```
 */
import { assertDelay } from '../clock/clock.js';
import { VirtualClock } from '../clock/virtual-clock.js';
import { worldSchedule, type WorldTieOption } from '../clock/tie-trace.js';
import { Rng } from '../random/rng.js';
import { Trace, type TraceOptions } from '../trace/trace.js';
import { DetnetError, invalidArgType } from '../errors.js';
import { parseAddress } from '../net/address.js';
import { Dns, type DnsOptions } from './dns.js';
import { FaultRules } from './fault-rules.js';
import { Host, type HostOptions } from './host.js';
import type { LatencyModel } from './latency.js';
import { Network } from './network.js';
import type { SimSocket } from './sim-socket.js';
import { resolveTcpParams, type TcpParams } from './tcp-params.js';
import './trace-kinds.js';

/** How a world is set up. Only `seed` is required. */
export interface WorldOptions {
  /** The seed of every random draw (a safe integer). */
  readonly seed: number;
  /** TCP tunables; defaults are Linux's (tcp-params.ts). */
  readonly tcp?: Partial<TcpParams>;
  /** One-way latency between hosts (default fixed 1 ms). */
  readonly latency?: LatencyModel;
  /** Latency of a host talking to itself (default fixed 0 ms). */
  readonly loopbackLatency?: LatencyModel;
  readonly dns?: DnsOptions;
  /**
   * Order of events due at the same instant: `fifo` (scheduling order, the default), `seeded`
   * or `pct` (drawn from the world RNG's `ties` fork), a tie-breaker or schedule source of your
   * own, or a function building one from that fork (src/clock/tie-trace.ts). Every choice a
   * non-FIFO order makes is recorded in the trace as a `clock.tie` entry.
   */
  readonly tieBreaker?: WorldTieOption;
  /** Most timers one run may fire before it is stopped as a runaway (default 1,000,000). */
  readonly loopLimit?: number;
  /** An existing trace to record into, or options for a new one. */
  readonly trace?: Trace | TraceOptions;
}

/**
 * A simulation: one seeded clock, RNG and trace, the hosts, DNS, network and fault rules,
 * composed from one set of options; the same seed and calls give the same trace.
 */
export class World {
  readonly clock: VirtualClock;
  readonly rng: Rng;
  readonly trace: Trace;
  readonly tcp: TcpParams;
  readonly faults: FaultRules;
  readonly network: Network;
  readonly dns: Dns;
  readonly seed: number;
  private readonly hostsByName = new Map<string, Host>();
  private readonly hostsByAddress = new Map<string, Host>();
  private readonly canonicalCache = new Map<string, string>();
  private socketIds = 0;
  private connIds = 0;

  constructor(options: WorldOptions) {
    if (options === null || typeof options !== 'object') throw new DetnetError('ERR_INVALID_OPTIONS', 'World needs options with a seed');
    this.rng = new Rng(options.seed);
    this.seed = options.seed;
    this.tcp = resolveTcpParams(options.tcp);
    this.trace = options.trace instanceof Trace ? options.trace : new Trace(options.trace);
    this.clock = new VirtualClock({
      ...worldSchedule(options.tieBreaker, this.rng, this.trace),
      ...(options.loopLimit === undefined ? {} : { loopLimit: options.loopLimit }),
    });
    this.faults = new FaultRules(this.clock, this.trace);
    this.network = new Network({ clock: this.clock, trace: this.trace, faults: this.faults, rng: this.rng.fork('latency') }, {
      ...(options.latency === undefined ? {} : { latency: options.latency }),
      ...(options.loopbackLatency === undefined ? {} : { loopbackLatency: options.loopbackLatency }),
    });
    this.dns = new Dns(this, options.dns);
  }

  // ---- hosts -----------------------------------------------------------------------------------

  /** Adds a host. Names and (non-loopback) addresses are unique within a world. */
  addHost(name: string, options: HostOptions = {}): Host {
    if (typeof name !== 'string' || name === '') throw new DetnetError('ERR_INVALID_HOST', 'a host needs a non-empty name');
    if (this.hostsByName.has(name)) throw new DetnetError('ERR_DUPLICATE_HOST', `a host named ${name} already exists`);
    checkHostOptions(options);
    const host = new Host(this, name, options);
    for (const a of host.addresses) {
      const owner = this.hostsByAddress.get(a);
      if (owner !== undefined) throw new DetnetError('ERR_DUPLICATE_ADDRESS', `address ${a} of ${name} already belongs to ${owner.name}`);
    }
    this.hostsByName.set(name, host);
    for (const a of host.addresses) this.hostsByAddress.set(a, host);
    this.network.attach(host, host.addresses);
    this.trace.record(this.clock.now(), 'host.add', { host: name, addresses: [...host.addresses], ipv6Loopback: host.ipv6Loopback });
    return host;
  }

  /** The host named `name`; throws `ERR_UNKNOWN_HOST` if there is none. */
  host(name: string): Host {
    const h = this.hostsByName.get(name);
    if (h === undefined) throw new DetnetError('ERR_UNKNOWN_HOST', `no host named ${name}`);
    return h;
  }

  /** All hosts, in creation order. */
  get hosts(): readonly Host[] {
    return [...this.hostsByName.values()];
  }

  /** The host owning `address` (canonical, non-loopback), if any. */
  hostByAddress(address: string): Host | undefined {
    return this.hostsByAddress.get(address);
  }

  /**
   * @internal The canonical form of an address literal (throws `ERR_INVALID_ADDRESS`), cached:
   * sockets check every address handed to `connect` without parsing it each time.
   */
  canonical(address: string): string {
    let c = this.canonicalCache.get(address);
    if (c === undefined) {
      c = parseAddress(address).address;
      if (this.canonicalCache.size >= 65536) this.canonicalCache.clear();
      this.canonicalCache.set(address, c);
    }
    return c;
  }

  /** @internal */
  nextSocketId(): number {
    return ++this.socketIds;
  }

  /** @internal */
  nextConnId(): number {
    return ++this.connIds;
  }

  /**
   * Resets the connection of `socket` now, as a fault: both ends receive an RST after their
   * link's latency, whatever the rules say. `socket` is either end.
   */
  resetConnection(socket: SimSocket): void {
    if (this.trace.enabled) this.trace.record(this.clock.now(), 'fault.reset', { conn: socket.conn, socket: socket.name });
    const local = socket.localAddress();
    const remote = socket.connectedTo();
    if (local === null || remote === null) return;
    this.network.resetConnection(socket.hostName, socket.conn, socket.initiator, local, remote);
  }

  // ---- running ---------------------------------------------------------------------------------

  /**
   * Fires world events until `done()` holds (checked before each event) or nothing is pending.
   * Returns `done()`. Time jumps from event to event; a `budgetMs` bounds the virtual time
   * covered (the clock then stops at the budget's end).
   */
  runUntil(done: () => boolean, options: { readonly budgetMs?: number } = {}): boolean {
    if (typeof done !== 'function') throw invalidArgType('runUntil condition', 'a function', done);
    if (options.budgetMs !== undefined) assertDelay(options.budgetMs);
    const until = options.budgetMs === undefined ? Infinity : this.clock.now() + options.budgetMs;
    this.clock.runWhile(until, () => !done());
    return done();
  }

  /** Runs everything due in the next `ms` of virtual time (time moves by exactly `ms`). */
  runFor(ms: number): void {
    this.clock.advance(ms);
  }

  /** Runs until no event is pending. */
  runUntilIdle(): void {
    this.clock.runUntilIdle();
  }
}

/** `addHost`'s options: an object whose `addresses`, if given, is an array of strings. */
function checkHostOptions(options: HostOptions): void {
  if (typeof options !== 'object' || options === null) throw invalidArgType('addHost options', 'an object', options);
  const addresses: unknown = options.addresses;
  if (addresses === undefined) return;
  if (!Array.isArray(addresses)) throw invalidArgType('addHost addresses', 'an array of address strings', addresses);
  for (const a of addresses) if (typeof a !== 'string') throw invalidArgType('addHost address', 'a string', a);
}
