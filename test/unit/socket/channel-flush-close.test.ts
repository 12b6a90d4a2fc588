// Reference §6 "Background flush" and §7 "Close semantics" on the scripted driver: every row of
// §7's "Observed combinations" table the driver can express, named after its oracle, and the
// deferred close that keeps the socket until the background flush ends.
import { describe, expect, it } from 'vitest';
import { Interp, type Channel } from '../../../src/socket/interp.js';
import { CountingScript, ScriptedDriver, events, observations, tclErrorOf } from '../../helpers/scripted-driver.js';

/** localhost = ::1 (refused after 1 ms), then 127.0.0.1 accepting or refusing after 1 ms. */
function dual(second: 'accept' | 'refuse'): ScriptedDriver {
  return new ScriptedDriver()
    .dns('localhost', ['::1', '127.0.0.1'])
    .fate('::1', { kind: 'refuse', afterMs: 1 })
    .fate('127.0.0.1', { kind: second, afterMs: 1 });
}

/** A non-blocking channel with `ok` written and flushed while the walk is still at `::1`. */
function backgroundFlushed(second: 'accept' | 'refuse'): { d: ScriptedDriver; interp: Interp; c: Channel } {
  const d = dual(second);
  const interp = new Interp(d);
  const c = interp.socket('localhost', 80, { async: true });
  c.configure({ '-blocking': '0' });
  c.puts('ok');
  c.flush();
  return { d, interp, c };
}

/** A writable handler that removes itself. */
function once(c: Channel): CountingScript {
  const s = new CountingScript('W', () => c.fileevent('writable', null));
  c.fileevent('writable', s);
  return s;
}

describe('§6 background flush', () => {
  it('returns at once from a non-blocking flush while connecting and delivers the data once connected (upstream 14.10.0)', () => {
    // §6: "Driver write answering EAGAIN (non-blocking channel, connect in flight ...): the
    // "background flush scheduled" flag is set ... and the command returns success"; 14.10:
    // "background flush completes without a socket fileevent".
    const { d, interp, c } = backgroundFlushed('accept');
    expect(c.bgFlush).toBe(true);
    expect(c.configure('-connecting')).toBe('1');
    interp.vwait(() => d.sockets[1]?.sent !== undefined && d.sockets[1].sent !== '');
    interp.update();
    expect(d.sockets[1]?.sent).toBe('ok\r\n'); // once, in full
    expect(d.sockets[0]?.sent).toBe('');
    expect(c.configure('-error')).toBe('');
  });

  it('consumes the completion notification: the writable handler runs only from a later event-loop pass', () => {
    // §3.5 item 5 / §6: "while it is running, writable notifications are consumed by it and
    // script writable handlers are not run for that notification".
    const { d, interp, c } = backgroundFlushed('accept');
    once(c);
    interp.after(5);
    expect(c.configure('-connecting')).toBe('1');
    interp.after(5);
    expect(c.configure('-connecting')).toBe('0');
    expect(d.sockets[1]?.sent).toBe('ok\r\n');
    expect(events(interp)).toEqual([]);
    interp.update();
    expect(events(interp)).toEqual(['writable@update']);
  });

  it('ends only when a writable notification finds nothing left, so a flush right after the drain only queues', () => {
    // §6: "It is finished only when a writable notification finds nothing left to write" and
    // "While the flag is set, foreground flushes do not write (they only queue)".
    const { d, interp, c } = backgroundFlushed('accept');
    interp.after(5);
    c.configure('-connecting');
    interp.after(5);
    c.configure('-connecting'); // drains "ok" inside this query
    c.puts('more');
    c.flush();
    expect(d.sockets[1]?.sent).toBe('ok\r\n');
    interp.update();
    expect(d.sockets[1]?.sent).toBe('ok\r\nmore\r\n');
  });

  it('raises a failed background flush once, from the next puts (oracle dual-unreported-error)', () => {
    // §6: "the first `puts` fails with `error writing "sockN": socket is not connected`, the
    // second `puts` succeeds (buffered), `flush` fails from the driver, `close` succeeds".
    const { interp, c } = backgroundFlushed('refuse');
    const w = new CountingScript('W', () => { c.fileevent('writable', null); interp.set('done'); });
    c.fileevent('writable', w);
    interp.vwait('done');
    expect(w.runs).toBe(1); // "the notification is passed on to script handlers"
    const first = tclErrorOf(() => c.puts('a'));
    expect(first.message).toBe('error writing "sock1": socket is not connected');
    expect(first.errorCode).toBe('POSIX ENOTCONN {socket is not connected}');
    c.puts('b');
    expect(tclErrorOf(() => c.flush()).message).toBe('error flushing "sock1": socket is not connected');
    c.close();
    expect(observations(interp).at(-1)).toEqual({ op: 'close sock1', result: '' });
  });

  it('raises the unreported error from flush with its own prefix, once', () => {
    // §6: "raised, once, by the next command that checks channel state: puts, gets, read, flush".
    const { interp, c } = backgroundFlushed('refuse');
    interp.vwait(() => !c.bgFlush);
    expect(tclErrorOf(() => c.flush()).message).toBe('error flushing "sock1": socket is not connected');
    c.flush(); // the queue was discarded with the error; nothing left to fail
  });

  it('raises the unreported error from gets with its own prefix, and a buffered puts after it succeeds', () => {
    const { interp, c } = backgroundFlushed('refuse');
    interp.vwait(() => !c.bgFlush);
    expect(tclErrorOf(() => c.gets()).message).toBe('error reading "sock1": socket is not connected');
    c.puts('b');
  });

  it('clears the scheduled flag on -blocking 1, so the data waits for the next flush', () => {
    // §6: "Setting `-blocking 1` clears the "scheduled" flag (queued data waits for the next
    // flush or close)".
    const { d, interp, c } = backgroundFlushed('accept');
    c.configure({ '-blocking': '1' });
    expect(c.bgFlush).toBe(false);
    interp.after(5);
    interp.update();
    interp.after(5);
    interp.update();
    expect(c.configure('-connecting')).toBe('0');
    expect(d.sockets[1]?.sent).toBe('');
    c.flush();
    expect(d.sockets[1]?.sent).toBe('ok\r\n');
  });
});

