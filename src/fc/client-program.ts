/**
 * Client programs: the seed page's use cases of `socket -async` as data with parameters, played
 * on a case's world, and what a Tcl script could observe of them.
 *
 * Owns: `ClientProgram` (blocking or not, what it writes before the connect ends, which
 * fileevents it installs and in what order, a connect timeout as in the seed's first use case,
 * when it polls which options) and `runProgram`, which plays one program and returns
 * `Observations`. The shapes `clientProgramArb` draws (arbitraries.ts) are the seed's: a
 * background connect with a writable handler and a timeout, a readable-only handler with data
 * written before the connect, an async connect followed by blocking use, polling
 * `-connecting` without an event loop — and a `mixed` shape drawing every switch freely.
 *
 * The program, as Tcl:
 *
 *     set s [socket -async svc.test 7000]; [fconfigure $s -blocking 0]; [poll]
 *     [puts $s hello; [flush $s]]
 *     [fileevent $s writable/readable Done]...   ;# Done: after cancel; remove both; set done 1
 *     [set aid [after T Timeout]]                 ;# Timeout: remove both; set done timeout
 *     [after ms poll]...
 *     vwait done                                  ;# 60 s budget
 *     while {[fconfigure $s -connecting]} {after 10000}
 *     fconfigure $s -error (twice, framed by -connecting reads); fconfigure $s -peername
 *     [fconfigure $s -blocking 1; gets $s]           ;# connected: read the server's line
 *     after cancel (polls and timeout); close $s; drain (let what is in flight arrive)
 *
 * Does not: judge (properties do) or build the world (world-from.ts).
 *
 * Departs from Tcl: scripts are JavaScript callbacks with a display text.
 */
import { VwaitBudgetError, WouldWaitForeverError } from '../loop/loop-errors.js';
import type { Channel, Script } from '../socket/interp.js';
import type { Profile } from '../socket/profiles.js';
import { TclError } from '../socket/tcl-error.js';
import type { WorldTieOption } from '../clock/tie-trace.js';
import type { FaultPlan, Topology } from './topology.js';
import { worldFrom, type CaseWorld } from './world-from.js';

/** An option a poll reads. */
export type PolledOption = '-error' | '-peername' | '-sockname';

/** Which of the seed's use cases a program follows (for reports; the fields say what it does). */
export type ProgramShape = 'background' | 'readable-only' | 'async-then-blocking' | 'poll-connecting' | 'mixed';

/** A client program: one `socket -async` and what the script does around it. */
export interface ClientProgram {
  readonly shape: ProgramShape;
  /** `fconfigure $s -blocking 0` right after `socket -async` unless true. */
  readonly blocking: boolean;
  /** `puts $s hello` (buffered) or `puts` + `flush` before the connect can have ended. */
  readonly write: 'none' | 'puts' | 'puts+flush';
  /** Fileevents installed after the writes; `writableFirst` decides their creation order. */
  readonly writable: boolean;
  readonly readable: boolean;
  readonly writableFirst: boolean;
  /** `after timeoutMs Timeout` (seed use case 1), or none. */
  readonly timeoutMs: number | null;
  /** Poll the options once right after `socket -async`, before anything else. */
  readonly pollNow: boolean;
  /** `after ms {poll}` timers (serviced by the vwait). */
  readonly pollAt: readonly number[];
  /** The options a poll reads, in this order, each between two `-connecting` reads. */
  readonly pollOptions: readonly PolledOption[];
}

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

/** What the script observed. */
export interface Observations {
  /** `socket -async` itself failed with this message (no channel); everything else is empty. */
  readonly socketError: string | null;
  /** Every framed option read, in order (polls while waiting, then the final reads). */
  readonly reads: readonly OptionRead[];
  /** Fileevent scripts that ran (the completion handler), in order. */
  readonly events: readonly ('readable' | 'writable')[];
  /** The timeout handler ran. */
  readonly timedOut: boolean;
  /** How `vwait done` ended: a handler set `done`, nothing could ever wake it, or its budget ran out. */
  readonly vwait: 'done' | 'forever' | 'budget' | 'skipped';
  /** Whether `-connecting` read 0 once the client stopped waiting and polled with `after`. */
  readonly walkEnded: boolean;
  /** `-peername` after the walk ended. */
  readonly finalPeer: Answer | null;
  /** After a success, the server's line as `gets` read it (blocking); null when not connected. */
  readonly reply: Answer | null;
  /** Errors raised by the client's own `puts`/`flush` before waiting. */
  readonly writeErrors: readonly string[];
  /** `close $s`: "" or the error it raised (message and errorCode). */
  readonly close: { readonly ok: true } | { readonly ok: false; readonly message: string; readonly errorCode: string } | null;
  /** What each candidate's server app received (null: no server there), after the final drain. */
  readonly received: readonly (string | null)[];
}

/** More virtual time than the longest walk (8 silent candidates × 7 s) needs. */
const VWAIT_BUDGET_MS = 120_000;
/** Virtual time the final drain may take: data in flight arrives, a slow server accepts. */
const DRAIN_BUDGET_MS = 10_000;
/** What the client writes. */
export const HELLO = 'hello';

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

/** Options of `runProgram`. */
export interface RunOptions {
  readonly profile?: Profile;
  readonly faults?: FaultPlan;
  readonly schedule?: readonly number[];
  readonly tieBreaker?: WorldTieOption;
  /** Keep the world's trace (default false). */
  readonly trace?: boolean;
}

