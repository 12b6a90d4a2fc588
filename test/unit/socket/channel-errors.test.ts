// Reference §8 "Error strings": the message and errorCode of each command-level wrapper, and
// Tcl's own errno messages as `-error` reports them.
import { describe, expect, it } from 'vitest';
import type { Errno } from '../../../src/net/net-error.js';
import { Interp, type Channel } from '../../../src/socket/interp.js';
import { ScriptedDriver, observations, tclErrorOf } from '../../helpers/scripted-driver.js';

const ENOTCONN = { code: 'ENOTCONN', errorCode: 'POSIX ENOTCONN {socket is not connected}' };

/** A channel whose only address was refused, with the walk already over. */
function failed(): { d: ScriptedDriver; c: Channel } {
  const d = new ScriptedDriver().fate('10.0.0.1', { kind: 'refuse', afterMs: 1 });
  const interp = new Interp(d);
  const c = interp.socket('10.0.0.1', 80, { async: true });
  interp.after(5);
  expect(c.configure('-connecting')).toBe('0');
  return { d, c };
}

describe('§8 command-level wrappers', () => {
  it('socket: "couldn\'t open socket: <msg>" with errorCode POSIX', () => {
    const d = new ScriptedDriver().bindError('192.0.2.42', 'EADDRNOTAVAIL');
    const err = tclErrorOf(() => new Interp(d).socket('127.0.0.1', 80, { async: true, myaddr: '192.0.2.42' }));
    expect(err.message).toBe("couldn't open socket: cannot assign requested address");
    expect(err.errorCode).toBe('POSIX EADDRNOTAVAIL {cannot assign requested address}');
  });

  it('gets and read: "error reading "sockN": <msg>"', () => {
    const { c } = failed();
    expect(tclErrorOf(() => c.gets())).toMatchObject({ message: 'error reading "sock1": socket is not connected', ...ENOTCONN });
    expect(tclErrorOf(() => c.read())).toMatchObject({ message: 'error reading "sock1": socket is not connected', ...ENOTCONN });
  });

  it('puts: "error writing "sockN": <msg>"', () => {
    const { c } = failed();
    c.configure({ '-buffering': 'none' });
    expect(tclErrorOf(() => c.puts('x'))).toMatchObject({ message: 'error writing "sock1": socket is not connected', ...ENOTCONN });
  });

  it('flush: "error flushing "sockN": <msg>"', () => {
    const { c } = failed();
    c.puts('x');
    expect(tclErrorOf(() => c.flush())).toMatchObject({ message: 'error flushing "sock1": socket is not connected', ...ENOTCONN });
  });

  it('close: "<msg>" with no prefix', () => {
    const { c } = failed();
    c.puts('x');
    expect(tclErrorOf(() => c.close())).toMatchObject({ message: 'socket is not connected', ...ENOTCONN });
  });

  it('fconfigure -peername: "can\'t get peername: <msg>"', () => {
    const { c } = failed();
    expect(tclErrorOf(() => c.configure('-peername'))).toMatchObject({ message: "can't get peername: socket is not connected", ...ENOTCONN });
  });

  it('fconfigure -sockname: "can\'t get sockname: <msg>" when getsockname fails', () => {
    // The scripted socket is told to fail getsockname; Tcl then reports the errno it left.
    const { d, c } = failed();
    const s = d.sockets[0];
    if (s !== undefined) s.hideLocalAddress = true;
    expect(tclErrorOf(() => c.configure('-sockname'))).toMatchObject({ message: "can't get sockname: socket is not connected", ...ENOTCONN });
  });

  it('socket -async -server: "cannot set -async option for server sockets" (upstream socket_$af-1.13)', () => {
    const interp = new Interp(new ScriptedDriver());
    const err = tclErrorOf(() => interp.server(0, () => undefined, { async: true }));
    expect(err.message).toBe('cannot set -async option for server sockets');
    expect(err.errorCode).toBe('NONE');
    expect(observations(interp)).toEqual([{ op: 'socket -server accept -async 0', error: 'cannot set -async option for server sockets', errorcode: 'NONE' }]);
  });

  it('port > 65535: "couldn\'t open socket: port number too high" with errorCode NONE', () => {
    const err = tclErrorOf(() => new Interp(new ScriptedDriver()).socket('10.0.0.1', 99999, { async: true }));
    expect(err).toMatchObject({ message: "couldn't open socket: port number too high", errorCode: 'NONE' });
  });
});

describe('§8 POSIX messages as -error reports them', () => {
  const table: readonly [Errno, string][] = [
    ['ECONNREFUSED', 'connection refused'],
    ['ETIMEDOUT', 'connection timed out'],
    ['EHOSTUNREACH', 'host is unreachable'],
    ['ENETUNREACH', 'network is unreachable'],
    ['ECONNRESET', 'connection reset by peer'],
    ['ECONNABORTED', 'software caused connection abort'],
  ];
  for (const [errno, message] of table) {
    it(`reports ${errno} as "${message}"`, () => {
      const d = new ScriptedDriver().fate('10.0.0.1', { kind: 'error', error: errno, afterMs: 1 });
      const interp = new Interp(d);
      const c = interp.socket('10.0.0.1', 80, { async: true });
      interp.after(5);
      expect(c.configure('-error')).toBe(message);
    });
  }

  it('reports a bind failure of every attempt synchronously: "address already in use"', () => {
    const d = new ScriptedDriver().bindError('0.0.0.0', 'EADDRINUSE');
    expect(tclErrorOf(() => new Interp(d).socket('10.0.0.1', 80, { async: true, myport: 5000 })).message).toBe(
      "couldn't open socket: address already in use",
    );
  });
});
