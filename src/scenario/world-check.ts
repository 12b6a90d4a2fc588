/**
 * The v2 half of scenario validation: the simulated world (machines, the client's machine,
 * loopback, routes, latency, TCP settings), the DNS answers, where listeners listen, and the
 * fault timeline — plus the honest warnings: addresses nothing routes to, listeners no name
 * leads to, and fault rules that can never match.
 *
 * Owns: every rule above, reported through the collecting `Checker` (every error at once, each
 * with its path). Warnings are what `--strict` (and the test suite) turn into errors: the file
 * means something, but almost certainly not what its author meant.
 *
 * Does not: the client script, handlers or expectations (validate.ts), or whether a real
 * backend can run the file (backend-support.ts).
 *
 * Departs from reality: a scenario without `world` is one machine with loopback only, and a
 * connect to any other address there fails at once with ENETUNREACH: that is what the warning
 * about unrouted addresses says.
 *
 * About 480 lines: the world's whole contract, one rule per field and one warning per way a
 * fault can miss, kept together so what a world file may say reads top to bottom.
 */
import { isLoopback, isWildcard, parsePrefix, prefixContains, tryParseAddress } from '../net/address.js';
import { DetnetError } from '../errors.js';
import { PORT_ROLES } from '../trace/observation.js';
import { type Checker, type Obj, show } from './checker.js';
import type { ListenerSpec } from './scenario.js';

/** What validate.ts already knows when the world is checked. */
export interface WorldInputs {
  readonly listeners: readonly ListenerSpec[];
  /** The raw listener list, for paths (index i of `listeners` may differ when one failed). */
  readonly listenerList: readonly unknown[];
  /** Port roles provided so far (listeners, `refusedPort`). */
  readonly ports: ReadonlySet<string>;
  /** Names the client's hosts file answers. */
  readonly hosts: ReadonlySet<string>;
}

/**
 * What a world may ask for, as scenario files are shared data (SCENARIO_LIMITS in validate.ts
 * bounds the script): each fault is a timer or two and a rule every packet is checked against.
 * The schema (schema.ts) carries the same numbers.
 */
export const WORLD_LIMITS = Object.freeze({ faults: 1000, dnsNames: 256, partitionSide: 64 });

/** `list`, or an error at `path` when it is longer than `max`. */
function bounded<T>(c: Checker, list: readonly T[], path: string, max: number): readonly T[] {
  if (list.length > max) c.fail(path, `at most ${max} entries, got ${list.length}`);
  return list;
}

/** A machine as the checks see it. */
interface Machine {
  readonly name: string;
  readonly addresses: ReadonlySet<string>;
  readonly ipv6Loopback: boolean;
  readonly families: ReadonlySet<'inet' | 'inet6'>;
  readonly hasRoutes: boolean;
  /** Its routes as given (prefix text → action), for the unrouted-address warning. */
  readonly routes: readonly { readonly prefix: string; readonly action: string }[];
}

const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const MACHINE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function canonical(text: string): string | null {
  return tryParseAddress(text)?.address ?? null;
}

/**
 * Checks `world`, `dns`, listener addresses and `faults` of scenario object `s`, and warns.
 * Returns every name a `socket` step may use: the hosts file's and DNS's.
 */
