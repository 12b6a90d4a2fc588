/**
 * A host's hosts file (`/etc/hosts`): names answered locally, before DNS, in the order given.
 *
 * Owns: the entries (names case-insensitive, a trailing dot ignored) and the implicit
 * `localhost`, which is `::1` then `127.0.0.1` on a host with IPv6 loopback, else `127.0.0.1`.
 *
 * Departs from reality: no aliases, comments or file on disk; an entry replaces the previous
 * one for the same name.
 */
import { parseAddress } from '../net/address.js';

export class HostsFile {
  private readonly entries = new Map<string, readonly string[]>();

  /** Sets (or with null removes) the entry for `name`; addresses are stored canonical. */
  set(name: string, addresses: readonly string[] | null): void {
    const key = name.toLowerCase();
    if (addresses === null) this.entries.delete(key);
    else this.entries.set(key, addresses.map((a) => parseAddress(a).address));
  }

  /** The answer for `name`, including `localhost`; undefined if the file does not know it. */
  lookup(name: string, ipv6Loopback: boolean): readonly string[] | undefined {
    let key = name.toLowerCase();
    if (key.endsWith('.')) key = key.slice(0, -1);
    const entry = this.entries.size === 0 ? undefined : this.entries.get(key);
    if (entry !== undefined) return entry;
    if (key === 'localhost') return ipv6Loopback ? ['::1', '127.0.0.1'] : ['127.0.0.1'];
    return undefined;
  }
}
