/**
 * Connect policies side by side: how five clients would connect to one multi-address name on
 * the same simulated topology — time to connect (or to fail) and attempts made.
 *
 * Owns: one world per (topology, policy), built the same way; the resolver's split answer (A
 * at once, AAAA `aaaaLateMs` later) as each policy sees it; and the policies:
 *   - `tcl`      Tcl 8.6's serial walk: addresses in resolver order, the next only after the
 *                previous attempt failed (no attempt timer); getaddrinfo waits for both answers;
 *   - `node`     Node's walk (detnet/net with the `node-current` profile): families interleaved,
 *                one attempt at a time, 500 ms attempt timer except on the last address;
 *   - `rfc8305`  Happy Eyeballs v2: 50 ms resolution delay (start with IPv4 if AAAA is late, add
 *                IPv6 addresses to the remaining list when they arrive), families interleaved,
 *                a new attempt every 250 ms or at once when one fails, first success wins;
 *   - `curl`     two families raced: the first family's addresses one after the other, the other
 *                family's after 200 ms (or at once when the first family has failed);
 *   - `go`       the same shape with Go's 300 ms fallback delay (`net.Dialer.FallbackDelay`).
 * Losing attempts are closed as soon as one connects.
 *
 * Does not: model a client-side overall connect timeout (none of these set one by default);
 * a blackholed last attempt therefore ends with TCP's own SYN retries (Linux: 127 s).
 *
 * Departs from the real clients: curl's and Go's per-address deadline splitting (which only
 * applies under an overall timeout) is left out; RFC 8305's address sorting is the resolver's
 * order with families interleaved (no RFC 6724 destination-address rules); the resolver split
 * is modelled here, as the world's DNS answers both families at once.
 */
import type { TimerId } from '../clock/clock.js';
import { DetnetError } from '../errors.js';
import type { Family } from '../net/sock-addr.js';
import { blackhole, refusePort, slow, unreachable } from '../sim/faults.js';
import { fixed } from '../sim/latency.js';
import type { SimSocket } from '../sim/sim-socket.js';
import { World } from '../sim/world.js';
import { createNet } from './net-module.js';

/** What happens to a connect to one address. */
export type AddressFate = 'accept' | 'refuse' | 'blackhole' | 'unreachable' | { readonly slowMs: number };

/** One row of the policies table. */
export interface PolicyTopology {
  readonly name: string;
  /** The name's addresses in resolver order (IPv4 and IPv6 literals). */
  readonly addresses: readonly string[];
  /** Fate per address (absent: accept). */
  readonly fates?: Readonly<Record<string, AddressFate>>;
  /** How much later than the A answer the AAAA answer arrives (default 0). */
  readonly aaaaLateMs?: number;
}

/** The policies compared, in table order. */
export const POLICY_NAMES = ['tcl', 'node', 'rfc8305', 'curl', 'go'] as const;

/** A policy's name. */
export type PolicyName = (typeof POLICY_NAMES)[number];

/** How one policy did on one topology. */
export interface PolicyResult {
  readonly policy: PolicyName;
  /** World time of the connection, or null if it failed. */
  readonly connectedAt: number | null;
  /** World time the connect ended (connected or failed). */
  readonly endedAt: number;
  /** Connect attempts started. */
  readonly attempts: number;
  /** The address connected to, or null. */
  readonly winner: string | null;
  /** The error code when it failed. */
  readonly error: string | null;
}

const PORT = 80;
const BUDGET_MS = 600_000;
const RESOLUTION_DELAY_MS = 50;
const ATTEMPT_DELAY_MS = 250;

