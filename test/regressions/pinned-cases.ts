/**
 * Every counterexample the bug hunt has found and shrunk while detnet was built, pinned as data:
 * the bug, a one-line story and the connect case (topology, faults, client program, and the
 * schedule: every tie choice its run makes under the bug). Cases are in detnet/fast-check's shape, so any of them can be pasted into
 * `runConnectCase` or `worldFrom`. test/regressions/bug-hunt.test.ts replays them.
 */
import type { ConnectCase } from '../../src/fc/client-program.js';
import type { CandidateSpec, Topology } from '../../src/fc/topology.js';
import type { BugId } from '../../src/socket/profiles.js';

/** One pinned counterexample. */
export interface Pinned {
  readonly bug: BugId;
  readonly story: string;
  /** The case; its `schedule` is every tie choice the run makes under the bug, so a replay follows it exactly. */
  readonly c: ConnectCase;
}

const ms1 = { kind: 'fixed', ms: 1 } as const;
const refuse: CandidateSpec = { family: 'inet6', fate: 'refuse', latency: ms1 };
const accept: CandidateSpec = { family: 'inet6', fate: 'accept', latency: ms1 };
const topo = (...candidates: CandidateSpec[]): Topology => ({ candidates, seed: 1 });
const quiet: ConnectCase['client'] = {
  shape: 'mixed', blocking: false, write: 'none', writable: false, readable: false, writableFirst: false,
  timeoutMs: null, pollNow: false, pollAt: [], pollOptions: [],
};
const kase = (topology: Topology, client: Partial<ConnectCase['client']>, schedule: readonly number[] = []): ConnectCase => ({
  topology, faults: [], client: { ...quiet, ...client }, schedule,
});

export const PINNED: readonly Pinned[] = [
  {
    bug: '13d3af3ad5',
    story: 'fd00::11 refuses and fd00::12 accepts: only the first candidate is tried',
    c: kase(topo(refuse, accept), {}),
  },
  {
    bug: '336441ed59',
    story: 'a zero-latency refusal beats the notifier registration (tie 1 runs the RST first) and the writable handler never runs',
    c: kase(topo({ family: 'inet6', fate: 'refuse', latency: { kind: 'fixed', ms: 0 } }), { writable: true }, [0, 1]),
  },
  {
    bug: '97069ea11a',
    story: 'puts+flush go to the background, the connect is refused, close fails with an empty message',
    c: kase(topo(refuse), { write: 'puts+flush' }),
  },
  {
    bug: '581937ab1e',
    story: 'a refused connect with only a readable handler: the handler never fires',
    c: kase(topo(refuse), { readable: true }),
  },
  {
    bug: 'sticky-error',
    story: 'a refused connect: -error says "connection refused" on every read',
    c: kase(topo(refuse), {}),
  },
  {
    bug: 'intermediate-error',
    story: 'two refusing candidates 2 ms away, -error polled at 4 ms while the second is in flight',
    c: kase(topo({ ...refuse, latency: { kind: 'fixed', ms: 2 } }, { ...refuse, latency: { kind: 'fixed', ms: 2 } }), { pollAt: [4], pollOptions: ['-error'] }, [0]),
  },
  {
    bug: 'addresses-reflect-attempt',
    story: "-sockname read right after socket -async names the attempt's local address",
    c: kase(topo(refuse), { pollNow: true, pollOptions: ['-sockname'] }),
  },
];
