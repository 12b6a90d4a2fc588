// Properties of Node's connect machine that a user of net.connect relies on, over random lookup
// answers, random fates and timings per address, random destroy() calls and random orders of
// events due at the same instant. For each invariant this file
//   1. checks it on current Node and counts the cases where its premise applied (no vacuous pass);
//   2. checks it with one historical bug switched on and asserts that it FAILS, printing the
//      seed, the runs needed and the shrunk case.
// Expected values come from a small model of the documented behaviour written here (family
// interleaving, one error per attempt), not from runs of the machine.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttemptErrno } from '../../src/socket/node-connect-errors.js';
import { DEFAULT_NODE_PROFILE, withNodeBugs, type NodeBugId, type NodeProfile } from '../../src/socket/node-profiles.js';
import type { NodeSocketEvent } from '../../src/socket/node-socket-events.js';
import { replayTies, runNodeScript, stillConnecting, type AttemptFate, type NodeRun } from '../helpers/node-connect-harness.js';
import { PROPERTY_RUNS, propertyParams } from '../helpers/property.js';

const FILE = 'test/property/node-connect.test.ts';

/** A blackholed address: the kernel gives up after its SYN retries (scaled down). */
const KERNEL_TIMEOUT_MS = 3000;
const V4 = ['10.0.0.1', '10.0.0.2', '10.0.0.3'] as const;
const V6 = ['2001:db8::1', '2001:db8::2', '2001:db8::3'] as const;

/** A fate as the case states it; 'blackhole' fails with ETIMEDOUT after the kernel timeout. */
type CaseFate = { readonly kind: 'connect' | 'fail'; readonly afterMs: number; readonly code: AttemptErrno } | { readonly kind: 'syncFail'; readonly code: AttemptErrno } | { readonly kind: 'blackhole' };

interface NodeCase {
  readonly answers: readonly { readonly address: string; readonly family: number }[];
  readonly fates: Readonly<Record<string, CaseFate>>;
  readonly autoSelectFamily: boolean;
  /** Explicit attempt timeout, or the profile's default. */
  readonly attemptTimeout: number | undefined;
  readonly destroyAtMs: number | undefined;
  readonly destroyIn: { readonly event: 'lookup' | 'connectionAttempt' | 'connectionAttemptFailed' | 'connectionAttemptTimeout'; readonly nth: number } | undefined;
  readonly ties: readonly number[];
}

/** `arb` in `yes` of `yes + no` cases, else undefined. */
function sometimes<T>(arb: fc.Arbitrary<T>, yes: number, no: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: yes, arbitrary: arb }, { weight: no, arbitrary: fc.constant(undefined) });
}

// Times on a 50 ms grid, so that outcomes, attempt timers and destroy() often fall due together.
const grid = (max: number): fc.Arbitrary<number> => fc.integer({ min: 0, max: max / 50 }).map((n) => n * 50);
const fateArb: fc.Arbitrary<CaseFate> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('connect' as const), afterMs: grid(900), code: fc.constant('ECONNREFUSED' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('fail' as const), afterMs: grid(900), code: fc.constantFrom<AttemptErrno>('ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('syncFail' as const), code: fc.constantFrom<AttemptErrno>('EINVAL', 'EADDRNOTAVAIL', 'ENETUNREACH') }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'blackhole' as const }) },
);
const answerArb = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...V4).map((address) => ({ address, family: 4 })) },
  { weight: 10, arbitrary: fc.constantFrom(...V6).map((address) => ({ address, family: 6 })) },
  { weight: 1, arbitrary: fc.constant({ address: 'not-an-ip', family: 4 }) },
);
const caseArb: fc.Arbitrary<NodeCase> = fc.record({
  answers: fc.array(answerArb, { minLength: 1, maxLength: 5 }),
  fates: fc.record(Object.fromEntries([...V4, ...V6].map((a) => [a, fateArb])) as Record<string, fc.Arbitrary<CaseFate>>),
  // The walk is the interesting path; the single-address path gets a quarter of the cases.
  autoSelectFamily: sometimes(fc.constant(false), 1, 3).map((v) => v === undefined),
  attemptTimeout: sometimes(grid(800).map((ms) => Math.max(ms, 10)), 1, 1),
  destroyAtMs: sometimes(grid(2000), 1, 3),
  destroyIn: sometimes(
    fc.record({ event: fc.constantFrom('lookup' as const, 'connectionAttempt' as const, 'connectionAttemptFailed' as const, 'connectionAttemptTimeout' as const), nth: fc.integer({ min: 1, max: 3 }) }),
    1,
    4,
  ),
  ties: fc.array(fc.nat(3), { maxLength: 12 }),
});

