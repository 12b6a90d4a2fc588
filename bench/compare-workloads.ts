/**
 * The sim and connect workloads, written once: the single copy of the code behind
 * `sim.connect-attempts`, `sim.scale` and `connect.two-candidates-refused-then-reply`.
 *
 * Owns: the small structural interface of detnet's modules the workloads need (`DetnetModules`),
 * loading those modules from a tree given at run time (`<root>/dist/src/...js`, by dynamic
 * `import()`), and the workloads built on it — the two-address connect walks (trace on or off),
 * the scale network (hosts, established connections, rounds of seeded-random traffic) and the Tcl
 * connect batch (trace on or off). Users: bench/sim.ts and bench/connect.ts run them on the
 * current tree's modules (bench/current-modules.ts); `npm run bench -- compare`
 * (bench/compare-child.ts) runs the trace-off ones, listed in `WORKLOADS`, on two commits' builds.
 * Does not own: measuring (bench/sim.ts, bench/connect.ts, bench/compare-child.ts), heap figures
 * (bench/sim.ts) or comparing commits (bench/compare.ts).
 *
 * Why an interface rather than the types of `../src`: for the comparison the modules come from
 * another commit, so the compiler cannot see them; the interface names exactly what both commits
 * must provide (only APIs that 470965e, the commit before the per-host kernel split, already
 * had), and the loader checks at run time that each export exists before a workload touches it.
 *
 * Departs from reality: nothing moves on a real network; these measure detnet's own overhead.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A socket address as both commits' simulated sockets take it. */
interface AddrLike {
  readonly family: 'inet' | 'inet6';
  readonly address: string;
}

/** What the workloads use of a simulated socket (`src/sim/sim-socket.ts`). */
export interface SimSocketLike {
  /** Stable name for messages, e.g. `sim:h0/1`. */
  readonly name: string;
  readonly state: string;
  setReuseAddr(on: boolean): void;
  bind(local: { readonly address: string; readonly port: number }): void;
  connect(target: AddrLike & { readonly port: number }): unknown;
  onReadinessChange(listener: () => void): unknown;
  takeError(): unknown;
  close(): void;
  read(max: number): unknown;
  write(data: Uint8Array): number;
}

/** What the workloads use of a simulated listener (`src/sim/sim-listener.ts`). */
export interface SimListenerLike {
  onReadinessChange(listener: () => void): unknown;
  accept(): SimSocketLike | null;
}

/** What the workloads use of a simulated host (`src/sim/host.ts`). */
export interface HostLike {
  socket(family: 'inet' | 'inet6'): SimSocketLike;
  listen(options: { readonly address: string; readonly port: number; readonly backlog: number }): SimListenerLike;
}

/** What the workloads use of a world (`src/sim/world.ts`). */
export interface WorldLike {
  readonly clock: { readonly fired: number; readonly pendingCount: number };
  readonly dns: {
    set(name: string, addresses: readonly string[]): void;
    /** The result is an address list, or an error object (never an array). */
    lookup(host: HostLike, name: string, done: (result: unknown) => void): void;
  };
  readonly faults: { install(rule: unknown): unknown };
  readonly trace: unknown;
  addHost(name: string, options: { readonly addresses: readonly string[] }): HostLike;
  runUntilIdle(): void;
}

/** What the connect workload uses of a Tcl channel (`src/socket/channel.ts`). */
export interface ChannelLike {
  fileevent(kind: 'readable', script: { readonly text: string; readonly run: () => void }): void;
  gets(): unknown;
  close(): void;
}

/** What the connect workload uses of the interpreter (`src/socket/interp.ts`). */
export interface InterpLike {
  socket(host: string, port: number, options: { readonly async: boolean }): ChannelLike;
  set(name: string): void;
  vwait(name: string): void;
}

