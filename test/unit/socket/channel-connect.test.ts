// Channel behaviour of the async connect on the scripted driver, one `describe` per section of
// the reference (§3.2 creating the channel, §3.4 triggers, §3.5 finishing, §3.6 fileevents while
// in flight). Each remote address gets a planned fate; `d.sockets.length` counts the attempts
// that went in flight, which is how a test sees whether a command advanced the machine.
import { describe, expect, it } from 'vitest';
import { Interp } from '../../../src/socket/interp.js';
import { CountingScript, ScriptedDriver, events, observations, tclErrorOf } from '../../helpers/scripted-driver.js';

/**
 * `::1` refused after 1 ms, then `127.0.0.1` with `second` fate: the dual-stack localhost of §2.
 * An accepting server sends `ok` unless `reply` is false.
 */
function dual(second: 'refuse' | 'accept', reply = true): ScriptedDriver {
  return new ScriptedDriver()
    .dns('localhost', ['::1', '127.0.0.1'])
    .fate('::1', { kind: 'refuse', afterMs: 1 })
    .fate('127.0.0.1', second === 'refuse' ? { kind: 'refuse', afterMs: 1 } : reply ? { kind: 'accept', afterMs: 1, reply: 'ok\n' } : { kind: 'accept', afterMs: 1 });
}

/** Three addresses refused 1 ms after each attempt starts. */
function triple(): ScriptedDriver {
  return new ScriptedDriver()
    .dns('h', ['10.0.0.1', '10.0.0.2', '10.0.0.3'])
    .fate('10.0.0.1', { kind: 'refuse', afterMs: 1 })
    .fate('10.0.0.2', { kind: 'refuse', afterMs: 1 })
    .fate('10.0.0.3', { kind: 'refuse', afterMs: 1 });
}

