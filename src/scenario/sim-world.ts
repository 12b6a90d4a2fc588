/**
 * A scenario's simulated world: the machines of `world` (or, without one, a single machine
 * with loopback only, as in v1), its DNS answers, latency and TCP settings, and the fault
 * timeline installed as world calls — all through the simulator's public entry points.
 *
 * Owns: translating the data of world-check.ts's contract into `World`, `Host`, `Dns`,
 * `Network` and fault-helper calls, including the two things the simulator has no single call
 * for: a scripted per-packet latency list (a delay rule that walks the list, over a 0 ms link;
 * the last delay repeats), and an interface going down and up (`lo`: the host's
 * `loopbackUp`; `eth0`: every route network-unreachable and arriving packets dropped) or a
 * route changing for a while (restored at `untilMs`).
 *
 * Does not: make listeners (the runner does, through drivers) or run anything.
 *
 * Ordering: latency rules are installed first and fault rules in front of them (`first`), so
 * a fault's verdict always wins over a scripted delay; a scripted delay is then lost for a
 * packet that a `delay` fault also matches (the fault's delay replaces it).
 */
import type { WorldTieOption } from '../clock/tie-trace.js';
import { parsePrefix } from '../net/address.js';
import { DROP, PASS, REFUSE, RESET, type FaultRule, type Verdict } from '../sim/fault-rules.js';
import { crashHost, hold, partition, rule, type Match } from '../sim/faults.js';
import type { Host } from '../sim/host.js';
import type { LatencyModel } from '../sim/latency.js';
import type { PacketView } from '../sim/packet.js';
import type { RouteAction } from '../sim/routes.js';
import type { TcpParams } from '../sim/tcp-params.js';
import { World } from '../sim/world.js';
import type { FaultSpec, LatencySpec, Scenario } from './scenario.js';

/** Name of the one machine of a scenario without `world`. */
export const SIM_HOST = 'local';

/** A built world and the name of the machine running the client. */
export interface ScenarioWorld {
  readonly world: World;
  readonly client: string;
}

/** A latency spec the simulator models itself, or null for `scripted` (a rule, see header). */
function model(spec: LatencySpec): LatencyModel | null {
  switch (spec.kind) {
    case 'fixed':
      return { kind: 'fixed', ms: spec.ms };
    case 'uniform':
      return { kind: 'uniform', minMs: spec.minMs, maxMs: spec.maxMs };
    case 'exponential':
      return { kind: 'exponential', meanMs: spec.meanMs, ...(spec.minMs === undefined ? {} : { minMs: spec.minMs }), ...(spec.maxMs === undefined ? {} : { maxMs: spec.maxMs }) };
    case 'scripted':
      return null;
  }
}

/** The delays of a scripted list, in sending order of the packets `applies` picks; the last repeats. */
function scripted(name: string, delays: readonly number[], applies: (p: PacketView) => boolean): FaultRule {
  let next = 0;
  return {
    name,
    verdict: (p) => {
      if (!applies(p)) return PASS;
      const ms = delays[Math.min(next++, delays.length - 1)] ?? 0;
      return ms === 0 ? PASS : { kind: 'delay', ms };
    },
  };
}

/**
 * Builds the world of `scenario` (valid) with `seed`; `tieBreaker` overrides the file's, and
 * `latency` (`detnet explore --latency`) every latency model of the file, loopback included.
 */
export function buildWorld(scenario: Scenario, seed: number, tieBreaker?: WorldTieOption, latency?: LatencyModel): ScenarioWorld {
  const spec = scenario.world;
  const t = spec?.tcp;
  const tcp: Partial<TcpParams> = {
    ...(t?.synRetries === undefined ? {} : { synRetries: t.synRetries }),
    ...(t?.synRtoMs === undefined ? {} : { synRtoMs: t.synRtoMs }),
    ...(t?.dataRtoMs === undefined ? {} : { dataRtoMs: t.dataRtoMs }),
    ...(t?.backlog === undefined ? {} : { defaultBacklog: t.backlog }),
    ...(t?.hostUnreachableDelayMs === undefined ? {} : { hostUnreachableDelayMs: t.hostUnreachableDelayMs }),
  };
  const ties = tieBreaker ?? spec?.tieBreaker;
  const lat = latency === undefined ? spec?.latency : undefined;
  const base = lat?.default === undefined ? null : model(lat.default);
  const loop = lat?.loopback === undefined ? null : model(lat.loopback);
  const world = new World({
    seed,
    tcp,
    ...(ties === undefined ? {} : { tieBreaker: ties }),
    // A scripted list is a rule over a 0 ms link.
    ...(lat?.default === undefined ? {} : { latency: base ?? { kind: 'fixed', ms: 0 } }),
    ...(lat?.loopback === undefined ? {} : { loopbackLatency: loop ?? { kind: 'fixed', ms: 0 } }),
    ...(latency === undefined ? {} : { latency, loopbackLatency: latency }),
  });
  if (spec === undefined) {
    world.addHost(SIM_HOST);
  } else {
    for (const h of spec.hosts) {
      const routes: Record<string, RouteAction> | undefined = h.routes === undefined ? undefined : Object.fromEntries(h.routes.map((r) => [r.prefix, r.action]));
      const host = world.addHost(h.name, {
        addresses: h.addresses,
        ...(h.loopback?.ipv6 === undefined ? {} : { ipv6Loopback: h.loopback.ipv6 }),
        ...(routes === undefined ? {} : { routes }),
      });
      if (h.loopback?.up === false) host.loopbackUp = false;
    }
  }
  const client = spec?.client ?? spec?.hosts[0]?.name ?? SIM_HOST;
  const clientHost = world.host(client);
  for (const h of scenario.hosts ?? []) clientHost.setHostsEntry(h.name, h.addresses);
  for (const d of scenario.dns ?? []) world.dns.set(d.name, d.addresses, d.delayMs === undefined ? {} : { delayMs: d.delayMs });

  // Latency rules go in first; faults are installed in front of them.
  if (lat?.default?.kind === 'scripted') world.faults.install(scripted('latency:default', lat.default.delaysMs, (p) => p.srcHost !== p.dstHost));
  if (lat?.loopback?.kind === 'scripted') world.faults.install(scripted('latency:loopback', lat.loopback.delaysMs, (p) => p.srcHost === p.dstHost));
  for (const link of lat?.links ?? []) {
    const selector = { ...(link.from === undefined ? {} : { from: link.from }), ...(link.to === undefined ? {} : { to: link.to }) };
    const m = model(link.model);
    world.network.setLatency(m ?? { kind: 'fixed', ms: 0 }, selector);
    if (link.model.kind === 'scripted') {
      world.faults.install(
        scripted(`latency:${link.from ?? '*'}->${link.to ?? '*'}`, link.model.delaysMs, (p) => (link.from === undefined || p.srcHost === link.from) && (link.to === undefined || p.dstHost === link.to)),
      );
    }
  }
  return { world, client };
}

