/**
 * The driver interface: the narrow, BSD-socket-like surface a channel needs from a network.
 *
 * Owns: the contract both drivers implement — `sim-driver` over the simulated world and
 * `node-driver` over real `node:net` sockets. It mirrors the system calls Tcl's Unix socket
 * driver makes (reference §2–§3): resolve, create + bind + non-blocking connect of one attempt,
 * `SO_ERROR`, `getsockname`/`getpeername`, non-blocking `recv`/`send`, `listen`/`accept`,
 * `close`. Readiness is reported through `ReadinessSource` to the notifier; a driver never calls
 * a channel or a handler.
 *
 * Errors: every network condition is a `NetError` with a POSIX code — thrown by the socket
 * calls, returned as data by `openAttempt` (an attempt that fails at once is an outcome the
 * connect walk expects, not an exception); misuse is a `DetnetError` (`ERR_*`).
 */
import type { Clock } from '../clock/clock.js';
import type { ReadinessSource } from '../loop/notifier.js';
import type { Errno } from '../net/net-error.js';
import type { HostAddr, SockAddr } from '../net/sock-addr.js';

/** A resolved host address without a port (defined in src/net/sock-addr.ts; re-exported here). */
export type { HostAddr };

/** One OS-level stream socket (a client attempt or an accepted connection). */
export interface DriverSocket extends ReadinessSource {
  /**
   * `getsockopt(SO_ERROR)`: the pending error of the socket, or null; reading clears it (the
   * kernel's behaviour, which `-error` relies on).
   */
  takeError(): Errno | null;
  /** `getsockname`: the local endpoint, or null if the socket has none yet. */
  localAddress(): SockAddr | null;
  /** `getpeername`: the remote endpoint while connected, else null. */
  remoteAddress(): SockAddr | null;
  /**
   * Non-blocking `recv` of up to `max` bytes: the bytes, `'eagain'` if nothing is there yet, or
   * `'eof'` once the peer's FIN has been read past. Throws `NetError` (ENOTCONN on a socket that
   * never connected, ECONNRESET after a reset).
   */
  read(max: number): Uint8Array | 'eagain' | 'eof';
  /**
   * Non-blocking `send`: returns how many bytes were accepted (0 = would block). Throws
   * `NetError` (ENOTCONN before/without a connection, EPIPE after the peer reset or closed).
   */
  write(data: Uint8Array): number;
  /** `close`: releases the socket; no readiness is reported afterwards. Idempotent. */
  close(): void;
}

/** A listening socket. Readable when a connection is waiting in its accept queue. */
export interface DriverListener extends ReadinessSource {
  localAddress(): SockAddr;
  /** Takes the next established connection from the accept queue, or null. */
  accept(): DriverSocket | null;
  close(): void;
}

/**
 * What one connect attempt (§3.2: socket, bind, non-blocking connect) left behind. A failure
 * the system calls report at once is data, not an exception: on Linux the socket outlives it
 * (Tcl closes it only when the next attempt starts, or with the channel), so a failed attempt
 * still carries one.
 */
export type AttemptResult =
  /** `connect` answered EINPROGRESS: the outcome arrives as readiness and SO_ERROR. */
  | { readonly kind: 'started'; readonly socket: DriverSocket }
  /** `connect` succeeded at once (never on Linux TCP; the machine allows it). */
  | { readonly kind: 'connected'; readonly socket: DriverSocket }
  /**
   * `bind` or `connect` failed at once with `error` (EADDRINUSE, EADDRNOTAVAIL, ENETUNREACH,
   * ...). `socket` is the descriptor that remains: open, never connected, and — as Linux polls
   * a TCP socket in the CLOSE state — readable and writable (hang-up); `recv`/`send` fail with
   * ENOTCONN, SO_ERROR is 0, `getsockname` gives what it is bound to (the wildcard with port 0
   * if the bind failed). Closing it releases its port.
   */
  | { readonly kind: 'failed'; readonly error: Errno; readonly socket: DriverSocket };

/**
 * What every driver can do — what an `Interp` needs for its Promise forms: name resolution,
 * one connect attempt at a time, listeners and a clock. Two implementations: `SimDriver` (the
 * simulated world, `detnet`), which is also a `BlockingDriver`, and `NodeDriver` (real sockets,
 * `detnet/node`), which is not. Pass one to `new Interp(driver)`.
 */
