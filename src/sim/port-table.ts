/**
 * A host's port bindings: who holds which (address, port), bind conflicts, ephemeral ports.
 *
 * Owns: Linux's bind rules as far as Tcl can observe them — two sockets conflict when their
 * addresses overlap (equal, or either is the wildcard) unless both set SO_REUSEADDR and neither
 * listens; a bind to port 0 takes the next port of the ephemeral range that nobody of that
 * family holds. Ports come from a per-host counter that wraps around the range, deterministic
 * by design (Linux randomises the starting point). IPv4 and IPv6 are separate port spaces
 * (Tcl sets IPV6_V6ONLY on its server sockets); a dual-stack listener holds the port in both.
 *
 * Does not: check that an address belongs to the host (host.ts does), or decide 4-tuple
 * uniqueness beyond what `connect` asks through `sharesEndpoint`.
 *
 * Departs from reality: no TIME_WAIT; a port is free the moment its socket closes.
 */
import { isWildcard } from '../net/address.js';
import type { Family } from '../net/sock-addr.js';

/** Something that holds a port: a socket or a listener. */
export interface Binding {
  readonly family: Family;
  /** Bound address (canonical; may be the wildcard). */
  readonly boundAddress: string;
  readonly boundPort: number;
  readonly reuseAddr: boolean;
  readonly listening: boolean;
  /** For a dual-stack listener: also holds the port in the other family. */
  readonly dualStack?: boolean;
}

function key(family: Family, port: number): number {
  return family === 'inet' ? port : port + 65536;
}

export class PortTable {
  /** One binding or a list of them per (family, port); most ports have exactly one holder. */
  private readonly byPort = new Map<number, Binding | Binding[]>();
  private nextEphemeral: number;

  constructor(
    private readonly first: number,
    private readonly last: number,
  ) {
    this.nextEphemeral = first;
  }

  /** The raw entry of (family, port): one holder, a list, or undefined. */
  get(family: Family, port: number): Binding | readonly Binding[] | undefined {
    return this.byPort.get(key(family, port));
  }

  /** Holders of `port` in `family`. */
  holders(family: Family, port: number): readonly Binding[] {
    const v = this.byPort.get(key(family, port));
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  }

  /** Whether binding (address, port) would conflict with a current holder. */
  conflicts(family: Family, address: string, port: number, reuseAddr: boolean, listening: boolean): boolean {
    const held = this.byPort.get(key(family, port));
    if (held === undefined) return false;
    for (const b of Array.isArray(held) ? held : [held]) {
      const overlap = b.boundAddress === address || isWildcard(b.boundAddress) || isWildcard(address);
      if (overlap && !(reuseAddr && b.reuseAddr && !b.listening && !listening)) return true;
    }
    return false;
  }

  /**
   * The next ephemeral port no holder of the given families uses, advancing the counter; null
   * when the whole range is taken.
   */
  allocate(families: readonly Family[]): number | null {
    const size = this.last - this.first + 1;
    for (let i = 0; i < size; i++) {
      const port = this.nextEphemeral;
      this.nextEphemeral = port === this.last ? this.first : port + 1;
      let free = true;
      for (const f of families) if (this.byPort.has(key(f, port))) free = false;
      if (free) return port;
    }
    return null;
  }

  /** Records `b` as a holder of its port (in both families if dual-stack). */
  add(b: Binding): void {
    this.addTo(key(b.family, b.boundPort), b);
    if (b.dualStack === true) this.addTo(key(b.family === 'inet' ? 'inet6' : 'inet', b.boundPort), b);
  }

  private addTo(k: number, b: Binding): void {
    const v = this.byPort.get(k);
    if (v === undefined) this.byPort.set(k, b);
    else if (Array.isArray(v)) v.push(b);
    else this.byPort.set(k, [v, b]);
  }

  /** Forgets `b` (no-op if it holds nothing). */
  remove(b: Binding): void {
    this.removeFrom(key(b.family, b.boundPort), b);
    if (b.dualStack === true) this.removeFrom(key(b.family === 'inet' ? 'inet6' : 'inet', b.boundPort), b);
  }

  private removeFrom(k: number, b: Binding): void {
    const v = this.byPort.get(k);
    if (v === b) this.byPort.delete(k);
    else if (Array.isArray(v)) {
      const i = v.indexOf(b);
      if (i >= 0) v.splice(i, 1);
      if (v.length === 1) this.byPort.set(k, v[0] as Binding);
      else if (v.length === 0) this.byPort.delete(k);
    }
  }

  /** Number of (family, port) entries in use. */
  get size(): number {
    return this.byPort.size;
  }
}
