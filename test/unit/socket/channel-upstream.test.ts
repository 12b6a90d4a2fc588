// Reference §11: the async-related tests of Tcl 8.6.13's tests/socket.test that apply to a
// single-threaded simulation, one test each, named after the upstream test, on the scripted
// driver. A "listener" is an address whose fate is `accept` (optionally sending a line);
// "no listener" is a refusal. Dual-stack `localhost` is `::1` then `127.0.0.1` (§2).
import { describe, expect, it } from 'vitest';
import { Interp, type Channel } from '../../../src/socket/interp.js';
import { CountingScript, ScriptedDriver, tclErrorOf, type Fate } from '../../helpers/scripted-driver.js';

const REFUSE: Fate = { kind: 'refuse', afterMs: 1 };
const listener = (reply?: string): Fate => (reply === undefined ? { kind: 'accept', afterMs: 1 } : { kind: 'accept', afterMs: 1, reply });

/** Dual-stack localhost with the given fates for ::1 and 127.0.0.1. */
function localhost(v6: Fate, v4: Fate): ScriptedDriver {
  return new ScriptedDriver().dns('localhost', ['::1', '127.0.0.1']).fate('::1', v6).fate('127.0.0.1', v4);
}

/** Whether the client reached a listener: some attempt of `d` is connected. */
function accepted(d: ScriptedDriver): boolean {
  return d.sockets.some((s) => s.remoteAddress() !== null);
}

/** Runs the event loop until `done` or until an `after latency` timer fires; returns which came first. */
function beforeTimeout(interp: Interp, done: () => boolean, latency = 200): 'ok' | 'timeout' {
  let timedOut = false;
  const id = interp.afterScript(latency, { text: 'set x timeout', run: () => { timedOut = true; } });
  interp.vwait(() => done() || timedOut);
  interp.afterCancel(id);
  return done() ? 'ok' : 'timeout';
}

