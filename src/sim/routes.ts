/**
 * A host's route table: which destinations it can reach, and how a connect fails otherwise.
 *
 * Owns: prefix → action entries and longest-prefix matching. Actions: `reachable` (send the
 * packet), `host-unreachable` (the connect is in progress, then fails with EHOSTUNREACH after
 * the ARP/neighbour timeout) and `network-unreachable` (the connect fails at once with
 * ENETUNREACH). A destination no entry covers is network-unreachable, as on Linux without a
 * matching route. Decisions are cached per destination and the cache is dropped on any change.
 *
 * Does not: handle local destinations (loopback, the host's own addresses); the host decides
 * those before asking the table, as Linux's `local` table comes before `main`.
 *
 * Departs from reality: no gateways, metrics, interfaces or source selection per route.
 */
import { parseAddress, parsePrefix, prefixContains, type Prefix } from '../net/address.js';
import { DetnetError } from '../errors.js';

/** What a route says about a destination. */
export type RouteAction = 'reachable' | 'host-unreachable' | 'network-unreachable';

/** Where a connect from a host goes: to itself, by a route's action, or nowhere (no source address). */
export type RouteDecision = 'local' | RouteAction | 'no-source';

const ACTIONS: readonly RouteAction[] = ['reachable', 'host-unreachable', 'network-unreachable'];

/** One route. */
export interface Route {
  readonly prefix: Prefix;
  readonly action: RouteAction;
}

export class RouteTable {
  private readonly routes: Route[] = [];
  private readonly cache = new Map<string, RouteAction>();

  /** Adds or replaces the route for `prefix` (e.g. `10.0.0.0/8`, `::/0`). */
  set(prefix: string, action: RouteAction): void {
    if (!ACTIONS.includes(action)) {
      throw new DetnetError('ERR_INVALID_ROUTE', `route action must be one of ${ACTIONS.join(', ')}, got ${String(action)}`);
    }
    const parsed = parsePrefix(prefix);
    const i = this.routes.findIndex((r) => r.prefix.text === parsed.text);
    const route: Route = { prefix: parsed, action };
    if (i >= 0) this.routes[i] = route;
    else this.routes.push(route);
    this.cache.clear();
  }

  /** Removes the route for `prefix`; returns whether there was one. */
  delete(prefix: string): boolean {
    const text = parsePrefix(prefix).text;
    const i = this.routes.findIndex((r) => r.prefix.text === text);
    if (i < 0) return false;
    this.routes.splice(i, 1);
    this.cache.clear();
    return true;
  }

  /** The routes, in insertion order. */
  list(): readonly Route[] {
    return this.routes;
  }

  /** The action of the longest prefix covering `address` (canonical); none covers it → network-unreachable. */
  decide(address: string): RouteAction {
    const cached = this.cache.get(address);
    if (cached !== undefined) return cached;
    // Common case: only a default route for the family, which needs no parsing.
    const family = address.includes(':') ? 'inet6' : 'inet';
    let only: Route | undefined;
    let specific = false;
    for (const r of this.routes) {
      if (r.prefix.family !== family) continue;
      if (r.prefix.length === 0) only = r;
      else specific = true;
    }
    if (!specific) return only?.action ?? 'network-unreachable';
    const bytes = parseAddress(address).bytes;
    let best: Route | undefined;
    for (const r of this.routes) {
      if ((best === undefined || r.prefix.length > best.prefix.length) && prefixContains(r.prefix, bytes)) best = r;
    }
    const action = best?.action ?? 'network-unreachable';
    if (this.cache.size > 4096) this.cache.clear();
    this.cache.set(address, action);
    return action;
  }
}
