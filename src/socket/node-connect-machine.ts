/**
 * The connect machine of Node's `net.Socket` (lib/net.js: the lookup, `internalConnect` and the
 * `autoSelectFamily` walk of `internalConnectMultiple`), as a pure function.
 *
 * Owns: the phases of one `socket.connect()` from the lookup to `connect` or `error`/`close`:
 * one 'lookup' per answer entry, the interleaved walk with one attempt and one fresh handle at
 * a time, the per-attempt timer (never on the last attempt), synchronous attempt errors,
 * abandoned handles closed, the AggregateError of a failed walk, `destroy()` at any point, and
 * the idle timer of `socket.setTimeout`. Historical Node bugs are switches (`NodeMachineSwitches`,
 * set by src/socket/node-profiles.ts). Nothing here touches sockets or clocks: a driver runs the
 * effects and reports what happened as events.
 *
 *   phase              event                        next phase         effects
 *   ─────────────────  ───────────────────────────  ─────────────────  ─────────────────────────────────
 *   idle               connect (host name)          resolving          lookup
 *   idle               connect (IP literal)         scheduledDial      nextTick(dialLiteral)
 *   scheduledDial      dialLiteral                  announcingAttempt  emit connectionAttempt(0), await
 *   resolving          lookupDone                   announcingLookup   emit lookup(entry 0), await
 *   resolving          lookupFailed                 scheduledFailure   emit lookup(err), nextTick(destroy)
 *   announcingLookup   returned, entries left       announcingLookup   emit lookup(next entry), await
 *   announcingLookup   returned, usable answer      announcingAttempt  emit connectionAttempt(0), await
 *   announcingLookup   returned, unusable answer    scheduledFailure   nextTick(destroy(ERR_INVALID_*))
 *   announcingAttempt  returned                     opening            startAttempt(k)
 *   opening            opened                       inFlight           armAttemptTimer (walk, not last)
 *   opening            openFailed (walk)            reportingFailure   emit connectionAttemptFailed, await
 *   opening            openFailed (single)          closed             closeHandle, emit error, close
 *   inFlight           attemptConnected             connected          clearAttemptTimer, emit connect, ready
 *   inFlight           attemptFailed                reportingFailure   clearAttemptTimer, emit …Failed, await
 *   inFlight           attemptTimerFired            reportingTimeout   emit connectionAttemptTimeout, await
 *   reportingTimeout   returned                     announcingAttempt  closeHandle(k), emit connectionAttempt(k+1)
 *   reportingFailure   returned, attempts left      announcingAttempt  closeHandle(k), emit connectionAttempt(k+1)
 *   reportingFailure   returned, none left/single   closed             closeHandle, emit error, close
 *   connected/idle     destroy                      closed             clearIdleTimer, closeHandle, emit close
 *   other live phase   destroy                      same, destroyed    clearIdleTimer, closeHandle, emit close
 *   inFlight           destroy                      same, destroyed    closeHandle(cancelsConnect); close owed
 *   destroyed          returned / lookup / result   closed             emit close if owed (walk stops)
 *   any                setTimeout / idleTimerFired  same               arm/clear idle timer / emit timeout
 *
 * "await" is the `awaitListeners` effect: Node re-checks `socket.connecting` after those emits,
 * so a `destroy()` made by a listener is stepped before the walk goes on, and the driver answers
 * `listenersReturned` afterwards (the driver contract is in src/socket/node-connect-io.ts).
 * Results of abandoned attempts and stale timer fires are dropped, as Node drops them
 * (`req.oncomplete` cleared); an answer that cannot come at all (`opened` outside `opening`,
 * `listenersReturned` with nothing awaited) throws an AssertionError. The bug switches bend
 * four rows: a timer on the last attempt (47822), stale results after a timeout (48464), the
 * walk going on when destroyed (51045, 51826), which ends in `internalAssertion`.
 *
 * Departs from reality: a `destroy()` inside a 'connectionAttempt' listener makes current Node
 * throw a TypeError (`_handle` is null when it calls connect), and one inside a synchronous
 * 'connectionAttemptFailed' listener trips its internal assertion; the reference here stops the
 * walk quietly in both cases. Real timers and handles are the driver's; deferred emits ('error'
 * on the next tick, 'close' once the handle closed) are marked `deferred` for it to queue.
 *
 * About 450 lines: one pure step function over one state union, as the style guide asks of a
 * connect machine; its rows read best together (the plan before the walk is node-connect-plan.ts,
 * the driver contract node-connect-io.ts).
 */
