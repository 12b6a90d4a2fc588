/**
 * The two halves of one direction of an established connection: the sender's `SendStream`
 * (queue, sequencing, flow control, FIN, retransmission of lost segments) and the receiver's
 * `ReceiveStream` (reassembly, the read buffer, EOF). Each socket owns one of each; the halves
 * of a direction live on different hosts and meet only through packets and acknowledgements.
 *
 * Each `write` becomes one segment, split only where the receive window ends, so delivery is
 * in order and exactly once however the network delays, holds or drops segments.
 *
 * Bounds (see tcp-params.ts): the send buffer holds written bytes until they are acknowledged
 * (`sendBufferBytes`); the window is `recvBufferBytes` minus everything sent and not yet read
 * by the receiver, as its last acknowledgement reported. A full send buffer makes `write`
 * accept fewer bytes (0 = would block).
 *
 * Departs from reality: acknowledgement is instantaneous — the receiver reports every accepted
 * segment and the FIN at once through the network's acknowledgement channel, and a sender
 * whose window looks too small asks the receiver at once how far it has read (a probe, which
 * the receiver answers, and answers again at its next read if there was no room) — no ACK or
 * window-update packets, see packet.ts. A socket whose readiness nobody watches marks its
 * segments for lazy acknowledgement and asks for the count only when its free space matters
 * (`space`); a watcher added later asks the receiver to acknowledge at once again. The effect
 * is that of one stream object shared by both ends, without sharing one — except that an
 * unwatched sender whose peer has already vanished (its RST still on the wire) may see less
 * free space than was acknowledged before the peer went. A segment is retransmitted only when the
 * network reports it lost (dropped), after the data RTO, which doubles per try; a held segment
 * is never retransmitted. No Nagle, no congestion control, no MSS splitting.
 */
import type { Clock, TimerId } from '../clock/clock.js';
import type { AckKind } from './packet.js';
import type { TcpParams } from './tcp-params.js';

/** What a send stream needs from the socket that sends on it. */
export interface StreamSender {
  /** The clock retransmissions are timed on (the socket's host's). */
  readonly clock: Clock;
  /** Puts a data segment (`bytes`) or the FIN (`bytes` null, `seq` = stream length) on the network. */
  transmitSegment(seq: number, bytes: Uint8Array | null): void;
  /** Send-buffer space or the stream's state changed (writability may have changed). */
  streamChanged(): void;
  /** A segment was lost more than `dataRetries` times: the connection times out. */
  streamTimedOut(): void;
  /**
   * Asks the receiver, at once, how far it has read (a window probe). Its answer (a `read`
   * acknowledgement) arrives before this returns, and it will acknowledge its next read.
   */
  probeWindow(): void;
  /** Asks the receiver, at once, how much it has accepted (answered with `space` before this returns). */
  pullAcks(): void;
}

/** What a receive stream needs from the socket that receives on it: a way to acknowledge. */
export interface StreamReceiver {
  /** Reports to the sender: `received` bytes accepted so far (in any order), `read` consumed. */
  acknowledge(kind: AckKind, received: number, read: number): void;
}

const EMPTY = new Uint8Array(0);
// State bits of the stream halves.
const PROBING = 1;
const FIN_QUEUED = 2;
const FIN_SENT = 4;
const FIN_ACKED = 8;
const ABORTED = 16;
const FIN_RECEIVED = 32;
const PEER_WAITING = 64;
const PEER_WATCHED = 128;
/** The key of the FIN in the retransmission-try table (data segments use their offset). */
const FIN_KEY = -1;

/** The next chunk after a queue's head slot, taken from its overflow list (null if none). */
function shiftRest(rest: Uint8Array[] | null): Uint8Array | null {
  return rest === null || rest.length === 0 ? null : (rest.shift() as Uint8Array);
}

