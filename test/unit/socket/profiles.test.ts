// Profiles (issue 4 item 4): each historical bug of the seed page / reference §10 shows its
// symptom under its profile and the correct behaviour under the default (tcl-8.6.13-unix); plus
// the catalogue itself (names, aliases, which switches each profile carries).
import { describe, expect, it } from 'vitest';
import { WouldWaitForeverError } from '../../../src/loop/loop-errors.js';
import { DEFAULT_PROFILE, listProfiles, profile, withBugs, type Profile } from '../../../src/socket/profiles.js';
import { Interp, type Channel } from '../../../src/socket/interp.js';
import { CountingScript, ScriptedDriver, tclErrorOf } from '../../helpers/scripted-driver.js';

/** `name` resolves to [10.0.0.1 refused after 1 ms, 10.0.0.2 accepting after 1 ms]. */
function refusedThenAccepting(p: Profile | string): { d: ScriptedDriver; interp: Interp; c: Channel } {
  const d = new ScriptedDriver()
    .dns('name', ['10.0.0.1', '10.0.0.2'])
    .fate('10.0.0.1', { kind: 'refuse', afterMs: 1 })
    .fate('10.0.0.2', { kind: 'accept', afterMs: 1, reply: 'hi\n' });
  const interp = new Interp(d, { profile: p });
  return { d, interp, c: interp.socket('name', 80, { async: true }) };
}

/** Waits for the completion notification of `c` (a writable handler that removes itself). */
function awaitCompletion(interp: Interp, c: Channel): void {
  const w = new CountingScript('W', () => c.fileevent('writable', null));
  c.fileevent('writable', w);
  interp.vwait(() => w.runs === 1);
}

describe('bug 13d3af3ad5: only the first address is tried (Windows 8.6.0–8.6.1)', () => {
  for (const p of ['tcl-8.6.1-win', withBugs(DEFAULT_PROFILE, ['13d3af3ad5'])]) {
    it(`fails to connect to a name resolving to [refused, accepting] under ${typeof p === 'string' ? p : p.name}`, () => {
      // §10: "socket -async only tried the first address returned by DNS (no walk)".
      const { d, interp, c } = refusedThenAccepting(p);
      awaitCompletion(interp, c);
      expect(c.configure('-error')).toBe('connection refused');
      expect(d.sockets).toHaveLength(1);
    });
  }

  it('connects through the second address under the default profile', () => {
    const { d, interp, c } = refusedThenAccepting(DEFAULT_PROFILE);
    awaitCompletion(interp, c);
    expect(c.configure('-error')).toBe('');
    expect(c.gets()).toBe('hi');
    expect(d.sockets).toHaveLength(2);
  });
});