export function checkWorld(c: Checker, s: Obj, inputs: WorldInputs): ReadonlySet<string> {
  const machines = s['world'] === undefined ? [] : (c.attempt(() => checkMachines(c, s['world'])) ?? []);
  const world = s['world'] !== undefined;
  // Past checkMachines, `world` is an object (or its error is already reported).
  const w = typeof s['world'] === 'object' && s['world'] !== null && !Array.isArray(s['world']) ? (s['world'] as Obj) : null;
  const clientName = w !== null ? (c.attempt(() => clientMachine(c, w, machines)) ?? machines[0]?.name) : undefined;
  const byName = new Map(machines.map((m) => [m.name, m]));
  const owner = new Map<string, Machine>();
  for (const m of machines) for (const a of m.addresses) owner.set(a, m);
  if (w !== null) c.attempt(() => checkLatencyAndTcp(c, w, byName));

  // Names: the hosts file first (answered at once), then DNS.
  const dnsAnswers = new Map<string, readonly string[]>();
  const dnsList = c.attempt(() => bounded(c, c.arr(s['dns'] ?? [], 'dns'), 'dns', WORLD_LIMITS.dnsNames)) ?? [];
  dnsList.forEach((d, i) =>
    c.attempt(() => {
      const p = `dns[${i}]`;
      const o = c.obj(d, p, ['name', 'addresses', 'delayMs']);
      const name = c.text(o['name'], `${p}.name`);
      if (!HOST_NAME.test(name) || tryParseAddress(name) !== null) c.fail(`${p}.name`, `expected a host name, got ${show(name)}`);
      if (dnsAnswers.has(name.toLowerCase())) c.fail(`${p}.name`, `name ${name} is answered twice`);
      dnsAnswers.set(name.toLowerCase(), []); // taken, even if its addresses are wrong
      const addrs = c.arr(o['addresses'], `${p}.addresses`);
      if (addrs.length > 64) c.fail(`${p}.addresses`, `at most 64 addresses, got ${addrs.length}`);
      const list = addrs.map((a, j) => {
        const canon = canonical(c.str(a, `${p}.addresses[${j}]`));
        return canon ?? c.fail(`${p}.addresses[${j}]`, `not an IP literal: ${show(a)}`);
      });
      if (o['delayMs'] !== undefined) c.int(o['delayMs'], `${p}.delayMs`, 0, 60_000);
      dnsAnswers.set(name.toLowerCase(), list);
      if (inputs.hosts.has(name)) c.warn(`${p}.name`, `${name} is also in "hosts", which the client's resolver reads first: this DNS answer is never used`);
    }),
  );
  const hostsAnswers = new Map<string, readonly string[]>();
  const hostList = Array.isArray(s['hosts']) ? (s['hosts'] as unknown[]) : [];
  for (const h of hostList) {
    const o = h as Obj;
    if (typeof o?.['name'] === 'string' && Array.isArray(o['addresses'])) {
      // Raw input (validate.ts reports its errors): holes and non-strings are skipped here.
      const list = Array.from(o['addresses'] as unknown[]).flatMap((a) => (typeof a === 'string' ? [canonical(a) ?? a] : []));
      hostsAnswers.set(o['name'], list);
    }
  }
  const clientLoopback6 = clientName === undefined || byName.get(clientName)?.ipv6Loopback !== false;
  const answers = (name: string): readonly string[] =>
    hostsAnswers.get(name) ?? dnsAnswers.get(name.toLowerCase()) ?? (name === 'localhost' ? (clientLoopback6 ? ['::1', '127.0.0.1'] : ['127.0.0.1']) : []);

  // Where connects go: every socket step's destination (a literal, or a name's answers).
  const destinations = new Set<string>();
  const destinationPorts = new Set<string>();
  // A Tcl client's connects are only known when it runs: every warning about where connects
  // go is left out for it (the errors stay).
  const tclClient = s['client'] !== undefined && !Array.isArray(s['client']);
  for (const [step, path] of socketSteps(s)) {
    const host = typeof step['host'] === 'string' ? step['host'] : '';
    const literal = canonical(host);
    const addrs = literal !== null ? [literal] : answers(host);
    for (const a of addrs) destinations.add(a);
    // Raw input: only a number or a role can be a port (anything else is validate.ts's error).
    const port = step['port'];
    if (typeof port === 'number' || typeof port === 'string') destinationPorts.add(String(port));
    for (const a of addrs) {
      const why = unrouted(a, world, owner, clientName === undefined ? undefined : byName.get(clientName));
      if (why !== null) c.warn(`${path}.host`, `${literal !== null ? '' : `${host} → `}${a}: ${why}`);
    }
  }

  // Listeners: where they listen must exist, and some connect should lead there.
  inputs.listenerList.forEach((raw, i) =>
    c.attempt(() => {
      const l = inputs.listeners.find((x) => x === raw);
      if (l === undefined) return; // it failed its own checks
      const p = `listeners[${i}]`;
      const at = l.on === 'both' ? ['127.0.0.1', '::1'] : [canonical(l.on) ?? l.on];
      for (const a of at) {
        if (a === '::1' && !clientLoopback6) c.fail(`${p}.on`, `the client machine ${String(clientName)} has no ::1 ("loopback": {"ipv6": false}), so nothing can listen there`);
        if (isLoopback(a)) continue;
        if (isWildcard(a)) c.fail(`${p}.on`, 'a listener needs a concrete address (127.0.0.1, ::1, both, or a machine\'s address)');
        const m = owner.get(a);
        if (m === undefined) c.fail(`${p}.on`, world ? `no machine of "world" has the address ${a}` : `${a} is not a loopback address; listening elsewhere needs a "world" with a machine that has it`);
        if (l.process === 'in-process' && m.name !== clientName) c.fail(`${p}.on`, `an in-process listener runs in the client's interpreter, on ${String(clientName)}; ${a} belongs to ${m.name} (use "process": "child")`);
      }
      if (!tclClient && !at.some((a) => destinations.has(a) || (isLoopback(a) && [...destinations].some((d) => isLoopback(d) && a.includes(':') === d.includes(':'))))) {
        c.warn(`${p}.on`, `no socket step's host (address or name) leads to ${l.on}: nothing can connect to this listener`);
      }
    }),
  );

  // A machine of a world answers `localhost` itself (::1 only while it has IPv6 loopback).
  const names = new Set<string>([...inputs.hosts, ...[...dnsAnswers.keys()], ...(world ? ['localhost'] : [])]);
  const dnsNames = new Set(dnsAnswers.keys());
  const faults = c.attempt(() => bounded(c, c.arr(s['faults'] ?? [], 'faults'), 'faults', WORLD_LIMITS.faults)) ?? [];
  faults.forEach((f, i) => c.attempt(() => checkFault(c, f, `faults[${i}]`, { world, byName, owner, clientName, inputs, destinations, destinationPorts, dnsNames, tclClient })));
  return names;
}

