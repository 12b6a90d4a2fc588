// Reference §4 "Channel operations by state": one `describe` per row of the table (gets/read,
// puts, flush, eof, fblocked), one test per cell the scripted driver can express (close has its
// own file, channel-close.test.ts). Also the text translation the socket default implies
// (§3.2: `-translation {auto crlf}`).
import { describe, expect, it } from 'vitest';
import { Interp, type Channel } from '../../../src/socket/interp.js';
import { ScriptedDriver, tclErrorOf } from '../../helpers/scripted-driver.js';

const ENOTCONN_CODE = 'POSIX ENOTCONN {socket is not connected}';

type State = 'inflight' | 'connected' | 'failed';

/**
 * A channel to 10.0.0.1 in the given state. In flight: the server answers only after 100 ms
 * (accepting, replying `line one\nline two\n`). Connected / failed: the walk has finished
 * (through `-connecting`, a driver query), so the table's column is reached without I/O.
 */
function channelIn(state: State, blocking: boolean): { d: ScriptedDriver; interp: Interp; c: Channel } {
  const d = new ScriptedDriver().fate(
    '10.0.0.1',
    state === 'failed' ? { kind: 'refuse', afterMs: 1 } : { kind: 'accept', afterMs: state === 'inflight' ? 100 : 1, reply: 'line one\nline two\n' },
  );
  const interp = new Interp(d);
  const c = interp.socket('10.0.0.1', 80, { async: true });
  if (!blocking) c.configure({ '-blocking': '0' });
  if (state !== 'inflight') {
    interp.after(5);
    expect(c.configure('-connecting')).toBe('0');
  }
  return { d, interp, c };
}

describe('§4 gets / read', () => {
  it('InFlight, blocking: waits for the walk, then reads as Connected', () => {
    const { d, c } = channelIn('inflight', true);
    expect(c.gets()).toBe('line one');
    expect(d.clock.now()).toBe(100);
  });

  it('InFlight, blocking: waits for the walk, then fails as Failed', () => {
    const d = new ScriptedDriver().fate('10.0.0.1', { kind: 'refuse', afterMs: 100 });
    const c = new Interp(d).socket('10.0.0.1', 80, { async: true });
    expect(tclErrorOf(() => c.read()).message).toBe('error reading "sock1": socket is not connected');
    expect(d.clock.now()).toBe(100);
  });

  it('InFlight, non-blocking: returns "" (or -1 with a variable) and sets fblocked', () => {
    // §4: "returns "" (empty, or `-1` with a variable), `fblocked` 1".
    const { c } = channelIn('inflight', false);
    expect(c.gets()).toBe('');
    expect(c.fblocked()).toBe(true);
    expect(c.getsVar()).toEqual({ count: -1, line: '' });
    expect(c.read()).toBe('');
    expect(c.fblocked()).toBe(true);
  });

  for (const blocking of [true, false]) {
    it(`Connected (${blocking ? 'blocking' : 'non-blocking'}): normal I/O`, () => {
      const { c } = channelIn('connected', blocking);
      expect(c.getsVar()).toEqual({ count: 8, line: 'line one' });
      expect(c.read(4)).toBe('line');
      expect(c.gets()).toBe(' two');
    });

    it(`Failed (${blocking ? 'blocking' : 'non-blocking'}): "socket is not connected" every time, eof stays 0`, () => {
      // §4: "error `error reading "sockN": socket is not connected` (errorCode `POSIX ENOTCONN
      // {socket is not connected}`), every time; `eof` stays 0".
      const { c } = channelIn('failed', blocking);
      for (const read of [() => c.gets(), () => c.read(), () => c.getsVar(), () => c.read(3)]) {
        const err = tclErrorOf(read);
        expect(err.message).toBe('error reading "sock1": socket is not connected');
        expect(err.errorCode).toBe(ENOTCONN_CODE);
      }
      expect(c.eof()).toBe(false);
    });
  }

  it('Failed: reading -error does not clear the ENOTCONN of later reads', () => {
    // §4: "forever: this is not cleared by reading `-error`".
    const { c } = channelIn('failed', true);
    expect(c.configure('-error')).toBe('connection refused');
    expect(tclErrorOf(() => c.gets()).code).toBe('ENOTCONN');
  });

  it('Connected: a reset received while reading is a soft EOF', () => {
    // §4: "A reset received on an established connection (ECONNRESET during a read) is turned
    // into a soft EOF."
    const d = new ScriptedDriver().fate('10.0.0.1', { kind: 'accept', afterMs: 1 });
    const interp = new Interp(d);
    const c = interp.socket('10.0.0.1', 80, { async: true });
    interp.after(5);
    d.sockets[0]?.peerReset();
    expect(c.gets()).toBe('');
    expect(c.eof()).toBe(true);
  });
});

