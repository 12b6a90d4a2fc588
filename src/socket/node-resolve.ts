/**
 * Name resolution for the Node driver, over a lookup function the driver passes in.
 *
 * Owns: what `resolveAsync` and `resolvePassive(Async)` answer (reference §2): IP literals pass
 * through without a lookup; names go to the lookup, whose order is kept exactly (remote
 * candidates are never re-sorted); the passive (bind) list is the wildcard pair `0.0.0.0`, `::`
 * or the lookup's answer re-sorted IPv4 first, as Tcl does. Also `staticLookup`, a lookup from
 * a fixed table, so a test can make `localhost` answer `::1` then `127.0.0.1` on any machine.
 *
 * Does not: call `dns.lookup` itself (only node-driver.ts imports `node:dns`) or cache answers.
 *
 * Departs from reality: Tcl resolves synchronously inside `socket -async`; here resolution is a
 * Promise (the real resolver may block). Addresses are returned in detnet's canonical text.
 */
import { DetnetError } from '../errors.js';
import { tryParseAddress, WILDCARD } from '../net/address.js';
import type { HostAddr } from './driver.js';
import { resolverError, RESOLVER_NOT_FOUND_MESSAGE } from './node-errors.js';
import { NetError } from '../net/net-error.js';

/**
 * A name lookup: every address of `host` for stream sockets, family unspecified, in resolver
 * order. Rejects on failure (a `NetError` ENOTFOUND/EAI_AGAIN, or any error with a `code` such
 * as Node's `dns.lookup` raises). Never called for IP literals.
 */
export type NodeLookup = (host: string) => Promise<readonly HostAddr[]>;

/** The host as a literal address, or null if it is a name. */
function literal(host: string): HostAddr | null {
  const parsed = tryParseAddress(host);
  return parsed === null ? null : { family: parsed.family, address: parsed.address };
}

/** Checks and canonicalises a lookup's answer; an empty or malformed answer is "not found". */
function checkAnswer(host: string, answer: readonly HostAddr[]): readonly HostAddr[] {
  if (!Array.isArray(answer) || answer.length === 0) {
    throw new NetError('ENOTFOUND', { syscall: 'getaddrinfo', address: host, message: RESOLVER_NOT_FOUND_MESSAGE });
  }
  return answer.map((entry: HostAddr) => {
    const parsed = tryParseAddress(entry.address);
    if (parsed === null || parsed.family !== entry.family) {
      throw new DetnetError(
        'ERR_BAD_LOOKUP_ANSWER',
        `lookup of "${host}" answered ${JSON.stringify(entry)}: expected { family: 'inet' | 'inet6', address: <literal of that family> }`,
      );
    }
    return { family: parsed.family, address: parsed.address };
  });
}

/** Remote candidates of `host`, in resolver order (IP literals answer themselves). */
export async function resolveRemote(lookup: NodeLookup, host: string): Promise<readonly HostAddr[]> {
  if (typeof host !== 'string') throw new DetnetError('ERR_INVALID_HOST', `host must be a string, got ${typeof host}`);
  const lit = literal(host);
  if (lit !== null) return [lit];
  let answer: readonly HostAddr[];
  try {
    answer = await lookup(host);
  } catch (err) {
    throw resolverError(err, host);
  }
  return checkAnswer(host, answer);
}

/** The wildcard bind list: IPv4 first, as Tcl's re-sorted passive list. */
export const WILDCARD_PASSIVE: readonly HostAddr[] = [
  { family: 'inet', address: WILDCARD.inet },
  { family: 'inet6', address: WILDCARD.inet6 },
];

/**
 * The passive list without a lookup: the wildcard pair for `undefined`, the literal itself for
 * a literal, null for a name (which needs the resolver).
 */
export function passiveWithoutLookup(myaddr: string | undefined): readonly HostAddr[] | null {
  if (myaddr === undefined) return WILDCARD_PASSIVE;
  const lit = literal(myaddr);
  return lit === null ? null : [lit];
}

/** Stable re-sort: IPv4 entries first, then IPv6, each group in resolver order. */
export function ipv4First(list: readonly HostAddr[]): readonly HostAddr[] {
  return [...list.filter((a) => a.family === 'inet'), ...list.filter((a) => a.family === 'inet6')];
}

/** The passive (bind) list for `-myaddr`: wildcard pair, the literal, or the lookup re-sorted. */
export async function resolveLocal(lookup: NodeLookup, myaddr: string | undefined): Promise<readonly HostAddr[]> {
  const direct = passiveWithoutLookup(myaddr);
  if (direct !== null) return direct;
  return ipv4First(await resolveRemote(lookup, myaddr as string));
}

/**
 * A lookup answering from a fixed table of host → address literals (in the order given);
 * names are matched case-insensitively, any other name fails with ENOTFOUND. For tests and
 * parity runs: `staticLookup({ localhost: ['::1', '127.0.0.1'] })`.
 */
export function staticLookup(table: Readonly<Record<string, readonly string[]>>): NodeLookup {
  const entries = new Map<string, readonly HostAddr[]>();
  for (const [name, addresses] of Object.entries(table)) {
    entries.set(
      name.toLowerCase(),
      addresses.map((text) => {
        const lit = literal(text);
        if (lit === null) throw new DetnetError('ERR_INVALID_ADDRESS', `staticLookup: "${text}" (for "${name}") is not an IP literal`);
        return lit;
      }),
    );
  }
  return (host: string) => {
    const found = entries.get(host.toLowerCase());
    if (found === undefined) {
      return Promise.reject(new NetError('ENOTFOUND', { syscall: 'getaddrinfo', address: host, message: RESOLVER_NOT_FOUND_MESSAGE }));
    }
    return Promise.resolve(found);
  };
}