/** The constructors and functions loaded from one commit's `dist/src`. */
export interface DetnetModules {
  readonly World: new (options: {
    readonly seed: number;
    readonly latency?: unknown;
    readonly loopLimit?: number;
    readonly trace: { readonly enabled: boolean; readonly keep: boolean };
  }) => WorldLike;
  /** A latency model, opaque here: only handed back to `World`. */
  readonly uniform: (minMs: number, maxMs: number) => unknown;
  readonly serve: (
    host: HostLike,
    options: {
      readonly port: number;
      readonly address?: string;
      readonly forget: boolean;
      readonly behaviour: { readonly kind: 'close' } | { readonly kind: 'reply'; readonly line: string; readonly then: 'close' };
    },
  ) => unknown;
  /** A fault rule, opaque here: only handed to `world.faults.install`. */
  readonly refusePort: (target: string, port: number) => unknown;
  readonly Rng: new (seed: number) => { index(length: number): number };
  readonly SimDriver: new (world: WorldLike, hostName: string) => unknown;
  readonly Interp: new (driver: unknown, options: { readonly trace: unknown }) => InterpLike;
}

/** Which module of `dist/src` each member of `DetnetModules` comes from. */
const SOURCES: { readonly [K in keyof DetnetModules]: string } = {
  World: 'sim/world',
  uniform: 'sim/latency',
  serve: 'sim/apps',
  refusePort: 'sim/faults',
  Rng: 'random/rng',
  SimDriver: 'socket/sim-driver',
  Interp: 'socket/interp',
};

/**
 * Loads the modules the workloads need from `<root>/dist/src`. Fails with a message naming the
 * file when an export is missing (a commit too old or too new for these workloads).
 */
export async function loadModules(root: string): Promise<DetnetModules> {
  const picked: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(SOURCES)) {
    const file = join(root, 'dist', 'src', `${path}.js`);
    const mod: unknown = await import(pathToFileURL(file).href);
    const value: unknown = typeof mod === 'object' && mod !== null ? (mod as Record<string, unknown>)[name] : undefined;
    if (typeof value !== 'function') throw new Error(`compare: ${file} has no exported function ${name}`);
    picked[name] = value;
  }
  // Every member was checked to be a function above; their signatures are the interface's promise.
  return picked as unknown as DetnetModules;
}

/** A workload step: runs once and returns how many operations (in the workload's unit) it did. */
export type Step = () => number;

/** One workload of the comparison. */
export interface CompareWorkload {
  /** The row name, as bench/sim.ts or bench/connect.ts reports the same workload. */
  readonly name: string;
  readonly unit: string;
  /** Parameters for the result row. */
  readonly params: Readonly<Record<string, number | string>>;
  /** Builds the workload's world in `m` and returns one step of it. */
  readonly build: (m: DetnetModules) => Step;
}

/** Two-address walks one `attemptWorkload` step makes. */
export const WALKS = 2048;
/** Walks in flight at once. */
export const IN_FLIGHT = 256;

/**
 * `sim.connect-attempts`: a world with a client and a server of two addresses each, the name
 * `svc` resolving to `fd00::2` (no listener: refused) then `10.0.0.2` (accepts and closes).
 * One step is WALKS walks, IN_FLIGHT at a time — lookup, attempt on each address in turn until
 * one connects, close — and returns the attempts made (two per walk). Throws if a walk fails.
 */