describe('§4 puts', () => {
  for (const blocking of [true, false]) {
    it(`InFlight (${blocking ? 'blocking' : 'non-blocking'}): buffers only, the driver is untouched`, () => {
      // §4: "buffers only (driver untouched unless the buffer must be flushed ...)".
      const { d, interp, c } = channelIn('inflight', blocking);
      interp.after(100); // the server has accepted; only a step would notice
      c.puts('hello');
      expect(c.pendingOutput).toBeGreaterThan(0);
      expect(d.clock.now()).toBe(100);
      expect(c.configure('-connecting')).toBe('0'); // still connecting until this query
      expect(d.sockets[0]?.sent).toBe('');
    });
  }

  it('InFlight, blocking, -buffering line: the flush walks to the end and writes', () => {
    // §4: "unless the buffer must be flushed: full buffer, -buffering line/none" + §3.4 blocking walk.
    const { d, c } = channelIn('inflight', true);
    c.configure({ '-buffering': 'line' });
    c.puts('hello');
    expect(d.sockets[0]?.sent).toBe('hello\r\n');
    expect(d.clock.now()).toBe(100);
  });

  it('InFlight, non-blocking, -buffering none: the flush goes to the background', () => {
    // §4 + §6: "Driver write answering EAGAIN ...: the "background flush scheduled" flag is set".
    const { d, interp, c } = channelIn('inflight', false);
    c.configure({ '-buffering': 'none' });
    c.puts('hello');
    expect(d.sockets[0]?.sent).toBe('');
    interp.vwait(() => d.sockets[0]?.sent !== '');
    expect(d.sockets[0]?.sent).toBe('hello\r\n');
  });

  it('Connected: buffers until flushed', () => {
    const { d, c } = channelIn('connected', true);
    c.puts('hello');
    expect(d.sockets[0]?.sent).toBe('');
    c.flush();
    expect(d.sockets[0]?.sent).toBe('hello\r\n');
  });

  it('Failed: buffers without an error when nothing must be flushed', () => {
    // §4: "buffers; raises only if an unreported background-flush error is pending ... or the
    // buffer must be flushed".
    const { c } = channelIn('failed', true);
    c.puts('hello');
    expect(c.pendingOutput).toBeGreaterThan(0);
  });

  it('Failed: raises "error writing" when the buffer must be flushed', () => {
    const { c } = channelIn('failed', false);
    c.configure({ '-buffering': 'none' });
    const err = tclErrorOf(() => c.puts('hello'));
    expect(err.message).toBe('error writing "sock1": socket is not connected');
    expect(err.errorCode).toBe(ENOTCONN_CODE);
  });
});

describe('§4 flush', () => {
  it('InFlight, blocking: waits for the walk, then writes', () => {
    const { d, c } = channelIn('inflight', true);
    c.puts('hello');
    c.flush();
    expect(d.sockets[0]?.sent).toBe('hello\r\n');
  });

  it('InFlight, blocking: waits for the walk, then fails with "error flushing"', () => {
    const d = new ScriptedDriver().fate('10.0.0.1', { kind: 'refuse', afterMs: 100 });
    const c = new Interp(d).socket('10.0.0.1', 80, { async: true });
    c.puts('hello');
    const err = tclErrorOf(() => c.flush());
    expect(err.message).toBe('error flushing "sock1": socket is not connected');
    expect(d.clock.now()).toBe(100);
  });

  it('InFlight, non-blocking: schedules a background flush and returns ""', () => {
    const { d, c } = channelIn('inflight', false);
    c.puts('hello');
    c.flush();
    expect(c.bgFlush).toBe(true);
    expect(d.sockets[0]?.sent).toBe('');
    expect(d.clock.now()).toBe(0);
  });

  it('Connected: writes', () => {
    const { d, c } = channelIn('connected', false);
    c.puts('hello');
    c.flush();
    expect(d.sockets[0]?.sent).toBe('hello\r\n');
  });

  for (const blocking of [true, false]) {
    it(`Failed (${blocking ? 'blocking' : 'non-blocking'}): "error flushing ... socket is not connected"`, () => {
      const { c } = channelIn('failed', blocking);
      c.puts('hello');
      const err = tclErrorOf(() => c.flush());
      expect(err.message).toBe('error flushing "sock1": socket is not connected');
      expect(err.errorCode).toBe(ENOTCONN_CODE);
    });
  }
});

