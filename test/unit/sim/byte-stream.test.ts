// Byte streams over established connections: order, FIN and half-close, RST, EPIPE, buffer
// bounds, retransmission. Each test drives raw sockets so the assertion is about the stream.
import { describe, expect, test } from 'vitest';
import { READABLE, WRITABLE } from '../../../src/loop/notifier.js';
import { blackhole, hold, lossy } from '../../../src/sim/faults.js';
import { fixed, uniform } from '../../../src/sim/latency.js';
import { dec, dualStackWorld, enc, establish, readAll } from './fixtures.js';

describe('order and latency', () => {
  test('segments overtake each other on a jittery link but are read in the order written', () => {
    const { world, client, server } = dualStackWorld({ latency: uniform(1, 50), seed: 4 });
    const { c, s } = establish(world, client, server, 'fd00::2');
    const words: string[] = [];
    for (let i = 0; i < 40; i++) {
      words.push(`w${i};`);
      world.runFor(1);
      expect(c.write(enc(`w${i};`))).toBe(`w${i};`.length);
    }
    world.runUntilIdle();
    // Reordering really happened on the wire (otherwise this test proves nothing).
    const seqs = world.trace.ofKind('net.deliver').filter((e) => e['host'] === 'server').map((e) => e['seq'] as number);
    expect(seqs).not.toEqual([...seqs].sort((a, b) => a - b));
    expect(readAll(s).text).toBe(words.join(''));
  });

  test('data takes exactly the link latency', () => {
    const { world, client, server } = dualStackWorld({ latency: fixed(25) });
    const { c, s } = establish(world, client, server, '10.0.0.2');
    const sentAt = world.clock.now();
    c.write(enc('ping'));
    world.runUntil(() => (s.readiness() & READABLE) !== 0);
    expect(world.clock.now() - sentAt).toBe(25);
  });
});

describe('FIN and half-close', () => {
  test('after shutdown the peer reads what is left, then EOF, and can still answer', () => {
    const { world, client, server } = dualStackWorld();
    const { c, s } = establish(world, client, server, '10.0.0.2');
    c.write(enc('request'));
    c.shutdown();
    expect(() => c.write(enc('more'))).toThrow(expect.objectContaining({ code: 'EPIPE' }));
    world.runUntilIdle();
    expect(readAll(s)).toEqual({ text: 'request', eof: true });
    expect(s.read(10)).toBe('eof'); // EOF stays EOF
    s.write(enc('reply'));
    s.close();
    world.runUntilIdle();
    expect(readAll(c)).toEqual({ text: 'reply', eof: true });
  });

  test('EOF makes the socket readable', () => {
    const { world, client, server } = dualStackWorld();
    const { c, s } = establish(world, client, server, '10.0.0.2');
    expect(c.readiness() & READABLE).toBe(0);
    s.close();
    world.runUntilIdle();
    expect(c.readiness() & READABLE).toBe(READABLE);
    expect(c.read(10)).toBe('eof');
  });
});