export class SendStream {
  /**
   * Written, not yet transmitted: the first chunk in its own slot, later ones in a list made on
   * demand. Most streams hold at most one chunk at a time, so this saves an array (two heap
   * objects) per stream, which matters with a million connections.
   */
  private unsentHead: Uint8Array | null = null;
  private unsentRest: Uint8Array[] | null = null;
  private unsentBytes = 0;
  /** Bytes transmitted so far (the next sequence number). */
  private sent = 0;
  /** Bytes the receiver has accepted (acknowledged). */
  private arrived = 0;
  /**
   * Bytes the receiver has read, as last acknowledged (the left edge of the window). It may be
   * behind: when it would limit a segment, `pump` probes for the current value first.
   */
  private peerRead = 0;
  /**
   * State bits (`PROBING`, `FIN_QUEUED`, `FIN_SENT`, `FIN_ACKED`, `ABORTED`) in one field: a
   * million connections hold a million send halves, and five booleans cost 32 bytes more each.
   */
  private bits = 0;
  private timers: Set<TimerId> | null = null;
  /** Times each lost segment was reported lost, by offset (made on the first loss). */
  private tries: Map<number, number> | null = null;

  constructor(
    private readonly sender: StreamSender,
    private readonly params: TcpParams,
  ) {}

  /** The receiver accepted the FIN in order. */
  get finAcked(): boolean {
    return (this.bits & FIN_ACKED) !== 0;
  }

  /** No more transmissions (reset, timed out, crashed, closed abortively). */
  get aborted(): boolean {
    return (this.bits & ABORTED) !== 0;
  }

  /**
   * Free send-buffer space in bytes, exact whenever it is below `atLeast`. Segments an unwatched
   * socket sent are acknowledged lazily (packet.ts), so the count of accepted bytes may be
   * behind; when that could make the answer too small, the receiver is asked first.
   */
  space(atLeast: number): number {
    const space = this.params.sendBufferBytes - (this.unsentBytes + this.sent - this.arrived);
    if (space >= atLeast || this.arrived === this.sent || this.aborted) return space;
    this.sender.pullAcks();
    return this.params.sendBufferBytes - (this.unsentBytes + this.sent - this.arrived);
  }

  /** Whether sent bytes may still be unacknowledged (a watcher added now must ask for pushes). */
  get unacked(): boolean {
    return this.arrived !== this.sent;
  }

  /** Whether a FIN has been queued (shutdown for writing). */
  get writeShutdown(): boolean {
    return (this.bits & FIN_QUEUED) !== 0;
  }

  /** Queues up to `sendSpace` bytes of `data` (copied) and transmits what the window allows. */
  write(data: Uint8Array): number {
    const n = Math.min(data.length, this.space(data.length));
    if (n <= 0 || (this.bits & (ABORTED | FIN_QUEUED)) !== 0) return 0;
    const chunk = data.slice(0, n);
    if (this.unsentHead === null) this.unsentHead = chunk;
    else (this.unsentRest ??= []).push(chunk);
    this.unsentBytes += n;
    this.pump();
    return n;
  }

  /** Queues the FIN after everything written so far. */
  shutdown(): void {
    if ((this.bits & FIN_QUEUED) !== 0) return;
    this.bits |= FIN_QUEUED;
    this.pump();
  }

  /**
   * Transmits queued bytes as far as the receive window allows, then the FIN if due. Where the
   * window as last acknowledged would cut a segment short, the receiver is probed first, so the
   * decision is always made on how far it has read now (acknowledgement is instantaneous); a
   * probe that finds no room leaves the receiver owing an acknowledgement of its next read.
   */
  private pump(): void {
    if (this.aborted) return;
    while (this.unsentHead !== null) {
      let chunk = this.unsentHead;
      let window = this.params.recvBufferBytes - (this.sent - this.peerRead);
      if (chunk.length > window) {
        this.bits |= PROBING;
        try {
          this.sender.probeWindow();
        } finally {
          this.bits &= ~PROBING;
        }
        if (this.aborted) return;
        window = this.params.recvBufferBytes - (this.sent - this.peerRead);
      }
      if (window <= 0) return;
      if (chunk.length > window) {
        this.unsentHead = chunk.subarray(window);
        chunk = chunk.subarray(0, window);
      } else {
        this.unsentHead = shiftRest(this.unsentRest);
      }
      this.unsentBytes -= chunk.length;
      const seq = this.sent;
      this.sent += chunk.length;
      this.sender.transmitSegment(seq, chunk);
    }
    if ((this.bits & (FIN_QUEUED | FIN_SENT)) === FIN_QUEUED) {
      this.bits |= FIN_SENT;
      this.sender.transmitSegment(this.sent, null);
    }
  }