describe('§3.2 creating the channel (socket -async)', () => {
  it('fails with "couldn\'t open socket: connection refused" when every pair fails at once', () => {
    // §3.2: "If the walk ends without an attempt in flight ... the command fails with
    // `couldn't open socket: <message of the recorded error>`"; §8 errorCode `POSIX <NAME> <msg>`.
    const d = new ScriptedDriver()
      .dns('h', ['10.0.0.1', '10.0.0.2'])
      .fate('10.0.0.1', { kind: 'fail', error: 'ECONNREFUSED' })
      .fate('10.0.0.2', { kind: 'fail', error: 'ECONNREFUSED' });
    const interp = new Interp(d);
    const err = tclErrorOf(() => interp.socket('h', 80, { async: true }));
    expect(err.message).toBe("couldn't open socket: connection refused");
    expect(err.errorCode).toBe('POSIX ECONNREFUSED {connection refused}');
    expect(err.code).toBe('ECONNREFUSED');
    expect(interp.channelNames()).toEqual([]); // "no channel exists" (§3.1)
  });

  it('reports the last attempt\'s error when different attempts fail differently at once', () => {
    // §3.2: "Otherwise it is the last attempt's error".
    const d = new ScriptedDriver()
      .dns('h', ['10.0.0.1', '10.0.0.2'])
      .fate('10.0.0.1', { kind: 'fail', error: 'ENETUNREACH' })
      .fate('10.0.0.2', { kind: 'fail', error: 'EADDRINUSE' });
    expect(tclErrorOf(() => new Interp(d).socket('h', 80, { async: true })).message).toBe("couldn't open socket: address already in use");
  });

  it('fails with "host is unreachable" when no pair is possible (-myaddr ::1 to an IPv4 target)', () => {
    // §3.2: "if no attempt was even possible (for example only family-mismatched pairs,
    // `-myaddr ::1` with an IPv4 target) the message is `couldn't open socket: host is unreachable`".
    const d = new ScriptedDriver().fate('127.0.0.1', { kind: 'accept' });
    const err = tclErrorOf(() => new Interp(d).socket('127.0.0.1', 80, { async: true, myaddr: '::1' }));
    expect(err.message).toBe("couldn't open socket: host is unreachable");
    expect(err.errorCode).toBe('POSIX EHOSTUNREACH {host is unreachable}');
    expect(d.sockets).toHaveLength(0); // nothing was attempted
  });

  it('fails with "port number too high" and errorCode NONE for a port above 65535', () => {
    // §8: "port > 65535 | `couldn't open socket: port number too high` (errorCode NONE)".
    const interp = new Interp(new ScriptedDriver());
    for (const open of [() => interp.socket('10.0.0.1', 65536, { async: true }), () => interp.socket('10.0.0.1', 80, { async: true, myport: 70000 })]) {
      const err = tclErrorOf(open);
      expect(err.message).toBe("couldn't open socket: port number too high");
      expect(err.errorCode).toBe('NONE');
    }
  });

  it('fails with the resolver\'s message when the name does not resolve', () => {
    // §2: "Resolution failure makes the command itself fail with `couldn't open socket:
    // <resolver message>` (for example glibc's "Name or service not known"); no channel is created."
    const interp = new Interp(new ScriptedDriver());
    expect(tclErrorOf(() => interp.socket('nowhere.invalid', 80, { async: true })).message).toBe(
      "couldn't open socket: Name or service not known",
    );
    expect(interp.channelNames()).toEqual([]);
  });

  it('returns a connecting channel that starts blocking, fully buffered, with -translation {auto crlf}', () => {
    // §3.2: "The new channel starts with -blocking 1, -buffering full, -translation {auto crlf}".
    const d = dual('accept');
    const interp = new Interp(d);
    const c = interp.socket('localhost', 80, { async: true });
    expect(c.name).toBe('sock1');
    expect(interp.channelNames()).toEqual(['sock1']);
    expect(c.configure('-blocking')).toBe('1');
    expect(c.configure('-buffering')).toBe('full');
    expect(c.configure('-translation')).toBe('auto crlf');
    expect(c.configure('-connecting')).toBe('1');
  });

  it('makes a synchronous socket walk every candidate before returning (upstream socket-15.1)', () => {
    // §11 socket-15.1: "checks the synchronous walk over candidates"; a refused first family
    // does not stop a connect to the second.
    const interp = new Interp(dual('accept'));
    const c = interp.socket('localhost', 80);
    expect(c.configure('-connecting')).toBe('0');
    expect(c.configure('-peername')).toBe('127.0.0.1 127.0.0.1 80');
  });

  it('reports a synchronous socket that can never connect as ERR_WOULD_BLOCK_FOREVER and leaves nothing open', () => {
    // Real Tcl would block; on a virtual clock the walk is provably endless (architecture.md,
    // "Blocking operations"). The attempt's socket must not outlive the failed command.
    const d = new ScriptedDriver().fate('10.0.0.1', { kind: 'silent' });
    const interp = new Interp(d);
    expect(() => interp.socket('10.0.0.1', 80)).toThrow(expect.objectContaining({ code: 'ERR_WOULD_BLOCK_FOREVER' }));
    expect(interp.channelNames()).toEqual([]);
    expect(d.sockets[0]?.isClosed).toBe(true);
    expect(interp.loop.notifier.watchCount).toBe(0);
  });

  it('makes a synchronous socket fail with "connection refused" when every candidate refuses (socket-15.1)', () => {
    const interp = new Interp(dual('refuse'));
    expect(tclErrorOf(() => interp.socket('localhost', 80)).message).toBe("couldn't open socket: connection refused");
    expect(interp.channelNames()).toEqual([]);
  });
});

