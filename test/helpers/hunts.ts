/**
 * The bug hunt's invariants: for each historical bug switch of src/socket/profiles.ts, the
 * invariant a Tcl user relies on and that the bug broke (spec §10), as a sentence and a check
 * over a connect case and what its script observed (src/fc/client-program.ts). Used by the
 * bug hunt (test/property/bug-hunt.test.ts) and the pinned regressions (test/regressions/).
 * Expected values come from the spec through `expectedOutcome`, never from runs.
 */
import { expect } from 'vitest';
import type { BugId } from '../../src/socket/profiles.js';
import { addressOf, type ConnectCase, type Observations, type OptionRead } from '../../src/fc/client-program.js';
import { expectedOutcome } from '../../src/fc/topology.js';

/** What an invariant says about one case: it did not apply, or it applied and held (else it throws). */
export type Verdict = 'vacuous' | 'held';

export interface Hunt {
  readonly bug: BugId;
  /** The invariant, as the user would state it. */
  readonly sentence: string;
  /** Throws (via expect) when the invariant is broken. */
  readonly check: (c: ConnectCase, o: Observations) => Verdict;
}

/** Reads of `options` that were answered while the walk was still running: `-connecting` read 1 right after. */
function whileConnecting(o: Observations, options: readonly OptionRead['option'][]): OptionRead[] {
  return o.reads.filter((r) => options.includes(r.option) && r.connectingAfter === '1');
}

export const HUNTS: readonly Hunt[] = [
  {
    bug: '13d3af3ad5',
    sentence: 'the walk reaches an accepting candidate whenever one exists',
    check: (c, o) => {
      // §3.3: a failed attempt continues the walk with the next candidate, so the connect ends
      // on the first accepting candidate in resolver order, whatever fails before it.
      const expected = expectedOutcome(c.topology);
      if (expected.kind !== 'connected') return 'vacuous';
      expect(o.socketError).toBeNull();
      expect(o.walkEnded).toBe(true);
      expect(addressOf(o.finalPeer)).toBe(expected.address);
      return 'held';
    },
  },
  {
    bug: '336441ed59',
    sentence: 'a writable handler always learns that the connect ended, so vwait never waits forever',
    check: (c, o) => {
      // §3.5/§3.6: exactly one completion per walk reaches the script handlers, however fast
      // the connect ends; the handler sets `done`, so vwait ends through it.
      // A timeout ends the wait too; then the handler is removed before it could run.
      if (!c.client.writable || o.socketError !== null) return 'vacuous';
      expect(o.vwait).toBe('done');
      expect(o.events.length + (o.timedOut ? 1 : 0)).toBe(1);
      return 'held';
    },
  },
  {
    bug: '97069ea11a',
    sentence: 'a failing close always says why: its message is never empty',
    check: (_c, o) => {
      // §7 item 4: since the fix, close fills in the POSIX message of the flush/close code, and
      // the errorCode is `POSIX <CODE> {<that message>}`.
      if (o.close === null || o.close.ok) return 'vacuous';
      expect(o.close.message).not.toBe('');
      expect(o.close.errorCode).toMatch(/^POSIX [A-Z]+ \{.+\}$/);
      expect(o.close.errorCode.endsWith(`{${o.close.message}}`)).toBe(true);
      return 'held';
    },
  },
  {
    bug: '581937ab1e',
    sentence: 'a readable-only handler fires when the connect fails',
    check: (c, o) => {
      // §3.5: after a failure Linux reports the socket readable (hang-up), so a readable
      // handler fires even when no writable handler is installed (upstream test 14.14).
      const { readable, writable } = c.client;
      // A connect timeout (seed use case 1) may legitimately end the wait first: not this premise.
      if (!readable || writable || c.client.timeoutMs !== null || o.socketError !== null || expectedOutcome(c.topology).kind !== 'failed') return 'vacuous';
      expect(o.events).toContain('readable');
      expect(o.vwait).toBe('done');
      return 'held';
    },
  },
  {
    bug: 'sticky-error',
    sentence: '-error reports the final error exactly once, then ""',
    check: (c, o) => {
      // §5 -error 2: after the walk, the stored error is returned once and reset. Reads that
      // `-connecting` shows were answered after the walk ended (it read 0 right after) carry
      // the last attempt's error once in all, and nothing at all after a success. The runner
      // always reads -error twice at the end, so a repeat would be seen.
      if (o.socketError !== null) return 'vacuous';
      const expected = expectedOutcome(c.topology);
      const after = o.reads.filter((r) => r.option === '-error' && r.connectingAfter === '0');
      expect(after.length).toBeGreaterThanOrEqual(2);
      const said = after.map((r) => ('value' in r.answer ? r.answer.value : `error: ${r.answer.error}`)).filter((v) => v !== '');
      expect(said).toEqual(expected.kind === 'failed' ? [expected.message] : []);
      return 'held';
    },
  },
  {
    bug: 'intermediate-error',
    sentence: '-error is "" while connecting',
    check: (_c, o) => {
      // §5 -error 1 and §3.7: an intermediate failure has no script-visible effect; errors
      // are suppressed while the walk is running.
      const reads = whileConnecting(o, ['-error']);
      if (reads.length === 0) return 'vacuous';
      for (const r of reads) expect(r.answer).toEqual({ value: '' });
      return 'held';
    },
  },
  {
    bug: 'addresses-reflect-attempt',
    sentence: '-peername and -sockname are "" while connecting',
    check: (_c, o) => {
      // §5 -peername/-sockname (TIP 427): both answer "" (not an error) while connecting.
      const reads = whileConnecting(o, ['-peername', '-sockname']);
      if (reads.length === 0) return 'vacuous';
      for (const r of reads) expect(r.answer).toEqual({ value: '' });
      return 'held';
    },
  },
];