  /** The receiver acknowledged (see `AckKind`). */
  acked(kind: AckKind, received: number, read: number): void {
    if (this.aborted) return;
    switch (kind) {
      case 'data':
        this.arrived = received;
        this.sender.streamChanged();
        return;
      case 'space':
        this.arrived = received;
        return;
      case 'fin':
        this.bits |= FIN_ACKED;
        this.sender.streamChanged();
        return;
      case 'read':
        this.peerRead = read;
        if (this.unsentBytes > 0 && (this.bits & PROBING) === 0) this.pump();
        return;
      case 'probe':
      case 'pull':
      case 'watch':
        return; // requests go to the receiver, never to a sender
    }
  }

  /**
   * The network lost the segment at `seq` (`bytes` null: the FIN): retransmit it after the RTO
   * (doubling per try), or time the connection out after `dataRetries` tries.
   */
  lost(seq: number, bytes: Uint8Array | null): void {
    if (this.aborted) return;
    const tries = this.tries ?? (this.tries = new Map());
    const key = bytes === null ? FIN_KEY : seq;
    const n = (tries.get(key) ?? 0) + 1;
    tries.set(key, n);
    if (n > this.params.dataRetries) {
      this.sender.streamTimedOut();
      return;
    }
    const rto = Math.min(this.params.dataRtoMs * 2 ** (n - 1), this.params.dataRtoMaxMs);
    const timers = (this.timers ??= new Set());
    const clock = this.sender.clock;
    const id = clock.setTimer(
      rto,
      () => {
        timers.delete(id);
        if (!this.aborted) this.sender.transmitSegment(seq, bytes);
      },
      'net:retransmit',
    );
    timers.add(id);
  }

  /** Stops all activity: cancels retransmissions, forgets unsent data. */
  abort(): void {
    if (this.aborted) return;
    this.bits |= ABORTED;
    this.unsentHead = null;
    this.unsentRest = null;
    this.unsentBytes = 0;
    if (this.timers !== null) for (const id of this.timers) this.sender.clock.clearTimer(id);
    this.timers = null;
  }
}

export class ReceiveStream {
  private expected = 0;
  /** Segments that arrived ahead of `expected`, by offset (null bytes: the FIN). */
  private ooo: Map<number, Uint8Array | null> | null = null;
  /** Delivered, not yet read: the first chunk in its own slot (see `SendStream`). */
  private bufHead: Uint8Array | null = null;
  private bufRest: Uint8Array[] | null = null;
  private buffered = 0;
  private readPos = 0;
  /** Bytes accepted so far, in order or not (what acknowledgements report). */
  private received = 0;
  /**
   * State bits in one field (see `SendStream.bits`): `FIN_RECEIVED` (the FIN has been reached
   * in order: EOF once the buffer is empty), `ABORTED` (no more deliveries: reset, timed out,
   * closed with data unread), `PEER_WAITING` (the sender found no room at its last probe: the
   * next read is acknowledged), `PEER_WATCHED` (the sender's readiness is watched: acknowledge
   * every segment at once, lazy or not).
   */
  private bits = 0;

  constructor(private readonly receiver: StreamReceiver) {}

  /** The FIN has been reached in order: the reader sees EOF once the buffer is empty. */
  get finReceived(): boolean {
    return (this.bits & FIN_RECEIVED) !== 0;
  }

  /** No more deliveries (reset, timed out, closed with data unread). */
  get aborted(): boolean {
    return (this.bits & ABORTED) !== 0;
  }

