/**
 * The errors the facade hands to user code outside the connect walk, shaped as Node makes them:
 * system errors of `read`/`write`/`listen` (`code`, negative Linux `errno`, `syscall`, and
 * `address`/`port` where Node sets them; message `read ECONNRESET`, `listen EADDRINUSE:
 * address already in use 0.0.0.0:80`), resolver errors (`getaddrinfo ENOTFOUND name`), and
 * Node's `ERR_*` misuse errors.
 *
 * Does not: build connect errors (src/socket/node-connect-errors.ts does, for the machine).
 */
import { LINUX_ERRNO } from '../socket/node-connect-errors.js';

/** A Node system error: `Error` with own errno, code, syscall (and address, port). */
export function systemError(syscall: string, code: string, where: { readonly address?: string; readonly port?: number; readonly detail?: string } = {}): Error {
  const errno = (LINUX_ERRNO as Readonly<Record<string, number>>)[code];
  let message = `${syscall} ${code}`;
  if (where.detail !== undefined) message += `: ${where.detail}`;
  if (where.address !== undefined) message += ` ${where.address}${where.port === undefined ? '' : `:${where.port}`}`;
  const err = new Error(message);
  const fields: Record<string, unknown> = { errno: errno === undefined ? undefined : -errno, code, syscall, address: where.address, port: where.port };
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) Object.defineProperty(err, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return err;
}

/** Node's error for a failed `dns.lookup`: `getaddrinfo ENOTFOUND name`, with `hostname`. */
export function lookupError(code: string, hostname: string): Error {
  const err = systemError('getaddrinfo', code);
  err.message = `getaddrinfo ${code} ${hostname}`;
  Object.defineProperty(err, 'hostname', { value: hostname, enumerable: true, writable: true, configurable: true });
  return err;
}

/** A Node `ERR_*` error (`TypeError` for argument types, as Node throws them). */
export function nodeCodedError(code: `ERR_${string}`, message: string, Ctor: ErrorConstructor | TypeErrorConstructor | RangeErrorConstructor = Error): Error {
  const err = new Ctor(message);
  Object.defineProperty(err, 'code', { value: code, enumerable: false, writable: true, configurable: true });
  return err;
}
