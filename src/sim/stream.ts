/**
 * One direction of an established connection: a byte stream with sequencing, reassembly, flow
 * control, FIN and retransmission of lost segments.
 *
 * Owns: the sender's queue (written but not yet transmitted), what is in flight, the
 * receiver's buffer and reassembly of out-of-order segments, and the end of the stream (FIN).
 * Each `write` becomes one segment, split only where the receive window ends, so delivery is
 * in order and exactly once however the network delays, holds or drops segments.
 *
 * Bounds (see tcp-params.ts): the send buffer holds written bytes until they arrive at the
 * receiver (`sendBufferBytes`); the receive window is `recvBufferBytes` minus everything sent
 * and not yet read. A full send buffer makes `write` accept fewer bytes (0 = would block).
 *
 * Departs from reality: acknowledgement is instantaneous — a segment frees send-buffer space
 * the moment it arrives, and a read reopens the window at once (no ACK or window-update
 * packets). A segment is retransmitted only when the network reports it lost (dropped), after
 * the data RTO, which doubles per try; a held segment is never retransmitted. No Nagle, no
 * congestion control, no MSS splitting.
 */
import type { Clock, TimerId } from '../clock/clock.js';
import type { TcpParams } from './tcp-params.js';

/** A data segment (`bytes`) or the FIN (`bytes` null) of a stream. */
export interface Segment {
  readonly stream: ByteStream;
  /** Byte offset of the first byte (of the FIN: the total length of the stream). */
  readonly seq: number;
  readonly bytes: Uint8Array | null;
  /** Times it has been reported lost. */
  tries: number;
}

/** What a stream needs from the socket that sends on it. */
export interface StreamSender {
  /** Puts a segment on the network. */
  transmitSegment(segment: Segment): void;
  /** Send-buffer space or the stream's state changed (writability may have changed). */
  streamChanged(): void;
  /** A segment was lost more than `dataRetries` times: the connection times out. */
  streamTimedOut(): void;
}

const EMPTY = new Uint8Array(0);

/** The next chunk after a queue's head slot, taken from its overflow list (null if none). */
function shiftRest(rest: Uint8Array[] | null): Uint8Array | null {
  return rest === null || rest.length === 0 ? null : (rest.shift() as Uint8Array);
}

export class ByteStream {
  // ---- sender side ----
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
  /** Bytes that have arrived at the receiver (implicitly acknowledged). */
  private arrived = 0;
  private finQueued = false;
  private finSent = false;
  private timers: Set<TimerId> | null = null;
  // ---- receiver side ----
  private expected = 0;
  private ooo: Map<number, Segment> | null = null;
  /** Delivered, not yet read: same head-slot layout as the unsent queue. */
  private bufHead: Uint8Array | null = null;
  private bufRest: Uint8Array[] | null = null;
  private buffered = 0;
  private readPos = 0;
  /** The FIN has been reached in order: the reader sees EOF once the buffer is empty. */
  finReceived = false;
  /** No more transmissions or deliveries (reset, timed out, crashed). */
  aborted = false;

  constructor(
    private readonly sender: StreamSender,
    private readonly clock: Clock,
    private readonly params: TcpParams,
  ) {}

  // ---- sender API ----

  /** Free send-buffer space in bytes. */
  get sendSpace(): number {
    return this.params.sendBufferBytes - (this.unsentBytes + this.sent - this.arrived);
  }

  /** Whether a FIN has been queued (shutdown for writing). */
  get writeShutdown(): boolean {
    return this.finQueued;
  }

  /** Queues up to `sendSpace` bytes of `data` (copied) and transmits what the window allows. */
  write(data: Uint8Array): number {
    const n = Math.min(data.length, this.sendSpace);
    if (n <= 0 || this.aborted || this.finQueued) return 0;
    const chunk = data.slice(0, n);
    if (this.unsentHead === null) this.unsentHead = chunk;
    else (this.unsentRest ??= []).push(chunk);
    this.unsentBytes += n;
    this.pump();
    return n;
  }