/** Why a connect from the client to `a` cannot get anywhere, or null. */
function unrouted(a: string, world: boolean, owner: ReadonlyMap<string, Machine>, client: Machine | undefined): string | null {
  if (isLoopback(a) || isWildcard(a)) {
    if (a === '::1' && client !== undefined && !client.ipv6Loopback) return 'the client machine has no IPv6 loopback: the connect fails at once';
    return null;
  }
  if (!world) return 'no machine has this address (the scenario has no "world": one machine with loopback only), so the connect fails at once with ENETUNREACH';
  if (client?.addresses.has(a) === true) return null;
  // A route the author wrote that says how this address fails is meant, not a mistake.
  const route = client === undefined ? undefined : longestRoute(client, a);
  if (route !== undefined && route.action !== 'reachable') return null;
  const family = a.includes(':') ? 'inet6' : 'inet';
  if (client !== undefined && !client.hasRoutes && !client.families.has(family)) return `the client machine has no ${family === 'inet' ? 'IPv4' : 'IPv6'} address, so nothing routes there`;
  if (!owner.has(a)) return 'no machine of "world" has this address: SYNs vanish and the connect times out';
  return null;
}

/** The client's own route covering `a` with the longest prefix, if it gave routes. */
function longestRoute(m: Machine, a: string): { readonly prefix: string; readonly action: string } | undefined {
  const bytes = tryParseAddress(a)?.bytes;
  if (bytes === undefined) return undefined;
  let best: { readonly prefix: string; readonly action: string; readonly length: number } | undefined;
  for (const r of m.routes) {
    let p;
    try {
      p = parsePrefix(r.prefix);
    } catch {
      continue; // reported by checkRoute
    }
    if (p.family === (a.includes(':') ? 'inet6' : 'inet') && prefixContains(p, bytes) && (best === undefined || p.length > best.length)) best = { ...r, length: p.length };
  }
  return best;
}

