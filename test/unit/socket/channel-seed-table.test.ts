// The seed page's "Command behaviour" tables (docs/tcl-versions.md), one test
// per row for the default profile (tcl-8.6.13-unix, the seed's "8.6.2+" and "8.5.16+ unix"
// rows, which reference §3–§7 describe in detail). Each test quotes the row it checks.
import { describe, expect, it } from 'vitest';
import { Interp, type Channel } from '../../../src/socket/interp.js';
import { CountingScript, ScriptedDriver, events, tclErrorOf } from '../../helpers/scripted-driver.js';

/** localhost = ::1 (refused after 1 ms), then 127.0.0.1: accepting (sends "HELLO") or refusing. */
function world(outcome: 'success' | 'failure'): { d: ScriptedDriver; interp: Interp; c: Channel } {
  const d = new ScriptedDriver()
    .dns('localhost', ['::1', '127.0.0.1'])
    .fate('::1', { kind: 'refuse', afterMs: 1 })
    .fate('127.0.0.1', outcome === 'success' ? { kind: 'accept', afterMs: 1, reply: 'HELLO\n' } : { kind: 'refuse', afterMs: 1 });
  const interp = new Interp(d);
  const c = interp.socket('localhost', 80, { async: true });
  return { d, interp, c };
}

describe('seed: socket -async', () => {
  it('8.6.2+ "ok, requires event loop": tries every address, moved on by the event loop (or commands)', () => {
    // "In TCL8.6, the event loop or command invocation is required to check multiple IPs."
    const { d, interp, c } = world('success');
    interp.after(20);
    expect(d.sockets).toHaveLength(1); // no event loop, no command: the walk waits at ::1
    const w = new CountingScript('W', () => c.fileevent('writable', null));
    c.fileevent('writable', w);
    interp.vwait(() => w.runs === 1);
    expect(c.configure('-peername')).toBe('127.0.0.1 127.0.0.1 80');
  });
});

describe('seed: fileevent writable', () => {
  for (const outcome of ['success', 'failure'] as const) {
    it(`"Fires when async connect terminates with success or error": ${outcome}, checked with -error in the handler`, () => {
      // "'fconfigure -error' may be used in the event procedure to check if the connect was succesful."
      const { interp, c } = world(outcome);
      let seen: string | undefined;
      c.fileevent('writable', new CountingScript('Connected', () => { seen = c.configure('-error'); c.fileevent('writable', null); }));
      interp.vwait(() => seen !== undefined);
      expect(seen).toBe(outcome === 'success' ? '' : 'connection refused');
    });
  }
});

describe('seed: fileevent readable', () => {
  it('"Fires when async connect terminates with error"', () => {
    const { interp, c } = world('failure');
    const r = new CountingScript('Receive', () => c.fileevent('readable', null));
    c.fileevent('readable', r);
    interp.vwait(() => r.runs === 1);
    expect(c.configure('-error')).toBe('connection refused');
  });

  it('"On a succesful connect, it fires only, if there is data received"', () => {
    const d = new ScriptedDriver().fate('10.0.0.1', { kind: 'accept', afterMs: 1, reply: 'data\n', replyAfterMs: 50 });
    const interp = new Interp(d);
    const c = interp.socket('10.0.0.1', 80, { async: true });
    let line: string | undefined;
    c.fileevent('readable', new CountingScript('Receive', () => { line = c.gets(); c.fileevent('readable', null); }));
    interp.after(20);
    interp.update(); // connected at 1 ms, nothing received yet
    expect(line).toBeUndefined();
    interp.vwait(() => line !== undefined);
    expect(line).toBe('data');
    expect(d.clock.now()).toBe(51);
  });
});

describe('seed: blocking gets, read, puts, flush', () => {
  // "The async connect is terminated syncroneously. On success, the operation is performed. On
  // connect failure, the error "socket is not connected" is returned. The reason for the connect
  // failure may be investigated using fconfigure -error." (8.5.16+ unix / 8.6.2+: ok)
  const ops: readonly [string, (c: Channel) => unknown, (d: ScriptedDriver, result: unknown) => void][] = [
    ['gets', (c) => c.gets(), (_d, r) => expect(r).toBe('HELLO')],
    ['read', (c) => c.read(6), (_d, r) => expect(r).toBe('HELLO\n')],
    // "Remark: a puts may be delayed to a following flush."
    ['puts', (c) => { c.puts('HELO'); c.flush(); }, (d) => expect(d.sockets[1]?.sent).toBe('HELO\r\n')],
    ['flush', (c) => { c.puts('HELO'); c.flush(); }, (d) => expect(d.sockets[1]?.sent).toBe('HELO\r\n')],
  ];
  for (const [name, op, check] of ops) {
    it(`${name} finishes the connect synchronously and is performed on success`, () => {
      const { d, interp, c } = world('success');
      const w = new CountingScript('W');
      c.fileevent('writable', w);
      check(d, op(c));
      expect(c.configure('-connecting')).toBe('0');
      expect(events(interp)).toEqual([]);
    });

    it(`${name} finishes the connect synchronously and fails with "socket is not connected", the reason in -error`, () => {
      const { c } = world('failure');
      expect(tclErrorOf(() => op(c)).message).toMatch(/^error (reading|flushing) "sock1": socket is not connected$/);
      expect(c.configure('-error')).toBe('connection refused');
    });
  }
});