describe('§4 eof', () => {
  it('is 0 while in flight (blocking and non-blocking) and after a failure', () => {
    expect(channelIn('inflight', true).c.eof()).toBe(false);
    expect(channelIn('inflight', false).c.eof()).toBe(false);
    const failed = channelIn('failed', false).c;
    tclErrorOf(() => failed.gets());
    expect(failed.eof()).toBe(false);
  });

  it('Connected: becomes 1 once a read meets the peer\'s close', () => {
    const d = new ScriptedDriver().fate('10.0.0.1', { kind: 'accept', reply: 'bye\n', closeAfterReply: true });
    const c = new Interp(d).socket('10.0.0.1', 80, { async: true });
    expect(c.gets()).toBe('bye');
    expect(c.eof()).toBe(false);
    expect(c.gets()).toBe('');
    expect(c.eof()).toBe(true);
  });
});

describe('§4 fblocked', () => {
  it('InFlight, blocking: unchanged (0) after a blocking read', () => {
    const { c } = channelIn('inflight', true);
    c.gets();
    expect(c.fblocked()).toBe(false);
  });

  it('InFlight, non-blocking: 1 after an input attempt, 0 before', () => {
    const { c } = channelIn('inflight', false);
    expect(c.fblocked()).toBe(false);
    c.gets();
    expect(c.fblocked()).toBe(true);
  });

  it('Connected: 1 when a non-blocking read lacks data, 0 when it got a line', () => {
    const d = new ScriptedDriver().fate('10.0.0.1', { kind: 'accept', afterMs: 1, reply: 'x\n', replyAfterMs: 10 });
    const interp = new Interp(d);
    const c = interp.socket('10.0.0.1', 80, { async: true });
    c.configure({ '-blocking': '0' });
    interp.after(5);
    expect(c.gets()).toBe('');
    expect(c.fblocked()).toBe(true);
    interp.after(10);
    expect(c.gets()).toBe('x');
    expect(c.fblocked()).toBe(false);
  });

  it('Failed: 0, even after a non-blocking input attempt', () => {
    const { c } = channelIn('failed', false);
    tclErrorOf(() => c.gets());
    expect(c.fblocked()).toBe(false);
  });
});

describe('§3.2 text: the socket default -translation {auto crlf}', () => {
  it('sends "\\r\\n" for each line written with puts', () => {
    const { d, c } = channelIn('connected', true);
    c.puts('a');
    c.puts('b', { nonewline: true });
    c.puts('');
    c.flush();
    expect(d.sockets[0]?.sent).toBe('a\r\nb\r\n');
  });

  it('reads "\\r\\n", "\\r" and "\\n" as one line end each, also when "\\r\\n" is split across reads', () => {
    const { d, c } = channelIn('connected', true);
    c.gets(); // drop the server's greeting
    c.gets();
    const s = d.sockets[0];
    s?.deliver('one\r\ntwo\r');
    s?.deliver('\nthree\rfour\n');
    expect([c.gets(), c.gets(), c.gets(), c.gets()]).toEqual(['one', 'two', 'three', 'four']);
  });

  it('keeps a lone "\\r" in -translation crlf input, and joins a "\\r" + "\\n" split across reads', () => {
    const { d, c } = channelIn('connected', true);
    c.gets();
    c.gets();
    c.configure({ '-translation': 'crlf' });
    const s = d.sockets[0];
    s?.deliver('a\rb\r');
    s?.deliver('\nc\r\n');
    expect(c.gets()).toBe('a\rb');
    expect(c.gets()).toBe('c');
  });
});
