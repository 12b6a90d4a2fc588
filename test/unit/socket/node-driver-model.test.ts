// The Node driver's socket and resolver logic against simple models, with no real network:
// `NodeSocket` over a fake Node stream that emits events in the orders Node can emit them,
// and the resolver over injected lookups. The properties are what a channel relies on:
// readiness always matches Linux's table, every change is notified, no received byte is lost
// or repeated, and an error is reported once.
import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/clock/virtual-clock.js';
import { READABLE, WRITABLE } from '../../../src/loop/notifier.js';
import { canonicalAddress } from '../../../src/net/address.js';
import { NetError, type Errno } from '../../../src/net/net-error.js';
import type { HostAddr } from '../../../src/socket/driver.js';
import { errnoFromNode } from '../../../src/socket/node-errors.js';
import { ipv4First, resolveRemote } from '../../../src/socket/node-resolve.js';
import { NodeSocket, type NodeStreamLike } from '../../../src/socket/node-socket.js';
import { propertyParams } from '../../helpers/property.js';

const FILE = 'test/unit/socket/node-driver-model.test.ts';
const LINGER_MS = 1000;

/** A stand-in for `net.Socket` that only emits events in orders Node can produce. */
class FakeStream implements NodeStreamLike {
  private readonly events = new EventEmitter();
  localAddress: string | undefined = '127.0.0.1';
  localPort: number | undefined = 40000;
  remoteAddress: string | undefined;
  remotePort: number | undefined;
  writableNeedDrain = false;
  writableLength = 0;
  /** When set, the next write pushes Node's buffer over its high-water mark. */
  congested = false;
  readonly written: number[] = [];
  state: 'connecting' | 'open' | 'gone' = 'connecting';
  readEnded = false;
  ended = false;
  destroyed = false;

  on(event: string, listener: (...args: never[]) => void): this {
    this.events.on(event, listener as unknown as (...args: unknown[]) => void);
    return this;
  }
  once(event: string, listener: (...args: never[]) => void): this {
    this.events.once(event, listener as unknown as (...args: unknown[]) => void);
    return this;
  }
  private emit(event: string, ...args: unknown[]): void {
    this.events.emit(event, ...args);
  }
  write(data: Uint8Array): boolean {
    this.written.push(...data);
    this.writableLength += data.length;
    if (this.congested) this.writableNeedDrain = true;
    return !this.writableNeedDrain;
  }
  end(): void {
    this.ended = true;
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.state = 'gone';
    this.emit('close');
  }
  resume(): void {}

  // Node-side happenings; each is a no-op when Node could not produce it in this state.
  connect(): void {
    if (this.state !== 'connecting') return;
    this.state = 'open';
    this.remoteAddress = '127.0.0.1';
    this.remotePort = 8080;
    this.emit('connect');
  }
  data(bytes: Uint8Array): void {
    if (this.state === 'open' && !this.readEnded) this.emit('data', bytes);
  }
  fin(): void {
    if (this.state !== 'open' || this.readEnded) return;
    this.readEnded = true;
    this.emit('end');
  }
  fail(code: string): void {
    if (this.state === 'gone') return;
    this.emit('error', Object.assign(new Error(code), { code }));
    this.destroy();
  }
  drain(): void {
    if (this.state !== 'open' || !this.writableNeedDrain) return;
    this.writableNeedDrain = false;
    this.writableLength = 0;
    this.emit('drain');
  }
  flushed(): void {
    // Node handed every queued byte to the kernel: after end(), that is 'finish'.
    this.writableLength = 0;
    if (this.ended && this.state === 'open') this.emit('finish');
  }
}

const NODE_CODES = ['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETDOWN', 'EADDRINUSE', 'ECONNRESET', 'EPIPE', 'EWEIRD'] as const;
/** What each Node code must become (written out, not computed by the code under test). */
const EXPECTED_ERRNO: Record<(typeof NODE_CODES)[number], Errno> = {
  ECONNREFUSED: 'ECONNREFUSED',
  ETIMEDOUT: 'ETIMEDOUT',
  EHOSTUNREACH: 'EHOSTUNREACH',
  ENETDOWN: 'ENETUNREACH',
  EADDRINUSE: 'EADDRINUSE',
  ECONNRESET: 'ECONNRESET',
  EPIPE: 'EPIPE',
  EWEIRD: 'ECONNABORTED',
};

