/**
 * The async-connect state machine of Tcl 8.6's socket driver, as a pure function.
 *
 * Owns: the walk over attempt pairs (reference §2), the states and transitions of §3 and the
 * rules for what each trigger may do (§3.4), and the answers of the introspection options
 * (§5) given live facts the caller supplies. It imports nothing from sim, loop or node: the
 * connector (connector.ts) executes the effects it returns and feeds the results back as events.
 *
 *   state            event                               next state          effects
 *   ─────────────    ──────────────────────────────────  ──────────────────  ──────────────────────
 *   (start)          start, no pairs                     failed EHOSTUNREACH finished
 *   (start)          start                               opening(0)          open(0)
 *   (start)          opened / openFailed / ready         — throws (no attempt exists yet)
 *   opening(i)       opened (in progress)                inflight(i)         arm
 *   opening(i)       opened (connected at once)          connected(i)        finished
 *   opening(i)       openFailed(e), a pair left          opening(i+1)        open(i+1)
 *   opening(i)       openFailed(e), none left            failed(e)           finished
 *   inflight(i)      ready, SO_ERROR = 0                 connected(i)        disarm, finished
 *   inflight(i)      ready, SO_ERROR = e, a pair left    opening(i+1)        disarm, closeAttempt, open(i+1)
 *   inflight(i)      ready, SO_ERROR = e, none left      failed(e)           disarm, finished
 *   opening(i)       ready                               — throws (nothing is in flight)
 *   inflight(i)      start / opened / openFailed         — throws
 *   connected, failed  any                               — throws (the walk is over)
 *
 * "A pair left" honours the profile switch `onlyFirstAddress` (bug 13d3af3ad5: only the first
 * address is ever tried). A step triggered once may pass through several `opening` states when
 * later attempts fail synchronously, but never waits for a second in-flight answer (§3.3).
 *
 * Departs from reality: attempts are indices into a precomputed pair list; the socket, bind and
 * connect system calls are the caller's business.
 */
import type { Errno } from '../net/net-error.js';
import type { Family, SockAddr } from '../net/sock-addr.js';

/** One (remote, local) attempt. */
export interface AttemptPair {
  readonly remote: SockAddr;
  readonly local: SockAddr;
}

/** An address without a port (as resolved). */
export interface PlainAddr {
  readonly family: Family;
  readonly address: string;
}

/**
 * The attempt order of §2: for each remote candidate in resolver order, for each local address
 * of the same family in order, one pair. Pairs of different families are skipped silently.
 */
export function attemptPairs(
  remotes: readonly PlainAddr[],
  port: number,
  locals: readonly PlainAddr[],
  localPort: number,
): AttemptPair[] {
  const pairs: AttemptPair[] = [];
  for (const r of remotes) {
    for (const l of locals) {
      if (l.family !== r.family) continue;
      pairs.push({
        remote: { family: r.family, address: r.address, port },
        local: { family: l.family, address: l.address, port: localPort },
      });
    }
  }
  return pairs;
}

/** Machine switches read from a profile. */
export interface MachineConfig {
  /** Bug 13d3af3ad5 (Windows 8.6.0–8.6.1): never walk past the first pair. */
  readonly onlyFirstAddress: boolean;
}

/** The machine's state (§3.1); `opening` exists only inside a step, between system calls. */
export type ConnectState =
  | { readonly kind: 'opening'; readonly index: number; readonly lastError: Errno | null }
  | { readonly kind: 'inflight'; readonly index: number; readonly lastError: Errno | null }
  | { readonly kind: 'connected'; readonly index: number }
  | { readonly kind: 'failed'; readonly index: number; readonly error: Errno };

/** What the glue reports back: the command started, or the result of a system call. */
export type ConnectEvent =
  | { readonly type: 'start' }
  | { readonly type: 'opened'; readonly connected: boolean }
  /** `error` null: the socket could not even be created (the recorded error is unchanged). */
  | { readonly type: 'openFailed'; readonly error: Errno | null }
  | { readonly type: 'ready'; readonly soError: Errno | null };

/** What the glue must do next, in order. */
export type ConnectEffect =
  | { readonly type: 'open'; readonly index: number }
  | { readonly type: 'arm' }
  | { readonly type: 'disarm' }
  | { readonly type: 'closeAttempt' }
  | { readonly type: 'finished'; readonly outcome: 'connected' | 'failed' };

/** The next state and the effects of one transition. */
export interface StepResult {
  readonly state: ConnectState;
  readonly effects: readonly ConnectEffect[];
}

/** The error Tcl records before any attempt: EHOSTUNREACH (§3.2). */
export const INITIAL_ERROR: Errno = 'EHOSTUNREACH';

/** The machine before `start`: about to open pair 0. */
export function initialState(): ConnectState {
  return { kind: 'opening', index: -1, lastError: null };
}