export function attemptWorkload(m: DetnetModules, traced: boolean): Step {
  const world = new m.World({ seed: 7, latency: m.uniform(1, 3), loopLimit: 1e9, trace: { enabled: traced, keep: false } });
  const client = world.addHost('client', { addresses: ['10.0.0.1', 'fd00::1'] });
  const server = world.addHost('server', { addresses: ['10.0.0.2', 'fd00::2'] });
  world.dns.set('svc', ['fd00::2', '10.0.0.2']);
  m.serve(server, { address: '10.0.0.2', port: 80, behaviour: { kind: 'close' }, forget: true });
  let connected = 0;
  return () => {
    let started = 0;
    const attempt = (addrs: readonly AddrLike[], i: number): void => {
      const a = addrs[i] as AddrLike;
      const s = client.socket(a.family);
      s.setReuseAddr(true);
      s.bind({ address: a.family === 'inet' ? '0.0.0.0' : '::', port: 0 });
      s.connect({ family: a.family, address: a.address, port: 80 });
      s.onReadinessChange(() => {
        if (s.state === 'connecting') return;
        const ok = s.state === 'established';
        s.takeError();
        s.close();
        if (ok) {
          connected++;
          walk();
        } else if (i + 1 < addrs.length) {
          attempt(addrs, i + 1);
        }
      });
    };
    const walk = (): void => {
      if (started === WALKS) return;
      started++;
      world.dns.lookup(client, 'svc', (r) => {
        if (Array.isArray(r)) attempt(r as readonly AddrLike[], 0);
      });
    };
    const before = connected;
    for (let i = 0; i < IN_FLIGHT; i++) walk();
    world.runUntilIdle();
    if (connected - before !== WALKS) throw new Error(`sim.connect-attempts: ${connected - before} of ${WALKS} walks connected`);
    return 2 * WALKS;
  };
}

/** Hosts of the scale network. */
export const SCALE_HOSTS = 10_000;
/** Connections of the scale network the comparison builds (bench/sim.ts also builds 1,000,000). */
export const SCALE_CONNECTIONS = 1000;
/** Writes of one traffic round. */
const ROUND_WRITES = 1000;

/** An established scale network, ready for traffic. */
export interface ScaleNetwork {
  /**
   * One traffic round: ROUND_WRITES writes of 16 bytes, each on a connection drawn (seeded) from
   * the first `active`, then the world run idle. Returns the clock timers fired (the events).
   */
  round(active: number): number;
  /** Timers still pending on the world's clock (0 once idle). */
  pending(): number;
}

/**
 * `sim.scale`: `hosts` hosts, each listening on port 80 and draining what arrives, and
 * `connections` established connections (the client of connection k on host k mod hosts, the
 * server on another host), each of which has carried one message, so its streams exist: a heap
 * figure taken after the build is that of connections in use, and the rounds measure steady
 * traffic rather than each connection's first write. Throws if a connection is not established.
 */
export function buildScale(m: DetnetModules, hosts: number, connections: number): ScaleNetwork {
  const world = new m.World({ seed: 11, latency: m.uniform(1, 5), loopLimit: 1e12, trace: { enabled: false, keep: false } });
  const addrs: (AddrLike & { readonly port: number })[] = [];
  const hostList: HostLike[] = [];
  for (let h = 0; h < hosts; h++) {
    const address = `10.${(h >> 16) & 255}.${(h >> 8) & 255}.${h & 255}`;
    const host = world.addHost(`h${h}`, { addresses: [address] });
    hostList.push(host);
    addrs.push({ family: 'inet', address, port: 80 });
    const listener = host.listen({ address, port: 80, backlog: 65535 });
    // The server side reads whatever arrives, so buffers stay empty.
    listener.onReadinessChange(() => {
      for (let s = listener.accept(); s !== null; s = listener.accept()) {
        const sock = s;
        sock.onReadinessChange(() => {
          while (sock.read(4096) instanceof Uint8Array) {
            /* drain */
          }
        });
      }
    });
  }
  const clients: SimSocketLike[] = [];
  for (let k = 0; k < connections; k++) {
    const from = hostList[k % hosts] as HostLike;
    // Never the client's own host: an offset of 1 to hosts - 1, varying with k.
    const to = addrs[((k % hosts) + 1 + (Math.floor(k / hosts) % (hosts - 1))) % hosts] as AddrLike & { readonly port: number };
    const s = from.socket('inet');
    s.connect(to);
    clients.push(s);
    if (k % 10_000 === 9_999) world.runUntilIdle(); // keep the number of in-flight packets modest
  }
  world.runUntilIdle();
  for (const c of clients) if (c.state !== 'established') throw new Error(`sim.scale: connection ${c.name} is ${c.state}`);
  // One message per connection before anything is measured (see the TSDoc above).
  const payload = new Uint8Array(16).fill(7);
  for (let k = 0; k < clients.length; k++) {
    (clients[k] as SimSocketLike).write(payload);
    if (k % 10_000 === 9_999) world.runUntilIdle();
  }
  world.runUntilIdle();
  const rng = new m.Rng(99);
  return {
    round(active: number): number {
      const before = world.clock.fired;
      for (let i = 0; i < ROUND_WRITES; i++) (clients[rng.index(active)] as SimSocketLike).write(payload);
      world.runUntilIdle();
      return world.clock.fired - before;
    },
    pending: () => world.clock.pendingCount,
  };
}