import { AssertionError, DetnetError } from '../errors.js';
import { aggregateError, attemptError, type AttemptErrorInfo, type ConnectErrorInfo, externalError } from './node-connect-errors.js';
import { planAttempts, planSingle, type Candidate, type LookupAnswer, type ResolvedConnect } from './node-connect-plan.js';
import type { NodeConnectEffect, NodeConnectEvent } from './node-connect-io.js';

/** Behaviours of historical Node versions; all false/true as noted is current Node. */
export interface NodeMachineSwitches {
  /** nodejs/node#47822 (20.0): the last attempt is timed too. Current: false. */
  readonly timeLastAttempt: boolean;
  /** #47822 (20.0): a timed-out attempt records no error (all timed out ⇒ ERR_SOCKET_CONNECTION_TIMEOUT). */
  readonly silentTimeouts: boolean;
  /** npm/cli#6409, fixed by #48464: after one timeout, every later result counts as stale. */
  readonly staleTimeoutFlag: boolean;
  /** #48763, fixed by #51045: a result or timer after `destroy()` still starts the next attempt. */
  readonly walkAfterDestroy: boolean;
  /** #50841, fixed by #51826: the walk ignores a `destroy()` made in a 'lookup' listener. */
  readonly uncheckedLookupListener: boolean;
  /** The connectionAttempt* events exist (they came with #51045). Current: true. */
  readonly attemptEvents: boolean;
}

/** The switches of current Node: no historical bug. */
export const CURRENT_SWITCHES: NodeMachineSwitches = Object.freeze({
  ...{ timeLastAttempt: false, silentTimeouts: false, staleTimeoutFlag: false },
  ...{ walkAfterDestroy: false, uncheckedLookupListener: false, attemptEvents: true },
});

/** Everything a machine needs: validated options and the profile's switches. */
export interface NodeMachineConfig {
  readonly connect: ResolvedConnect;
  readonly switches: NodeMachineSwitches;
}

/** The walk once a plan exists: candidates, recorded errors and who owns what. */
export interface Walk {
  readonly mode: 'walk' | 'single';
  readonly candidates: readonly Candidate[];
  readonly errors: readonly AttemptErrorInfo[];
  /** Some attempt timed out (read only by the `staleTimeoutFlag` bug). */
  readonly timedOut: boolean;
  /** The attempt whose handle is open (the socket's current handle), if any. */
  readonly handle: number | null;
  /** The attempt whose timer is armed, if any. */
  readonly timer: number | null;
}

interface Common {
  readonly config: NodeMachineConfig;
  /** `destroy()` ran: `socket.connecting` is false. */
  readonly destroyed: boolean;
  /** `setTimeout` idle timer: its length and whether it is counting. */
  readonly idle: { readonly ms: number; readonly armed: boolean } | null;
  readonly walk: Walk | null;
  /** The 'close' still owed after a cancelled connect reports (its hadError), else null. */
  readonly closeOwed: boolean | null;
}

/** Where the connect stands. */
export type NodeConnectPhase =
  | { readonly kind: 'idle' }
  | { readonly kind: 'scheduledDial' }
  | { readonly kind: 'resolving' }
  | { readonly kind: 'announcingLookup'; readonly answers: readonly LookupAnswer[]; readonly index: number }
  | { readonly kind: 'scheduledFailure' }
  | { readonly kind: 'announcingAttempt'; readonly attempt: number }
  | { readonly kind: 'opening'; readonly attempt: number }
  | { readonly kind: 'inFlight'; readonly attempt: number }
  | { readonly kind: 'reportingFailure'; readonly attempt: number; readonly error: AttemptErrorInfo }
  | { readonly kind: 'reportingTimeout'; readonly attempt: number }
  | { readonly kind: 'connected'; readonly attempt: number }
  | { readonly kind: 'closed' }
  | { readonly kind: 'crashed'; readonly where: string };