/** The built-in table `detnet policies` prints. */
export const DEFAULT_TOPOLOGIES: readonly PolicyTopology[] = Object.freeze([
  { name: 'healthy dual stack', addresses: ['fd00::2', '10.0.0.2'] },
  { name: 'IPv6 blackholed', addresses: ['fd00::2', '10.0.0.2'], fates: { 'fd00::2': 'blackhole' } },
  { name: 'IPv6 slow (+400 ms)', addresses: ['fd00::2', '10.0.0.2'], fates: { 'fd00::2': { slowMs: 400 } } },
  { name: 'IPv6 refused', addresses: ['fd00::2', '10.0.0.2'], fates: { 'fd00::2': 'refuse' } },
  { name: 'IPv4 refused', addresses: ['fd00::2', '10.0.0.2'], fates: { '10.0.0.2': 'refuse' } },
  { name: 'IPv6 unreachable (ICMP)', addresses: ['fd00::2', '10.0.0.2'], fates: { 'fd00::2': 'unreachable' } },
  { name: 'both slow (+400 ms)', addresses: ['fd00::2', '10.0.0.2'], fates: { 'fd00::2': { slowMs: 400 }, '10.0.0.2': { slowMs: 400 } } },
  { name: 'two IPv6 blackholed, then IPv4', addresses: ['fd00::2', 'fd00::3', '10.0.0.2'], fates: { 'fd00::2': 'blackhole', 'fd00::3': 'blackhole' } },
  { name: 'AAAA 200 ms late', addresses: ['fd00::2', '10.0.0.2'], aaaaLateMs: 200 },
  { name: 'IPv6 blackholed, IPv4 refused', addresses: ['fd00::2', '10.0.0.2'], fates: { 'fd00::2': 'blackhole', '10.0.0.2': 'refuse' } },
]);

const isV6 = (a: string): boolean => a.includes(':');

/** A world for `topology`: client 10.0.0.1/fd00::1, one server owning every address, listening on port 80. */
function buildWorld(topology: PolicyTopology): World {
  const world = new World({ seed: 1, trace: { enabled: false } });
  world.addHost('client', { addresses: ['10.0.0.1', 'fd00::1'] });
  const server = world.addHost('server', { addresses: [...topology.addresses] });
  server.listen({ port: PORT });
  const rng = world.rng.fork('slow');
  for (const [address, fate] of Object.entries(topology.fates ?? {})) {
    if (fate === 'refuse') world.faults.install(refusePort(address, PORT));
    else if (fate === 'blackhole') world.faults.install(blackhole(address));
    else if (fate === 'unreachable') world.faults.install(unreachable(address));
    else if (fate !== 'accept') world.faults.install(slow(fixed(fate.slowMs), rng, { to: address }));
  }
  return world;
}

/** Families interleaved, starting with the family of the first address. */
function interleave(addresses: readonly string[]): string[] {
  const first = addresses[0];
  if (first === undefined) return [];
  const a = addresses.filter((x) => isV6(x) === isV6(first));
  const b = addresses.filter((x) => isV6(x) !== isV6(first));
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== undefined) out.push(a[i] as string);
    if (b[i] !== undefined) out.push(b[i] as string);
  }
  return out;
}

/** Attempts on raw simulated sockets, first success wins (the racing policies and Tcl's walk). */
class Race {
  attempts = 0;
  winner: string | null = null;
  connectedAt: number | null = null;
  failedAt: number | null = null;
  lastError: string | null = null;
  private readonly live = new Map<SimSocket, () => void>();

  constructor(
    private readonly world: World,
    private readonly onFailure: (address: string) => void,
  ) {}

  get done(): boolean {
    return this.connectedAt !== null || this.failedAt !== null;
  }

  get inFlight(): number {
    return this.live.size;
  }

  start(address: string): void {
    if (this.done) return;
    this.attempts++;
    const family: Family = isV6(address) ? 'inet6' : 'inet';
    const socket = this.world.host('client').socket(family);
    try {
      socket.connect({ family, address, port: PORT });
    } catch (err) {
      socket.close();
      this.lastError = (err as { code?: string }).code ?? 'EFAULT';
      this.onFailure(address);
      return;
    }
    const unsubscribe = socket.onReadinessChange(() => {
      if (socket.state === 'established') this.win(socket, address);
      else if (socket.state === 'failed') {
        this.lastError = socket.takeError() ?? 'ECONNREFUSED';
        this.drop(socket);
        this.onFailure(address);
      }
    });
    this.live.set(socket, unsubscribe);
  }