function checkMachines(c: Checker, v: unknown): Machine[] {
  const w = c.obj(v, 'world', ['hosts', 'client', 'latency', 'tcp', 'tieBreaker']);
  if (w['tieBreaker'] !== undefined) c.attempt(() => c.oneOf(w['tieBreaker'], 'world.tieBreaker', ['fifo', 'seeded', 'pct'] as const));
  const list = c.arr(w['hosts'], 'world.hosts');
  if (list.length === 0) c.fail('world.hosts', 'expected at least one machine');
  if (list.length > 64) c.fail('world.hosts', `at most 64 machines, got ${list.length}`);
  const seen = new Set<string>();
  const taken = new Map<string, string>();
  const out: Machine[] = [];
  list.forEach((h, i) =>
    c.attempt(() => {
      const p = `world.hosts[${i}]`;
      const o = c.obj(h, p, ['name', 'addresses', 'loopback', 'routes']);
      const name = c.str(o['name'], `${p}.name`);
      if (!MACHINE_NAME.test(name) || name.length > 64) c.fail(`${p}.name`, `expected a machine name (letters, digits, _ . -), got ${show(name)}`);
      if (seen.has(name)) c.fail(`${p}.name`, `machine ${name} is listed twice`);
      seen.add(name);
      const addrs = c.arr(o['addresses'], `${p}.addresses`);
      if (addrs.length > 64) c.fail(`${p}.addresses`, `at most 64 addresses, got ${addrs.length}`);
      const own = new Set<string>();
      addrs.forEach((a, j) =>
        c.attempt(() => {
          const canon = canonical(c.str(a, `${p}.addresses[${j}]`)) ?? c.fail(`${p}.addresses[${j}]`, `not an IP literal: ${show(a)}`);
          if (isLoopback(canon) || isWildcard(canon)) c.fail(`${p}.addresses[${j}]`, `${canon} cannot be a machine's address (loopback and the wildcard are implicit)`);
          const other = taken.get(canon);
          if (other !== undefined) c.fail(`${p}.addresses[${j}]`, `${canon} already belongs to ${other}`);
          taken.set(canon, name);
          own.add(canon);
        }),
      );
      let ipv6Loopback = true;
      if (o['loopback'] !== undefined) {
        const lo = c.obj(o['loopback'], `${p}.loopback`, ['up', 'ipv6']);
        if (lo['up'] !== undefined) c.bool(lo['up'], `${p}.loopback.up`);
        if (lo['ipv6'] !== undefined) ipv6Loopback = c.bool(lo['ipv6'], `${p}.loopback.ipv6`);
      }
      const routes: { readonly prefix: string; readonly action: string }[] = [];
      if (o['routes'] !== undefined) {
        const list = c.arr(o['routes'], `${p}.routes`);
        if (list.length > 64) c.fail(`${p}.routes`, `at most 64 routes, got ${list.length}`);
        // Only routes that passed their checks are kept (each is then an object of two strings).
        list.forEach((r, j) => c.attempt(() => routes.push(checkRoute(c, r, `${p}.routes[${j}]`))));
      }
      const families = new Set([...own].map((a) => (a.includes(':') ? ('inet6' as const) : ('inet' as const))));
      out.push({ name, addresses: own, ipv6Loopback, families, hasRoutes: o['routes'] !== undefined, routes });
    }),
  );
  return out;
}

function checkRoute(c: Checker, r: unknown, p: string, extra: readonly string[] = []): { readonly prefix: string; readonly action: string } {
  const o = c.obj(r, p, ['prefix', 'action', ...extra]);
  const prefix = c.str(o['prefix'], `${p}.prefix`);
  try {
    parsePrefix(prefix);
  } catch (err) {
    if (!(err instanceof DetnetError)) throw err;
    c.fail(`${p}.prefix`, `expected a prefix such as 10.0.0.0/8 or ::/0, got ${show(prefix)}`);
  }
  return { prefix, action: c.oneOf(o['action'], `${p}.action`, ['reachable', 'host-unreachable', 'network-unreachable'] as const) };
}

function clientMachine(c: Checker, w: Obj, machines: readonly Machine[]): string | undefined {
  if (w['client'] === undefined) return machines[0]?.name;
  const name = c.str(w['client'], 'world.client');
  if (!machines.some((m) => m.name === name)) c.fail('world.client', `no machine named ${show(name)} (machines: ${machines.map((m) => m.name).join(', ')})`);
  return name;
}