/** The machine's state: a phase plus what the socket holds. */
export type NodeConnectState = NodeConnectPhase & Common;

/** The next state and the effects of one transition. */
export interface NodeStepResult {
  readonly state: NodeConnectState;
  readonly effects: readonly NodeConnectEffect[];
}

/** A machine for one `connect()` with `config`, before the call. */
export function initialNodeState(config: NodeMachineConfig): NodeConnectState {
  return { kind: 'idle', config, destroyed: false, idle: null, walk: null, closeOwed: null };
}

/*
 * Effect lists that do not depend on the step's input (frozen, shared): most steps return one
 * of these, so the pure machine allocates little more than its next state.
 */
const effects = (...list: NodeConnectEffect[]): readonly NodeConnectEffect[] => Object.freeze(list.map((e) => Object.freeze(e)));
const NONE = effects();
const AWAIT: NodeConnectEffect = Object.freeze({ type: 'awaitListeners' });
const CONNECT_READY = effects({ type: 'emit', event: { name: 'connect' }, deferred: false }, { type: 'emit', event: { name: 'ready' }, deferred: false });
const EMIT_TIMEOUT = effects({ type: 'emit', event: { name: 'timeout' }, deferred: false });
const CLOSE = [false, true].map((hadError) => effects({ type: 'emit', event: { name: 'close', hadError }, deferred: true }));
const closeEffects = (hadError: boolean): readonly NodeConnectEffect[] => CLOSE[hadError ? 1 : 0] ?? NONE;

/** `state` moved to `phase` (pass `state` itself to stay), its socket fields updated by `patch`. */
function is(state: NodeConnectState, phase: NodeConnectPhase, patch: Partial<Common> = {}): NodeConnectState {
  const base: Common = { config: state.config, destroyed: state.destroyed, idle: state.idle, walk: state.walk, closeOwed: state.closeOwed };
  return { ...phase, ...base, ...patch } as NodeConnectState;
}

function walkOf(state: NodeConnectState): Walk {
  if (state.walk === null) throw new AssertionError(`node connect machine: no walk in phase ${state.kind}`);
  return state.walk;
}

function candidate(state: NodeConnectState, attempt: number): Candidate {
  const c = walkOf(state).candidates[attempt];
  if (c === undefined) throw new AssertionError(`node connect machine: no candidate ${attempt}`);
  return c;
}

/** The 'connectionAttempt*' payload of an attempt. */
function where(state: NodeConnectState, attempt: number): { address: string; port: number; family: 4 | 6 } {
  const c = candidate(state, attempt);
  return { address: c.address, port: state.config.connect.port, family: c.family };
}

/** The socket is finished: nothing pending; emit the owed 'close' if a cancel held it back. */
function finish(state: NodeConnectState, prefix: readonly NodeConnectEffect[] = NONE): NodeStepResult {
  const owed = state.closeOwed;
  const list = owed === null ? prefix : [...prefix, ...closeEffects(owed)];
  return { state: is(state, { kind: 'closed' }, { closeOwed: null }), effects: list };
}

/**
 * `destroy(error)`: close what the socket holds; 'error' (next tick) then 'close'. A pending
 * connect is cancelled: its ECANCELED report comes first, so 'close' is owed until then. The
 * attempt timer is left armed, as Node leaves it.
 */