describe('seed: non-blocking gets, read, puts, flush', () => {
  it('NB1 "async connect still in progress": write buffered and scheduled for background flush, read returns empty', () => {
    const { d, c } = world('success');
    c.configure({ '-blocking': '0' });
    c.puts('HELO');
    c.flush();
    expect(c.gets()).toBe('');
    expect(c.read()).toBe('');
    expect(c.bgFlush).toBe(true);
    expect(d.sockets[0]?.sent).toBe('');
    expect(c.configure('-connecting')).toBe('1');
  });

  it('NB2 "async connect succeeded": operation is directly executed', () => {
    const { d, interp, c } = world('success');
    c.configure({ '-blocking': '0' });
    interp.after(5);
    c.configure('-connecting');
    interp.after(5);
    expect(c.configure('-connecting')).toBe('0');
    c.puts('HELO');
    c.flush();
    expect(d.sockets[1]?.sent).toBe('HELO\r\n');
    expect(c.gets()).toBe('HELLO');
  });

  it('NB3 "async connect failed": Error "socket is not connected" is returned', () => {
    const { interp, c } = world('failure');
    c.configure({ '-blocking': '0' });
    interp.after(5);
    c.configure('-connecting');
    interp.after(5);
    c.puts('HELO');
    expect(tclErrorOf(() => c.flush()).message).toBe('error flushing "sock1": socket is not connected');
    expect(tclErrorOf(() => c.gets()).message).toBe('error reading "sock1": socket is not connected');
  });

  it('"Eventual pending flush is executed in the background automatically when the connection is established and the event queue is running"', () => {
    const { d, interp, c } = world('success');
    c.configure({ '-blocking': '0' });
    c.puts('HELO');
    c.flush();
    interp.vwait(() => (d.sockets[1]?.sent ?? '') !== '');
    expect(d.sockets[1]?.sent).toBe('HELO\r\n');
  });
});

describe('seed: close', () => {
  it('"A close while connection is in progress ... should succeed"', () => {
    const { interp, c } = world('success');
    c.close();
    expect(interp.channelNames()).toEqual([]);
  });

  it('"... or after a succesful connection should succeed"', () => {
    const { c } = world('success');
    expect(c.gets()).toBe('HELLO');
    c.close();
  });

  it('"A close after a failed connection succeeds."', () => {
    const { c } = world('failure');
    tclErrorOf(() => c.gets());
    c.close();
  });

  it('"If a background flush is pending (or already resulted in an error), an error may be shown."', () => {
    const { interp, c } = world('failure');
    c.configure({ '-blocking': '0' });
    c.puts('HELO');
    c.flush();
    interp.vwait(() => !c.bgFlush);
    expect(tclErrorOf(() => c.close()).message).toBe('socket is not connected');
  });
});

describe('seed: eof', () => {
  it('"never active with async sockets and may not be used to detect the connection status"', () => {
    const { interp, c } = world('failure');
    c.configure({ '-blocking': '0' });
    expect(c.eof()).toBe(false);
    interp.after(5);
    c.gets();
    expect(c.eof()).toBe(false);
    interp.after(5);
    tclErrorOf(() => c.gets());
    expect(c.eof()).toBe(false);
  });

  it('"After a read on a socket closed from the other side" eof is active', () => {
    const d = new ScriptedDriver().fate('10.0.0.1', { kind: 'accept', reply: 'bye\n', closeAfterReply: true });
    const c = new Interp(d).socket('10.0.0.1', 80, { async: true });
    c.read();
    expect(c.eof()).toBe(true);
  });
});

describe('seed: fconfigure', () => {
  for (const option of ['-error', '-connecting', '-peername', '-sockname'] as const) {
    it(`"Any fconfigure command on the socket continues the connect process": ${option} does (8.6.13: driver options, §3.4)`, () => {
      const { d, interp, c } = world('success');
      interp.after(5);
      c.configure(option);
      expect(d.sockets).toHaveLength(2);
    });
  }
});

describe('seed: fconfigure -error', () => {
  it('"A final connect error should be returned by fconfigure -error. No error should be flagged while connection is running."', () => {
    const { interp, c } = world('failure');
    const seen: string[] = [];
    while (c.configure('-connecting') === '1') {
      seen.push(c.configure('-error'));
      interp.after(1);
    }
    expect(seen.every((e) => e === '')).toBe(true);
    expect(c.configure('-error')).toBe('connection refused');
  });

  it('reports the error once (8.5.16+ unix "ok"; the Windows "reported indefinitely" bug is absent)', () => {
    const { c } = world('failure');
    tclErrorOf(() => c.gets());
    expect([c.configure('-error'), c.configure('-error')]).toEqual(['connection refused', '']);
  });
});

describe('seed: fconfigure -sockname / -peername', () => {
  it('"The connection process should not be reflected" (TIP 427): both are "" while connecting', () => {
    const { interp, c } = world('success');
    interp.after(5);
    expect(c.configure('-connecting')).toBe('1'); // now at 127.0.0.1
    expect(c.configure('-sockname')).toBe('');
    expect(c.configure('-peername')).toBe('');
  });
});
