// Reference §5 "Introspection options": -error, -connecting, -peername, -sockname, the
// all-options form, the bad-option message and option prefixes, on the scripted driver.
import { describe, expect, it } from 'vitest';
import { Interp } from '../../../src/socket/interp.js';
import { ScriptedDriver, tclErrorOf } from '../../helpers/scripted-driver.js';

/** localhost = ::1 (refused after 1 ms), then 127.0.0.1 with the given fate. */
function dual(second: 'accept' | 'refuse' | 'timeout'): ScriptedDriver {
  return new ScriptedDriver()
    .dns('localhost', ['::1', '127.0.0.1'])
    .fate('::1', { kind: 'refuse', afterMs: 1 })
    .fate(
      '127.0.0.1',
      second === 'accept' ? { kind: 'accept', afterMs: 1 } : second === 'refuse' ? { kind: 'refuse', afterMs: 1 } : { kind: 'error', error: 'ETIMEDOUT', afterMs: 1 },
    );
}

/** Runs a world forward 5 ms, then asks `-connecting` (one step); returns its answer. */
function stepOnce(interp: Interp, c: ReturnType<Interp['socket']>): string {
  interp.after(5);
  return c.configure('-connecting');
}

describe('§5 -error', () => {
  it('is "" while connecting, even after an intermediate address failed', () => {
    // §5 -error 1: "still connecting after the check: returns """; §12 "-error returns "" while
    // connecting even if an intermediate address failed".
    const interp = new Interp(dual('refuse'));
    const c = interp.socket('localhost', 80, { async: true });
    expect(c.configure('-error')).toBe('');
    interp.after(5);
    expect(c.configure('-error')).toBe(''); // consumed the ::1 refusal
    expect(c.configure('-connecting')).toBe('1');
  });

  it('reports the final error once, then "" (upstream 14.7.2 / 14.8.2)', () => {
    // §5 -error 2: "returns its message **and resets the stored error to 0** (reported once)".
    const interp = new Interp(dual('refuse'));
    const c = interp.socket('localhost', 80, { async: true });
    stepOnce(interp, c);
    expect(stepOnce(interp, c)).toBe('0');
    expect([c.configure('-error'), c.configure('-error'), c.configure('-error')]).toEqual(['connection refused', '', '']);
  });

  it('is not consumed by a failing gets or flush', () => {
    // §5: "The stored error is not consumed by gets/flush failing: gets first, then -error still
    // gives "connection refused" once."
    const interp = new Interp(dual('refuse'));
    const c = interp.socket('localhost', 80, { async: true });
    c.puts('x');
    tclErrorOf(() => c.flush());
    tclErrorOf(() => c.gets());
    expect(c.configure('-error')).toBe('connection refused');
    expect(c.configure('-error')).toBe('');
  });

  it('reports the last attempt\'s error, not the first one\'s', () => {
    // §5: "with ::1 refused and 127.0.0.1 timing out it would be "connection timed out"".
    const interp = new Interp(dual('timeout'));
    const c = interp.socket('localhost', 80, { async: true });
    stepOnce(interp, c);
    stepOnce(interp, c);
    expect(c.configure('-error')).toBe('connection timed out');
  });

  it('is "" after a success and reports a later live SO_ERROR once', () => {
    // §5 -error 3: "returns the message of the socket's live SO_ERROR (reading it clears it)";
    // oracle established-peer-closed-write: "broken pipe" once, then "".
    const d = dual('accept');
    const interp = new Interp(d);
    const c = interp.socket('localhost', 80, { async: true });
    stepOnce(interp, c);
    expect(stepOnce(interp, c)).toBe('0');
    expect(c.configure('-error')).toBe('');
    d.sockets[1]?.raiseSoError('EPIPE');
    expect([c.configure('-error'), c.configure('-error')]).toEqual(['broken pipe', '']);
  });
});

describe('§5 -connecting', () => {
  it('is 1 while connecting and 0 once the walk is over', () => {
    const interp = new Interp(dual('accept'));
    const c = interp.socket('localhost', 80, { async: true });
    expect(c.configure('-connecting')).toBe('1');
    expect(stepOnce(interp, c)).toBe('1');
    expect(stepOnce(interp, c)).toBe('0');
  });

  it('is 0 for a socket created synchronously', () => {
    // §5: "It is "0" for sockets created synchronously".
    const c = new Interp(dual('accept')).socket('localhost', 80);
    expect(c.configure('-connecting')).toBe('0');
  });
});

describe('§5 -peername', () => {
  it('is "" while connecting (upstream 14.16), the peer once connected', () => {
    // §5 -peername: connecting: "" (TIP 427); Connected: {address hostname port}, the hostname
    // repeating the address (no reverse DNS, §13).
    const interp = new Interp(dual('accept'));
    const c = interp.socket('localhost', 80, { async: true });
    expect(c.configure('-peername')).toBe('');
    stepOnce(interp, c);
    stepOnce(interp, c);
    expect(c.configure('-peername')).toBe('127.0.0.1 127.0.0.1 80');
  });

  it('is an error "can\'t get peername: socket is not connected" after a failure', () => {
    const interp = new Interp(dual('refuse'));
    const c = interp.socket('localhost', 80, { async: true });
    stepOnce(interp, c);
    stepOnce(interp, c);
    const err = tclErrorOf(() => c.configure('-peername'));
    expect(err.message).toBe("can't get peername: socket is not connected");
    expect(err.errorCode).toBe('POSIX ENOTCONN {socket is not connected}');
  });
});