function destroy(state: NodeConnectState, error: ConnectErrorInfo | undefined): NodeStepResult {
  if (state.kind === 'crashed') return { state, effects: NONE };
  // Destroying a destroyed socket does nothing (a scheduled failure finds it so, and is done).
  if (state.destroyed) return { state: state.kind === 'scheduledFailure' ? is(state, { kind: 'closed' }) : state, effects: NONE };
  const list: NodeConnectEffect[] = [];
  if (state.idle?.armed === true) list.push({ type: 'clearIdleTimer' });
  const walk = state.walk;
  const pending = state.kind === 'inFlight' && walk !== null && walk.handle === state.attempt;
  if (walk !== null && walk.handle !== null) list.push({ type: 'closeHandle', attempt: walk.handle, cancelsConnect: pending });
  if (error !== undefined) list.push({ type: 'emit', event: { name: 'error', error }, deferred: true });
  const hadError = error !== undefined;
  if (!pending) list.push(...closeEffects(hadError));
  const patch: Partial<Common> = { destroyed: true, idle: null, walk: walk === null ? null : { ...walk, handle: null }, closeOwed: pending ? hadError : null };
  // Phases that wait on nothing (or only on a lookup whose answer is then dropped) end here.
  const done = state.kind === 'connected' || state.kind === 'idle' || state.kind === 'scheduledFailure';
  const next = done ? ({ kind: 'closed' } as const) : state;
  return { state: is(state, next, patch), effects: list };
}

/** The walk failed (or a single attempt did): destroy with `error`, still connecting. */
function fail(state: NodeConnectState, error: ConnectErrorInfo): NodeStepResult {
  const { state: next, effects: list } = destroy(state, error);
  return { state: is(next, { kind: 'closed' }), effects: list };
}

/** Start attempt `k` (internalConnect / internalConnectMultiple): reinit the handle, announce. */
function begin(state: NodeConnectState, k: number, prefix: readonly NodeConnectEffect[] = NONE): NodeStepResult {
  const walk = walkOf(state);
  // Node asserts `self.connecting` before touching the handle; only a bug switch gets here destroyed.
  if (state.destroyed) {
    const site = walk.mode === 'walk' ? 'internalConnectMultiple' : 'internalConnect';
    return { state: is(state, { kind: 'crashed', where: site }, { closeOwed: null }), effects: [...prefix, { type: 'internalAssertion', code: 'ERR_INTERNAL_ASSERTION', where: site }] };
  }
  const list = [...prefix];
  if (walk.handle !== null) list.push({ type: 'closeHandle', attempt: walk.handle, cancelsConnect: false });
  const next = is(state, { kind: 'announcingAttempt', attempt: k }, { walk: { ...walk, handle: null } });
  if (!state.config.switches.attemptEvents) return open(next, k, list);
  list.push({ type: 'emit', event: { name: 'connectionAttempt', ...where(state, k) }, deferred: false }, AWAIT);
  return { state: next, effects: list };
}

/** Issue the connect of attempt `k` on a fresh handle. */
function open(state: NodeConnectState, k: number, prefix: readonly NodeConnectEffect[] = NONE): NodeStepResult {
  const walk = walkOf(state);
  return {
    state: is(state, { kind: 'opening', attempt: k }, { walk: { ...walk, handle: k } }),
    effects: [...prefix, { type: 'startAttempt', attempt: k, ...where(state, k) }],
  };
}

/** After attempt `k` failed or timed out (and its listeners returned): next attempt or the end. */
function advance(state: NodeConnectState, k: number, prefix: readonly NodeConnectEffect[] = NONE): NodeStepResult {
  const walk = walkOf(state);
  if (state.destroyed && !state.config.switches.walkAfterDestroy) return finish(state, prefix);
  if (k + 1 < walk.candidates.length) return begin(state, k + 1, prefix);
  // Out of addresses. Destroying an already destroyed socket does nothing.
  if (state.destroyed) return finish(state, prefix);
  const out = fail(state, aggregateError(walk.errors));
  return { state: out.state, effects: [...prefix, ...out.effects] };
}

