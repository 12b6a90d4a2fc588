/**
 * `NodeSocket`: one `DriverSocket` over a Node stream socket (a client attempt or an accepted
 * connection), with the readiness Tcl sees on Linux (reference §3.5).
 *
 * Owns: the socket's phase (connecting → connected | failed → closed), the bytes received and
 * not yet read, the pending `SO_ERROR`, and the translation of Node's events ('connect',
 * 'data', 'end', 'error', 'drain', 'close') into readiness changes. It never imports `node:*`:
 * node-driver.ts hands it the `net.Socket` (typed structurally as `NodeStreamLike`, so tests
 * can drive it with a fake) and a clock for the close linger timer.
 *
 * Readiness, as `select` reports it on Linux:
 *   connecting            nothing
 *   connected             WRITABLE (unless Node's buffer is over its high-water mark, see
 *                         `write`), READABLE while bytes are buffered, the peer's FIN arrived,
 *                         or an error is pending
 *   failed connect        READABLE | WRITABLE forever; `takeError()` gives the errno once
 *   died after connect    READABLE | WRITABLE (hang-up); reads drain the data, then throw
 *                         the error once (ECONNRESET, ETIMEDOUT, ...; not EPIPE, which only
 *                         a write sees), then 'eof'; writes throw EPIPE; `takeError()` gives
 *                         the error once unless a read took it first (one `sk_err`)
 *   closed                nothing, and no notifications
 *
 * Departs from reality:
 * - Node reports bind and connect errors asynchronously, so every failure (even EADDRINUSE
 *   from the bind) arrives as a failed connect of a `started` attempt, never as an attempt
 *   `openAttempt` returns `failed` (whose remaining socket would be an `UnconnectedSocket`).
 *   The failed phase reports what that socket would: READABLE | WRITABLE for good.
 * - Node closes the descriptor of a failed attempt at once. Tcl keeps it open and bound, so
 *   `-sockname` still answers; here the local address captured while connecting is kept and
 *   answered instead, but the port is free again for the kernel to hand out.
 * - Backpressure: Node always takes a write into its own buffer. `write` reports 0 accepted
 *   (EAGAIN) while `writableNeedDrain` is set, and WRITABLE returns on 'drain'; a write is
 *   accepted whole or not at all (the kernel accepts partial writes).
 * - `close` with output still in Node's buffer half-closes and lets it drain for `lingerMs`
 *   before destroying (the kernel would keep sending after close(2) with no limit). Bytes
 *   received but never read are discarded silently (the kernel would answer with a RST).
 */
import type { Clock, TimerId } from '../clock/clock.js';
import { DetnetError } from '../errors.js';
import { READABLE, WRITABLE } from '../loop/notifier.js';
import { tryParseAddress } from '../net/address.js';
import { NetError, type Errno } from '../net/net-error.js';
import type { SockAddr } from '../net/sock-addr.js';
import type { DriverSocket } from './driver.js';
import { errnoFromNode } from './node-errors.js';

/** The part of `net.Socket` the driver uses. */
export interface NodeStreamLike {
  on(event: string, listener: (...args: never[]) => void): unknown;
  once(event: string, listener: (...args: never[]) => void): unknown;
  write(data: Uint8Array): boolean;
  end(): unknown;
  destroy(): unknown;
  resume(): unknown;
  readonly localAddress?: string | undefined;
  readonly localPort?: number | undefined;
  readonly remoteAddress?: string | undefined;
  readonly remotePort?: number | undefined;
  readonly writableNeedDrain: boolean;
  readonly writableLength: number;
}

/** Where a `NodeSocket` starts: an attempt still connecting, or an accepted connection. */
export type NodeSocketStart = 'connecting' | 'accepted';

type Phase = 'connecting' | 'connected' | 'failed' | 'closed';

/** A Node address/port pair as a `SockAddr`, or null if Node does not know it (yet). */
function sockAddr(address: string | undefined, port: number | undefined): SockAddr | null {
  if (address === undefined || port === undefined) return null;
  const parsed = tryParseAddress(address);
  return parsed === null ? null : { family: parsed.family, address: parsed.address, port };
}