describe('§5 -sockname', () => {
  it('is "" while connecting although the attempt\'s socket is bound (upstream 14.17)', () => {
    // §5 -sockname: "connecting: "" (TIP 427)". The scripted sockets bind at once.
    const d = dual('accept');
    const interp = new Interp(d);
    const c = interp.socket('localhost', 80, { async: true });
    expect(d.sockets[0]?.localAddress()).not.toBeNull();
    expect(c.configure('-sockname')).toBe('');
  });

  it('answers with the last socket\'s address after a success and after a failure', () => {
    // §5 -sockname: "Connected or Failed: {address hostname port} of the (last) socket".
    for (const second of ['accept', 'refuse'] as const) {
      const d = dual(second);
      const interp = new Interp(d);
      const c = interp.socket('localhost', 80, { async: true });
      stepOnce(interp, c);
      stepOnce(interp, c);
      const last = d.sockets[1];
      expect(c.configure('-sockname')).toBe(`0.0.0.0 0.0.0.0 ${last?.ephemeralPort}`);
    }
  });
});

describe('§5 all options (fconfigure $s)', () => {
  const GENERIC = /^-blocking 1 -buffering full -buffersize \d+ -encoding utf-8 -eofchar .+ -translation \{auto crlf\} /;

  it('lists -peername {} -sockname {} while connecting, never -error or -connecting', () => {
    const c = new Interp(dual('accept')).socket('localhost', 80, { async: true });
    const all = c.configureAll();
    expect(all).toMatch(GENERIC);
    expect(all.endsWith(' -peername {} -sockname {}')).toBe(true);
    expect(all).not.toMatch(/-error|-connecting/);
  });

  it('lists both addresses once connected', () => {
    const d = dual('accept');
    const interp = new Interp(d);
    const c = interp.socket('localhost', 80, { async: true });
    stepOnce(interp, c);
    stepOnce(interp, c);
    const port = d.sockets[1]?.ephemeralPort;
    expect(c.configureAll()).toMatch(new RegExp(` -peername \\{127\\.0\\.0\\.1 127\\.0\\.0\\.1 80\\} -sockname \\{0\\.0\\.0\\.0 0\\.0\\.0\\.0 ${port}\\}$`));
  });

  it('omits -peername silently after a failure and still lists -sockname', () => {
    // §5: "when Failed -peername is **omitted** silently and only -sockname {..} is listed".
    const d = dual('refuse');
    const interp = new Interp(d);
    const c = interp.socket('localhost', 80, { async: true });
    stepOnce(interp, c);
    stepOnce(interp, c);
    const all = c.configureAll();
    expect(all).not.toContain('-peername');
    expect(all).toMatch(new RegExp(` -sockname \\{0\\.0\\.0\\.0 0\\.0\\.0\\.0 ${d.sockets[1]?.ephemeralPort}\\}$`));
  });

  it('advances the walk like any driver query (one step)', () => {
    // §3.4: "the all-options form `fconfigure $s`" is a driver option query.
    const d = dual('accept');
    const interp = new Interp(d);
    const c = interp.socket('localhost', 80, { async: true });
    interp.after(5);
    c.configureAll();
    expect(d.sockets).toHaveLength(2);
  });
});

describe('§5 bad option and prefixes', () => {
  it('names every listed option and leaves -error out of the list', () => {
    // §5: exact text of the bad-option message.
    const c = new Interp(dual('accept')).socket('localhost', 80, { async: true });
    const err = tclErrorOf(() => c.configure('-x'));
    expect(err.message).toBe(
      'bad option "-x": should be one of -blocking, -buffering, -buffersize, -encoding, -eofchar, -translation, -connecting, -peername, or -sockname',
    );
    expect(err.errorCode).toBe('NONE');
    expect(c.configure('-error')).toBe(''); // "-error is accepted but not listed"
  });

  it('accepts unique prefixes of the driver options, dispatching on the second character', () => {
    // §5: "The driver accepts unique prefixes (it dispatches on the second character)". `-e` is
    // too short for the generic -encoding/-eofchar (tclIO.c HaveOpt needs more than 2
    // characters), so it reaches the driver as -error.
    const d = dual('refuse');
    const interp = new Interp(d);
    const c = interp.socket('localhost', 80, { async: true });
    expect([c.configure('-c'), c.configure('-conn'), c.configure('-p'), c.configure('-peer'), c.configure('-s'), c.configure('-sock')]).toEqual([
      '1', '1', '', '', '', '',
    ]);
    stepOnce(interp, c);
    stepOnce(interp, c);
    expect(c.configure('-e')).toBe('connection refused');
  });

  it('rejects a prefix that matches no driver option', () => {
    const c = new Interp(dual('accept')).socket('localhost', 80, { async: true });
    expect(tclErrorOf(() => c.configure('-peerx')).message).toMatch(/^bad option "-peerx": should be one of /);
  });
});
