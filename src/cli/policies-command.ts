/**
 * `detnet policies [WORLD]`: connect policies side by side (src/net-facade/connect-policies.ts)
 * — Tcl's serial walk, Node's attempt-timeout walk, RFC 8305 racing, curl's and Go's fallback
 * delays — with, per topology, the time to connect (or to fail) and the attempts made.
 *
 * WORLD, if given, is a JSON file `{ "topologies": [ { "name", "addresses", "fates",
 * "aaaaLateMs" } ] }` (fates per address: "accept", "refuse", "blackhole", "unreachable" or
 * { "slowMs": n }); without it the built-in table runs. The output is a Markdown table (the
 * README shows the built-in one).
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_TOPOLOGIES, policiesTable, type AddressFate, type PolicyTopology } from '../net-facade/connect-policies.js';
import { tryParseAddress } from '../net/address.js';
import { parseArgs } from './args.js';
import { EXIT, UsageError, type Command, type Streams } from './command.js';

const FATES = new Set(['accept', 'refuse', 'blackhole', 'unreachable']);

/** Reads and checks a topologies file; every problem is a UsageError naming the file. */
export function readTopologies(path: string): readonly PolicyTopology[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`policies: cannot read ${path}: ${(err as Error).message}`);
  }
  const list = (data as { topologies?: unknown } | null)?.topologies;
  if (!Array.isArray(list) || list.length === 0) throw new UsageError(`policies: ${path} needs a non-empty "topologies" array`);
  return list.map((t: unknown, i) => {
    const where = `${path}: topologies[${i}]`;
    const { name, addresses, fates, aaaaLateMs } = (t ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || name === '') throw new UsageError(`policies: ${where}.name must be a non-empty string`);
    if (!Array.isArray(addresses) || addresses.length === 0 || !addresses.every((a) => typeof a === 'string' && tryParseAddress(a) !== null)) {
      throw new UsageError(`policies: ${where}.addresses must be a non-empty array of IP literals`);
    }
    const checked: Record<string, AddressFate> = {};
    for (const [address, fate] of Object.entries((fates ?? {}) as Record<string, unknown>)) {
      if (!addresses.includes(address)) throw new UsageError(`policies: ${where}.fates names ${address}, which is not among its addresses`);
      const slowMs = (fate as { slowMs?: unknown } | null)?.slowMs;
      if (typeof fate === 'string' && FATES.has(fate)) checked[address] = fate as AddressFate;
      else if (typeof slowMs === 'number' && Number.isFinite(slowMs) && slowMs >= 0) checked[address] = { slowMs };
      else throw new UsageError(`policies: ${where}.fates.${address} must be accept, refuse, blackhole, unreachable or { "slowMs": n }`);
    }
    if (aaaaLateMs !== undefined && !(typeof aaaaLateMs === 'number' && Number.isFinite(aaaaLateMs) && aaaaLateMs >= 0)) {
      throw new UsageError(`policies: ${where}.aaaaLateMs must be a number >= 0`);
    }
    return { name, addresses: addresses as string[], fates: checked, ...(aaaaLateMs === undefined ? {} : { aaaaLateMs }) };
  });
}

/** The `policies` command. */
export const policies: Command = {
  summary: 'compare connect policies (Tcl, Node, RFC 8305, curl, Go) on a table of topologies',
  help: ['policies [WORLD]: WORLD is a JSON file { "topologies": [...] }; default: the built-in table (IPv6 blackholed, slow, refused …)'],
  run(args: readonly string[], { out }: Streams): number {
    const parsed = parseArgs(args, {});
    if (parsed.help) {
      out.write(`detnet policies [WORLD]: ${this.summary}\n`);
      return EXIT.ok;
    }
    if (parsed.positionals.length > 1) throw new UsageError(`policies takes at most one WORLD file, got ${parsed.positionals.join(' ')}`, { showUsage: true });
    const file = parsed.positionals[0];
    const topologies = file === undefined ? DEFAULT_TOPOLOGIES : readTopologies(file);
    out.write('Time to connect (world time) and attempts made, per policy; 1 ms one-way latency.\n\n');
    out.write(`${policiesTable(topologies)}\n`);
    return EXIT.ok;
  },
};
