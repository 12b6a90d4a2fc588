/**
 * Every example is executed here and its outcome asserted against the seed page and the
 * reference, so the examples cannot rot. Expected values come from the documents cited.
 */
import { describe, expect, it } from 'vitest';
import * as background from '../../examples/background-connect.js';
import * as readableOnly from '../../examples/readable-only.js';
import * as asyncBlocking from '../../examples/async-then-blocking.js';
import * as poll from '../../examples/poll-connecting.js';
import * as liveness from '../../examples/liveness-check.js';
import * as pending from '../../examples/pending-data.js';
import * as bug13d from '../../examples/bug-13d3af3ad5.js';
import * as bug336 from '../../examples/bug-336441ed59.js';
import * as bug970 from '../../examples/bug-97069ea11a.js';
import * as bug581 from '../../examples/bug-581937ab1e.js';

describe('seed use cases', () => {
  it('background connect: the writable handler fires once after the walk and the reply is read', () => {
    // Seed "fileevent writable: fires when async connect terminates"; reference §3.6: one
    // completion per walk, never after the intermediate refusal of fd00::2.
    const { outcome } = background.run();
    expect(outcome).toEqual({ result: 'connected', reply: '220 hello', writableEvents: 1 });
  });

  it('background connect: when every SYN is lost the 10 s timeout wins and no writable event fires', () => {
    const { outcome } = background.run({ blackholed: true });
    expect(outcome).toEqual({ result: 'timeout', reply: null, writableEvents: 0 });
  });

  it('readable only: HELO written before the connect is flushed in the background and echoed back', () => {
    // Seed use case 2: "It will be automatically sent when the connect succeeds"; the socket
    // default translation is {auto crlf}, so the server receives CRLF (reference §3.2).
    const { outcome } = readableOnly.run();
    expect(outcome).toEqual({ error: '', data: 'HELO', closeError: '', serverReceived: 'HELO\r\n' });
  });

  it('readable only: a failed connect fires the readable handler and -error says why', () => {
    // Seed "fileevent readable: fires when async connect terminates with error"; the unsent
    // HELO makes close fail with "socket is not connected" (reference §7, upstream 14.11.1).
    const { outcome } = readableOnly.run({ refused: true });
    expect(outcome).toEqual({ error: 'connection refused', data: null, closeError: 'socket is not connected', serverReceived: '' });
  });

  it('async then blocking: -error is "" while connecting and the blocking flush waits for the walk', () => {
    // Reference §5: errors are suppressed while connecting; §3.4: blocking output walks to the end.
    const { outcome } = asyncBlocking.run();
    expect(outcome).toEqual({ errorChecks: ['', ''], reply: 'HELO', failure: null });
  });

  it('async then blocking: on failure flush says "socket is not connected" and -error gives the reason', () => {
    // Seed "blocking gets,read,puts,flush": 'the error "socket is not connected" is returned.
    // The reason ... may be investigated using fconfigure -error' (upstream 14.7.2).
    const { outcome } = asyncBlocking.run({ refused: true });
    expect(outcome.failure).toBe('error flushing "sock1": socket is not connected');
    expect(outcome.errorChecks).toEqual(['', '', 'connection refused']);
  });

  it('polling -connecting: it reads 1 until the walk ends, then 0, and -error is "" on success', () => {
    const { outcome } = poll.run();
    expect(outcome.polls).toMatch(/^1(x\d+)?,0$/);
    expect(outcome.error).toBe('');
    expect(outcome.peername).toBe('10.0.0.2 10.0.0.2 80');
  });

  it('polling -connecting: a refused walk ends with -error "connection refused"', () => {
    const { outcome } = poll.run({ refused: true });
    expect(outcome.polls).toMatch(/,0$/);
    expect(outcome.error).toBe('connection refused');
  });

  it('liveness check: each server gets the verdict its network fate implies', () => {
    const { outcome } = liveness.run();
    expect(outcome).toEqual({
      '10.0.0.10': 'alive',
      '10.0.0.11': 'down: connection refused',
      '10.0.0.12': 'no answer before the deadline',
      '192.0.2.1': "failed at once: couldn't open socket: network is unreachable",
    });
  });

  it('pending data: "Hi" flushed while connecting arrives once the connect completes', () => {
    const { outcome } = pending.run();
    expect(outcome).toEqual({ serverReceived: 'Hi\r\n', sentBeforeConnect: false });
  });

  it('an example run twice gives the identical timeline (same seed, same trace)', () => {
    expect(background.run().timeline).toEqual(background.run().timeline);
    expect(liveness.run().timeline).toEqual(liveness.run().timeline);
  });
});

describe('historical bugs: symptom under the profile, correct under the default', () => {
  it('13d3af3ad5: tcl-8.6.1-win tries only ::1 and fails; the default walks on to 127.0.0.1', () => {
    expect(bug13d.run('tcl-8.6.1-win').outcome).toEqual({ profile: 'tcl-8.6.1-win', error: 'connection refused', attempts: 1 });
    expect(bug13d.run('tcl-8.6.13-unix').outcome).toEqual({ profile: 'tcl-8.6.13-unix', error: '', attempts: 2 });
  });

  it('336441ed59: some seeds lose the quick connect and vwait would wait forever; none do by default', () => {
    const buggy = bug336.run({ buggy: true, seeds: 20 }).outcome;
    expect(buggy.hung.length).toBeGreaterThan(0);
    expect(buggy.hung.length).toBeLessThan(20); // a race, not a certainty: other seeds still connect
    expect(bug336.run({ buggy: false, seeds: 20 }).outcome.hung).toEqual([]);
  });

  it('336441ed59: a hanging seed replays: the same seed hangs again', () => {
    const first = bug336.run({ buggy: true, seeds: 20 }).outcome.hung[0] as number;
    expect(bug336.attempt(first, true).reported).toBe(false);
    expect(bug336.attempt(first, false).reported).toBe(true);
  });

  it('97069ea11a: close after a failed background flush has an empty message under 8.6.1', () => {
    expect(bug970.run('tcl-8.6.1-unix').outcome.closeError).toBe('');
    expect(bug970.run('tcl-8.6.13-unix').outcome).toEqual({
      profile: 'tcl-8.6.13-unix',
      closeError: 'socket is not connected',
      errorCode: 'POSIX ENOTCONN {socket is not connected}',
    });
  });

  it('581937ab1e: a readable-only handler never fires on failure under 8.6.1 win; it does by default', () => {
    expect(bug581.run('tcl-8.6.1-win').outcome.x).toBe('timeout');
    expect(bug581.run('tcl-8.6.13-unix').outcome.x).toBe('readable');
  });
});