describe('bug 336441ed59: a quick connect is lost before the socket is registered (Windows 8.5.15 / 8.6.1)', () => {
  /** One address accepting after `ms`; a writable handler and `vwait` for it. */
  function quick(p: Profile | string, ms: number): { interp: Interp; run: () => void } {
    const d = new ScriptedDriver().fate('10.0.0.1', { kind: 'accept', afterMs: ms });
    const interp = new Interp(d, { profile: p });
    const c = interp.socket('10.0.0.1', 80, { async: true });
    c.fileevent('writable', new CountingScript('W', () => { c.fileevent('writable', null); interp.set('done'); }));
    return { interp, run: () => interp.vwait('done') };
  }

  for (const p of [withBugs(DEFAULT_PROFILE, ['336441ed59']), profile('tcl-8.6.1-win')]) {
    it(`waits forever for a connect completing at the registration instant under ${p.name}`, () => {
      // §10: "an async connect that terminates very quickly ... had its notification ignored,
      // so the socket waited forever"; on a virtual clock that is WouldWaitForeverError.
      const { interp, run } = quick(p, 0);
      let caught: unknown;
      try {
        run();
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(WouldWaitForeverError);
      expect((caught as WouldWaitForeverError).code).toBe('ERR_WOULD_WAIT_FOREVER');
      expect(interp.trace.ofKind('loop.lost')).toHaveLength(1);
    });

    it(`still reports a slower connect under ${p.name}`, () => {
      const { interp, run } = quick(p, 1);
      run();
      expect(interp.trace.ofKind('loop.lost')).toHaveLength(0);
    });
  }

  it('lives in the notifier Interp builds from the profile, and only there', () => {
    // Modelled once: the bug is the notifier learning of a new socket late (Profile.notifier);
    // the default profile's notifier registers watches at once and loses nothing.
    const buggy = new Interp(new ScriptedDriver(), { profile: withBugs(DEFAULT_PROFILE, ['336441ed59']) }).loop.notifier;
    expect([buggy.watchDelayMs, buggy.loseReadinessBeforeWatch, buggy.delivery]).toEqual([0, true, 'level']);
    const plain = new Interp(new ScriptedDriver()).loop.notifier;
    expect([plain.watchDelayMs, plain.loseReadinessBeforeWatch]).toEqual([undefined, false]);
  });

  it('reports the quick connect under the default profile', () => {
    const { interp, run } = quick(DEFAULT_PROFILE, 0);
    run();
    expect(interp.get('done')).toBe('1');
  });
});

describe('bug 97069ea11a: close after a failed background flush has an empty message', () => {
  /** Non-blocking puts+flush during a walk that then fails; the background flush fails; close. */
  function closeAfterFailedBackgroundFlush(p: Profile | string): ReturnType<typeof tclErrorOf> {
    const d = new ScriptedDriver().fate('10.0.0.1', { kind: 'refuse', afterMs: 1 });
    const interp = new Interp(d, { profile: p });
    const c = interp.socket('10.0.0.1', 80, { async: true });
    c.configure({ '-blocking': '0' });
    c.puts('ok');
    c.flush();
    interp.vwait(() => !c.bgFlush);
    return tclErrorOf(() => c.close());
  }

  for (const p of ['tcl-8.6.1-unix', 'tcl-8.5.15-unix', 'tcl-8.6.1-win']) {
    it(`raises an error with an empty message under ${p}`, () => {
      const err = closeAfterFailedBackgroundFlush(p);
      expect(err.message).toBe('');
      expect(err.code).toBe('ENOTCONN');
    });
  }

  it('raises "socket is not connected" under the default profile', () => {
    // §7 item 4: "if the interpreter result is still empty the POSIX message of the code is
    // filled in, so the message is never empty".
    expect(closeAfterFailedBackgroundFlush(DEFAULT_PROFILE).message).toBe('socket is not connected');
  });
});

describe('bug 581937ab1e: no readable event on failure unless writable is watched too (Windows 8.5.15 / 8.6.1)', () => {
  function readableOnFailure(p: Profile | string, alsoWritable: boolean): { fired: () => boolean; interp: Interp } {
    const d = new ScriptedDriver().fate('10.0.0.1', { kind: 'refuse', afterMs: 1 });
    const interp = new Interp(d, { profile: p });
    const c = interp.socket('10.0.0.1', 80, { async: true });
    const r = new CountingScript('R', () => c.fileevent('readable', null));
    c.fileevent('readable', r);
    if (alsoWritable) c.fileevent('writable', new CountingScript('W', () => c.fileevent('writable', null)));
    return { fired: () => r.runs === 1, interp };
  }

  it('never fires a readable-only handler under tcl-8.6.1-win', () => {
    // §10 / upstream 14.14: "a readable-only fileevent did not fire when the async connect failed".
    const { fired, interp } = readableOnFailure('tcl-8.6.1-win', false);
    expect(() => interp.vwait(fired)).toThrow(WouldWaitForeverError);
  });

  it('fires the readable handler under tcl-8.6.1-win when writable is also watched', () => {
    const { fired, interp } = readableOnFailure('tcl-8.6.1-win', true);
    interp.vwait(fired);
    expect(fired()).toBe(true);
  });

  it('fires a readable-only handler under the default profile (upstream 14.14)', () => {
    const { fired, interp } = readableOnFailure(DEFAULT_PROFILE, false);
    interp.vwait(fired);
    expect(fired()).toBe(true);
  });
});

describe('sticky -error (Windows 8.5.15: "Failed socket connect error is reported indefinitely")', () => {
  function errors(p: string): string[] {
    const d = new ScriptedDriver().fate('10.0.0.1', { kind: 'refuse', afterMs: 1 });
    const interp = new Interp(d, { profile: p });
    const c = interp.socket('10.0.0.1', 80, { async: true });
    interp.after(5);
    return [c.configure('-error'), c.configure('-error'), c.configure('-error')];
  }

  it('reports the error every time under tcl-8.5.15-win', () => {
    expect(errors('tcl-8.5.15-win')).toEqual(['connection refused', 'connection refused', 'connection refused']);
  });

  it('reports it once under the default profile', () => {
    expect(errors('default')).toEqual(['connection refused', '', '']);
  });
});

describe('intermediate errors in -error (8.6.1 unix: "The errors of all tested IPs show temporarely up")', () => {
  function whileConnecting(p: string): { error: string; stillConnecting: boolean } {
    const { interp, c, d } = refusedThenAccepting(p);
    interp.after(5);
    const error = c.configure('-error'); // consumes the 10.0.0.1 refusal, 10.0.0.2 in flight
    return { error, stillConnecting: d.sockets.length === 2 && d.sockets[1]?.remoteAddress() === null };
  }

  it('shows the first address\'s refusal while the second is in flight under tcl-8.6.1-unix', () => {
    expect(whileConnecting('tcl-8.6.1-unix')).toEqual({ error: 'connection refused', stillConnecting: true });
  });

  it('shows "" while connecting under the default profile', () => {
    expect(whileConnecting('default')).toEqual({ error: '', stillConnecting: true });
  });
});

describe('-peername / -sockname reflecting the attempt in progress (8.6.1)', () => {
  function whileConnecting(p: string): { peer: string; sock: string; port: number | undefined } {
    const { interp, c, d } = refusedThenAccepting(p);
    interp.after(5);
    c.configure('-error'); // now at 10.0.0.2
    return { peer: c.configure('-peername'), sock: c.configure('-sockname'), port: d.sockets[1]?.ephemeralPort };
  }

  it('reflects the second attempt once the walk reached it under tcl-8.6.1-unix', () => {
    // Seed: "-peername 8.6.1 unix reflects connection process".
    const { peer, sock, port } = whileConnecting('tcl-8.6.1-unix');
    expect(peer).toBe('10.0.0.2 10.0.0.2 80');
    expect(sock).toBe(`0.0.0.0 0.0.0.0 ${port}`);
  });

  it('reflects the first attempt under tcl-8.6.1-win', () => {
    // Seed: "-peername 8.6.1 win returns information of first tried IP"; "-sockname 8.6.1 win
    // returns ':: :: 51070' if first try is IPV6" (the bound wildcard and its port).
    const d = new ScriptedDriver().dns('name', ['::1']).fate('::1', { kind: 'silent' });
    const c = new Interp(d, { profile: 'tcl-8.6.1-win' }).socket('name', 80, { async: true });
    expect(c.configure('-peername')).toBe('::1 ::1 80');
    expect(c.configure('-sockname')).toBe(`:: :: ${d.sockets[0]?.ephemeralPort}`);
  });

  it('answers "" for both while connecting under the default profile (TIP 427)', () => {
    expect(whileConnecting('default')).toMatchObject({ peer: '', sock: '' });
  });
});

describe('Windows 8.6.13 -error (§9)', () => {
  it('does not fall back to SO_ERROR while the failed flag is set, unlike Unix', () => {
    // §9: "-error after a failure reports only the stored error, once; afterwards "" (it does not
    // fall back to SO_ERROR while the failed flag is set)"; §5 -error 3 for Unix.
    for (const [p, expected] of [['tcl-8.6.13-win', ''], ['tcl-8.6.13-unix', 'connection reset by peer']] as const) {
      const d = new ScriptedDriver().fate('10.0.0.1', { kind: 'refuse', afterMs: 1 });
      const interp = new Interp(d, { profile: p });
      const c = interp.socket('10.0.0.1', 80, { async: true });
      interp.after(5);
      expect(c.configure('-error')).toBe('connection refused');
      d.sockets[0]?.raiseSoError('ECONNRESET');
      expect(c.configure('-error')).toBe(expected);
    }
  });
});

describe('the profile catalogue', () => {
  it('has tcl-8.6.13-unix as the default, also under the names "default" and "tcl-8.6.2+-unix"', () => {
    expect(DEFAULT_PROFILE.name).toBe('tcl-8.6.13-unix');
    expect(DEFAULT_PROFILE.bugs).toEqual([]);
    expect(profile('default')).toBe(DEFAULT_PROFILE);
    expect(profile('tcl-8.6.2+-unix')).toBe(DEFAULT_PROFILE);
    expect(profile('tcl-8.6.2+-win').name).toBe('tcl-8.6.13-win');
    expect(listProfiles()[0]).toBe(DEFAULT_PROFILE);
  });

  it('names the seed\'s version/platform rows and carries the bugs the seed lists for each', () => {
    // Seed bug tables: 336441ed59 "8.5.15 / 8.6.1 present" (Windows), 97069ea11a "8.5.15 /
    // 8.6.1 present", 581937ab1e "8.5.15 win / 8.6.1 win present", 13d3af3ad5 "8.6.1 win".
    const bugs = (name: string): readonly string[] => profile(name).bugs;
    expect(bugs('tcl-8.6.1-win')).toEqual(expect.arrayContaining(['13d3af3ad5', '336441ed59', '581937ab1e', '97069ea11a']));
    expect(bugs('tcl-8.5.15-win')).toEqual(expect.arrayContaining(['336441ed59', '581937ab1e', '97069ea11a', 'sticky-error']));
    expect(bugs('tcl-8.6.1-unix')).toEqual(expect.arrayContaining(['97069ea11a', 'intermediate-error', 'addresses-reflect-attempt']));
    expect(bugs('tcl-8.6.1-unix')).not.toContain('13d3af3ad5'); // "8.6.1 unix ok, requires event loop"
    expect(bugs('tcl-8.5.15-unix')).toContain('97069ea11a');
    expect(bugs('tcl-8.6.13-win')).toEqual([]);
  });

  it('rejects an unknown name with ERR_UNKNOWN_PROFILE listing the known ones', () => {
    expect(() => profile('tcl-9')).toThrow(expect.objectContaining({ code: 'ERR_UNKNOWN_PROFILE', message: expect.stringContaining('tcl-8.6.13-unix') }));
  });

  it('lacks -connecting before TIP 427 (8.6.4), so it is a bad option there', () => {
    // §5 -connecting "(TIP 427, Tcl 8.6.4)".
    const c = new Interp(new ScriptedDriver(), { profile: 'tcl-8.6.1-unix' }).socket('10.0.0.1', 80, { async: true });
    expect(tclErrorOf(() => c.configure('-connecting')).message).toBe(
      'bad option "-connecting": should be one of -blocking, -buffering, -buffersize, -encoding, -eofchar, -translation, -peername, or -sockname',
    );
  });

  it('composes a single bug onto a base with withBugs, leaving the base unchanged', () => {
    const p = withBugs(DEFAULT_PROFILE, ['sticky-error']);
    expect(p.stickyError).toBe(true);
    expect(p.bugs).toEqual(['sticky-error']);
    expect(p.name).toBe('tcl-8.6.13-unix+sticky-error');
    expect(DEFAULT_PROFILE.stickyError).toBe(false);
  });
});