function harnessFate(f: CaseFate): AttemptFate {
  if (f.kind === 'blackhole') return { kind: 'fail', afterMs: KERNEL_TIMEOUT_MS, code: 'ETIMEDOUT' };
  if (f.kind === 'syncFail') return { kind: 'syncFail', code: f.code };
  return f.kind === 'connect' ? { kind: 'connect', afterMs: f.afterMs } : { kind: 'fail', afterMs: f.afterMs, code: f.code };
}

function run(c: NodeCase, profile: NodeProfile): NodeRun {
  return runNodeScript({
    options: {
      host: 'svc.test',
      port: 8080,
      autoSelectFamily: c.autoSelectFamily,
      ...(c.attemptTimeout === undefined ? {} : { autoSelectFamilyAttemptTimeout: c.attemptTimeout }),
    },
    profile,
    lookup: { kind: 'answers', answers: c.answers },
    fates: Object.fromEntries(Object.entries(c.fates).map(([a, f]) => [a, harnessFate(f)])),
    ...(c.destroyAtMs === undefined ? {} : { destroyAtMs: c.destroyAtMs }),
    ...(c.destroyIn === undefined ? {} : { destroyIn: c.destroyIn }),
    tieBreaker: replayTies(c.ties),
  });
}

/** The documented walk order, restated: usable, distinct answers; families alternate from the first one's. */
function modelOrder(c: NodeCase): string[] {
  const usable = c.answers.filter((a) => a.address !== 'not-an-ip');
  if (!c.autoSelectFamily) return c.answers[0]?.address === 'not-an-ip' ? [] : usable.slice(0, 1).map((a) => a.address);
  const first = usable[0]?.family;
  const byFamily = (fam: number): string[] => [...new Set(usable.filter((a) => (fam === first ? a.family === fam : a.family !== first)).map((a) => a.address))];
  const [a, b] = [byFamily(first ?? 4), byFamily(-1)];
  const order: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) order.push(...[a[i], b[i]].filter((x): x is string => x !== undefined));
  return order;
}

const count = (r: NodeRun, name: NodeSocketEvent['name']): number => r.names.filter((n) => n === name).length;

type Verdict = 'vacuous' | 'held';
interface Invariant {
  readonly bug: NodeBugId;
  readonly sentence: string;
  readonly check: (c: NodeCase, r: NodeRun) => Verdict;
}

const INVARIANTS: readonly Invariant[] = [
  {
    bug: '48464',
    sentence: 'a connect the user leaves alone ends in exactly one connect or error, exactly once',
    check: (_c, r) => {
      // Every fate ends (a blackhole ends by the kernel's ETIMEDOUT), so a walk that never ends
      // is a hang, the "Exit handler never called" of npm/cli#6409.
      if (r.destroyedAt !== null) return 'vacuous';
      expect(stillConnecting(r)).toBe(false);
      expect(count(r, 'connect') + count(r, 'error')).toBe(1);
      expect(count(r, 'close')).toBe(count(r, 'error'));
      return 'held';
    },
  },
  {
    bug: '51045',
    sentence: 'after destroy() (from a timer) no attempt starts and the process survives',
    check: (c, r) => {
      if (r.destroyedAt === null || c.destroyIn !== undefined) return 'vacuous';
      expect(r.crash).toBeNull();
      expect(r.startedAfterDestroy).toBe(0);
      expect(count(r, 'close')).toBe(1);
      return 'held';
    },
  },
  {
    bug: '51826',
    sentence: 'after destroy() inside a listener no attempt starts and the process survives',
    check: (c, r) => {
      if (c.destroyIn === undefined || r.destroyedAt === null) return 'vacuous';
      expect(r.crash).toBeNull();
      expect(r.startedAfterDestroy).toBe(0);
      expect(count(r, 'close')).toBe(1);
      return 'held';
    },
  },
  {
    bug: '47822',
    sentence: 'the error is an AggregateError exactly when two or more attempts failed, one entry per attempt in order',
    check: (_c, r) => {
      const error = r.emitted.find((e) => e.event.name === 'error')?.event;
      if (error?.name !== 'error' || r.started.length === 0) return 'vacuous';
      if (r.started.length === 1) {
        expect(error.error.kind).toBe('system');
        return 'held';
      }
      expect(error.error.kind).toBe('aggregate');
      if (error.error.kind !== 'aggregate') return 'held';
      expect(error.error.errors.map((e) => e.address)).toEqual(r.started);
      return 'held';
    },
  },
  {
    bug: '60334',
    sentence: 'with the default timeout, a first address that accepts within 400 ms is the one connected',
    check: (c, r) => {
      const first = modelOrder(c)[0];
      const fate = first === undefined ? undefined : c.fates[first];
      if (c.attemptTimeout !== undefined || r.destroyedAt !== null || fate?.kind !== 'connect' || fate.afterMs > 400) return 'vacuous';
      expect(count(r, 'connect')).toBe(1);
      expect(r.openHandles).toEqual([0]);
      return 'held';
    },
  },
];

