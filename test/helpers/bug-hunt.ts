/**
 * The bug hunt's cases and their runner: small random worlds in which one `socket -async`
 * client connects, watches and closes, and what a Tcl script could observe of it.
 *
 * Owns: the fast-check arbitrary of a `HuntCase` (a topology: a name resolving to 1–4
 * candidates of mixed families on a server host, each refusing, accepting with a one-line reply
 * or silent; a link latency, 0 allowed only when client and server share a host; the seed of the
 * world's same-instant tie-breaker — and a client: blocking or not, what it writes before the
 * connect ends, which fileevents it installs, when it polls which options), the simple model of
 * reference §3.2–§3.3 for what the walk must end in, and `runCase`, which plays one case on a
 * profile and returns `Observations`.
 *
 * Does not: judge anything. The invariants live in test/property/bug-hunt.test.ts, which checks
 * them under the default profile and under each bug switch of src/socket/profiles.ts.
 *
 * Departs from reality: SYNs are retried twice (not Linux's 6 times), so a silent candidate
 * times out after 7 s of virtual time instead of 127 s. Only the clock reading changes: the
 * error is the same ETIMEDOUT and the walk moves on exactly as it would.
 */
import fc from 'fast-check';
import { VwaitBudgetError, WouldWaitForeverError } from '../../src/loop/loop-errors.js';
import { tclMessage, type Errno } from '../../src/net/net-error.js';
import { serve } from '../../src/sim/apps.js';
import { blackhole, refusePort } from '../../src/sim/faults.js';
import type { Host } from '../../src/sim/host.js';
import { World } from '../../src/sim/world.js';
import { Interp, type Channel, type Script } from '../../src/socket/interp.js';
import type { Profile } from '../../src/socket/profiles.js';
import { SimDriver } from '../../src/socket/sim-driver.js';
import { TclError } from '../../src/socket/tcl-error.js';

// ---- cases -------------------------------------------------------------------------------------

export type Family = 'inet' | 'inet6';
/** What a candidate address does with a SYN: RST, accept and send one line, or nothing at all. */
export type Fate = 'refuse' | 'accept' | 'silent';
export type PolledOption = '-error' | '-peername' | '-sockname';

export interface CandidateSpec {
  readonly family: Family;
  readonly fate: Fate;
}

export interface Topology {
  /** The candidates of `svc.test`, in resolver order (Tcl walks them in this order, §2). */
  readonly candidates: readonly CandidateSpec[];
  /** `loopback`: the client runs on the server host (same-host latency); `remote`: two hosts. */
  readonly setup: 'loopback' | 'remote';
  /** One-way latency of every packet, in ms (0 only on loopback). */
  readonly latencyMs: number;
  /** Seed of the world, hence of its seeded tie-breaker for same-instant events. */
  readonly seed: number;
}

export interface ClientSpec {
  /** `fconfigure $s -blocking 0` right after `socket -async` unless true. */
  readonly blocking: boolean;
  /** `puts $s hello` (buffered) or `puts` + `flush` before the connect can have ended. */
  readonly write: 'none' | 'puts' | 'puts+flush';
  /** Fileevents installed after the writes; `writableFirst` decides their creation order. */
  readonly writable: boolean;
  readonly readable: boolean;
  readonly writableFirst: boolean;
  /** Poll the options once right after `socket -async`, before anything else. */
  readonly pollNow: boolean;
  /** `after ms {poll}` timers (serviced by the vwait). */
  readonly pollAt: readonly number[];
  /** The options a poll reads, in this order, each between two `-connecting` reads. */
  readonly pollOptions: readonly PolledOption[];
}

export interface HuntCase {
  readonly topology: Topology;
  readonly client: ClientSpec;
}

export const PORT = 7000;
const REPLY = 'hello from the server';
/** More virtual time than the longest walk (4 silent candidates × 7 s) needs. */
const VWAIT_BUDGET_MS = 60_000;
const SYN_RETRIES = 2;

const candidateArb: fc.Arbitrary<CandidateSpec> = fc.record({
  family: fc.constantFrom<Family>('inet6', 'inet'),
  fate: fc.constantFrom<Fate>('refuse', 'accept', 'silent'),
});

// Latency 0 makes a connect finish at the very instant it starts, which is where the races
// live; it is weighted up, and allowed only on loopback (hosts apart are at least 1 ms apart).
const setupArb = fc.oneof(
  fc.record({
    setup: fc.constant('loopback' as const),
    latencyMs: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 1 }),
  }),
  fc.record({ setup: fc.constant('remote' as const), latencyMs: fc.integer({ min: 1, max: 5 }) }),
);