export interface NodeSocketOptions {
  /** Trace and notifier name, e.g. `node:c3`. */
  readonly name: string;
  readonly start: NodeSocketStart;
  /** Clock for the close linger timer (the driver's RealClock). */
  readonly clock: Clock;
  /** How long `close` lets queued output drain before destroying, in ms. */
  readonly lingerMs: number;
  /** The remote endpoint the attempt connects to (used until Node reports the peer). */
  readonly remote?: SockAddr;
}

export class NodeSocket implements DriverSocket {
  readonly name: string;
  private phase: Phase;
  /** Received bytes not yet read, oldest first; `offset` bytes of the first are consumed. */
  private readonly chunks: Uint8Array[] = [];
  private offset = 0;
  private peerFin = false;
  /** Set when an established connection died (reset, EPIPE, timeout). */
  private broken: Errno | null = null;
  /** `SO_ERROR`: read once by `takeError` (or by a `read`, as the kernel's `sk_err`). */
  private pendingError: Errno | null = null;
  private needDrain = false;
  private local: SockAddr | null = null;
  private remote: SockAddr | null;
  private readonly listeners = new Set<() => void>();
  private lingerTimer: TimerId | undefined;
  private readonly clock: Clock;
  private readonly lingerMs: number;
  /** Resolves once Node has closed the underlying handle ('close' event). */
  readonly released: Promise<void>;
  private isReleased = false;

  constructor(
    private readonly stream: NodeStreamLike,
    options: NodeSocketOptions,
  ) {
    this.name = options.name;
    this.phase = options.start === 'accepted' ? 'connected' : 'connecting';
    this.clock = options.clock;
    this.lingerMs = options.lingerMs;
    this.remote = options.remote ?? null;
    if (options.start === 'accepted') this.captureAddresses();
    stream.on('connect', () => this.onConnect());
    stream.on('data', (chunk: Uint8Array) => {
      if (this.phase !== 'closed') this.change(() => this.chunks.push(chunk));
    });
    stream.on('end', () => this.change(() => (this.peerFin = true)));
    stream.on('drain', () => this.change(() => (this.needDrain = false)));
    stream.on('error', (err: Error) => this.onError(err));
    this.released = new Promise<void>((resolve) =>
      stream.once('close', () => {
        this.isReleased = true;
        this.clearLinger();
        if (this.phase === 'connecting') this.change(() => this.fail('ECONNABORTED')); // destroyed without an error
        resolve();
      }),
    );
  }

  // ---- Node events ---------------------------------------------------------------------------

  private onConnect(): void {
    if (this.phase !== 'connecting') return;
    this.captureAddresses();
    this.change(() => (this.phase = 'connected'));
  }

  private onError(err: Error): void {
    if (this.phase === 'closed') return; // late errors of a socket we let go of are nobody's business
    const code = errnoFromNode(err, 'ECONNABORTED');
    this.change(() => {
      if (this.phase === 'connecting') this.fail(code);
      else if (this.broken === null) {
        this.broken = code;
        this.pendingError = code;
      }
    });
  }

  private fail(code: Errno): void {
    this.phase = 'failed';
    this.pendingError = code;
  }

  /** Records the local (and, once connected, remote) endpoint while Node still has a handle. */
  captureAddresses(): void {
    this.local = sockAddr(this.stream.localAddress, this.stream.localPort) ?? this.local;
    this.remote = sockAddr(this.stream.remoteAddress, this.stream.remotePort) ?? this.remote;
  }

  /** Runs `mutate` and tells the listeners if the readiness changed. */
  private change(mutate: () => void): void {
    const before = this.readiness();
    mutate();
    this.notifyIfChanged(before);
  }

  private notifyIfChanged(before: number): void {
    if (this.readiness() === before) return;
    for (const listener of [...this.listeners]) listener();
  }

  // ---- ReadinessSource -------------------------------------------------------------------------

  readiness(): number {
    switch (this.phase) {
      case 'connecting':
      case 'closed':
        return 0;
      case 'failed':
        return READABLE | WRITABLE;
      case 'connected': {
        const readable = this.chunks.length > 0 || this.peerFin || this.broken !== null || this.pendingError !== null;
        const writable = this.broken !== null || !this.needDrain;
        return (readable ? READABLE : 0) | (writable ? WRITABLE : 0);
      }
    }
  }

  onReadinessChange(listener: () => void): () => void {
    const wrapped = (): void => listener();
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }

  // ---- DriverSocket --------------------------------------------------------------------------