/** Complete connects of one `connectWorkload` step. */
export const BATCH = 500;

/**
 * `connect.two-candidates-refused-then-reply`: a world whose name `svc` resolves to `fd00::2`
 * (refused by a fault rule) then `10.0.0.2` (a server that replies one line and closes), and an
 * interpreter on the client host. One step is BATCH complete connects — `socket -async`, a
 * readable handler that reads the line and closes, `vwait` — then the world run idle, so no state
 * piles up between steps. Returns BATCH; throws if a reply was not read.
 */
export function connectWorkload(m: DetnetModules, traced: boolean): Step {
  const world = new m.World({ seed: 42, trace: { enabled: traced, keep: false } });
  world.addHost('client', { addresses: ['10.0.0.1', 'fd00::1'] });
  const server = world.addHost('server', { addresses: ['10.0.0.2', 'fd00::2'] });
  world.dns.set('svc', ['fd00::2', '10.0.0.2']);
  world.faults.install(m.refusePort('fd00::2', 80));
  m.serve(server, { port: 80, forget: true, behaviour: { kind: 'reply', line: 'hello', then: 'close' } });
  const tcl = new m.Interp(new m.SimDriver(world, 'client'), { trace: world.trace });
  let lines = 0;
  return () => {
    const before = lines;
    for (let i = 0; i < BATCH; i++) {
      const h = tcl.socket('svc', 80, { async: true });
      h.fileevent('readable', {
        text: 'Receive',
        run: () => {
          if (h.gets() === 'hello') lines++;
          h.close();
          tcl.set('done');
        },
      });
      tcl.vwait('done');
    }
    world.runUntilIdle(); // let the closes finish so no state piles up between batches
    if (lines - before !== BATCH) throw new Error(`connect.two-candidates-refused-then-reply: ${lines - before} of ${BATCH} replies read`);
    return BATCH;
  };
}

/** The comparison's workloads (trace off, 1,000 scale connections), in the order each round runs them. */
export const WORKLOADS: readonly CompareWorkload[] = [
  {
    name: 'sim.connect-attempts',
    unit: 'attempts/s',
    params: { walks: WALKS, inFlight: IN_FLIGHT, trace: 'off' },
    build: (m) => attemptWorkload(m, false),
  },
  {
    name: 'sim.scale.events',
    unit: 'events/s',
    params: { hosts: SCALE_HOSTS, connections: SCALE_CONNECTIONS, active: 'all' },
    build: (m) => {
      const net = buildScale(m, SCALE_HOSTS, SCALE_CONNECTIONS);
      return () => net.round(SCALE_CONNECTIONS);
    },
  },
  {
    name: 'connect.two-candidates-refused-then-reply',
    unit: 'connects/s',
    params: { batch: BATCH, trace: 'off' },
    build: (m) => connectWorkload(m, false),
  },
];

/** The workload called `name`, or undefined. */
export function workloadNamed(name: string): CompareWorkload | undefined {
  return WORKLOADS.find((w) => w.name === name);
}