export const topologyArb: fc.Arbitrary<Topology> = fc
  .record({
    candidates: fc.array(candidateArb, { minLength: 1, maxLength: 4 }),
    link: setupArb,
    seed: fc.integer({ min: 1, max: 0x7fffffff }),
  })
  .map(({ candidates, link, seed }) => ({ candidates, setup: link.setup, latencyMs: link.latencyMs, seed }));

export const clientArb: fc.Arbitrary<ClientSpec> = fc.record({
  blocking: fc.boolean(),
  write: fc.constantFrom('none' as const, 'puts' as const, 'puts+flush' as const),
  writable: fc.boolean(),
  readable: fc.boolean(),
  writableFirst: fc.boolean(),
  pollNow: fc.boolean(),
  pollAt: fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 3 }),
  pollOptions: fc.shuffledSubarray<PolledOption>(['-error', '-peername', '-sockname']),
});

/** A random case: topology and client. */
export const huntCaseArb: fc.Arbitrary<HuntCase> = fc.record({ topology: topologyArb, client: clientArb });

/** The address of candidate `i`: distinct per index, so each can be given its own fate. */
export function candidateAddress(c: CandidateSpec, i: number): string {
  return c.family === 'inet' ? `10.0.0.${11 + i}` : `fd00::${11 + i}`;
}

// ---- the model -----------------------------------------------------------------------------------

/** How the walk must end (reference §3.2–§3.3, §5 for the message). */
export type Expected =
  | { readonly kind: 'connected'; readonly address: string }
  | { readonly kind: 'failed'; readonly message: string };

/**
 * The first accepting candidate in resolver order; if none, the last attempt's error. Every
 * candidate goes in flight (a simulated connect always answers "in progress"), refusing ones
 * fail with ECONNREFUSED and silent ones with ETIMEDOUT after the SYN retries, so the walk
 * always ends.
 */
export function expectedOutcome(t: Topology): Expected {
  let last: Errno = 'EHOSTUNREACH';
  for (const [i, c] of t.candidates.entries()) {
    if (c.fate === 'accept') return { kind: 'connected', address: candidateAddress(c, i) };
    last = c.fate === 'refuse' ? 'ECONNREFUSED' : 'ETIMEDOUT';
  }
  return { kind: 'failed', message: tclMessage(last) };
}

// ---- observations --------------------------------------------------------------------------------

/** A value a command returned, or the message of the TclError it raised. */
export type Answer = { readonly value: string } | { readonly error: string };

/** One option read, framed by `-connecting` reads just before and just after it. */
export interface OptionRead {
  readonly option: PolledOption;
  readonly answer: Answer;
  readonly connectingBefore: string;
  readonly connectingAfter: string;
  readonly phase: 'poll' | 'final';
}

export interface Observations {
  /** `socket -async` itself failed with this message (no channel); everything else is empty. */
  readonly socketError: string | null;
  /** Every framed option read, in order (polls while waiting, then the final reads). */
  readonly reads: readonly OptionRead[];
  /** Fileevent scripts that ran, in order. */
  readonly events: readonly ('readable' | 'writable')[];
  /** How `vwait done` ended: a handler set `done`, nothing could ever wake it, or its budget ran out. */
  readonly vwait: 'done' | 'forever' | 'budget' | 'skipped';
  /** Whether `-connecting` read 0 once the client stopped waiting and polled with `after`. */
  readonly walkEnded: boolean;
  /** `-peername` after the walk ended. */
  readonly finalPeer: Answer | null;
  /** Errors raised by the client's own `puts`/`flush` before waiting. */
  readonly writeErrors: readonly string[];
  /** `close $s`: "" or the error it raised (message and errorCode). */
  readonly close: { readonly ok: true } | { readonly ok: false; readonly message: string; readonly errorCode: string } | null;
}

function answer(fn: () => string): Answer {
  try {
    return { value: fn() };
  } catch (err) {
    if (err instanceof TclError) return { error: err.message };
    throw err;
  }
}

function script(text: string, run: () => void): Script {
  return { text, run };
}

function buildWorld(t: Topology): { world: World; server: Host; clientHost: string } {
  const latency = { kind: 'fixed' as const, ms: t.latencyMs };
  const world = new World({
    seed: t.seed,
    tieBreaker: 'seeded',
    tcp: { synRetries: SYN_RETRIES },
    ...(t.setup === 'loopback' ? { loopbackLatency: latency } : { latency }),
    trace: { keep: false, enabled: false },
  });
  const serverAddresses = ['10.0.0.2', 'fd00::2', ...t.candidates.map(candidateAddress)];
  if (t.setup === 'loopback') {
    return { world, server: world.addHost('box', { addresses: serverAddresses }), clientHost: 'box' };
  }
  world.addHost('client', { addresses: ['10.0.0.1', 'fd00::1'] });
  return { world, server: world.addHost('server', { addresses: serverAddresses }), clientHost: 'client' };
}