  fail(): void {
    if (this.done) return;
    this.failedAt = this.world.clock.now();
    for (const s of [...this.live.keys()]) this.drop(s);
  }

  private win(socket: SimSocket, address: string): void {
    this.drop(socket);
    if (this.done) return;
    this.winner = address;
    this.connectedAt = this.world.clock.now();
    for (const s of [...this.live.keys()]) this.drop(s);
  }

  private drop(socket: SimSocket): void {
    this.live.get(socket)?.();
    this.live.delete(socket);
    socket.close();
  }
}

/** Runs `policy` on `topology` and reports how it went. */
export function runPolicy(topology: PolicyTopology, policy: PolicyName): PolicyResult {
  const world = buildWorld(topology);
  const late = topology.aaaaLateMs ?? 0;
  if (policy === 'node') return runNode(world, topology, late);
  const clock = world.clock;
  const v4 = topology.addresses.filter((a) => !isV6(a));
  const v6 = topology.addresses.filter(isV6);
  let onFailure: (address: string) => void = () => undefined;
  const race = new Race(world, (a) => onFailure(a));
  switch (policy) {
    case 'tcl': {
      // getaddrinfo returns once both answers are in; then one address at a time.
      const list = topology.addresses;
      let i = 0;
      const next = (): void => {
        const a = list[i++];
        if (a === undefined) race.fail();
        else race.start(a);
      };
      onFailure = next;
      clock.setTimer(late, next, 'policy:tcl');
      break;
    }
    case 'rfc8305': {
      let pending: string[] = [];
      let timer: TimerId | null = null;
      let started = false;
      let v6In = late === 0;
      const next = (): void => {
        if (timer !== null) clock.clearTimer(timer);
        timer = null;
        const a = pending.shift();
        if (a === undefined) {
          if (race.inFlight === 0 && v6In) race.fail();
          return;
        }
        race.start(a);
        timer = clock.setTimer(ATTEMPT_DELAY_MS, next, 'policy:rfc8305-attempt-delay');
      };
      onFailure = () => {
        if (!race.done) next();
      };
      const begin = (): void => {
        if (started) return;
        started = true;
        pending = interleave(v6In ? topology.addresses : v4);
        next();
      };
      if (late === 0) clock.setTimer(0, begin, 'policy:rfc8305-start');
      else {
        // A arrives first: wait up to the resolution delay for AAAA before starting with IPv4.
        clock.setTimer(Math.min(late, RESOLUTION_DELAY_MS), begin, 'policy:rfc8305-resolution-delay');
        clock.setTimer(late, () => {
          v6In = true;
          if (!started) return;
          // Late IPv6 addresses join the not-yet-tried remainder, families interleaved from IPv6.
          pending = interleave([...v6, ...pending]);
          if (timer === null && !race.done) next();
        }, 'policy:rfc8305-aaaa');
      }
      break;
    }
    case 'curl':
    case 'go': {
      const delay = policy === 'curl' ? 200 : 300;
      const first = topology.addresses[0];
      const primary = first === undefined ? [] : topology.addresses.filter((a) => isV6(a) === isV6(first));
      const fallback = first === undefined ? [] : topology.addresses.filter((a) => isV6(a) !== isV6(first));
      const queues = [primary.slice(), fallback.slice()];
      const active = [false, false];
      const exhausted = [primary.length === 0, fallback.length === 0];
      let fallbackTimer: TimerId | null = null;
      const step = (k: 0 | 1): void => {
        const a = (queues[k] as string[]).shift();
        if (a === undefined) {
          exhausted[k] = true;
          active[k] = false;
          if (k === 0 && !active[1] && !exhausted[1]) startFallback();
          else if (exhausted[0] && exhausted[1]) race.fail();
          return;
        }
        race.start(a);
      };
      const owner = new Map<string, 0 | 1>();
      for (const a of primary) owner.set(a, 0);
      for (const a of fallback) owner.set(a, 1);
      onFailure = (address) => step(owner.get(address) ?? 0);
      const startFallback = (): void => {
        if (fallbackTimer !== null) clock.clearTimer(fallbackTimer);
        fallbackTimer = null;
        if (active[1] || exhausted[1] || race.done) return;
        active[1] = true;
        step(1);
      };
      clock.setTimer(late, () => {
        active[0] = true;
        step(0);
        if (!race.done) fallbackTimer = clock.setTimer(delay, startFallback, `policy:${policy}-fallback`);
      }, `policy:${policy}-start`);
      break;
    }
    default:
      throw new DetnetError('ERR_UNKNOWN_POLICY', `unknown connect policy "${String(policy)}": expected one of ${POLICY_NAMES.join(', ')}`);
  }
  world.runUntil(() => race.done, { budgetMs: BUDGET_MS });
  return {
    policy,
    connectedAt: race.connectedAt,
    endedAt: race.connectedAt ?? race.failedAt ?? clock.now(),
    attempts: race.attempts,
    winner: race.winner,
    error: race.connectedAt === null ? (race.lastError ?? 'ETIMEDOUT') : null,
  };
}

