/**
 * `ChannelInput`: a channel's input side — the decoded input buffer, the sticky end of input,
 * the `fblocked` flag, and the bodies of `gets` and `read` in blocking and non-blocking mode
 * (reference §4), including while the connect is still walking (§3.4: blocking input walks to
 * the end, non-blocking input makes one zero-timeout check and reports "no data").
 *
 * Does not: check that the channel is open or raise its unreported error (it asks the
 * channel's `beforeInput` first, inside the command so the error is traced), or run scripts.
 *
 * Departs from reality: reads at most 4096 bytes per driver call, as Tcl's default buffer.
 */
import { READABLE } from '../loop/notifier.js';
import { NetError, isErrno } from '../net/net-error.js';
import type { Op, Wait } from './blocking.js';
import type { ChannelCore } from './channel-core.js';
import type { DriverSocket } from './driver.js';
import { TclError } from './tcl-error.js';
import { InputDecoder, type Encoding, type Eol } from './text-codec.js';

const READ_CHUNK = 4096;

/** A `gets` result: `count` -1 when no complete line is available. */
export interface GetsResult {
  readonly count: number;
  readonly line: string;
}

export class ChannelInput {
  private readonly decoder = new InputDecoder('auto', 'utf-8');
  private text = '';
  private sawEof = false;
  /** Whether the last input command lacked data (`fblocked`). */
  blocked = false;

  constructor(private readonly chan: ChannelCore) {}

  /** `eof`: sticky once the end of input was read and everything before it consumed. */
  get atEof(): boolean {
    return this.sawEof && this.text === '';
  }

  /** Characters decoded and not yet consumed (read-only, for inspection snapshots). */
  get buffered(): number {
    return this.text.length;
  }

  /** Whether the end of input was read (inspection; `atEof` also needs the buffer empty). */
  get sawEnd(): boolean {
    return this.sawEof;
  }

  /** Applies `-translation` (input side) and `-encoding` to the decoder. */
  setTextOptions(eol: Eol, encoding: Encoding): void {
    this.decoder.eol = eol;
    this.decoder.encoding = encoding;
  }

  /** Body of `gets` (the channel's checks first). */
  *gets(): Op<GetsResult> {
    this.chan.beforeInput();
    this.blocked = false;
    for (;;) {
      const nl = this.text.indexOf('\n');
      if (nl >= 0) {
        const line = this.text.slice(0, nl);
        this.text = this.text.slice(nl + 1);
        return { count: line.length, line };
      }
      if (this.sawEof) {
        const line = this.text;
        this.text = '';
        return line === '' ? { count: -1, line: '' } : { count: line.length, line };
      }
      if (yield* this.fill()) continue;
      if (!this.chan.blocking) {
        this.blocked = true;
        return { count: -1, line: '' };
      }
      if (this.chan.connector.connecting) continue; // the walk waits inside fill
      yield this.readableWait();
    }
  }

  /** Body of `read ?count?` (the channel's checks first). */
  *read(count: number | undefined): Op<string> {
    this.chan.beforeInput();
    this.blocked = false;
    for (;;) {
      if (count !== undefined && this.text.length >= count) break;
      if (this.sawEof) break;
      if (yield* this.fill()) continue;
      if (!this.chan.blocking) {
        this.blocked = true;
        break;
      }
      if (this.chan.connector.connecting) continue;
      yield this.readableWait();
    }
    const n = count === undefined ? this.text.length : Math.min(count, this.text.length);
    const out = this.text.slice(0, n);
    this.text = this.text.slice(n);
    return out;
  }

  /** Reads one chunk from the driver into the buffer. Returns false if it would block. */
  private *fill(): Op<boolean> {
    const chan = this.chan;
    if (chan.settleConnect()) yield* chan.advance(`reading "${chan.name}"`, 'io');
    const connector = chan.connector;
    if (connector.connecting) return false;
    if (connector.state.kind === 'failed') throw TclError.posix(`error reading "${chan.name}": `, 'ENOTCONN');
    const socket = connector.socket as DriverSocket;
    let got: Uint8Array | 'eagain' | 'eof';
    try {
      got = socket.read(READ_CHUNK);
    } catch (err) {
      if (err instanceof NetError && err.code === 'ECONNRESET') got = 'eof'; // soft EOF (§4)
      else if (err instanceof NetError && isErrno(err.code)) throw TclError.posix(`error reading "${chan.name}": `, err.code);
      else throw err;
    }
    if (got === 'eagain') return false;
    if (got === 'eof') {
      this.text += this.decoder.decode(new Uint8Array(0), true);
      this.sawEof = true;
    } else {
      this.text += this.decoder.decode(got);
    }
    return true;
  }

  private readableWait(): Wait {
    const socket = this.chan.connector.socket as DriverSocket;
    return { what: `reading "${this.chan.name}"`, until: () => (socket.readiness() & READABLE) !== 0, sources: [socket] };
  }
}
