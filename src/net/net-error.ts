/**
 * Network-condition errors: one type carrying a POSIX `code`, the `syscall`, the address and
 * port involved, and Tcl's own message text for the code.
 *
 * Owns: the errno vocabulary and Tcl's errno → message table (reference §8: Tcl's table, not the
 * C library's). Both drivers (simulated and Node) raise these, so callers branch on `code`,
 * never on text. Misuse is `DetnetError` with an `ERR_*` code (src/errors.ts), never this.
 */

/** Tcl's fixed English messages for the POSIX codes detnet can produce (reference §8). */
export const TCL_ERRNO_MESSAGES = {
  ECONNREFUSED: 'connection refused',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host is unreachable',
  ENETUNREACH: 'network is unreachable',
  ENOTCONN: 'socket is not connected',
  EPIPE: 'broken pipe',
  ECONNRESET: 'connection reset by peer',
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'cannot assign requested address',
  EAGAIN: 'resource temporarily unavailable',
  EINPROGRESS: 'operation now in progress',
  EALREADY: 'operation already in progress',
  ECONNABORTED: 'software caused connection abort',
  EISCONN: 'socket is already connected',
  EACCES: 'permission denied',
  EAFNOSUPPORT: 'address family not supported by protocol family',
  EINVAL: 'invalid argument',
  ENOENT: 'no such file or directory',
} as const;

/** A POSIX error code detnet knows. */
export type Errno = keyof typeof TCL_ERRNO_MESSAGES;

/** Whether `code` is one of the known POSIX codes. */
export function isErrno(code: unknown): code is Errno {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(TCL_ERRNO_MESSAGES, code);
}

/** Tcl's message for a POSIX code, e.g. `connection refused` for ECONNREFUSED. */
export function tclMessage(code: Errno): string {
  return TCL_ERRNO_MESSAGES[code];
}

/** Tcl's errorCode list for a POSIX code: `POSIX ECONNREFUSED {connection refused}`. */
export function tclErrorCode(code: Errno): string {
  return `POSIX ${code} {${TCL_ERRNO_MESSAGES[code]}}`;
}

export interface NetErrorDetails {
  readonly syscall?: string;
  readonly address?: string;
  readonly port?: number;
  /** Override of the message text (e.g. a resolver's own wording); defaults to Tcl's message. */
  readonly message?: string;
}

/**
 * A network condition: refused, unreachable, timed out, reset, ... `message` is Tcl's text
 * (`connection refused`); `describe()` gives Node's style (`connect ECONNREFUSED 10.0.0.2:80`).
 */
export class NetError extends Error {
  readonly code: Errno | 'ENOTFOUND' | 'EAI_AGAIN';
  readonly syscall: string | undefined;
  readonly address: string | undefined;
  readonly port: number | undefined;

  constructor(code: Errno | 'ENOTFOUND' | 'EAI_AGAIN', details: NetErrorDetails = {}) {
    super(details.message ?? (isErrno(code) ? TCL_ERRNO_MESSAGES[code] : code));
    this.name = 'NetError';
    this.code = code;
    this.syscall = details.syscall;
    this.address = details.address;
    this.port = details.port;
  }

  /** Node-style one-line description: `connect ECONNREFUSED 127.0.0.1:80`. */
  describe(): string {
    const where =
      this.address === undefined ? '' : ` ${this.address.includes(':') ? `[${this.address}]` : this.address}${this.port === undefined ? '' : `:${this.port}`}`;
    return `${this.syscall ?? 'net'} ${this.code}${where}`;
  }
}