describe('reference §11: upstream socket.test', () => {
  it('socket_$af-1.13 / 1.14: -async on a server socket is an error', () => {
    const err = tclErrorOf(() => new Interp(new ScriptedDriver()).server(0, () => undefined, { async: true }));
    expect(err.message).toBe('cannot set -async option for server sockets');
  });

  it('socket_$af-8.1: after the accept, a blocking gets returns "bye"', () => {
    const d = new ScriptedDriver().fate('127.0.0.1', { kind: 'accept', afterMs: 1, reply: 'bye\n', closeAfterReply: true });
    const interp = new Interp(d);
    const c = interp.socket('127.0.0.1', 80, { async: true });
    interp.vwait(() => accepted(d));
    expect(c.gets()).toBe('bye');
  });

  it('socket-14.0.0: with a listener on 127.0.0.1 only, the walk reaches it before the timer', () => {
    const d = localhost(REFUSE, listener());
    const interp = new Interp(d);
    interp.socket('localhost', 80, { async: true });
    expect(beforeTimeout(interp, () => accepted(d))).toBe('ok');
  });

  it('socket-14.0.1 / 14.3: with a listener on ::1 only, the accept happens', () => {
    const d = localhost(listener(), REFUSE);
    const interp = new Interp(d);
    interp.socket('localhost', 80, { async: true });
    expect(beforeTimeout(interp, () => accepted(d))).toBe('ok');
  });

  it('socket-14.1: the accept and the writable event both happen, and -error is ""', () => {
    const d = localhost(REFUSE, listener('bye\n'));
    const interp = new Interp(d);
    const c = interp.socket('localhost', 80, { async: true });
    let error: string | undefined;
    c.fileevent('writable', new CountingScript('W', () => { error = c.configure('-error'); c.fileevent('writable', null); }));
    interp.vwait(() => error !== undefined);
    expect(accepted(d)).toBe(true);
    expect(error).toBe('');
  });

  it('socket-14.2: with no listener the writable handler fires, then -error is "connection refused"', () => {
    const interp = new Interp(localhost(REFUSE, REFUSE));
    const c = interp.socket('localhost', 80, { async: true });
    const w = new CountingScript('W', () => c.fileevent('writable', null));
    c.fileevent('writable', w);
    interp.vwait(() => w.runs === 1);
    expect(c.configure('-error')).toBe('connection refused');
  });

  it('socket-14.4: a writable handler recording -error and a readable one recording gets see {"" bye}', () => {
    const interp = new Interp(localhost(REFUSE, listener('bye\n')));
    const c = interp.socket('localhost', 80, { async: true });
    const recorded: string[] = [];
    c.fileevent('writable', new CountingScript('W', () => { recorded.push(c.configure('-error')); c.fileevent('writable', null); }));
    c.fileevent('readable', new CountingScript('R', () => { recorded.push(c.gets()); c.fileevent('readable', null); }));
    interp.vwait(() => recorded.length === 2);
    expect([...recorded].sort()).toEqual(['', 'bye']);
  });

  it('socket-14.5: a non-local -myaddr fails synchronously with "cannot assign requested address"', () => {
    const d = new ScriptedDriver().bindError('192.0.2.42', 'EADDRNOTAVAIL').fate('127.0.0.1', listener());
    expect(tclErrorOf(() => new Interp(d).socket('127.0.0.1', 80, { async: true, myaddr: '192.0.2.42' })).message).toBe(
      "couldn't open socket: cannot assign requested address",
    );
  });

  for (const [name, v6, v4] of [['14.6.0', REFUSE, listener('bye\n')], ['14.6.1', listener('bye\n'), REFUSE]] as const) {
    it(`socket-${name}: update + 100 ms sleeps see the accept within 50 loops, then a blocking gets returns "bye"`, () => {
      const d = localhost(v6, v4);
      const interp = new Interp(d);
      const c = interp.socket('localhost', 80, { async: true });
      let loops = 0;
      while (!accepted(d) && loops < 50) {
        interp.update();
        interp.after(100);
        loops++;
      }
      expect(accepted(d)).toBe(true);
      expect(c.gets()).toBe('bye');
    });
  }

  for (const [name, v6, v4] of [['14.7.0', REFUSE, listener('ok\n')], ['14.7.1', listener('ok\n'), REFUSE]] as const) {
    it(`socket-${name}: -error, blocking gets, -error right after socket -async give {"" ok ""}`, () => {
      const c = new Interp(localhost(v6, v4)).socket('localhost', 80, { async: true });
      expect([c.configure('-error'), c.gets(), c.configure('-error')]).toEqual(['', 'ok', '']);
    });
  }

  it('socket-14.7.2: with no listener a blocking gets fails, then -error is "connection refused", then ""', () => {
    const c = new Interp(localhost(REFUSE, REFUSE)).socket('localhost', 80, { async: true });
    expect(tclErrorOf(() => c.gets()).message).toBe('error reading "sock1": socket is not connected');
    expect([c.configure('-error'), c.configure('-error')]).toEqual(['connection refused', '']);
  });

  /** 14.8.x: non-blocking, poll gets every 200 ms while it returns "" and fblocked is 1. */
  function poll(c: Channel, interp: Interp): string {
    c.configure({ '-blocking': '0' });
    for (let i = 0; i < 50; i++) {
      const line = c.gets();
      if (!(line === '' && c.fblocked())) return line;
      interp.after(200);
    }
    throw new Error('no answer after 50 polls');
  }

  for (const [name, v6, v4] of [['14.8.0', REFUSE, listener('ok\n')], ['14.8.1', listener('ok\n'), REFUSE]] as const) {
    it(`socket-${name}: non-blocking gets polled every 200 ms eventually returns "ok"`, () => {
      const interp = new Interp(localhost(v6, v4));
      expect(poll(interp.socket('localhost', 80, { async: true }), interp)).toBe('ok');
    });
  }

  it('socket-14.8.2: with no listener the polled gets fails, then -error is "connection refused", then ""', () => {
    const interp = new Interp(localhost(REFUSE, REFUSE));
    const c = interp.socket('localhost', 80, { async: true });
    expect(tclErrorOf(() => poll(c, interp)).message).toBe('error reading "sock1": socket is not connected');
    expect([c.configure('-error'), c.configure('-error')]).toEqual(['connection refused', '']);
  });

  for (const [name, v6, v4, last] of [['14.9.0', REFUSE, listener(), 1], ['14.9.1', listener(), REFUSE, 0]] as const) {
    it(`socket-${name}: blocking puts + flush right after socket -async: -error "" and the listener receives "ok"`, () => {
      const d = localhost(v6, v4);
      const c = new Interp(d).socket('localhost', 80, { async: true });
      c.puts('ok');
      c.flush();
      expect(c.configure('-error')).toBe('');
      expect(d.sockets[last]?.sent).toBe('ok\r\n');
    });
  }

  for (const [name, v6, v4, last] of [['14.10.0', REFUSE, listener(), 1], ['14.10.1', listener(), REFUSE, 0]] as const) {
    it(`socket-${name}: non-blocking puts + flush complete in the background without a socket fileevent`, () => {
      const d = localhost(v6, v4);
      const interp = new Interp(d);
      const c = interp.socket('localhost', 80, { async: true });
      c.configure({ '-blocking': '0' });
      c.puts('ok');
      c.flush();
      interp.vwait(() => (d.sockets[last]?.sent ?? '') !== ''); // "waits on the child's pipe"
      expect(c.configure('-error')).toBe('');
      expect(d.sockets[last]?.sent).toBe('ok\r\n');
    });
  }

  for (const [name, flush] of [['14.11.0', false], ['14.11.1', true]] as const) {
    it(`socket-${name}: non-blocking puts${flush ? ' + flush' : ''}, writable handler, vwait, close fails "socket is not connected"`, () => {
      const interp = new Interp(new ScriptedDriver().fate('127.0.0.1', REFUSE));
      const c = interp.socket('127.0.0.1', 80, { async: true });
      c.configure({ '-blocking': '0' });
      c.puts('ok');
      if (flush) c.flush();
      c.fileevent('writable', new CountingScript('W', () => { c.fileevent('writable', null); interp.set('x'); }));
      interp.vwait('x');
      expect(tclErrorOf(() => c.close()).message).toBe('socket is not connected');
    });
  }

  it('socket-14.12: polling -error every 200 ms without the event loop eventually says "connection refused"', () => {
    const interp = new Interp(localhost(REFUSE, REFUSE));
    const c = interp.socket('localhost', 80, { async: true });
    let error = '';
    for (let i = 0; i < 50 && error === ''; i++) {
      interp.after(200);
      error = c.configure('-error');
    }
    expect(error).toBe('connection refused');
  });

  it('socket-14.14: with no listener a readable-only handler fires', () => {
    const interp = new Interp(localhost(REFUSE, REFUSE));
    const c = interp.socket('localhost', 80, { async: true });
    c.fileevent('readable', new CountingScript('R', () => { c.fileevent('readable', null); interp.set('x', 'readable'); }));
    interp.afterScript(1000, { text: 'set x timeout', run: () => interp.set('x', 'timeout') });
    interp.vwait('x');
    expect(interp.get('x')).toBe('readable');
  });

  it('socket-14.15: a blocking read that finishes the connect does not run event handlers', () => {
    const interp = new Interp(localhost(REFUSE, REFUSE));
    const c = interp.socket('localhost', 80, { async: true });
    let fail = false;
    c.fileevent('writable', new CountingScript('set fail 1', () => { fail = true; }));
    tclErrorOf(() => c.read());
    c.close();
    expect(fail).toBe(false); // the child prints "ok"
  });

  it('socket-14.16: -peername is "" as the first thing after socket -async localhost (two addresses)', () => {
    const interp = new Interp(localhost({ kind: 'refuse', afterMs: 0 }, REFUSE));
    expect(interp.socket('localhost', 80, { async: true }).configure('-peername')).toBe('');
  });

  it('socket-14.17: -sockname is "" as the first thing after socket -async localhost (two addresses)', () => {
    const interp = new Interp(localhost({ kind: 'refuse', afterMs: 0 }, REFUSE));
    expect(interp.socket('localhost', 80, { async: true }).configure('-sockname')).toBe('');
  });

  it('socket-14.18: an async connect still running plus a synchronous connect to a listener does not hang', () => {
    const d = new ScriptedDriver().fate('10.0.0.9', { kind: 'silent' }).fate('127.0.0.1', listener());
    const interp = new Interp(d);
    interp.socket('10.0.0.9', 80, { async: true });
    const c = interp.socket('127.0.0.1', 80);
    interp.afterScript(1000, { text: 'set x 1', run: () => interp.set('x') });
    interp.vwait('x');
    expect(c.configure('-peername')).toBe('127.0.0.1 127.0.0.1 80');
  });

  for (const [target, expected] of [['127.0.0.1', 'ok'], ['::1', 'refused']] as const) {
    it(`socket-15.1: a synchronous client to ${target} with a listener on 127.0.0.1 only is ${expected}`, () => {
      const d = new ScriptedDriver().fate('127.0.0.1', listener()).fate('::1', REFUSE);
      const interp = new Interp(d);
      if (expected === 'ok') expect(interp.socket(target, 80).configure('-connecting')).toBe('0');
      else expect(tclErrorOf(() => interp.socket(target, 80)).message).toBe("couldn't open socket: connection refused");
    });
  }
});