describe('§7 close: observed combinations', () => {
  it('nothing written, connect in flight: "" at once, no event ever fires (oracle pending-close)', () => {
    const d = dual('accept');
    const interp = new Interp(d);
    const c = interp.socket('localhost', 80, { async: true });
    const w = once(c);
    c.close();
    expect(interp.channelNames()).toEqual([]);
    expect(d.sockets[0]?.isClosed).toBe(true);
    interp.after(20);
    interp.update();
    expect(w.runs).toBe(0);
    expect(d.sockets).toHaveLength(1); // the walk never went on
  });

  it('nothing pending, connect failed earlier: "" (oracle refused-writable)', () => {
    const d = dual('refuse');
    const interp = new Interp(d);
    const c = interp.socket('localhost', 80, { async: true });
    const w = once(c);
    interp.vwait(() => w.runs === 1);
    c.close();
    expect(observations(interp).at(-1)).toEqual({ op: 'close sock1', result: '' });
    expect(d.sockets[1]?.isClosed).toBe(true);
  });

  it('blocking, puts buffered, refused: error "socket is not connected" (oracle refused-blocking-puts-close)', () => {
    // §7 item 4: "The message has no prefix: just `socket is not connected` (errorCode `POSIX
    // ENOTCONN {socket is not connected}`)".
    const d = dual('refuse');
    const interp = new Interp(d);
    const c = interp.socket('localhost', 80, { async: true });
    c.puts('ok');
    const err = tclErrorOf(() => c.close());
    expect(err.message).toBe('socket is not connected');
    expect(err.errorCode).toBe('POSIX ENOTCONN {socket is not connected}');
    expect(interp.channelNames()).toEqual([]);
    expect(d.sockets[1]?.isClosed).toBe(true);
  });

  it('non-blocking, puts buffered, writable seen, refused: error (oracle refused-nonblocking-puts-writable-close, upstream 14.11.0)', () => {
    const d = dual('refuse');
    const interp = new Interp(d);
    const c = interp.socket('localhost', 80, { async: true });
    c.configure({ '-blocking': '0' });
    c.puts('ok');
    const w = once(c);
    interp.vwait(() => w.runs === 1);
    expect(tclErrorOf(() => c.close()).message).toBe('socket is not connected');
  });

  it('non-blocking, puts+flush in the background, background flush failed: error (oracle dual-nonblocking-bgflush-fail, upstream 14.11.1)', () => {
    // §7: "error `socket is not connected` (97069ea11a)": never an empty message.
    const { interp, c } = backgroundFlushed('refuse');
    const w = once(c);
    interp.vwait(() => w.runs === 1);
    const err = tclErrorOf(() => c.close());
    expect(err.message).toBe('socket is not connected');
    expect(err.errorCode).toBe('POSIX ENOTCONN {socket is not connected}');
  });

  it('non-blocking, puts+flush in the background, closed before the outcome: "" and the failure is lost (oracle dual-nonblocking-bgflush-close-early)', () => {
    // §7 item 1: "if it fails, the socket is closed and the error is silently dropped".
    const { d, interp, c } = backgroundFlushed('refuse');
    c.close();
    expect(observations(interp).at(-1)).toEqual({ op: 'close sock1', result: '' });
    expect(c.holdsSocket).toBe(true);
    interp.vwait(() => d.sockets[1]?.isClosed === true);
    interp.update();
    expect(c.holdsSocket).toBe(false);
    expect(interp.loop.backgroundErrors).toEqual([]);
    expect(observations(interp).filter((o) => 'error' in o)).toEqual([]);
  });

  it('unreported error already raised by an earlier command: "" (oracle dual-unreported-error)', () => {
    const { interp, c } = backgroundFlushed('refuse');
    interp.vwait(() => !c.bgFlush);
    tclErrorOf(() => c.puts('a'));
    c.close();
    expect(observations(interp).at(-1)).toEqual({ op: 'close sock1', result: '' });
  });

  it('established, peer gone, data buffered: error "broken pipe" (oracle established-peer-closed-write)', () => {
    const d = new ScriptedDriver().fate('10.0.0.1', { kind: 'accept', afterMs: 1 });
    const interp = new Interp(d);
    const c = interp.socket('10.0.0.1', 80, { async: true });
    interp.after(5);
    expect(c.configure('-connecting')).toBe('0');
    d.sockets[0]?.peerReset();
    c.puts('data');
    const err = tclErrorOf(() => c.close());
    expect(err.message).toBe('broken pipe');
    expect(err.errorCode).toBe('POSIX EPIPE {broken pipe}');
  });
});

