/**
 * Socket addresses as every layer sees them: family, canonical address text, port.
 *
 * Owns: the `SockAddr` and `HostAddr` shapes and the Tcl rendering of an endpoint. Parsing and canonical forms of address
 * text live in src/net/address.ts.
 */

/** Address family, in Tcl's words. */
export type Family = 'inet' | 'inet6';

/** A resolved host address without a port (what DNS answers). */
export interface HostAddr {
  readonly family: Family;
  readonly address: string;
}

/** An endpoint. `address` is always in canonical form (see address.ts). */
export interface SockAddr {
  readonly family: Family;
  readonly address: string;
  readonly port: number;
}

/** Tcl's `-peername`/`-sockname` value with reverse DNS off: `{address address port}`. */
export function tclSockName(addr: SockAddr): string {
  return `${addr.address} ${addr.address} ${addr.port}`;
}

/** `address:port`, with brackets for IPv6. */
export function formatSockAddr(addr: SockAddr): string {
  return addr.family === 'inet6' ? `[${addr.address}]:${addr.port}` : `${addr.address}:${addr.port}`;
}