/** One connect case: a topology, timed faults, a client program and a schedule of tie choices. */
export interface ConnectCase {
  readonly topology: Topology;
  readonly faults: FaultPlan;
  readonly client: ClientProgram;
  readonly schedule: readonly number[];
}

/** Plays connect case `c` (its schedule replayed) under `profile`; see `runProgram`. */
export function runConnectCase(c: ConnectCase, profile?: Profile, options: { readonly trace?: boolean } = {}): Observations & { readonly built: CaseWorld } {
  return runProgram(c.topology, c.client, {
    faults: c.faults,
    schedule: c.schedule,
    ...(profile === undefined ? {} : { profile }),
    ...options,
  });
}

/** Builds the world of `topology` and plays `program` on it (see the module header). */
export function runProgram(topology: Topology, program: ClientProgram, options: RunOptions = {}): Observations & { readonly built: CaseWorld } {
  const built = worldFrom(topology, {
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.faults === undefined ? {} : { faults: options.faults }),
    ...(options.schedule === undefined ? {} : { schedule: options.schedule }),
    ...(options.tieBreaker === undefined ? {} : { tieBreaker: options.tieBreaker }),
    ...(options.trace === undefined ? {} : { trace: options.trace }),
  });
  return { ...play(built, program), built };
}

function play(built: CaseWorld, client: ClientProgram): Observations {
  const { tcl, servers } = built;
  const received = (): (string | null)[] => servers.map((s) => (s === null ? null : s.received));
  let chan: Channel;
  try {
    chan = tcl.socket(built.service, built.port, { async: true });
  } catch (err) {
    if (!(err instanceof TclError)) throw err;
    tcl.close();
    return { socketError: err.message, reads: [], events: [], timedOut: false, vwait: 'skipped', walkEnded: true, finalPeer: null, reply: null, writeErrors: [], close: null, received: received() };
  }
  const h = chan;
  const reads: OptionRead[] = [];
  const events: ('readable' | 'writable')[] = [];
  const writeErrors: string[] = [];
  let timedOut = false;
  let timeoutId: string | null = null;
  const framed = (option: PolledOption, phase: OptionRead['phase']): void => {
    const connectingBefore = h.configure('-connecting');
    const a = answer(() => h.configure(option));
    const connectingAfter = h.configure('-connecting');
    reads.push({ option, answer: a, connectingBefore, connectingAfter, phase });
  };
  const poll = (): void => {
    for (const option of client.pollOptions) framed(option, 'poll');
  };
  const removeHandlers = (): void => {
    if (client.writable) h.fileevent('writable', null);
    if (client.readable) h.fileevent('readable', null);
  };

  if (!client.blocking) h.configure({ '-blocking': '0' });
  if (client.pollNow) poll();
  if (client.write !== 'none') {
    const w = answer(() => {
      h.puts(HELLO);
      if (client.write === 'puts+flush') h.flush();
      return '';
    });
    if ('error' in w) writeErrors.push(w.error);
  }
  const done = (kind: 'readable' | 'writable'): Script =>
    script(`Done ${kind}`, () => {
      events.push(kind);
      if (timeoutId !== null) tcl.afterCancel(timeoutId);
      removeHandlers();
      tcl.set('done');
    });
  for (const kind of client.writableFirst ? (['writable', 'readable'] as const) : (['readable', 'writable'] as const)) {
    if (kind === 'writable' ? client.writable : client.readable) h.fileevent(kind, done(kind));
  }
  if (client.timeoutMs !== null) {
    timeoutId = tcl.afterScript(
      client.timeoutMs,
      script('Timeout', () => {
        timedOut = true;
        removeHandlers();
        tcl.set('done', 'timeout');
      }),
    );
  }
  const polls = client.pollAt.map((ms) => tcl.afterScript(ms, script('poll', poll)));

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
  for (let i = 0; i < 40 && !walkEnded; i++) {
    walkEnded = h.configure('-connecting') === '0';
    if (!walkEnded) tcl.after(10_000);
  }
  framed('-error', 'final');
  framed('-error', 'final');
  const finalPeer = answer(() => h.configure('-peername'));
  // Connected: read the server's line (blocking), as a client would before closing. Closing
  // with it unread would reset the connection, and the server could lose what we wrote.
  const reply = 'value' in finalPeer ? answer(() => (h.configure({ '-blocking': '1' }), h.gets())) : null;

  // A careful script cancels its timers before closing: the final drain would run them on a
  // closed channel (and strictBackgroundErrors would fail the case).
  for (const id of [...polls, ...(timeoutId === null ? [] : [timeoutId])]) tcl.afterCancel(id);
  let close: Observations['close'];
  try {
    h.close();
    close = { ok: true };
  } catch (err) {
    if (!(err instanceof TclError)) throw err;
    close = { ok: false, message: err.message, errorCode: err.errorCode };
  }
  // What is still in flight (a background flush, the FIN) reaches the servers.
  tcl.drain({ budgetMs: DRAIN_BUDGET_MS });
  tcl.close();
  return { socketError: null, reads, events, timedOut, vwait, walkEnded, finalPeer, reply, writeErrors, close, received: received() };
}

/** The first word of a `{address hostname port}` answer, or null for an error. */
export function addressOf(a: Answer | null): string | null {
  if (a === null || !('value' in a)) return null;
  return a.value.split(' ')[0] ?? null;
}