describe('§3.4 what triggers a step', () => {
  it('steps once per option query, even on a blocking channel (oracle dual-v4only-poll: 1 then 0)', () => {
    // §3.4: "the first query consumes the ::1 failure and starts the 127.0.0.1 attempt, so it
    // sees 1; the next query finishes".
    const d = dual('accept');
    const interp = new Interp(d);
    const c = interp.socket('localhost', 80, { async: true });
    interp.after(5);
    expect(c.configure('-connecting')).toBe('1');
    expect(d.sockets).toHaveLength(2);
    interp.after(5);
    expect(c.configure('-connecting')).toBe('0');
  });

  for (const query of ['-error', '-connecting', '-peername', '-sockname', 'all options', '-bogus'] as const) {
    it(`never blocks: ${query} takes at most one step and no time on a blocking channel`, () => {
      // §3.4: "driver option queries ... one zero-timeout check and at most one step, even on a
      // blocking channel (never blocks)"; a bad option also reaches the driver (§5).
      const d = triple();
      const interp = new Interp(d);
      const c = interp.socket('h', 80, { async: true });
      interp.after(5);
      const before = d.clock.now();
      if (query === 'all options') c.configureAll();
      else if (query === '-bogus') tclErrorOf(() => c.configure('-bogus'));
      else c.configure(query);
      expect(d.sockets).toHaveLength(2); // one step: attempt 1 consumed, attempt 2 in flight
      expect(d.clock.now()).toBe(before); // no waiting
    });
  }

  it('lets -error finish the walk and report the final error in the same call (oracle dual-none-poll)', () => {
    // §3.4: "`-connecting` 1, then `-error` "connection refused", then `-connecting` 0".
    const interp = new Interp(dual('refuse'));
    const c = interp.socket('localhost', 80, { async: true });
    interp.after(5);
    expect(c.configure('-connecting')).toBe('1');
    interp.after(5);
    expect(c.configure('-error')).toBe('connection refused');
    expect(c.configure('-connecting')).toBe('0');
  });

  it('makes a blocking read walk to the end without running handlers (upstream 14.15)', () => {
    // §3.5: "On a blocking channel nothing is synthesised ... (test 14.15 checks that a blocking
    // `read` does not run event handlers)"; §4: Failed read is `error reading ...`.
    const d = dual('refuse');
    const interp = new Interp(d);
    const c = interp.socket('localhost', 80, { async: true });
    const fail = new CountingScript('set fail 1');
    c.fileevent('writable', fail);
    const err = tclErrorOf(() => c.read());
    expect(err.message).toBe('error reading "sock1": socket is not connected');
    expect(d.sockets).toHaveLength(2); // both candidates were walked
    expect(fail.runs).toBe(0);
    c.close();
    expect(fail.runs).toBe(0); // 14.15 prints "ok": the handler never ran
  });

  it('makes a blocking gets wait for the whole walk and return the reply (upstream 14.7.0)', () => {
    // §11 14.7.0: {"" ok ""}: `-error`, blocking `gets`, `-error` right after socket -async.
    const d = dual('accept');
    const interp = new Interp(d);
    const c = interp.socket('localhost', 80, { async: true });
    const w = new CountingScript('W');
    c.fileevent('writable', w);
    expect([c.configure('-error'), c.gets(), c.configure('-error')]).toEqual(['', 'ok', '']);
    expect(w.runs).toBe(0); // blocking I/O does not service the event loop
  });

  it('makes a blocking flush walk to the end and deliver the data (upstream 14.9.0)', () => {
    // §11 14.9.0: "client blocking `puts ok` + `flush` right after socket -async: `-error` "" and
    // the child received "ok"" (sent with the default crlf output translation, §3.2).
    const d = dual('accept');
    const interp = new Interp(d);
    const c = interp.socket('localhost', 80, { async: true });
    c.puts('ok');
    c.flush();
    expect(c.configure('-error')).toBe('');
    expect(d.sockets[1]?.sent).toBe('ok\r\n');
  });

  it('makes non-blocking gets, read and flush check only once each', () => {
    // §3.4: "the same operations on a non-blocking channel: one zero-timeout readiness check;
    // if ready, one step; never waits".
    const d = triple();
    const interp = new Interp(d);
    const c = interp.socket('h', 80, { async: true });
    c.configure({ '-blocking': '0' });
    interp.after(5);
    expect(c.gets()).toBe('');
    expect(d.sockets).toHaveLength(2);
    interp.after(5);
    expect(c.read()).toBe('');
    expect(d.sockets).toHaveLength(3);
    c.puts('x');
    const before = d.clock.now();
    c.flush(); // attempt 3 not ready yet: a check, no step, no wait
    expect(d.sockets).toHaveLength(3);
    expect(d.clock.now()).toBe(before);
    expect(c.configure('-connecting')).toBe('1');
  });

  it('does not advance for -blocking, generic options, eof, fblocked, fileevent or a buffered puts', () => {
    // §3.4 last row: "generic option queries and settings ..., `eof`, `fblocked`, `fileevent`
    // do not touch the state machine"; §4 puts "buffers only (driver untouched ...)".
    const d = dual('accept');
    const interp = new Interp(d);
    const c = interp.socket('localhost', 80, { async: true });
    interp.after(5); // ::1 has been refused by now; only a step would notice
    for (const option of ['-blocking', '-buffering', '-buffersize', '-encoding', '-eofchar', '-translation']) c.configure(option);
    c.configure({ '-blocking': '0' });
    c.configure({ '-blocking': '1', '-buffering': 'full' });
    expect(c.eof()).toBe(false);
    expect(c.fblocked()).toBe(false);
    c.fileevent('writable', new CountingScript('W'));
    c.fileeventQuery('writable');
    c.fileevent('writable', null);
    c.puts('buffered');
    expect(d.sockets).toHaveLength(1);
    // The oracle sequence still starts at the first step.
    expect(c.configure('-connecting')).toBe('1');
    interp.after(5);
    expect(c.configure('-connecting')).toBe('0');
  });

  it('does not step during a plain after sleep, but does from update', () => {
    // §3.4 first row: "event loop (vwait, update; a plain `after ms` sleep does not service events)".
    const d = triple();
    const interp = new Interp(d);
    interp.socket('h', 80, { async: true });
    interp.after(5);
    expect(d.sockets).toHaveLength(1);
    interp.update();
    expect(d.sockets).toHaveLength(2); // one step per readiness report; attempt 2 is not ready yet
  });

  it('finishes a whole walk in one update when every answer is immediate (oracle dual-update-steps)', () => {
    // §3.4: "update keeps servicing until nothing is ready, so on loopback one update can
    // finish a whole multi-address walk".
    const d = new ScriptedDriver()
      .dns('localhost', ['::1', '127.0.0.1'])
      .fate('::1', { kind: 'refuse', afterMs: 0 })
      .fate('127.0.0.1', { kind: 'refuse', afterMs: 0 });
    const interp = new Interp(d);
    const c = interp.socket('localhost', 80, { async: true });
    interp.update();
    expect(d.sockets).toHaveLength(2);
    expect(c.configure('-connecting')).toBe('0');
    expect(c.configure('-error')).toBe('connection refused');
  });
});