/** Checks a latency model (the shapes of src/sim/latency.ts plus `scripted`). */
export function checkLatencyModel(c: Checker, v: unknown, p: string): void {
  const kind = c.oneOf(c.obj(v, p)['kind'], `${p}.kind`, ['fixed', 'uniform', 'exponential', 'scripted'] as const);
  const o = c.obj(v, p, { fixed: ['kind', 'ms'], uniform: ['kind', 'minMs', 'maxMs'], exponential: ['kind', 'meanMs', 'minMs', 'maxMs'], scripted: ['kind', 'delaysMs'] }[kind]);
  const max = 1e9;
  switch (kind) {
    case 'fixed':
      c.int(o['ms'], `${p}.ms`, 0, max);
      return;
    case 'uniform': {
      const lo = c.int(o['minMs'], `${p}.minMs`, 0, max);
      const hi = c.int(o['maxMs'], `${p}.maxMs`, 0, max);
      if (hi < lo) c.fail(`${p}.maxMs`, `must be at least minMs (${lo}), got ${hi}`);
      return;
    }
    case 'exponential': {
      const mean = o['meanMs'];
      if (typeof mean !== 'number' || !(mean > 0 && mean <= max)) c.fail(`${p}.meanMs`, `expected a number in (0, ${max}], got ${show(mean)}`);
      const lo = o['minMs'] === undefined ? 0 : c.int(o['minMs'], `${p}.minMs`, 0, max);
      const hi = o['maxMs'] === undefined ? Infinity : c.int(o['maxMs'], `${p}.maxMs`, 0, max);
      if (hi < lo) c.fail(`${p}.maxMs`, `must be at least minMs (${lo}), got ${hi}`);
      return;
    }
    case 'scripted': {
      const list = c.arr(o['delaysMs'], `${p}.delaysMs`);
      if (list.length === 0 || list.length > 10_000) c.fail(`${p}.delaysMs`, `expected 1..10000 delays, got ${list.length}`);
      list.forEach((d, i) => c.attempt(() => c.int(d, `${p}.delaysMs[${i}]`, 0, max)));
      return;
    }
  }
}

function checkLatencyAndTcp(c: Checker, w: Obj, byName: ReadonlyMap<string, Machine>): void {
  if (w['latency'] !== undefined) {
    c.attempt(() => {
      const l = c.obj(w['latency'], 'world.latency', ['default', 'loopback', 'links']);
      for (const k of ['default', 'loopback'] as const) if (l[k] !== undefined) c.attempt(() => checkLatencyModel(c, l[k], `world.latency.${k}`));
      if (l['links'] === undefined) return;
      const links = c.arr(l['links'], 'world.latency.links');
      if (links.length > 256) c.fail('world.latency.links', `at most 256 links, got ${links.length}`);
      links.forEach((link, i) =>
        c.attempt(() => {
          const p = `world.latency.links[${i}]`;
          const o = c.obj(link, p, ['from', 'to', 'model']);
          for (const end of ['from', 'to'] as const) {
            if (o[end] === undefined) continue;
            c.attempt(() => {
              const n = c.str(o[end], `${p}.${end}`);
              if (!byName.has(n)) c.fail(`${p}.${end}`, `no machine named ${show(n)}`);
            });
          }
          if (o['from'] === undefined && o['to'] === undefined) c.fail(p, 'a link names "from", "to" or both (use "default" for every link)');
          checkLatencyModel(c, o['model'], `${p}.model`);
        }),
      );
    });
  }
  if (w['tcp'] !== undefined) {
    c.attempt(() => {
      const t = c.obj(w['tcp'], 'world.tcp', ['synRetries', 'synRtoMs', 'dataRtoMs', 'backlog', 'hostUnreachableDelayMs']);
      const ranges: Record<string, [number, number]> = { synRetries: [0, 12], synRtoMs: [1, 60_000], dataRtoMs: [1, 60_000], backlog: [0, 65535], hostUnreachableDelayMs: [0, 60_000] };
      for (const [k, [lo, hi]] of Object.entries(ranges)) if (t[k] !== undefined) c.attempt(() => c.int(t[k], `world.tcp.${k}`, lo, hi));
    });
  }
}