  /** The sender asks how much has been accepted. */
  pulled(): void {
    this.receiver.acknowledge('space', this.received, this.readPos);
  }

  /** The sender is watched from now on: push every acknowledgement, and answer with the count. */
  watched(): void {
    this.bits |= PEER_WATCHED;
    this.receiver.acknowledge('space', this.received, this.readPos);
  }

  /** The sender probes the window: answer with how far the reader has got, and remember it waits. */
  probed(): void {
    this.bits |= PEER_WAITING;
    this.receiver.acknowledge('read', this.received, this.readPos);
  }

  /** Bytes delivered in order and not yet read. */
  get readable(): number {
    return this.buffered;
  }

  /** Whether the reader has consumed everything up to the FIN. */
  get atEof(): boolean {
    return this.finReceived && this.buffered === 0;
  }

  /** Stops accepting segments; what is buffered can still be read. */
  abort(): void {
    this.bits |= ABORTED;
  }

  /**
   * A segment arrived (`bytes` null: the FIN at offset `seq`). Returns true if it made new
   * bytes or the EOF readable. Duplicates are ignored. `lazyAck`: the sender is not watched,
   * so a data segment need not be acknowledged now.
   */
  arrive(seq: number, bytes: Uint8Array | null, lazyAck: boolean): boolean {
    if (this.aborted) return false;
    if (seq < this.expected || (seq === this.expected && bytes === null && this.finReceived)) return false;
    if (bytes !== null && this.ooo?.has(seq) === true) return false;
    if (bytes !== null) {
      this.received += bytes.length;
      if (!lazyAck || (this.bits & PEER_WATCHED) !== 0) this.receiver.acknowledge('data', this.received, this.readPos);
    }
    if (seq !== this.expected) {
      (this.ooo ??= new Map()).set(seq, bytes);
      return false;
    }
    this.accept(bytes);
    if (this.ooo !== null) {
      for (let next = this.ooo.get(this.expected); next !== undefined; next = this.ooo.get(this.expected)) {
        this.ooo.delete(this.expected);
        this.accept(next);
        if (next === null) break;
      }
      if (this.ooo.size === 0) this.ooo = null;
    }
    return true;
  }

  private accept(bytes: Uint8Array | null): void {
    if (bytes === null) {
      this.bits |= FIN_RECEIVED;
      this.receiver.acknowledge('fin', this.received, this.readPos);
      return;
    }
    if (this.bufHead === null) this.bufHead = bytes;
    else (this.bufRest ??= []).push(bytes);
    this.buffered += bytes.length;
    this.expected += bytes.length;
  }

  /** Reads up to `max` in-order bytes (an empty array if none). Reading reopens the window. */
  read(max: number): Uint8Array {
    const head = this.bufHead;
    if (this.buffered === 0 || max <= 0 || head === null) return EMPTY;
    let out: Uint8Array;
    if (head.length >= max || this.bufRest === null || this.bufRest.length === 0) {
      const n = Math.min(max, head.length);
      out = n === head.length ? head : head.subarray(0, n);
      if (n === head.length) this.bufHead = shiftRest(this.bufRest);
      else this.bufHead = head.subarray(n);
    } else {
      const n = Math.min(max, this.buffered);
      out = new Uint8Array(n);
      let filled = 0;
      while (filled < n) {
        const chunk = this.bufHead as Uint8Array;
        const take = Math.min(chunk.length, n - filled);
        out.set(take === chunk.length ? chunk : chunk.subarray(0, take), filled);
        filled += take;
        if (take === chunk.length) this.bufHead = shiftRest(this.bufRest);
        else this.bufHead = chunk.subarray(take);
      }
    }
    this.buffered -= out.length;
    this.readPos += out.length;
    if ((this.bits & PEER_WAITING) !== 0) {
      this.bits &= ~PEER_WAITING;
      this.receiver.acknowledge('read', this.received, this.readPos);
    }
    return out;
  }
}
