/**
 * How Node's socket and resolver errors become detnet's `NetError`s.
 *
 * Owns: the mapping from the `code` of an error Node raises (`ECONNREFUSED`, `EAI_AGAIN`, ...)
 * to a POSIX code of Tcl's table (src/net/net-error.ts), and the resolver's message text. It
 * imports nothing from `node:*`: the Node driver passes the raw error in.
 *
 * Does not: decide *when* an error is reported (the socket and listener wrappers do that).
 *
 * Departs from reality: Node already folds `EAI_NONAME`/`EAI_NODATA`/`EAI_FAIL` into
 * `ENOTFOUND`, so detnet reports glibc's "Name or service not known" for all of them (glibc
 * would say "No address associated with hostname" for EAI_NODATA). A code outside Tcl's table
 * becomes the nearest one (`ENETDOWN` → ENETUNREACH, `EHOSTDOWN` → EHOSTUNREACH, `EPERM` →
 * EACCES), and anything else the caller's fallback (ECONNABORTED for sockets: "software caused
 * connection abort", the closest generic "the kernel gave up on this connection").
 */
import { isErrno, NetError, type Errno } from '../net/net-error.js';

/** Codes outside Tcl's table that have an obvious nearest neighbour inside it. */
const NEAREST: Readonly<Record<string, Errno>> = {
  ENETDOWN: 'ENETUNREACH',
  EHOSTDOWN: 'EHOSTUNREACH',
  EPERM: 'EACCES',
  ECANCELED: 'ECONNABORTED',
  EWOULDBLOCK: 'EAGAIN',
};

/** glibc's `gai_strerror(EAI_NONAME)`: what Tcl prints after `couldn't open socket: `. */
export const RESOLVER_NOT_FOUND_MESSAGE = 'Name or service not known';
/** glibc's `gai_strerror(EAI_AGAIN)`. */
export const RESOLVER_AGAIN_MESSAGE = 'Temporary failure in name resolution';

/** The `code` property of an error-like value, if it is a string. */
export function errorCodeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The POSIX code of a Node socket error: its own `code` when Tcl's table has it, the nearest
 * code for a few known others, `fallback` for anything else (including non-errors).
 */
export function errnoFromNode(err: unknown, fallback: Errno): Errno {
  const code = errorCodeOf(err);
  if (code === undefined) return fallback;
  if (isErrno(code)) return code;
  // Own properties only: a code such as "constructor" must not find Object.prototype's.
  return Object.hasOwn(NEAREST, code) ? (NEAREST[code] ?? fallback) : fallback;
}

/**
 * A resolver failure as a `NetError`: `EAI_AGAIN` stays EAI_AGAIN ("Temporary failure in name
 * resolution"); every other failure is ENOTFOUND ("Name or service not known"). A `NetError`
 * that is already a resolver error passes through unchanged, so an injected lookup can choose.
 */
export function resolverError(err: unknown, host: string): NetError {
  if (err instanceof NetError && (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN')) return err;
  return errorCodeOf(err) === 'EAI_AGAIN'
    ? new NetError('EAI_AGAIN', { syscall: 'getaddrinfo', address: host, message: RESOLVER_AGAIN_MESSAGE })
    : new NetError('ENOTFOUND', { syscall: 'getaddrinfo', address: host, message: RESOLVER_NOT_FOUND_MESSAGE });
}