/** Everything a fault check needs to know about the rest of the file. */
interface FaultContext {
  readonly world: boolean;
  readonly byName: ReadonlyMap<string, Machine>;
  readonly owner: ReadonlyMap<string, Machine>;
  readonly clientName: string | undefined;
  readonly inputs: WorldInputs;
  readonly destinations: ReadonlySet<string>;
  readonly destinationPorts: ReadonlySet<string>;
  /** The client is Tcl: where it connects is unknown, so every machine counts as reached. */
  readonly tclClient: boolean;
  readonly dnsNames: ReadonlySet<string>;
}

const FAULT_KINDS = ['verdict', 'partition', 'crash', 'interfaceDown', 'route', 'dnsFailure'] as const;

/** Whether some connect of the client goes to an address of machine `name`. */
function reached(x: FaultContext, name: string): boolean {
  if (x.tclClient) return true;
  const m = x.byName.get(name);
  return m !== undefined && [...m.addresses].some((a) => x.destinations.has(a));
}

function checkFault(c: Checker, f: unknown, p: string, x: FaultContext): void {
  const raw = c.obj(f, p);
  const kinds = FAULT_KINDS.filter((k) => raw[k] !== undefined);
  if (kinds.length !== 1) c.fail(p, `a fault has exactly one of ${FAULT_KINDS.join(', ')}; got ${kinds.length === 0 ? 'none' : kinds.join(', ')}`);
  const kind = kinds[0] as (typeof FAULT_KINDS)[number];
  const o = c.obj(f, p, ['atMs', 'untilMs', kind, ...(kind === 'verdict' ? ['to', 'from'] : [])]);
  const at = c.int(o['atMs'], `${p}.atMs`, 0, 1e9);
  if (o['untilMs'] !== undefined) {
    const until = c.int(o['untilMs'], `${p}.untilMs`, 0, 1e9);
    if (until <= at) c.fail(`${p}.untilMs`, `must be after atMs (${at}), got ${until}`);
  }
  const machine = (v: unknown, path: string): string => {
    const n = c.str(v, path);
    if (!x.byName.has(n)) c.fail(path, x.world ? `no machine named ${show(n)}` : `no machine named ${show(n)}: machines are declared in "world"`);
    return n;
  };
  const side = (v: unknown, path: string): void => {
    const list = bounded(c, c.arr(v, path), path, WORLD_LIMITS.partitionSide);
    if (list.length === 0) c.fail(path, 'expected at least one machine or address');
    list.forEach((e, i) =>
      c.attempt(() => {
        const t = c.str(e, `${path}[${i}]`);
        if (canonical(t) === null) machine(t, `${path}[${i}]`);
      }),
    );
  };
  switch (kind) {
    case 'verdict': {
      const v = o['verdict'];
      if (typeof v === 'object' && v !== null) c.int(c.obj(v, `${p}.verdict`, ['delayMs'])['delayMs'], `${p}.verdict.delayMs`, 0, 1e9);
      else c.oneOf(v, `${p}.verdict`, ['refuse', 'drop', 'unreachable', 'reset', 'hold'] as const);
      let toAddress: string | undefined;
      if (o['to'] !== undefined) {
        const to = c.obj(o['to'], `${p}.to`, ['address', 'host', 'port']);
        if (to['address'] !== undefined) {
          const text = c.str(to['address'], `${p}.to.address`);
          toAddress = canonical(text) ?? c.fail(`${p}.to.address`, `expected an IP literal, got ${show(text)}`);
        }
        if (to['host'] !== undefined) {
          const n = machine(to['host'], `${p}.to.host`);
          if (n !== x.clientName && !reached(x, n)) c.warn(`${p}.to.host`, `no socket step's host (address or name) leads to an address of ${n}: this rule never matches`);
        }
        if (to['port'] !== undefined) {
          if (typeof to['port'] === 'number') {
            const port = c.int(to['port'], `${p}.to.port`, 1, 65535);
            const listened = x.inputs.listeners.some((l) => l.port === port);
            if (!x.tclClient && !listened && !x.destinationPorts.has(String(port))) c.warn(`${p}.to.port`, `no listener has port ${port} and no socket step connects to it: this rule never matches`);
          } else {
            const role = c.oneOf(to['port'], `${p}.to.port`, PORT_ROLES);
            if (!x.inputs.ports.has(role)) c.fail(`${p}.to.port`, role === 'rport' ? 'port role rport needs "refusedPort": true' : `no listener provides port role ${role}`);
          }
        }
      }
      if (o['from'] !== undefined) {
        const from = c.obj(o['from'], `${p}.from`, ['address', 'host']);
        if (from['address'] !== undefined) {
          const text = c.str(from['address'], `${p}.from.address`);
          if (canonical(text) === null) c.fail(`${p}.from.address`, `expected an IP literal, got ${show(text)}`);
        }
        if (from['host'] !== undefined) machine(from['host'], `${p}.from.host`);
      }
      // Rules match destination addresses exactly, so only an address some connect goes to can match.
      if (!x.tclClient && toAddress !== undefined && !x.destinations.has(toAddress)) {
        c.warn(`${p}.to.address`, `no socket step's host (address or name) leads to ${toAddress}: this rule never matches`);
      }
      return;
    }
    case 'partition': {
      const part = c.obj(o['partition'], `${p}.partition`, ['a', 'b', 'oneWay']);
      c.attempt(() => side(part['a'], `${p}.partition.a`));
      c.attempt(() => side(part['b'], `${p}.partition.b`));
      if (part['oneWay'] !== undefined) c.bool(part['oneWay'], `${p}.partition.oneWay`);
      return;
    }
    case 'crash': {
      const n = machine(o['crash'], `${p}.crash`);
      if (n === x.clientName) c.fail(`${p}.crash`, `${n} runs the client script; crashing the client's own machine would end the script, not test it`);
      if (!reached(x, n)) c.warn(`${p}.crash`, `no socket step's host (address or name) leads to ${n}: crashing it changes nothing the client sees`);
      return;
    }
    case 'interfaceDown': {
      const i = c.obj(o['interfaceDown'], `${p}.interfaceDown`, ['host', 'name']);
      const n = machine(i['host'], `${p}.interfaceDown.host`);
      const name = c.oneOf(i['name'], `${p}.interfaceDown.name`, ['lo', 'eth0'] as const);
      // Only the client makes connects, so only its loopback is ever used.
      if (name === 'lo' && n !== x.clientName) c.warn(`${p}.interfaceDown`, `only the client machine (${String(x.clientName)}) connects, so the loopback of ${n} is never used`);
      if (name === 'eth0' && n !== x.clientName && !reached(x, n)) c.warn(`${p}.interfaceDown`, `no socket step's host (address or name) leads to ${n}: taking its eth0 down changes nothing the client sees`);
      return;
    }
    case 'route': {
      const r = c.obj(o['route'], `${p}.route`, ['host', 'prefix', 'action']);
      const n = machine(r['host'], `${p}.route.host`);
      checkRoute(c, r, `${p}.route`, ['host']);
      // Routes decide where a connect goes; replies follow the connection, not the table.
      if (n !== x.clientName) c.warn(`${p}.route.host`, `routes are consulted by connects, and only the client machine (${String(x.clientName)}) connects: this route is never used`);
      return;
    }
    case 'dnsFailure': {
      const d = c.obj(o['dnsFailure'], `${p}.dnsFailure`, ['name', 'failure']);
      const name = c.str(d['name'], `${p}.dnsFailure.name`);
      c.oneOf(d['failure'], `${p}.dnsFailure.failure`, ['notfound', 'nodata', 'timeout', 'servfail'] as const);
      if (name !== '*' && !x.dnsNames.has(name.toLowerCase())) {
        c.warn(`${p}.dnsFailure.name`, x.inputs.hosts.has(name) ? `${name} is answered by "hosts", before DNS: this failure never shows` : `${name} is not in "dns": lookups of it fail anyway, so this failure changes nothing`);
      }
      return;
    }
  }
}

/** Every `socket` step of the client script with its path (socket steps are top-level only). */
function socketSteps(s: Obj): [Obj, string][] {
  const client = Array.isArray(s['client']) ? (s['client'] as unknown[]) : [];
  const out: [Obj, string][] = [];
  client.forEach((step, i) => {
    if (typeof step === 'object' && step !== null && (step as Obj)['op'] === 'socket') out.push([step as Obj, `client[${i}]`]);
  });
  return out;
}