/**
 * Plays `c` on `profile`:
 *   socket -async svc.test 7000; [fconfigure -blocking 0]; [poll]; [puts hello; [flush]];
 *   [fileevent writable/readable {record; remove; set done}]; [after ms poll]...;
 *   vwait done (60 s budget); while {[fconfigure -connecting]} {after 10000};
 *   fconfigure -error (twice, framed); -peername; close.
 */
export function runCase(c: HuntCase, profile: Profile): Observations {
  const { topology: t, client } = c;
  const { world, server, clientHost } = buildWorld(t);
  world.dns.set('svc.test', t.candidates.map(candidateAddress));
  for (const [i, cand] of t.candidates.entries()) {
    const address = candidateAddress(cand, i);
    if (cand.fate === 'refuse') world.faults.install(refusePort(address, PORT));
    else if (cand.fate === 'silent') world.faults.install(blackhole(address));
    else serve(server, { port: PORT, address, behaviour: { kind: 'reply', line: REPLY, then: 'keep-open' } });
  }
  const tcl = new Interp(new SimDriver(world, clientHost), { trace: world.trace, profile });

  let h: Channel;
  try {
    h = tcl.socket('svc.test', PORT, { async: true });
  } catch (err) {
    if (!(err instanceof TclError)) throw err;
    return { socketError: err.message, reads: [], events: [], vwait: 'skipped', walkEnded: true, finalPeer: null, writeErrors: [], close: null };
  }
  const chan = h;

  const reads: OptionRead[] = [];
  const events: ('readable' | 'writable')[] = [];
  const writeErrors: string[] = [];
  const framed = (option: PolledOption, phase: OptionRead['phase']): void => {
    const connectingBefore = chan.configure('-connecting');
    const a = answer(() => chan.configure(option));
    const connectingAfter = chan.configure('-connecting');
    reads.push({ option, answer: a, connectingBefore, connectingAfter, phase });
  };
  const poll = (): void => {
    for (const option of client.pollOptions) framed(option, 'poll');
  };

  if (!client.blocking) chan.configure({ '-blocking': '0' });
  if (client.pollNow) poll();
  if (client.write !== 'none') {
    const w = answer(() => {
      chan.puts('hello');
      if (client.write === 'puts+flush') chan.flush();
      return '';
    });
    if ('error' in w) writeErrors.push(w.error);
  }
  const handler = (kind: 'readable' | 'writable'): Script =>
    script(`lappend events ${kind}; fileevent $s ${kind} {}; set done 1`, () => {
      events.push(kind);
      chan.fileevent(kind, null);
      tcl.set('done');
    });
  const kinds: ('readable' | 'writable')[] = client.writableFirst ? ['writable', 'readable'] : ['readable', 'writable'];
  for (const kind of kinds) {
    if (kind === 'writable' ? client.writable : client.readable) chan.fileevent(kind, handler(kind));
  }
  for (const ms of client.pollAt) tcl.afterScript(ms, script('poll', poll));

  let vwait: Observations['vwait'] = 'done';
  try {
    tcl.vwait('done', { budgetMs: VWAIT_BUDGET_MS });
  } catch (err) {
    if (err instanceof WouldWaitForeverError) vwait = 'forever';
    else if (err instanceof VwaitBudgetError) vwait = 'budget';
    else throw err;
  }

  // The client stops waiting for events and polls -connecting with plain sleeps (§3.4: each
  // query may step the walk), so every case reaches the end of its walk whatever the profile.
  let walkEnded = false;
  for (let i = 0; i < 20 && !walkEnded; i++) {
    walkEnded = chan.configure('-connecting') === '0';
    if (!walkEnded) tcl.after(10_000);
  }
  framed('-error', 'final');
  framed('-error', 'final');
  const finalPeer = answer(() => chan.configure('-peername'));

  let close: Observations['close'];
  try {
    chan.close();
    close = { ok: true };
  } catch (err) {
    if (!(err instanceof TclError)) throw err;
    close = { ok: false, message: err.message, errorCode: err.errorCode };
  }
  tcl.close();
  return { socketError: null, reads, events, vwait, walkEnded, finalPeer, writeErrors, close };
}

/** The first word of a `{address hostname port}` answer, or null for an error. */
export function addressOf(a: Answer | null): string | null {
  if (a === null || !('value' in a)) return null;
  return a.value.split(' ')[0] ?? null;
}