function nextPair(index: number, pairCount: number, config: MachineConfig): number | null {
  const next = index + 1;
  if (next >= pairCount) return null;
  if (config.onlyFirstAddress && next > 0) return null;
  return next;
}

/*
 * Effect lists that do not depend on the step's input, shared by every step that returns them
 * (frozen: effects are read-only data). A connect walk returns one of these per step, so sharing
 * them keeps the pure machine from allocating more than its next state.
 */
const effects = (...list: ConnectEffect[]): readonly ConnectEffect[] => Object.freeze(list.map((e) => Object.freeze(e)));
const ARM = effects({ type: 'arm' });
const FINISHED_CONNECTED = effects({ type: 'finished', outcome: 'connected' });
const FINISHED_FAILED = effects({ type: 'finished', outcome: 'failed' });
const DISARM_CONNECTED = effects({ type: 'disarm' }, { type: 'finished', outcome: 'connected' });
const DISARM_FAILED = effects({ type: 'disarm' }, { type: 'finished', outcome: 'failed' });

/** Failure after the walk ran out: the last recorded error, or the initial EHOSTUNREACH. */
function exhausted(index: number, error: Errno | null): StepResult {
  return {
    state: { kind: 'failed', index, error: error ?? INITIAL_ERROR },
    effects: FINISHED_FAILED,
  };
}

/**
 * One transition. Throws on an event that cannot happen in `state` (a bug in the glue).
 */
export function step(state: ConnectState, event: ConnectEvent, pairCount: number, config: MachineConfig): StepResult {
  switch (state.kind) {
    case 'opening': {
      switch (event.type) {
        case 'start': {
          if (state.index !== -1) break;
          if (pairCount === 0) return exhausted(-1, null);
          return { state: { kind: 'opening', index: 0, lastError: null }, effects: [{ type: 'open', index: 0 }] };
        }
        case 'opened':
          // Before `start` (index -1) no attempt exists that could have opened or failed.
          if (state.index === -1) break;
          if (event.connected) {
            return { state: { kind: 'connected', index: state.index }, effects: FINISHED_CONNECTED };
          }
          return { state: { kind: 'inflight', index: state.index, lastError: state.lastError }, effects: ARM };
        case 'openFailed': {
          if (state.index === -1) break;
          const error = event.error ?? state.lastError;
          const next = nextPair(state.index, pairCount, config);
          if (next === null) return exhausted(state.index, error);
          return { state: { kind: 'opening', index: next, lastError: error }, effects: [{ type: 'open', index: next }] };
        }
        case 'ready':
          break;
        default:
          return unreachable(event);
      }
      break;
    }
    case 'inflight': {
      if (event.type !== 'ready') break;
      if (event.soError === null) {
        return { state: { kind: 'connected', index: state.index }, effects: DISARM_CONNECTED };
      }
      const next = nextPair(state.index, pairCount, config);
      if (next === null) return { state: exhausted(state.index, event.soError).state, effects: DISARM_FAILED };
      return {
        state: { kind: 'opening', index: next, lastError: event.soError },
        effects: [{ type: 'disarm' }, { type: 'closeAttempt' }, { type: 'open', index: next }],
      };
    }
    case 'connected':
    case 'failed':
      break;
    default:
      return unreachable(state);
  }
  throw new Error(`connect machine: event ${event.type} cannot happen in state ${state.kind}`);
}

function unreachable(x: never): never {
  throw new Error(`connect machine: unexpected ${JSON.stringify(x)}`);
}

/** Whether the walk is still running (Tcl's "connecting" flag). */
export function isConnecting(state: ConnectState): boolean {
  return state.kind === 'opening' || state.kind === 'inflight';
}

/** What a command may do to the machine (§3.4). */
export type Advance = 'none' | 'check' | 'walk';

/** Who triggers a step, in the words of §3.4. */
export type Trigger =
  | 'eventLoop'
  | 'blockingIo'
  | 'nonBlockingIo'
  | 'optionQuery'
  | 'genericOption'
  | 'eof'
  | 'fblocked'
  | 'fileevent';

/**
 * How far a trigger may advance the machine (§3.4): the event loop steps once per readiness
 * report and blocking driver I/O walks to the end; non-blocking I/O and driver option queries
 * make one zero-timeout check; generic options, `eof`, `fblocked` and `fileevent` do nothing.
 */
export function advanceFor(trigger: Trigger): Advance {
  switch (trigger) {
    case 'blockingIo':
      return 'walk';
    case 'eventLoop':
    case 'nonBlockingIo':
    case 'optionQuery':
      return 'check';
    case 'genericOption':
    case 'eof':
    case 'fblocked':
    case 'fileevent':
      return 'none';
    default:
      return unreachable(trigger);
  }
}