/** Invariants no bug switch breaks; they hold on every profile. */
const ALWAYS: readonly { readonly sentence: string; readonly check: (c: NodeCase, r: NodeRun) => Verdict }[] = [
  {
    sentence: 'attempts follow the interleaved family order of the lookup answer',
    check: (c, r) => {
      expect(r.started).toEqual(modelOrder(c).slice(0, r.started.length));
      return r.started.length >= 2 ? 'held' : 'vacuous';
    },
  },
  {
    sentence: 'every handle opened is closed exactly once, except the connected socket’s own',
    check: (_c, r) => {
      if (r.crash !== null || r.started.length === 0) return 'vacuous';
      const connected = count(r, 'connect') === 1 && count(r, 'close') === 0;
      r.started.forEach((_address, k) => expect([k, r.closes[k]]).toEqual([k, r.openHandles.includes(k) ? 0 : 1]));
      expect(r.openHandles.length).toBe(connected ? 1 : 0);
      return 'held';
    },
  },
];

function property(check: (c: NodeCase, r: NodeRun) => Verdict, profile: NodeProfile, onVerdict: (v: Verdict) => void = () => undefined): fc.IPropertyWithHooks<[NodeCase]> {
  return fc.property(caseArb, (c) => onVerdict(check(c, run(c, profile))));
}

function assertHolds(name: string, check: (c: NodeCase, r: NodeRun) => Verdict, profile: NodeProfile): void {
  const params = propertyParams<[NodeCase]>(name, FILE);
  let applied = 0;
  fc.assert(property(check, profile, (v) => void (v === 'held' && applied++)), params);
  console.log(`[node-connect] ${name}: premise applied in ${applied} of ${params.numRuns} cases`);
  // A property whose premise never applies proves nothing: ask for at least 2% of the cases.
  expect(applied).toBeGreaterThanOrEqual(Math.floor((params.numRuns ?? PROPERTY_RUNS) / 50));
}

describe('Node connect invariants hold on current Node and break under their historical bug', () => {
  for (const inv of INVARIANTS) {
    describe(`${inv.sentence} (bug ${inv.bug})`, () => {
      it('holds on current Node, and its premise applies to a fair share of the cases', () => {
        assertHolds(`${inv.bug} holds on node-current`, inv.check, DEFAULT_NODE_PROFILE);
      });

      it(`fails once ${inv.bug} is switched on, with a replayable counterexample`, () => {
        const buggy = withNodeBugs(DEFAULT_NODE_PROFILE, [inv.bug]);
        const params = propertyParams<[NodeCase]>(`${inv.bug} is found under ${buggy.name}`, FILE);
        const details = fc.check(property(inv.check, buggy), params);
        console.log(
          `[node-connect] ${inv.bug}: failed=${details.failed} after ${details.numRuns} run(s), ${details.numShrinks} shrink(s); ` +
            `seed=${details.seed} path=${details.counterexamplePath ?? '-'}\n  shrunk case: ${JSON.stringify(details.counterexample?.[0] ?? null)}`,
        );
        expect(details.failed).toBe(true);
        const c = details.counterexample?.[0];
        expect(c).toBeDefined();
        if (c === undefined) return;
        expect(() => inv.check(c, run(c, buggy))).toThrow();
        expect(() => inv.check(c, run(c, DEFAULT_NODE_PROFILE))).not.toThrow();
      });
    });
  }

  for (const inv of ALWAYS) {
    it(`${inv.sentence}, on every profile`, () => {
      assertHolds(`${inv.sentence} (current)`, inv.check, DEFAULT_NODE_PROFILE);
      const allBugs = withNodeBugs(DEFAULT_NODE_PROFILE, ['47822', '48464', '51045', '51826', '60334']);
      fc.assert(property(inv.check, allBugs), propertyParams<[NodeCase]>(`${inv.sentence} (all bugs)`, FILE));
    });
  }
});