  takeError(): Errno | null {
    const error = this.pendingError;
    if (error !== null) this.change(() => (this.pendingError = null));
    return error;
  }

  localAddress(): SockAddr | null {
    if (this.phase === 'closed') return null;
    if (!this.isReleased) this.captureAddresses();
    return this.local;
  }

  remoteAddress(): SockAddr | null {
    return this.phase === 'connected' && this.broken === null ? this.remote : null;
  }

  read(max: number): Uint8Array | 'eagain' | 'eof' {
    if (!Number.isInteger(max) || max <= 0) {
      throw new DetnetError('ERR_INVALID_ARG', `read size must be a positive integer, got ${String(max)}`);
    }
    this.assertOpen('read');
    if (this.phase !== 'connected') throw this.netError('ENOTCONN', 'read');
    if (this.chunks.length > 0) {
      const before = this.readiness();
      const out = this.take(max);
      this.notifyIfChanged(before);
      return out;
    }
    const error = this.pendingError;
    if (error !== null && error !== 'EPIPE') {
      // recv returns a pending socket error once (and clears it), as the kernel's sk_err.
      this.change(() => (this.pendingError = null));
      throw this.netError(error, 'read');
    }
    return this.peerFin || this.broken !== null ? 'eof' : 'eagain';
  }

  /** Removes and returns up to `max` buffered bytes (a copy); at least one chunk is buffered. */
  private take(max: number): Uint8Array {
    const parts: Uint8Array[] = [];
    let size = 0;
    while (size < max && this.chunks.length > 0) {
      const first = this.chunks[0] as Uint8Array;
      const end = Math.min(first.length, this.offset + (max - size));
      parts.push(first.subarray(this.offset, end));
      size += end - this.offset;
      this.offset = end;
      if (this.offset === first.length) {
        this.chunks.shift();
        this.offset = 0;
      }
    }
    const out = new Uint8Array(size);
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  write(data: Uint8Array): number {
    this.assertOpen('write');
    if (this.phase !== 'connected') throw this.netError('ENOTCONN', 'write');
    if (this.broken !== null) throw this.netError('EPIPE', 'write');
    if (data.length === 0 || this.needDrain) return 0;
    // Copy: Node may keep the view until the kernel takes it, and the caller may reuse it.
    const accepted = this.stream.write(data.slice());
    if (!accepted || this.stream.writableNeedDrain) this.change(() => (this.needDrain = true));
    return data.length;
  }

  close(): void {
    if (this.phase === 'closed') return;
    const graceful = this.phase === 'connected' && this.broken === null && this.stream.writableLength > 0;
    this.phase = 'closed';
    this.listeners.clear();
    this.chunks.length = 0;
    if (graceful && this.lingerMs > 0) {
      // Half-close after the queued bytes; destroy once Node has handed them to the kernel.
      this.stream.once('finish', () => this.release());
      this.lingerTimer = this.clock.setTimer(this.lingerMs, () => this.release(), `${this.name}.linger`);
      this.stream.end();
    } else {
      this.release();
    }
  }

  /**
   * Destroys the Node socket now (used by `close` and by the driver's `closeAll`). When the
   * driver tears down a socket its user has not closed, watchers are told once that it is no
   * longer ready, so an event loop does not keep delivering events for a dead socket.
   */
  release(): void {
    this.clearLinger();
    if (this.phase !== 'closed') this.change(() => (this.phase = 'closed'));
    this.listeners.clear();
    this.stream.destroy();
  }

  /** Whether Node still holds the handle (a socket closed gracefully may still be draining). */
  get holdsHandle(): boolean {
    return !this.isReleased;
  }

  /** Starts reading an accepted connection (its server paused it on connect). */
  startReading(): void {
    this.stream.resume();
  }

  private clearLinger(): void {
    if (this.lingerTimer === undefined) return;
    this.clock.clearTimer(this.lingerTimer);
    this.lingerTimer = undefined;
  }

  private assertOpen(op: string): void {
    if (this.phase === 'closed') throw new DetnetError('ERR_SOCKET_CLOSED', `${op} on ${this.name} after close`);
  }

  private netError(code: Errno, syscall: string): NetError {
    const where = this.remote;
    return new NetError(code, {
      syscall,
      ...(where === null ? {} : { address: where.address, port: where.port }),
    });
  }
}