describe('§3.5 effects of finishing the walk', () => {
  it('delivers writable synchronously inside the option query that finished a non-blocking walk', () => {
    // §3.5 item 5: "only if the channel is non-blocking ..., a writable notification is
    // delivered synchronously, inside whatever triggered the step"; §13 `during` names it.
    const d = dual('accept');
    const interp = new Interp(d);
    const c = interp.socket('localhost', 80, { async: true });
    c.configure({ '-blocking': '0' });
    c.fileevent('writable', new CountingScript('W', () => c.fileevent('writable', null)));
    interp.after(5);
    expect(c.configure('-connecting')).toBe('1');
    expect(events(interp)).toEqual([]); // an intermediate failure has no visible effect (§3.7)
    interp.after(5);
    expect(c.configure('-connecting')).toBe('0');
    const tail = observations(interp).slice(-3);
    expect(tail).toEqual([
      { event: 'writable', chan: 'sock1', during: 'fconfigure sock1 -connecting' },
      { op: 'fileevent sock1 writable {}', result: '' },
      { op: 'fconfigure sock1 -connecting', result: '0' },
    ]);
  });

  for (const [name, trigger] of [
    ['gets', (c: import('../../../src/socket/interp.js').Channel) => c.gets()],
    ['read', (c: import('../../../src/socket/interp.js').Channel) => c.read()],
    ['flush', (c: import('../../../src/socket/interp.js').Channel) => { c.puts('x'); c.flush(); }],
  ] as const) {
    it(`delivers writable synchronously inside a non-blocking ${name} that finished the walk`, () => {
      // §3.5 item 5 lists `gets`, `flush` ... as triggers of the synchronous delivery.
      const d = new ScriptedDriver().fate('10.0.0.1', { kind: 'refuse', afterMs: 1 });
      const interp = new Interp(d);
      const c = interp.socket('10.0.0.1', 80, { async: true });
      c.configure({ '-blocking': '0' });
      c.fileevent('writable', new CountingScript('W', () => c.fileevent('writable', null)));
      interp.after(5);
      expect(() => trigger(c)).toThrow(/socket is not connected/);
      const op = name === 'flush' ? 'flush sock1' : `${name} sock1`;
      expect(events(interp)).toEqual([`writable@${op}`]);
    });
  }

  it('runs the handlers of a blocking channel later, from the event loop, not inside the query', () => {
    // §3.5 item 5: "On a blocking channel nothing is synthesised; the handlers run when the OS
    // reports readiness in a later pass of the event loop" (oracle refused-blocking-event-not-inside-op).
    const d = new ScriptedDriver().fate('10.0.0.1', { kind: 'refuse', afterMs: 1 });
    const interp = new Interp(d);
    const c = interp.socket('10.0.0.1', 80, { async: true });
    c.fileevent('writable', new CountingScript('W', () => c.fileevent('writable', null)));
    interp.after(5);
    expect(c.configure('-connecting')).toBe('0');
    expect(events(interp)).toEqual([]);
    interp.update();
    expect(events(interp)).toEqual(['writable@update']);
  });

  it('uses the -blocking mode at completion, not the mode at socket -async', () => {
    // §3.7: "fconfigure -blocking b: only the cached mode changes ...; the mode at completion
    // decides whether 3.5 item 5 happens".
    for (const [modes, expected] of [
      [['0', '1'], []],
      [['1', '0'], ['writable@fconfigure sock1 -error']],
    ] as const) {
      const d = new ScriptedDriver().fate('10.0.0.1', { kind: 'refuse', afterMs: 1 });
      const interp = new Interp(d);
      const c = interp.socket('10.0.0.1', 80, { async: true });
      c.fileevent('writable', new CountingScript('W', () => c.fileevent('writable', null)));
      for (const m of modes) c.configure({ '-blocking': m });
      interp.after(5);
      c.configure('-error');
      expect(events(interp)).toEqual(expected);
    }
  });

  it('delivers the synchronous notification from the event loop with during = vwait', () => {
    // §13: `during` is "the innermost traced command running when the handler ran (vwait done ...)".
    const interp = new Interp(dual('accept'));
    const c = interp.socket('localhost', 80, { async: true });
    c.configure({ '-blocking': '0' });
    c.fileevent('writable', new CountingScript('W', () => { c.fileevent('writable', null); interp.set('done'); }));
    interp.vwait('done');
    expect(events(interp)).toEqual(['writable@vwait done']);
  });

  it('runs writable before readable when writable was installed last (oracle refused-both-events)', () => {
    // §3.5: "the most recently created one runs first ... readable installed before writable
    // sees writable then readable".
    const interp = new Interp(new ScriptedDriver().fate('10.0.0.1', { kind: 'refuse' }));
    const c = interp.socket('10.0.0.1', 80, { async: true });
    c.fileevent('readable', new CountingScript('R', () => c.fileevent('readable', null)));
    c.fileevent('writable', new CountingScript('W', () => c.fileevent('writable', null)));
    interp.vwait(() => events(interp).length === 2);
    expect(events(interp).map((e) => e.split('@')[0])).toEqual(['writable', 'readable']);
  });

  it('fires readable and writable again and again after a failure until they are removed', () => {
    // §3.5: "After a failure ... both readable and writable fileevents fire, level-triggered,
    // again and again until removed".
    const interp = new Interp(new ScriptedDriver().fate('10.0.0.1', { kind: 'refuse' }));
    const c = interp.socket('10.0.0.1', 80, { async: true });
    const r = new CountingScript('R', (s) => { if (s.runs === 3) c.fileevent('readable', null); });
    const w = new CountingScript('W', (s) => { if (s.runs === 3) c.fileevent('writable', null); });
    c.fileevent('readable', r);
    c.fileevent('writable', w);
    interp.vwait(() => r.runs === 3 && w.runs === 3);
    interp.update();
    expect([r.runs, w.runs]).toEqual([3, 3]);
  });

  it('fires writable after a success and readable only once data arrives', () => {
    // §3.5: "After a success the socket is writable as usual; readable fires when data or EOF arrives."
    const d = new ScriptedDriver().fate('10.0.0.1', { kind: 'accept', afterMs: 1, reply: 'hi\n', replyAfterMs: 10 });
    const interp = new Interp(d);
    const c = interp.socket('10.0.0.1', 80, { async: true });
    const r = new CountingScript('R', () => { c.gets(); });
    const w = new CountingScript('W', () => c.fileevent('writable', null));
    c.fileevent('readable', r);
    c.fileevent('writable', w);
    interp.vwait(() => w.runs === 1);
    interp.update();
    expect(r.runs).toBe(0);
    interp.vwait(() => r.runs === 1);
    expect(d.clock.now()).toBe(11);
  });

  it('fires the completion when the last attempt of a step fails at once (no socket in flight)', () => {
    // §3.3 step 4 "immediate failures are consumed within the same step", step 5 Failed, and
    // §3.5: "After a failure the socket stays open ... reports it readable and writable".
    // Tcl's last attempt socket stays open even when its connect failed at once.
    const d = new ScriptedDriver()
      .dns('h', ['10.0.0.1', '10.0.0.2'])
      .fate('10.0.0.1', { kind: 'refuse', afterMs: 3 })
      .fate('10.0.0.2', { kind: 'fail', error: 'ENETUNREACH' });
    const interp = new Interp(d);
    const c = interp.socket('h', 80, { async: true });
    c.fileevent('writable', new CountingScript('W', () => { c.fileevent('writable', null); interp.set('done'); }));
    interp.vwait('done');
    expect(c.configure('-error')).toBe('network is unreachable');
    expect(tclErrorOf(() => c.gets()).message).toBe('error reading "sock1": socket is not connected');
  });
});

describe('§3.6 fileevents while in flight', () => {
  for (const [oracle, second] of [['dual-none-event', 'refuse'], ['dual-v4only-event', 'accept']] as const) {
    it(`shows exactly one completion per walk and nothing before it (oracle ${oracle})`, () => {
      // §3.6: "no script event can fire for a socket that is still connecting, and exactly one
      // completion is observable per walk ... (writable count 1)".
      const d = dual(second, false);
      const interp = new Interp(d);
      const c = interp.socket('localhost', 80, { async: true });
      const w = new CountingScript('W', () => c.fileevent('writable', null));
      const r = new CountingScript('R', () => c.fileevent('readable', null));
      c.fileevent('writable', w);
      c.fileevent('readable', r);
      interp.after(1);
      interp.update(); // the ::1 failure is consumed by the event loop
      expect(d.sockets).toHaveLength(2);
      expect(w.runs + r.runs).toBe(0);
      interp.vwait(() => w.runs > 0);
      interp.update();
      expect(w.runs).toBe(1);
      // §3.5: readable fires on failure, but after a success only when data arrives (none here).
      expect(r.runs).toBe(second === 'refuse' ? 1 : 0);
    });
  }
});
