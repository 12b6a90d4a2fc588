/**
 * Ready-made fault rules and timeline helpers.
 *
 * Owns: the common faults as `FaultRule`s to install with `world.faults.install(rule, opts)`
 * (which returns the handle that heals them): partition (both ways or one way), blackhole an
 * address or host, refuse a port, ICMP unreachable, reset established traffic, extra latency,
 * random loss, and hold-and-release. Plus crashing a host on a timeline. DNS faults live on
 * `world.dns.fail` and resetting one connection now on `world.resetConnection`.
 *
 * Endpoints in a `Match` are host names or IP addresses (an address literal matches the
 * packet's address, anything else the host's name), so a rule can give each address of a
 * dual-stack host its own fate.
 *
 * Departs from reality: faults act on whole packets at send time; a one-way partition drops
 * what one side sends but lets the other side's packets through, which real networks rarely
 * do but which is the classic way to test half-open connections.
 */
import { tryParseAddress } from '../net/address.js';
import type { Rng } from '../random/rng.js';
import { DetnetError } from '../errors.js';
import { DROP, PASS, REFUSE, RESET, type FaultRule, type FaultRules, type HoldQueue, type RuleHandle, type Verdict } from './fault-rules.js';
import { checkLatency, drawLatency, type LatencyModel } from './latency.js';
import type { Network } from './network.js';
import type { Packet, PacketKind, PacketView } from './packet.js';

/** What the timeline helpers need of a world (a `World` is one). */
export interface FaultTarget {
  readonly network: Network;
  readonly faults: FaultRules;
}

/** What `crashHost` needs of a host (a `Host` is one). */
export interface Crashable {
  readonly name: string;
  crash(): void;
  restart(): void;
}

/** Which packets a rule applies to. Every given field must match. */
export interface Match {
  /** Sending host names or addresses. */
  readonly from?: string | readonly string[];
  /** Receiving host names or addresses. */
  readonly to?: string | readonly string[];
  /** Destination port. */
  readonly port?: number;
  /** Packet kinds (default: all). */
  readonly kinds?: readonly PacketKind[];
}

type Side = (host: string | null, address: string) => boolean;

function side(spec: string | readonly string[] | undefined): Side | null {
  if (spec === undefined) return null;
  const list = typeof spec === 'string' ? [spec] : spec;
  const hosts = new Set<string>();
  const addresses = new Set<string>();
  for (const s of list) {
    const a = tryParseAddress(s);
    if (a !== null) addresses.add(a.address);
    else hosts.add(s);
  }
  return (host, address) => addresses.has(address) || (host !== null && hosts.has(host));
}

/** Compiles a `Match` into a predicate. */
export function matcher(match: Match): (p: PacketView) => boolean {
  const from = side(match.from);
  const to = side(match.to);
  const kinds = match.kinds === undefined ? null : new Set(match.kinds);
  const port = match.port;
  return (p) =>
    (from === null || from(p.srcHost, p.src.address)) &&
    (to === null || to(p.dstHost, p.dst.address)) &&
    (port === undefined || p.dst.port === port) &&
    (kinds === null || kinds.has(p.kind));
}

function describe(match: Match): string {
  const parts: string[] = [];
  if (match.from !== undefined) parts.push(`from=${String(match.from)}`);
  if (match.to !== undefined) parts.push(`to=${String(match.to)}`);
  if (match.port !== undefined) parts.push(`port=${match.port}`);
  if (match.kinds !== undefined) parts.push(`kinds=${match.kinds.join('+')}`);
  return parts.join(',');
}

/** A rule giving `verdict` to every packet that `match` covers. */
export function rule(name: string, match: Match, verdict: Verdict): FaultRule {
  const m = matcher(match);
  return { name, verdict: (p) => (m(p) ? verdict : PASS) };
}

/**
 * Drops packets between two groups of hosts/addresses: both ways, or only from `a` to `b`
 * with `oneWay`. Heal by removing the rule.
 */
export function partition(a: readonly string[], b: readonly string[], options: { readonly oneWay?: boolean } = {}): FaultRule {
  const inA = side(a) as Side;
  const inB = side(b) as Side;
  const oneWay = options.oneWay === true;
  return {
    name: `partition(${a.join('+')}${oneWay ? '->' : '<->'}${b.join('+')})`,
    verdict: (p) =>
      (inA(p.srcHost, p.src.address) && inB(p.dstHost, p.dst.address)) ||
      (!oneWay && inB(p.srcHost, p.src.address) && inA(p.dstHost, p.dst.address))
        ? DROP
        : PASS,
  };
}