export interface Driver {
  /** `sim` or `node`: traces and error messages name it. */
  readonly kind: 'sim' | 'node';
  readonly clock: Clock;
  /**
   * `getaddrinfo` for stream sockets, family unspecified: addresses in resolver order, never
   * re-sorted. IP literals pass through. Rejects with `NetError` (ENOTFOUND / EAI_AGAIN) with
   * the resolver's message.
   */
  resolveAsync(host: string): Promise<readonly HostAddr[]>;
  /**
   * The local (bind) list for `-myaddr` (undefined = wildcard: `0.0.0.0`, `::`), IPv4 first
   * (Tcl re-sorts the passive list).
   */
  resolvePassiveAsync(myaddr: string | undefined): Promise<readonly HostAddr[]>;
  /**
   * One attempt: create a socket of `remote.family`, make it non-blocking, set SO_REUSEADDR,
   * bind to `local`, and connect to `remote`. A bind failure (EADDRINUSE, EADDRNOTAVAIL) or an
   * immediate connect failure (ENETUNREACH, ...) is returned as `failed`, with the socket that
   * remains; only misuse throws (`DetnetError`).
   */
  openAttempt(remote: SockAddr, local: SockAddr): AttemptResult;
  /** `socket -server`: bind + listen on `local`, settled once the socket is bound and listening. */
  listenAsync(local: { readonly address?: string; readonly port: number }, backlog?: number): Promise<DriverListener>;
  /**
   * Lets the world catch up with the present: runs every world event due at the current
   * instant, never moving time (handlers only get queued). A command that asks the kernel
   * something without waiting (a zero-timeout poll, a non-blocking read or write, an option
   * query) settles first, so that what the kernel would already have processed is visible — on
   * Linux a loopback RST is handled before the next command runs (reference §3.4: the first
   * `-connecting` after a refused loopback connect is already 0). Real driver: nothing to do.
   */
  settle(): void;
  /**
   * Promise form of `settle`, awaited by every Promise-form command before it looks: on the
   * real driver it lets Node's event loop poll once, so that I/O the kernel has already
   * completed (a loopback RST, data in the socket buffer) reaches the driver first — Node tells
   * JavaScript only when its loop polls, which no synchronous call can make happen.
   */
  settleAsync(): Promise<void>;
  /**
   * `work`, unless the driver is disposed first: then a rejection with `ERR_DRIVER_DISPOSED`.
   * Every Promise-form command runs under it, so disposing a driver settles every pending
   * command instead of stranding it. A driver that is never disposed returns `work` itself.
   */
  whileLive<T>(work: Promise<T>): Promise<T>;
}

/**
 * A driver that can block: it can run its world synchronously until a command can go on, so
 * the synchronous command forms (`interp.socket`, `interp.vwait`, `interp.after`, a blocking
 * `gets` that must wait, ...) are possible. `SimDriver` is one; `NodeDriver` is not (JavaScript
 * cannot block on real sockets), and an `Interp` over it offers only the Promise forms.
 */
export interface BlockingDriver extends Driver {
  /**
   * Synchronous `resolveAsync`: runs the world while a DNS answer is on its way. Throws
   * `NetError` (ENOTFOUND / EAI_AGAIN).
   */
  resolve(host: string): readonly HostAddr[];
  /** Synchronous `resolvePassiveAsync`. */
  resolvePassive(myaddr: string | undefined): readonly HostAddr[];
  /** Synchronous `listenAsync`: the listener is bound when it returns. */
  listen(local: { readonly address?: string; readonly port: number }, backlog?: number): DriverListener;
  /**
   * Runs the world (not the event loop: handlers only get queued) until `done()` holds.
   * Returns false if nothing more can happen and `done()` is still false.
   */
  runUntil(done: () => boolean): boolean;
}

/**
 * Whether `driver` can block (the run-time side of `BlockingDriver`, for code that takes any
 * driver and picks the command forms, and for JavaScript callers without types).
 */
export function isBlockingDriver(driver: Driver): driver is BlockingDriver {
  return typeof (driver as Partial<BlockingDriver>).runUntil === 'function';
}