/** Attempt `k` failed with `error`: record it and report it (the single path fails at once if synchronous). */
function attemptFailed(state: NodeConnectState, k: number, error: AttemptErrorInfo, sync: boolean, prefix: readonly NodeConnectEffect[]): NodeStepResult {
  const walk = walkOf(state);
  if (walk.mode === 'single' && sync) {
    const out = fail(state, error);
    return { state: out.state, effects: [...prefix, ...out.effects] };
  }
  const next = is(state, { kind: 'reportingFailure', attempt: k, error }, { walk: { ...walk, errors: [...walk.errors, error] } }) as Reporting;
  if (!state.config.switches.attemptEvents) return afterFailureReported(next, prefix);
  return { state: next, effects: [...prefix, { type: 'emit', event: { name: 'connectionAttemptFailed', ...where(state, k), error }, deferred: false }, AWAIT] };
}

type Reporting = Extract<NodeConnectState, { kind: 'reportingFailure' }>;

function afterFailureReported(state: Reporting, prefix: readonly NodeConnectEffect[] = NONE): NodeStepResult {
  if (walkOf(state).mode === 'walk') return advance(state, state.attempt, prefix);
  // Single path: afterConnect destroys with the attempt's own error, unless already destroyed.
  if (state.destroyed) return finish(state, prefix);
  const out = fail(state, state.error);
  return { state: out.state, effects: [...prefix, ...out.effects] };
}

/** The timeout of attempt `k` was announced: record it, abandon the handle, go on. */
function afterTimeoutReported(state: Extract<NodeConnectState, { kind: 'reportingTimeout' }>): NodeStepResult {
  const k = state.attempt;
  const walk = walkOf(state);
  const { silentTimeouts } = state.config.switches;
  const c = candidate(state, k);
  const errors = silentTimeouts ? walk.errors : [...walk.errors, attemptError('ETIMEDOUT', c.address, state.config.connect.port)];
  const list: NodeConnectEffect[] = walk.handle === k ? [{ type: 'closeHandle', attempt: k, cancelsConnect: false }] : [];
  const next = is(state, state, { walk: { ...walk, errors, timedOut: true, handle: walk.handle === k ? null : walk.handle } });
  return advance(next, k, list);
}

/** Lookup answers are in and announced: plan the walk (or the single dial) and start it. */
function dial(state: NodeConnectState, answers: readonly LookupAnswer[]): NodeStepResult {
  const { connect } = state.config;
  const plan = connect.mode === 'walk' ? planAttempts(answers, connect.host, connect.port) : planSingle(answers, connect.host, connect.port);
  if (plan.kind === 'invalid') {
    return { state: is(state, { kind: 'scheduledFailure' }), effects: [{ type: 'nextTick', event: { type: 'destroy', error: plan.error } }] };
  }
  const candidates = plan.kind === 'walk' ? plan.candidates : [plan.candidate];
  const walk: Walk = { mode: plan.kind, candidates, errors: [], timedOut: false, handle: null, timer: null };
  const refresh: readonly NodeConnectEffect[] = state.idle?.armed === true ? [{ type: 'refreshIdleTimer' }] : NONE;
  return begin(is(state, state, { walk }), 0, refresh);
}

function lookupEvent(state: NodeConnectState, entry: LookupAnswer | undefined, error: ConnectErrorInfo | null): NodeConnectEffect {
  return { type: 'emit', event: { name: 'lookup', error, address: entry?.address, family: entry?.family, host: state.config.connect.host }, deferred: false };
}

function bad(state: NodeConnectState, event: NodeConnectEvent): never {
  throw new AssertionError(`node connect machine: event ${event.type} cannot happen in phase ${state.kind}${state.destroyed ? ' (destroyed)' : ''}`);
}