/** Node's walk: detnet/net itself, answering the lookup as the split resolver does. */
function runNode(world: World, topology: PolicyTopology, late: number): PolicyResult {
  const net = createNet(world, 'client', { profile: 'node-current' });
  const answers = topology.addresses.map((address) => ({ address, family: isV6(address) ? 6 : 4 }));
  const socket = net.connect({
    host: 'svc',
    port: PORT,
    lookup: (_host, _options, cb) => void world.clock.setTimer(late, () => cb(null, answers), 'policy:node-lookup'),
  });
  let connectedAt: number | null = null;
  let failed: { at: number; code: string } | null = null;
  socket.on('connect', () => {
    connectedAt = world.clock.now();
    socket.destroy();
  });
  socket.on('error', (err: { code?: string }) => void (failed = { at: world.clock.now(), code: err.code ?? 'EFAULT' }));
  world.runUntil(() => connectedAt !== null || failed !== null, { budgetMs: BUDGET_MS });
  const attempted = socket.autoSelectFamilyAttemptedAddresses;
  const end = connectedAt ?? (failed as { at: number } | null)?.at ?? world.clock.now();
  return {
    policy: 'node',
    connectedAt,
    endedAt: end,
    attempts: attempted.length,
    winner: connectedAt === null ? null : (socket.remoteAddress ?? null),
    error: connectedAt === null ? ((failed as { code: string } | null)?.code ?? 'ETIMEDOUT') : null,
  };
}

/** Every policy on every topology, as rows. */
export function comparePolicies(topologies: readonly PolicyTopology[] = DEFAULT_TOPOLOGIES): readonly { readonly topology: PolicyTopology; readonly results: readonly PolicyResult[] }[] {
  return topologies.map((topology) => ({ topology, results: POLICY_NAMES.map((p) => runPolicy(topology, p)) }));
}

/** A cell of the table: `502 ms, 2 att` or `fail 127 s ETIMEDOUT, 2 att`. */
export function formatResult(r: PolicyResult): string {
  const time = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(0)} s` : `${ms} ms`);
  return r.connectedAt !== null ? `${time(r.connectedAt)}, ${r.attempts} att` : `fail ${time(r.endedAt)} ${String(r.error)}, ${r.attempts} att`;
}

/** The policies table as Markdown (what the README shows and `detnet policies` prints). */
export function policiesTable(topologies: readonly PolicyTopology[] = DEFAULT_TOPOLOGIES): string {
  const header = ['topology', 'Tcl serial', 'Node (500 ms)', 'RFC 8305 (250/50 ms)', 'curl (200 ms)', 'Go (300 ms)'];
  const rows = comparePolicies(topologies).map(({ topology, results }) => [topology.name, ...results.map(formatResult)]);
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