/** Every packet to `target` (an address or host name), optionally only to one port, is lost. */
export function blackhole(target: string, port?: number): FaultRule {
  return rule(`blackhole(${target}${port === undefined ? '' : `:${port}`})`, port === undefined ? { to: target } : { to: target, port }, DROP);
}

/** SYNs to `target` port `port` are answered with RST (ECONNREFUSED), listener or not. */
export function refusePort(target: string, port: number): FaultRule {
  return rule(`refuse(${target}:${port})`, { to: target, port, kinds: ['syn'] }, REFUSE);
}

/** SYNs to `target` get ICMP host unreachable (EHOSTUNREACH) after `afterMs` (default: return latency). */
export function unreachable(target: string, options: { readonly afterMs?: number } = {}): FaultRule {
  const verdict: Verdict = options.afterMs === undefined ? { kind: 'unreachable' } : { kind: 'unreachable', afterMs: options.afterMs };
  return rule(`unreachable(${target})`, { to: target, kinds: ['syn'] }, verdict);
}

/** The next packets of established connections matching `match` reset both ends. */
export function resetTraffic(match: Match = {}): FaultRule {
  return rule(`reset(${describe(match)})`, { ...match, kinds: match.kinds ?? ['data', 'fin'] }, RESET);
}

/** Extra latency drawn from `model` (with `rng`, e.g. `world.rng.fork('slow')`) for matching packets. */
export function slow(model: LatencyModel, rng: Rng, match: Match = {}): FaultRule {
  checkLatency(model);
  const m = matcher(match);
  return {
    name: `slow(${describe(match)})`,
    verdict: (p) => {
      if (!m(p)) return PASS;
      const ms = drawLatency(model, rng);
      return ms === 0 ? PASS : { kind: 'delay', ms };
    },
  };
}

/** Each matching packet is lost with probability `p` (drawn from `rng`). */
export function lossy(probability: number, rng: Rng, match: Match = {}): FaultRule {
  if (!(probability >= 0 && probability <= 1)) throw new DetnetError('ERR_INVALID_PROBABILITY', `loss probability must be in [0, 1], got ${probability}`);
  const m = matcher(match);
  return { name: `lossy(${probability},${describe(match)})`, verdict: (p) => (m(p) && rng.float() < probability ? DROP : PASS) };
}

/**
 * Hold and release: matching packets are kept, in order, until `release()`; then the rule is
 * removed and the packets are sent on (through the remaining rules).
 */
export class HoldRule implements FaultRule {
  readonly name: string;
  private readonly held: Packet[] = [];
  private readonly verdictObj: Verdict;
  private readonly match: (p: PacketView) => boolean;
  private handle: RuleHandle | undefined;
  private released = false;

  constructor(
    private readonly network: Network,
    match: Match = {},
  ) {
    this.name = `hold(${describe(match)})`;
    this.match = matcher(match);
    this.verdictObj = { kind: 'hold', queue: this };
  }

  /** Packets held so far and not yet released. */
  get count(): number {
    return this.held.length;
  }

  verdict(p: PacketView): Verdict {
    return !this.released && this.match(p) ? this.verdictObj : PASS;
  }

  /** @internal */
  push(packet: Packet): void {
    this.held.push(packet);
  }

  /** @internal Remembers the handle so `release` can uninstall the rule. */
  attach(handle: RuleHandle): void {
    this.handle = handle;
  }

  /** Removes the rule and sends every held packet on, oldest first. */
  release(): void {
    this.released = true;
    this.handle?.remove();
    const packets = this.held.splice(0);
    for (const p of packets) this.network.resend(p);
  }
}

/** Installs a hold rule on `world` (at the front of the rules) and returns it. */
export function hold(world: FaultTarget, match: Match = {}, options: { readonly at?: number; readonly until?: number } = {}): HoldRule {
  const h = new HoldRule(world.network, match);
  h.attach(world.faults.install(h, { first: true, ...(options.at === undefined ? {} : { at: options.at }) }));
  if (options.until !== undefined) world.faults.at(options.until, `${h.name}:release`, () => h.release());
  return h;
}

/** Crashes `host` at virtual time `at` and, if given, restarts it at `restartAt`. */
export function crashHost(world: FaultTarget, host: Crashable, at: number, restartAt?: number): RuleHandle[] {
  if (restartAt !== undefined && restartAt < at) throw new DetnetError('ERR_INVALID_TIMELINE', 'restartAt is before the crash');
  const handles = [world.faults.at(at, `crash:${host.name}`, () => host.crash())];
  if (restartAt !== undefined) handles.push(world.faults.at(restartAt, `restart:${host.name}`, () => host.restart()));
  return handles;
}

// Type-only shape check of `HoldRule`: an `implements` clause would reach the .d.ts, where these members are stripped.
type _Conforms<T extends HoldQueue = HoldRule> = T;