/** Events every live phase answers the same way. Returns null for phase-specific ones. */
function common(state: NodeConnectState, event: NodeConnectEvent): NodeStepResult | null {
  switch (event.type) {
    case 'destroy':
      return destroy(state, event.error);
    case 'setTimeout': {
      if (!(Number.isFinite(event.ms) && event.ms >= 0)) {
        throw new DetnetError('ERR_OUT_OF_RANGE', `The value of "msecs" is out of range. It must be a non-negative finite number. Received ${event.ms}`);
      }
      if (state.destroyed) return { state, effects: NONE };
      if (event.ms === 0) return { state: is(state, state, { idle: null }), effects: state.idle?.armed === true ? [{ type: 'clearIdleTimer' }] : NONE };
      return { state: is(state, state, { idle: { ms: event.ms, armed: true } }), effects: [{ type: 'armIdleTimer', ms: event.ms }] };
    }
    case 'idleTimerFired':
      if (state.destroyed || state.idle?.armed !== true) return { state, effects: NONE };
      return { state: is(state, state, { idle: { ms: state.idle.ms, armed: false } }), effects: EMIT_TIMEOUT };
    case 'attemptConnected':
    case 'attemptFailed':
    case 'attemptTimerFired':
      // A result or timer of an attempt the machine no longer waits on: dropped, as Node drops it.
      return state.kind === 'inFlight' && event.attempt === state.attempt ? null : { state, effects: NONE };
    default:
      return null;
  }
}

/**
 * One transition. Throws an AssertionError on an event that cannot happen in `state` (a driver
 * bug); a crashed machine (internal assertion) ignores everything.
 */