type Command =
  | { readonly op: 'connect' }
  | { readonly op: 'data'; readonly bytes: Uint8Array }
  | { readonly op: 'fin' }
  | { readonly op: 'fail'; readonly code: (typeof NODE_CODES)[number] }
  | { readonly op: 'congest' }
  | { readonly op: 'drain' }
  | { readonly op: 'read'; readonly max: number }
  | { readonly op: 'write'; readonly size: number }
  | { readonly op: 'takeError' }
  | { readonly op: 'close' };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: fc.constant({ op: 'connect' } as const), weight: 3 },
  { arbitrary: fc.uint8Array({ minLength: 1, maxLength: 12 }).map((bytes) => ({ op: 'data', bytes }) as const), weight: 4 },
  { arbitrary: fc.constant({ op: 'fin' } as const), weight: 1 },
  { arbitrary: fc.constantFrom(...NODE_CODES).map((code) => ({ op: 'fail', code }) as const), weight: 1 },
  { arbitrary: fc.constant({ op: 'congest' } as const), weight: 1 },
  { arbitrary: fc.constant({ op: 'drain' } as const), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 16 }).map((max) => ({ op: 'read', max }) as const), weight: 4 },
  { arbitrary: fc.integer({ min: 0, max: 8 }).map((size) => ({ op: 'write', size }) as const), weight: 2 },
  { arbitrary: fc.constant({ op: 'takeError' } as const), weight: 2 },
  { arbitrary: fc.constant({ op: 'close' } as const), weight: 1 },
);

/** The reference model: Linux as Tcl sees it (reference §3.5), in the plainest terms. */
class Model {
  phase: 'connecting' | 'connected' | 'failed' | 'closed' = 'connecting';
  unread: number[] = [];
  fin = false;
  broken = false;
  pending: Errno | null = null;
  full = false;

  readiness(): number {
    if (this.phase === 'connecting' || this.phase === 'closed') return 0;
    if (this.phase === 'failed') return READABLE | WRITABLE;
    const readable = this.unread.length > 0 || this.fin || this.broken || this.pending !== null;
    return (readable ? READABLE : 0) | (this.broken || !this.full ? WRITABLE : 0);
  }
}

function errorCode(fn: () => unknown): string | 'none' {
  try {
    fn();
    return 'none';
  } catch (err) {
    if (err instanceof NetError) return err.code;
    return (err as { code?: string }).code ?? 'unknown';
  }
}

describe('NodeSocket against the Linux readiness model', () => {
  it('keeps readiness, notifications, bytes and errors exactly as the model says, for any event order', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 40 }), (commands) => {
        const clock = new VirtualClock();
        const stream = new FakeStream();
        const socket = new NodeSocket(stream, { name: 'node:c1', start: 'connecting', clock, lingerMs: LINGER_MS });
        const model = new Model();
        let seen = socket.readiness();
        let notificationsAfterClose = 0;
        socket.onReadinessChange(() => {
          if (model.phase === 'closed') notificationsAfterClose++;
          seen = socket.readiness();
        });
        const delivered: number[] = [];
        const readBack: number[] = [];

        for (const c of commands) {
          switch (c.op) {
            case 'connect':
              if (stream.state === 'connecting' && model.phase === 'connecting') model.phase = 'connected';
              stream.connect();
              break;
            case 'data':
              if (stream.state === 'open' && !stream.readEnded && model.phase === 'connected') {
                model.unread.push(...c.bytes);
                delivered.push(...c.bytes);
              }
              stream.data(c.bytes);
              break;
            case 'fin':
              if (stream.state === 'open' && !stream.readEnded && model.phase === 'connected') model.fin = true;
              stream.fin();
              break;
            case 'fail': {
              const errno = EXPECTED_ERRNO[c.code];
              if (stream.state !== 'gone') {
                if (model.phase === 'connecting') {
                  model.phase = 'failed';
                  model.pending = errno;
                } else if (model.phase === 'connected' && !model.broken) {
                  model.broken = true;
                  model.pending = errno;
                }
              }
              stream.fail(c.code);
              break;
            }
            case 'congest':
              stream.congested = true;
              break;
            case 'drain':
              stream.congested = false;
              if (stream.state === 'open' && stream.writableNeedDrain) model.full = false;
              stream.drain();
              break;
            case 'read': {
              const expected =
                model.phase === 'closed'
                  ? 'ERR_SOCKET_CLOSED'
                  : model.phase !== 'connected'
                    ? 'ENOTCONN'
                    : model.unread.length === 0 && model.pending !== null && model.pending !== 'EPIPE'
                      ? model.pending
                      : 'none';
              let got: Uint8Array | 'eagain' | 'eof' | undefined;
              expect(errorCode(() => (got = socket.read(c.max)))).toBe(expected);
              if (expected !== 'none') {
                if (expected === model.pending) model.pending = null; // recv consumed SO_ERROR
                break;
              }
              if (model.unread.length > 0) {
                const want = model.unread.splice(0, c.max);
                expect(got).toBeInstanceOf(Uint8Array);
                readBack.push(...(got as Uint8Array));
                expect([...(got as Uint8Array)]).toEqual(want);
              } else {
                expect(got).toBe(model.fin || model.broken ? 'eof' : 'eagain');
              }
              break;
            }
            case 'write': {
              const expected =
                model.phase === 'closed'
                  ? 'ERR_SOCKET_CLOSED'
                  : model.phase !== 'connected'
                    ? 'ENOTCONN'
                    : model.broken
                      ? 'EPIPE'
                      : 'none';
              let accepted = -1;
              expect(errorCode(() => (accepted = socket.write(new Uint8Array(c.size).fill(7))))).toBe(expected);
              if (expected !== 'none') break;
              expect(accepted).toBe(model.full || c.size === 0 ? 0 : c.size);
              if (!model.full && c.size > 0 && stream.congested) model.full = true;
              break;
            }
            case 'takeError':
              expect(socket.takeError()).toBe(model.pending);
              model.pending = null;
              break;
            case 'close': {
              const wasOpen = model.phase !== 'closed';
              const lingers = model.phase === 'connected' && !model.broken && stream.writableLength > 0;
              model.phase = 'closed';
              socket.close();
              if (wasOpen && lingers) {
                expect(stream.ended).toBe(true);
                expect(clock.pendingCount).toBe(1);
              }
              break;
            }
          }
          // After every step: the model's readiness, and a subscriber never left with a stale view.
          expect(socket.readiness()).toBe(model.readiness());
          if (model.phase !== 'closed') expect(seen).toBe(socket.readiness());
        }

        // No byte received was lost, repeated or reordered: what was read is a prefix of what
        // arrived, and what is still unread is exactly the rest.
        expect(readBack).toEqual(delivered.slice(0, readBack.length));
        if (model.phase !== 'closed') expect(readBack.length + model.unread.length).toBe(delivered.length);
        expect(notificationsAfterClose).toBe(0);
        // A closed socket lets go of Node's handle, at the latest when the linger time is over.
        if (model.phase === 'closed') {
          clock.advance(LINGER_MS);
          expect(stream.destroyed).toBe(true);
          expect(clock.pendingCount).toBe(0);
        }
      }),
      propertyParams('NodeSocket matches the Linux readiness model', FILE),
    );
  });

  it('destroys a lingering socket as soon as Node has flushed its queue, without waiting for the timer', () => {
    const clock = new VirtualClock();
    const stream = new FakeStream();
    const socket = new NodeSocket(stream, { name: 'node:c1', start: 'connecting', clock, lingerMs: LINGER_MS });
    stream.connect();
    stream.congested = true;
    expect(socket.write(new Uint8Array([1, 2, 3]))).toBe(3);
    socket.close();
    expect(stream.ended).toBe(true);
    expect(stream.destroyed).toBe(false);
    stream.flushed();
    expect(stream.destroyed).toBe(true);
    expect(clock.pendingCount).toBe(0);
    expect(stream.written).toEqual([1, 2, 3]);
  });
});