  /** Queues the FIN after everything written so far. */
  shutdown(): void {
    if (this.finQueued) return;
    this.finQueued = true;
    this.pump();
  }

  /** Transmits queued bytes as far as the receive window allows, then the FIN if due. */
  private pump(): void {
    if (this.aborted) return;
    while (this.unsentHead !== null) {
      const window = this.params.recvBufferBytes - (this.sent - this.readPos);
      if (window <= 0) return;
      let chunk = this.unsentHead;
      if (chunk.length > window) {
        this.unsentHead = chunk.subarray(window);
        chunk = chunk.subarray(0, window);
      } else {
        this.unsentHead = shiftRest(this.unsentRest);
      }
      this.unsentBytes -= chunk.length;
      const seg: Segment = { stream: this, seq: this.sent, bytes: chunk, tries: 0 };
      this.sent += chunk.length;
      this.sender.transmitSegment(seg);
    }
    if (this.finQueued && !this.finSent) {
      this.finSent = true;
      this.sender.transmitSegment({ stream: this, seq: this.sent, bytes: null, tries: 0 });
    }
  }

  /**
   * The network lost `segment`: retransmit it after the RTO (doubling per try), or time the
   * connection out after `dataRetries` tries.
   */
  lost(segment: Segment): void {
    if (this.aborted) return;
    segment.tries++;
    if (segment.tries > this.params.dataRetries) {
      this.sender.streamTimedOut();
      return;
    }
    const rto = Math.min(this.params.dataRtoMs * 2 ** (segment.tries - 1), this.params.dataRtoMaxMs);
    const timers = (this.timers ??= new Set());
    const id = this.clock.setTimer(
      rto,
      () => {
        timers.delete(id);
        if (!this.aborted) this.sender.transmitSegment(segment);
      },
      'net:retransmit',
    );
    timers.add(id);
  }

  /** Stops all activity: cancels retransmissions, forgets unsent data. */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.unsentHead = null;
    this.unsentRest = null;
    this.unsentBytes = 0;
    if (this.timers !== null) for (const id of this.timers) this.clock.clearTimer(id);
    this.timers = null;
  }

  // ---- receiver API ----

  /** Bytes delivered in order and not yet read. */
  get readable(): number {
    return this.buffered;
  }

  /**
   * A segment arrived at the receiver. Returns true if it made new bytes or the EOF readable.
   * Duplicates are ignored.
   */
  arrive(seg: Segment): boolean {
    if (this.aborted) return false;
    if (seg.seq < this.expected || (seg.seq === this.expected && seg.bytes === null && this.finReceived)) return false;
    if (this.ooo?.has(seg.seq) === true && seg.bytes !== null) return false;
    if (seg.bytes !== null) {
      this.arrived += seg.bytes.length;
      this.sender.streamChanged();
    }
    if (seg.seq !== this.expected) {
      (this.ooo ??= new Map()).set(seg.seq, seg);
      return false;
    }
    this.accept(seg);
    if (this.ooo !== null) {
      for (let next = this.ooo.get(this.expected); next !== undefined; next = this.ooo.get(this.expected)) {
        this.ooo.delete(this.expected);
        this.accept(next);
        if (next.bytes === null) break;
      }
      if (this.ooo.size === 0) this.ooo = null;
    }
    return true;
  }

  private accept(seg: Segment): void {
    if (seg.bytes === null) {
      this.finReceived = true;
      if (this.finQueued) this.sender.streamChanged();
      return;
    }
    if (this.bufHead === null) this.bufHead = seg.bytes;
    else (this.bufRest ??= []).push(seg.bytes);
    this.buffered += seg.bytes.length;
    this.expected += seg.bytes.length;
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
    if (this.unsentBytes > 0) this.pump();
    return out;
  }

  /** Whether the reader has consumed everything up to the FIN. */
  get atEof(): boolean {
    return this.finReceived && this.buffered === 0;
  }
}
