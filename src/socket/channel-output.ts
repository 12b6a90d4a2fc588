/**
 * `ChannelOutput`: a channel's output side — the current buffer and the queue of encoded
 * buffers, the buffering policy, foreground flush (Tcl's FlushChannel), the background flush
 * and its scheduled flag (§6), and the error a failed background flush leaves unreported.
 *
 * Owns: when bytes reach the driver. A flush while the connect walks goes to the background
 * (EAGAIN, §6) on a non-blocking channel and walks to the end on a blocking one (§3.4); a
 * failed connect fails the flush with ENOTCONN and drops the queue; a background flush is
 * driven by the channel's writable notifications and is over only when one finds nothing left.
 *
 * Does not: check that the channel is open, run scripts, or decide about close (§7 is the
 * channel's; it asks `queueCurrent`, `flush('close')` and `takeUnreported`).
 *
 * Departs from reality: the encoded queue holds whole `puts` buffers, not Tcl's fixed-size
 * channel buffers; only the byte stream is observable, which is the same.
 */
import { WRITABLE } from '../loop/notifier.js';
import { NetError, isErrno, type Errno } from '../net/net-error.js';
import type { Op } from './blocking.js';
import type { ChannelCore } from './channel-core.js';
import type { DriverSocket } from './driver.js';
import { TclError } from './tcl-error.js';
import { encodeOutput, type Encoding, type Eol } from './text-codec.js';

/** The generic options output reads (the channel's `fconfigure` state). */
export interface OutputOptions {
  readonly buffering: 'full' | 'line' | 'none';
  readonly bufferSize: number;
  readonly eolOut: Eol;
  readonly encoding: Encoding;
}

/** An error a background flush left for the next command (§6). */
export interface Unreported {
  readonly code: Errno;
  /** It came from a failed background flush (bug 97069ea11a empties close's message then). */
  readonly fromBackground: boolean;
}

export class ChannelOutput {
  private current = '';
  private queue: Uint8Array[] = [];
  /** Tcl's BG_FLUSH_SCHEDULED. */
  bgFlush = false;
  private unreported: Unreported | null = null;

  constructor(private readonly chan: ChannelCore & OutputOptions) {}

  /** Bytes and characters still buffered or queued. */
  get pending(): number {
    return this.current.length + this.queue.reduce((n, c) => n + c.length, 0);
  }

  /** Whether encoded output waits in the queue. */
  get hasQueued(): boolean {
    return this.queue.length > 0;
  }

  /** Adds `text` to the current buffer; whether the buffering policy asks for a flush now. */
  append(text: string): boolean {
    this.current += text;
    const { buffering } = this.chan;
    return (
      buffering === 'none' ||
      (buffering === 'line' && this.current.includes('\n')) ||
      (buffering === 'full' && this.current.length >= this.chan.bufferSize)
    );
  }

  /** Moves the current buffer to the output queue. */
  queueCurrent(): void {
    if (this.current === '') return;
    this.queue.push(encodeOutput(this.current, this.chan.eolOut, this.chan.encoding));
    this.current = '';
  }

  /** Raises the unreported error once (§6), with the command's prefix. */
  raiseUnreported(verb: 'reading' | 'writing' | 'flushing'): void {
    const u = this.unreported;
    if (u === null) return;
    this.unreported = null;
    throw TclError.posix(`error ${verb} "${this.chan.name}": `, u.code);
  }

  /** Takes the unreported error, if any (close reports it). */
  takeUnreported(): Unreported | null {
    const u = this.unreported;
    this.unreported = null;
    return u;
  }

  /** `-blocking 1` clears a scheduled background flush; the data waits for the next flush (§6). */
  cancelBackground(): void {
    this.bgFlush = false;
  }

  /** Flushes queued output to the driver from the foreground (Tcl's FlushChannel). */
  *flush(verb: 'writing' | 'flushing' | 'close'): Op<void> {
    this.queueCurrent();
    if (this.bgFlush || this.queue.length === 0) return;
    const chan = this.chan;
    const prefix = verb === 'close' ? '' : `error ${verb} "${chan.name}": `;
    if (chan.settleConnect()) yield* chan.advance(`flushing "${chan.name}"`, 'io');
    const connector = chan.connector;
    if (connector.connecting) {
      this.bgFlush = true; // EAGAIN while connecting: background flush (§6)
      chan.updateInterest();
      return;
    }
    if (connector.state.kind === 'failed') {
      this.queue = [];
      throw TclError.posix(prefix, 'ENOTCONN');
    }
    for (;;) {
      try {
        this.writeQueued();
      } catch (err) {
        if (!(err instanceof NetError) || !isErrno(err.code)) throw err;
        this.queue = [];
        throw TclError.posix(prefix, err.code);
      }
      if (this.queue.length === 0) return;
      if (!chan.blocking) {
        this.bgFlush = true;
        chan.updateInterest();
        return;
      }
      const socket = connector.socket as DriverSocket;
      yield { what: `flushing "${chan.name}"`, until: () => (socket.readiness() & WRITABLE) !== 0, sources: [socket] };
    }
  }

  /**
   * Writes queued output for a background flush on a writable notification. Returns false if
   * it failed (§6). The flush is finished only when a writable notification finds nothing left
   * to write (§6; FlushChannel keeps BG_FLUSH_SCHEDULED after a pass that wrote something), so
   * the notification that drains the queue is still consumed and the next one ends the flush.
   */
  background(): boolean {
    const chan = this.chan;
    if (chan.connector.connecting) return true;
    if (this.queue.length === 0) {
      this.bgFlush = false;
      chan.updateInterest();
      return true;
    }
    try {
      if (chan.connector.state.kind === 'failed') throw new NetError('ENOTCONN');
      this.writeQueued();
    } catch (err) {
      if (!(err instanceof NetError) || !isErrno(err.code)) throw err;
      this.queue = [];
      this.unreported ??= { code: err.code, fromBackground: true };
      this.bgFlush = false;
      chan.updateInterest();
      return false;
    }
    return true;
  }

  /** Writes as much of the queue as the socket takes now. Throws NetError. */
  private writeQueued(): void {
    const socket = this.chan.connector.socket;
    if (socket === null) throw new NetError('ENOTCONN');
    while (this.queue.length > 0) {
      const chunk = this.queue[0] as Uint8Array;
      const n = socket.write(chunk);
      if (n >= chunk.length) this.queue.shift();
      else {
        if (n > 0) this.queue[0] = chunk.subarray(n);
        return;
      }
    }
  }
}