describe('error mapping', () => {
  it('maps each Node code to the POSIX code Tcl reports', () => {
    for (const code of NODE_CODES) {
      expect(errnoFromNode(Object.assign(new Error(code), { code }), 'ECONNABORTED')).toBe(EXPECTED_ERRNO[code]);
    }
    expect(errnoFromNode('not an error', 'EADDRNOTAVAIL')).toBe('EADDRNOTAVAIL');
  });
});

describe('resolution over an injected lookup', () => {
  const addressArb = fc.oneof(
    fc.ipV4().map((address): HostAddr => ({ family: 'inet', address })),
    fc.ipV6().map((address): HostAddr => ({ family: 'inet6', address })),
  );

  it('answers a name with exactly the lookup’s addresses, in the lookup’s order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(addressArb, { minLength: 1, maxLength: 8 }), async (answer) => {
        const got = await resolveRemote(() => Promise.resolve(answer), 'multi.example');
        expect(got).toEqual(answer.map((a) => ({ family: a.family, address: canonicalAddress(a.address) })));
      }),
      propertyParams('injected lookup order is kept', FILE),
    );
  });

  it('re-sorts only the passive list: IPv4 first, each family in lookup order', () => {
    fc.assert(
      fc.property(fc.array(addressArb, { maxLength: 10 }), (list) => {
        const sorted = ipv4First(list);
        const firstV6 = sorted.findIndex((a) => a.family === 'inet6');
        if (firstV6 >= 0) expect(sorted.slice(firstV6).every((a) => a.family === 'inet6')).toBe(true);
        expect(sorted.filter((a) => a.family === 'inet')).toEqual(list.filter((a) => a.family === 'inet'));
        expect(sorted.filter((a) => a.family === 'inet6')).toEqual(list.filter((a) => a.family === 'inet6'));
      }),
      propertyParams('passive list is IPv4 first and otherwise stable', FILE),
    );
  });

  it('never asks the lookup about an IP literal', async () => {
    let asked = 0;
    const lookup = (): Promise<readonly HostAddr[]> => {
      asked++;
      return Promise.resolve([]);
    };
    expect(await resolveRemote(lookup, '127.0.0.1')).toEqual([{ family: 'inet', address: '127.0.0.1' }]);
    expect(await resolveRemote(lookup, '::FFFF:7f00:1')).toEqual([{ family: 'inet6', address: '::ffff:127.0.0.1' }]);
    expect(asked).toBe(0);
  });

  it('treats an empty answer as not found and a malformed one as misuse', async () => {
    await expect(resolveRemote(() => Promise.resolve([]), 'empty.example')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(
      resolveRemote(() => Promise.resolve([{ family: 'inet', address: '::1' }]), 'bad.example'),
    ).rejects.toMatchObject({ code: 'ERR_BAD_LOOKUP_ANSWER' });
  });
});
