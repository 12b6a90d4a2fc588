/**
 * The errors of Node's connect path, as data the pure machine can return and as the `Error`
 * objects a driver hands to user code.
 *
 * Owns: the shapes Node gives its connect errors — a system error per attempt (`code`, negative
 * `errno`, `syscall: 'connect'`, `address`, `port`, message `connect ECONNREFUSED 127.0.0.1:10`),
 * the `AggregateError` that ends a failed multi-address walk (empty message, `code` of its first
 * error), the coded errors of bad lookup answers and of a walk that recorded nothing
 * (`ERR_SOCKET_CONNECTION_TIMEOUT`, old Node only) — and `toNodeError`, which builds them.
 *
 * Does not: decide which error a connect ends with (src/socket/node-connect-machine.ts) or map
 * them to Tcl's vocabulary (src/socket/node-errors.ts does that for the Tcl driver).
 *
 * Departs from reality: `errno` numbers are Linux's (libuv reports `-errno`); on macOS or
 * Windows Node reports other numbers for the same codes. Node prints IPv6 addresses without
 * brackets (`connect ECONNREFUSED ::1:10`), and so does this module.
 */

/** Linux errno numbers of the codes a connect attempt can end with. */
export const LINUX_ERRNO = {
  EPERM: 1,
  EACCES: 13,
  EINVAL: 22,
  EADDRINUSE: 98,
  EADDRNOTAVAIL: 99,
  EAFNOSUPPORT: 97,
  ENETDOWN: 100,
  ENETUNREACH: 101,
  ECONNABORTED: 103,
  ECONNRESET: 104,
  ETIMEDOUT: 110,
  ECONNREFUSED: 111,
  EHOSTDOWN: 112,
  EHOSTUNREACH: 113,
  ECANCELED: 125,
} as const;

/** A code a connect attempt can fail with. */
export type AttemptErrno = keyof typeof LINUX_ERRNO;

/** Whether `code` is one of the attempt codes this module knows. */
export function isAttemptErrno(code: unknown): code is AttemptErrno {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(LINUX_ERRNO, code);
}

/** One failed attempt, shaped like Node's `ExceptionWithHostPort` for `connect`. */
export interface AttemptErrorInfo {
  readonly kind: 'system';
  readonly code: AttemptErrno;
  /** Negative, as libuv reports it (Linux numbers). */
  readonly errno: number;
  readonly syscall: 'connect';
  readonly address: string;
  /** Absent for port 0: Node sets `port` only when it is non-zero. */
  readonly port: number | undefined;
  readonly message: string;
}

/** Node's own coded errors on the connect path. */
export interface CodedErrorInfo {
  readonly kind: 'coded';
  readonly name: 'Error' | 'TypeError' | 'RangeError';
  readonly code: 'ERR_SOCKET_CONNECTION_TIMEOUT' | 'ERR_INVALID_IP_ADDRESS' | 'ERR_INVALID_ADDRESS_FAMILY';
  readonly message: string;
  /** ERR_INVALID_ADDRESS_FAMILY carries the requested host and port. */
  readonly host?: string;
  readonly port?: number;
}

/** The error a connect ends with, as data. */
export type ConnectErrorInfo =
  | AttemptErrorInfo
  | { readonly kind: 'aggregate'; readonly code: AttemptErrno; readonly errors: readonly AttemptErrorInfo[] }
  | CodedErrorInfo
  /** An error the machine did not make: a lookup failure or `destroy(err)`; passed on untouched. */
  | { readonly kind: 'external'; readonly error: unknown };

/**
 * The error of one failed attempt. `local` is what Node appends for a synchronous failure
 * (` - Local (<sockname>)`; an unbound handle prints `undefined:undefined`), absent otherwise.
 */
export function attemptError(code: AttemptErrno, address: string, port: number, local?: string): AttemptErrorInfo {
  // Node's detail text: " host:port" for a positive port, " host" for port 0.
  let message = `connect ${code}${port > 0 ? ` ${address}:${port}` : ` ${address}`}`;
  if (local !== undefined) message += ` - Local (${local})`;
  return Object.freeze({
    kind: 'system',
    code,
    errno: -LINUX_ERRNO[code],
    syscall: 'connect',
    address,
    port: port === 0 ? undefined : port,
    message,
  });
}

/** The error of a multi-address walk whose every attempt failed: one entry per attempt. */
export function aggregateError(errors: readonly AttemptErrorInfo[]): ConnectErrorInfo {
  const first = errors[0];
  if (first === undefined) return connectionTimeoutError();
  return Object.freeze({ kind: 'aggregate', code: first.code, errors: Object.freeze([...errors]) });
}

/** Old Node's error for a walk that ran out of addresses without recording any error. */
export function connectionTimeoutError(): CodedErrorInfo {
  return Object.freeze({ kind: 'coded', name: 'Error', code: 'ERR_SOCKET_CONNECTION_TIMEOUT', message: 'Socket connection timeout' });
}

/** A lookup answer whose address is not an IP literal. */
export function invalidIpError(address: string): CodedErrorInfo {
  return Object.freeze({ kind: 'coded', name: 'TypeError', code: 'ERR_INVALID_IP_ADDRESS', message: `Invalid IP address: ${address}` });
}

/** A lookup answer whose family is neither 4 nor 6. */
export function invalidFamilyError(family: unknown, host: string, port: number): CodedErrorInfo {
  return Object.freeze({
    kind: 'coded',
    name: 'RangeError',
    code: 'ERR_INVALID_ADDRESS_FAMILY',
    message: `Invalid address family: ${String(family)} ${host}:${port}`,
    host,
    port,
  });
}

/** An error the caller made (lookup failure, `destroy(err)`), carried through unchanged. */
export function externalError(error: unknown): ConnectErrorInfo {
  return Object.freeze({ kind: 'external', error });
}

/** The `code` of the error a connect ends with, if it has one (what callers branch on). */
export function codeOf(info: ConnectErrorInfo): string | undefined {
  if (info.kind !== 'external') return info.code;
  const { error } = info;
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Copies `fields` onto `target` as own enumerable properties, in order (Node's key order). */
function withFields<T extends Error>(target: T, fields: Readonly<Record<string, unknown>>): T {
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return target;
}

/**
 * The `Error` object Node would hand to `'error'` and `'connectionAttemptFailed'` listeners:
 * plain `Error` for system errors (own keys errno, code, syscall, address, port), an
 * `AggregateError` with `code` and an empty message, `TypeError`/`RangeError` for bad lookup
 * answers; an external error is returned as it was given.
 */
export function toNodeError(info: ConnectErrorInfo): unknown {
  switch (info.kind) {
    case 'system':
      return withFields(new Error(info.message), { errno: info.errno, code: info.code, syscall: info.syscall, address: info.address, port: info.port });
    case 'aggregate':
      return withFields(new AggregateError(info.errors.map((e) => toNodeError(e)), ''), { code: info.code });
    case 'coded': {
      const Ctor = info.name === 'TypeError' ? TypeError : info.name === 'RangeError' ? RangeError : Error;
      return withFields(new Ctor(info.message), { code: info.code, host: info.host, port: info.port });
    }
    case 'external':
      return info.error;
    default:
      return unreachable(info);
  }
}

function unreachable(x: never): never {
  throw new Error(`node connect errors: unexpected ${JSON.stringify(x)}`);
}