export function nodeStep(state: NodeConnectState, event: NodeConnectEvent): NodeStepResult {
  if (state.kind === 'crashed') return { state, effects: NONE };
  const shared = common(state, event);
  if (shared !== null) return shared;
  const { switches, connect } = state.config;
  switch (state.kind) {
    case 'idle':
      if (event.type !== 'connect') return bad(state, event);
      if (connect.literal !== 0) return { state: is(state, { kind: 'scheduledDial' }), effects: [{ type: 'nextTick', event: { type: 'dialLiteral' } }] };
      return { state: is(state, { kind: 'resolving' }), effects: [...(state.idle?.armed === true ? [{ type: 'refreshIdleTimer' } as const] : []), { type: 'lookup', request: connect.lookup }] };
    case 'scheduledDial':
      if (event.type !== 'dialLiteral') return bad(state, event);
      if (state.destroyed) return finish(state);
      return dial(state, [{ address: connect.host, family: connect.literal }]);
    case 'resolving': {
      const single = connect.mode === 'single';
      if (event.type === 'lookupFailed') {
        const error = externalError(event.error);
        // The walk checks for destroy() before announcing; the single path announces first.
        if (state.destroyed) return finish(state, single ? [lookupEvent(state, undefined, error)] : NONE);
        return { state: is(state, { kind: 'scheduledFailure' }), effects: [lookupEvent(state, undefined, error), { type: 'nextTick', event: { type: 'destroy', error } }] };
      }
      if (event.type !== 'lookupDone') return bad(state, event);
      const answers = single ? event.answers.slice(0, 1) : event.answers;
      if (state.destroyed) return finish(state, single ? [lookupEvent(state, answers[0], null)] : NONE);
      if (answers.length === 0) return dial(state, answers);
      return { state: is(state, { kind: 'announcingLookup', answers, index: 0 }), effects: [lookupEvent(state, answers[0], null), AWAIT] };
    }
    case 'announcingLookup': {
      if (event.type !== 'listenersReturned') return bad(state, event);
      // #51826 added this check to the walk; the single path always had it.
      const checked = connect.mode === 'single' || !switches.uncheckedLookupListener;
      if (state.destroyed && checked) return finish(state);
      const next = state.index + 1;
      if (next < state.answers.length) {
        return { state: is(state, { ...state, index: next }), effects: [lookupEvent(state, state.answers[next], null), AWAIT] };
      }
      return dial(state, state.answers);
    }
    case 'scheduledFailure':
      return bad(state, event);
    case 'announcingAttempt':
      if (event.type !== 'listenersReturned') return bad(state, event);
      // Departure (see header): current Node would throw a TypeError here when destroyed.
      if (state.destroyed) return finish(state);
      return open(state, state.attempt);
    case 'opening': {
      const k = state.attempt;
      const walk = walkOf(state);
      if (event.type === 'opened' && event.attempt === k) {
        const last = k === walk.candidates.length - 1;
        if (walk.mode === 'single' || (last && !switches.timeLastAttempt)) return { state: is(state, { kind: 'inFlight', attempt: k }), effects: NONE };
        return {
          state: is(state, { kind: 'inFlight', attempt: k }, { walk: { ...walk, timer: k } }),
          effects: [{ type: 'armAttemptTimer', attempt: k, ms: connect.attemptTimeoutMs }],
        };
      }
      if (event.type === 'openFailed' && event.attempt === k) {
        const c = candidate(state, k);
        return attemptFailed(state, k, attemptError(event.code, c.address, connect.port, event.local ?? 'undefined:undefined'), true, NONE);
      }
      return bad(state, event);
    }
    case 'inFlight': {
      const k = state.attempt;
      const walk = walkOf(state);
      if (event.type === 'attemptTimerFired') {
        if (walk.timer !== k) return { state, effects: NONE };
        const next = is(state, { kind: 'reportingTimeout', attempt: k }, { walk: { ...walk, timer: null } });
        if (!switches.attemptEvents) return afterTimeoutReported(next as Extract<NodeConnectState, { kind: 'reportingTimeout' }>);
        return { state: next, effects: [{ type: 'emit', event: { name: 'connectionAttemptTimeout', ...where(state, k) }, deferred: false }, AWAIT] };
      }
      if (event.type !== 'attemptConnected' && event.type !== 'attemptFailed') return bad(state, event);
      // npm/cli#6409: once any attempt timed out, 20.0–20.2 took every later result for the
      // timed-out one: close the handle, ignore the result, and leave the timer running.
      if (switches.staleTimeoutFlag && walk.timedOut) {
        if (state.destroyed) return finish(state);
        const list: NodeConnectEffect[] = walk.handle === k ? [{ type: 'closeHandle', attempt: k, cancelsConnect: false }] : [];
        return { state: is(state, state, { walk: { ...walk, handle: walk.handle === k ? null : walk.handle } }), effects: list };
      }
      const clear: NodeConnectEffect[] = walk.timer === k ? [{ type: 'clearAttemptTimer', attempt: k }] : [];
      const cleared = is(state, state, { walk: { ...walk, timer: walk.timer === k ? null : walk.timer } });
      if (event.type === 'attemptConnected') {
        if (state.destroyed) return bad(state, event); // a cancelled connect reports ECANCELED, never success
        const refresh: NodeConnectEffect[] = state.idle?.armed === true ? [{ type: 'refreshIdleTimer' }] : [];
        return { state: is(cleared, { kind: 'connected', attempt: k }), effects: [...clear, ...refresh, ...CONNECT_READY] };
      }
      // The single path's afterConnect returns early on a destroyed socket.
      if (state.destroyed && walk.mode === 'single') return finish(cleared, clear);
      const c = candidate(state, k);
      return attemptFailed(cleared, k, attemptError(event.code, c.address, connect.port), false, clear);
    }
    case 'reportingFailure':
      if (event.type !== 'listenersReturned') return bad(state, event);
      return afterFailureReported(state);
    case 'reportingTimeout':
      if (event.type !== 'listenersReturned') return bad(state, event);
      return afterTimeoutReported(state);
    case 'connected':
      return bad(state, event);
    case 'closed':
      // A lookup answer or tick that Node would drop because the socket is no longer connecting.
      if (event.type === 'lookupDone' || event.type === 'lookupFailed' || event.type === 'dialLiteral') return { state, effects: NONE };
      return bad(state, event);
    default:
      return unreachable(state);
  }
}

function unreachable(x: never): never {
  throw new AssertionError(`node connect machine: unexpected ${JSON.stringify(x)}`);
}

/** Whether the socket is still connecting (Node's `socket.connecting`). */
export function isNodeConnecting(state: NodeConnectState): boolean {
  return !state.destroyed && state.kind !== 'idle' && state.kind !== 'connected' && state.kind !== 'closed' && state.kind !== 'crashed';
}