describe('§7 deferred close', () => {
  it('keeps the socket until the background flush ends, then delivers and closes (oracle listen-nonblocking-bgflush-close)', () => {
    // §7 item 1: "the channel name disappears ..., but the channel and its socket live on until
    // the background flush ends. If the connect then succeeds, the data is delivered and the
    // socket closed ... Requires the event loop to run."
    const { d, interp, c } = backgroundFlushed('accept');
    const w = once(c);
    c.close();
    expect(interp.channelNames()).toEqual([]);
    expect(tclErrorOf(() => c.puts('x')).message).toBe('can not find channel named "sock1"');
    interp.after(20); // ::1 is refused, but nobody services the event loop: the walk stalls
    expect(c.holdsSocket).toBe(true);
    expect(d.sockets).toHaveLength(1);
    expect(d.sockets[0]?.isClosed).toBe(false);
    interp.vwait(() => d.sockets[1]?.isClosed === true);
    expect(d.sockets[1]?.sent).toBe('ok\r\n');
    expect(c.holdsSocket).toBe(false);
    expect(w.runs).toBe(0); // §7 item 2: close removes the fileevent scripts
  });

  it('defers a non-blocking close whose own final flush meets a connect still in flight', () => {
    // §7 item 2: "Non-blocking channel, connect still in flight: the flush schedules a
    // background flush and `close` returns "" (deferred as in 1)".
    const d = dual('accept');
    const interp = new Interp(d);
    const c = interp.socket('localhost', 80, { async: true });
    c.configure({ '-blocking': '0' });
    c.puts('late');
    c.close();
    expect(c.holdsSocket).toBe(true);
    interp.vwait(() => d.sockets[1]?.isClosed === true);
    expect(d.sockets[1]?.sent).toBe('late\r\n');
  });

  it('makes a blocking close wait for the whole walk and then write (oracle pending-blocking-close)', () => {
    // §7 item 2: "Blocking channel: the flush waits for the whole connect walk ... and then
    // writes or fails".
    const d = dual('accept');
    const interp = new Interp(d);
    const c = interp.socket('localhost', 80, { async: true });
    c.puts('sync');
    c.close();
    expect(d.sockets[1]?.sent).toBe('sync\r\n');
    expect(d.sockets[1]?.isClosed).toBe(true);
    expect(c.holdsSocket).toBe(false);
  });

  it('lets the interpreter teardown release a channel whose close is still deferred', () => {
    const { d, interp, c } = backgroundFlushed('accept');
    c.close();
    interp.close();
    expect(d.sockets[0]?.isClosed).toBe(true);
    expect(c.holdsSocket).toBe(false);
  });
});