// ---- pinned counterexamples -----------------------------------------------------------------------
// Shrunk cases fast-check reported (seeds 20261124, 1, 2), tidied into stories, kept so that a run
// with any seed meets each bug at least once.

const quiet: Omit<NodeCase, 'answers' | 'fates'> = { autoSelectFamily: true, attemptTimeout: undefined, destroyAtMs: undefined, destroyIn: undefined, ties: [] };
const a6 = (n: 1 | 2 | 3) => ({ address: `2001:db8::${n}`, family: 6 });
const a4 = (n: 1 | 2 | 3) => ({ address: `10.0.0.${n}`, family: 4 });

const PINNED: readonly { readonly bug: NodeBugId; readonly story: string; readonly c: NodeCase }[] = [
  {
    bug: '48464',
    story: 'the first address times out at 10 ms and the second is refused at once: the refusal is taken for the stale attempt and the connect never ends',
    c: { ...quiet, attemptTimeout: 10, answers: [a6(1), a6(3)], fates: { '2001:db8::1': { kind: 'connect', afterMs: 50, code: 'ECONNREFUSED' }, '2001:db8::3': { kind: 'fail', afterMs: 0, code: 'ECONNREFUSED' } } },
  },
  {
    bug: '51045',
    story: 'destroy() at 100 ms while a blackholed first attempt is in flight: its ECANCELED report starts the second attempt',
    c: { ...quiet, destroyAtMs: 100, answers: [a4(1), a6(1)], fates: { '10.0.0.1': { kind: 'blackhole' }, '2001:db8::1': { kind: 'fail', afterMs: 0, code: 'ECONNREFUSED' } } },
  },
  {
    bug: '51826',
    story: 'destroy() in the first lookup listener of a one-address answer: the dial goes ahead on a destroyed socket',
    c: { ...quiet, destroyIn: { event: 'lookup', nth: 1 }, answers: [a4(1)], fates: { '10.0.0.1': { kind: 'fail', afterMs: 0, code: 'ECONNREFUSED' } } },
  },
  {
    bug: '47822',
    story: 'two blackholed addresses and a 10 ms attempt timeout: both attempts time out and nothing is recorded',
    c: { ...quiet, attemptTimeout: 10, answers: [a6(1), a4(1)], fates: { '2001:db8::1': { kind: 'blackhole' }, '10.0.0.1': { kind: 'blackhole' } } },
  },
  {
    bug: '60334',
    story: 'the first address accepts after 300 ms: abandoned at 250 ms, and the second refuses',
    c: { ...quiet, answers: [a6(2), a6(1)], fates: { '2001:db8::2': { kind: 'connect', afterMs: 300, code: 'ECONNREFUSED' }, '2001:db8::1': { kind: 'fail', afterMs: 0, code: 'ECONNREFUSED' } } },
  },
];

describe('each pinned counterexample breaks its invariant only when its bug is on', () => {
  for (const { bug, story, c } of PINNED) {
    it(`${bug}: ${story}`, () => {
      const inv = INVARIANTS.find((i) => i.bug === bug);
      if (inv === undefined) throw new Error(`no invariant for ${bug}`);
      expect(inv.check(c, run(c, DEFAULT_NODE_PROFILE))).toBe('held');
      expect(() => inv.check(c, run(c, withNodeBugs(DEFAULT_NODE_PROFILE, [bug])))).toThrow();
    });
  }
});