describe('RST', () => {
  test('a reset gives ECONNRESET once on read, then EOF; writes then fail with EPIPE', () => {
    const { world, client, server } = dualStackWorld();
    const { c, s } = establish(world, client, server, '10.0.0.2');
    s.abortiveClose();
    world.runUntilIdle();
    expect(c.readiness()).toBe(READABLE | WRITABLE);
    expect(() => c.read(10)).toThrow(expect.objectContaining({ code: 'ECONNRESET', message: 'connection reset by peer' }));
    expect(c.read(10)).toBe('eof');
    expect(() => c.write(enc('x'))).toThrow(expect.objectContaining({ code: 'EPIPE', message: 'broken pipe' }));
  });

  test('data already received is still readable after a reset, before the error', () => {
    const { world, client, server } = dualStackWorld();
    const { c, s } = establish(world, client, server, '10.0.0.2');
    s.write(enc('last words'));
    world.runUntilIdle();
    world.resetConnection(s);
    world.runUntilIdle();
    expect(dec(c.read(100) as Uint8Array)).toBe('last words');
    expect(() => c.read(100)).toThrow(expect.objectContaining({ code: 'ECONNRESET' }));
  });

  test('writing to a peer that closed provokes an RST that shows up as EPIPE (CLOSE_WAIT)', () => {
    // Oracle `established-peer-closed-write`: after the peer closed, a write provokes a reset
    // and SO_ERROR (Tcl's -error) says "broken pipe" once.
    const { world, client, server } = dualStackWorld();
    const { c, s } = establish(world, client, server, '10.0.0.2');
    s.close();
    world.runUntilIdle();
    expect(c.write(enc('anyone?'))).toBe(7);
    world.runUntilIdle();
    expect(c.state).toBe('reset');
    expect(c.takeError()).toBe('EPIPE');
    expect(c.takeError()).toBeNull();
    expect(() => c.write(enc('x'))).toThrow(expect.objectContaining({ code: 'EPIPE' }));
  });
});

describe('buffers', () => {
  test('a full send buffer accepts nothing and clears WRITABLE until the reader makes room', () => {
    const { world, client, server } = dualStackWorld({ tcp: { sendBufferBytes: 100, recvBufferBytes: 60 } });
    const { c, s } = establish(world, client, server, '10.0.0.2');
    const big = new Uint8Array(250).fill(65);
    expect(c.write(big)).toBe(100);
    expect(c.readiness() & WRITABLE).toBe(0);
    world.runUntilIdle();
    // 60 bytes fit the receiver's window and arrived (freeing send space); 40 wait unsent.
    expect(c.readiness() & WRITABLE).toBe(WRITABLE);
    expect(c.write(big)).toBe(60);
    expect(c.write(big)).toBe(0);
    let total = 0;
    for (let i = 0; i < 20 && total < 160; i++) {
      world.runUntilIdle();
      const r = s.read(1000);
      if (r instanceof Uint8Array) total += r.length;
    }
    expect(total).toBe(160);
  });
});

describe('loss and holding', () => {
  test('lost segments are retransmitted and still read exactly once, in order', () => {
    const { world, client, server } = dualStackWorld();
    const { c, s } = establish(world, client, server, '10.0.0.2');
    world.faults.install(lossy(0.5, world.rng.fork('loss'), { kinds: ['data', 'fin'] }));
    let expected = '';
    for (let i = 0; i < 30; i++) {
      expected += `${i},`;
      c.write(enc(`${i},`));
    }
    c.shutdown();
    world.runUntilIdle();
    expect(world.trace.ofKind('net.drop').length).toBeGreaterThan(5);
    expect(readAll(s)).toEqual({ text: expected, eof: true });
  });

  test('held segments are delivered in order on release', () => {
    const { world, client, server } = dualStackWorld();
    const { c, s } = establish(world, client, server, '10.0.0.2');
    const h = hold(world, { from: 'client', kinds: ['data'] });
    c.write(enc('one '));
    c.write(enc('two'));
    world.runFor(1000);
    expect(s.read(100)).toBe('eagain');
    expect(h.count).toBe(2);
    h.release();
    world.runUntilIdle();
    expect(readAll(s).text).toBe('one two');
    expect(world.faults.size).toBe(0);
  });

  test('a segment lost more than dataRetries times times the connection out', () => {
    const { world, client, server } = dualStackWorld({ tcp: { dataRetries: 3, dataRtoMs: 100 } });
    const { c } = establish(world, client, server, '10.0.0.2');
    world.faults.install(blackhole('10.0.0.2'));
    const start = world.clock.now();
    c.write(enc('into the void'));
    world.runUntilIdle();
    expect(c.state).toBe('reset');
    expect(c.takeError()).toBe('ETIMEDOUT');
    // Retransmissions after 100, 200 and 400 ms; the fourth loss gives up.
    expect(world.clock.now() - start).toBe(700);
  });
});