function verdictOf(v: Exclude<Extract<FaultSpec, { verdict: unknown }>['verdict'], 'hold'>): Verdict {
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

/** `world.faults.at` for the start and, if given, the end of a fault. */
function during(world: World, f: FaultSpec, label: string, start: () => void, end: () => void): void {
  world.faults.at(f.atMs, label, start);
  if (f.untilMs !== undefined) world.faults.at(f.untilMs, `${label}:end`, end);
}

/** Sets `prefix` on `host` to `action` until `restore()` puts back what was there. */
function routeChange(host: Host, prefix: string, action: RouteAction): () => void {
  const text = parsePrefix(prefix).text;
  const before = host.routes.list().find((r) => r.prefix.text === text);
  host.routes.set(prefix, action);
  return () => {
    if (before === undefined) host.routes.delete(prefix);
    else host.routes.set(before.prefix.text, before.action);
  };
}

/**
 * Installs the fault timeline of `scenario` on `world`; `ports` gives each port role's number
 * (known only once the runner has made the listeners).
 */
export function installFaults(world: World, scenario: Scenario, ports: ReadonlyMap<string, number>): void {
  (scenario.faults ?? []).forEach((f, i) => {
    const name = `scenario-fault-${i}`;
    const when = { at: f.atMs, ...(f.untilMs === undefined ? {} : { until: f.untilMs }) };
    if ('verdict' in f) {
      const port = f.to?.port === undefined ? undefined : typeof f.to.port === 'number' ? f.to.port : ports.get(f.to.port);
      const to = f.to?.address ?? f.to?.host;
      const from = f.from?.address ?? f.from?.host;
      const match: Match = { ...(to === undefined ? {} : { to }), ...(from === undefined ? {} : { from }), ...(port === undefined ? {} : { port }) };
      if (f.verdict === 'hold') hold(world, match, when);
      else world.faults.install(rule(name, match, verdictOf(f.verdict)), { ...when, first: true });
    } else if ('partition' in f) {
      world.faults.install(partition(f.partition.a, f.partition.b, { oneWay: f.partition.oneWay === true }), { ...when, first: true });
    } else if ('crash' in f) {
      crashHost(world, world.host(f.crash), f.atMs, f.untilMs);
    } else if ('interfaceDown' in f) {
      const host = world.host(f.interfaceDown.host);
      if (f.interfaceDown.name === 'lo') {
        during(world, f, `${name}:lo-down:${host.name}`, () => void (host.loopbackUp = false), () => void (host.loopbackUp = true));
      } else {
        let restore: (() => void)[] = [];
        const prefixes = () => [...new Set(['0.0.0.0/0', '::/0', ...host.routes.list().map((r) => r.prefix.text)])];
        during(
          world,
          f,
          `${name}:eth0-down:${host.name}`,
          () => void (restore = prefixes().map((p) => routeChange(host, p, 'network-unreachable'))),
          () => restore.splice(0).forEach((r) => r()),
        );
        world.faults.install(rule(`${name}:eth0-down:${host.name}:inbound`, { to: host.name }, DROP), { ...when, first: true });
      }
    } else if ('route' in f) {
      const host = world.host(f.route.host);
      let restore = (): void => undefined;
      during(world, f, `${name}:route:${host.name}:${f.route.prefix}`, () => void (restore = routeChange(host, f.route.prefix, f.route.action)), () => restore());
    } else {
      world.dns.fail(f.dnsFailure.name, f.dnsFailure.failure, when);
    }
  });
}
