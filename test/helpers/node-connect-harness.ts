/**
 * A scripted driver for the Node connect machine: it runs `nodeStep` against a fake timeline —
 * a lookup answer after a delay, a fate per address (connect or fail after a delay, fail at
 * once, or never answer), user actions at chosen times or inside chosen listeners — on a
 * VirtualClock, and records what a user of `net.Socket` would observe.
 *
 * Driver rules it follows (the machine's contract): effects run in order; a `destroy()` made by
 * a listener is stepped at once (reentrantly); `awaitListeners` is answered after its list;
 * `startAttempt` is answered at once; deferred emits and `nextTick` events run after the current
 * macrotask, next-tick items before close-phase items ('close', ECANCELED reports), as Node's
 * loop does. No sockets, no sim.
 *
 * Departs from Node's loop: close-phase items run at the end of each macrotask, whereas Node
 * runs them after every timer due in the same loop turn; orders of things due at the same
 * instant are explored through the clock's tie-breaker instead.
 */
import { ReplayTieBreaker, type TieBreaker } from '../../src/clock/tie-breaker.js';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import type { TimerId } from '../../src/clock/clock.js';
import { externalError, type AttemptErrno } from '../../src/socket/node-connect-errors.js';
import {
  initialNodeState,
  isNodeConnecting,
  nodeStep,
  type NodeConnectState,
} from '../../src/socket/node-connect-machine.js';
import type { NodeConnectEffect, NodeConnectEvent } from '../../src/socket/node-connect-io.js';
import type { LookupAnswer, NodeConnectOptions } from '../../src/socket/node-connect-plan.js';
import { DEFAULT_NODE_PROFILE, nodeMachineConfig, type NodeProfile } from '../../src/socket/node-profiles.js';
import type { NodeSocketEvent, NodeSocketEventName } from '../../src/socket/node-socket-events.js';

/** What happens to a connect to one address. */
export type AttemptFate =
  | { readonly kind: 'connect'; readonly afterMs: number }
  | { readonly kind: 'fail'; readonly afterMs: number; readonly code: AttemptErrno }
  | { readonly kind: 'syncFail'; readonly code: AttemptErrno }
  | { readonly kind: 'silent' };

/** One scripted connect. */
export interface NodeScript {
  readonly options: NodeConnectOptions;
  readonly profile?: NodeProfile;
  readonly lookup?:
    | { readonly kind: 'answers'; readonly answers: readonly LookupAnswer[]; readonly afterMs?: number }
    | { readonly kind: 'error'; readonly code: string; readonly afterMs?: number }
    | { readonly kind: 'silent' };
  /** Fate per address; an address without one never answers. */
  readonly fates?: Readonly<Record<string, AttemptFate>>;
  /** `socket.destroy()` from a timer at this time (ms) … */
  readonly destroyAtMs?: number;
  /** … with an error of this message (as undici's connect timeout does), if given. */
  readonly destroyWith?: string;
  /** `socket.destroy()` inside the listener of the nth (1-based) emit of `event`. */
  readonly destroyIn?: { readonly event: NodeSocketEventName; readonly nth: number };
  /** `socket.setTimeout(ms)` right after `connect()`. */
  readonly idleTimeoutMs?: number;
  /** Order of timers due at the same instant (default FIFO). */
  readonly tieBreaker?: TieBreaker;
}

/** One emitted event and when. */
export interface Emitted {
  readonly at: number;
  readonly event: NodeSocketEvent;
}

/** What the user (and a checker of handles) could observe. */
export interface NodeRun {
  readonly emitted: readonly Emitted[];
  /** Attempts started, in order: `address` of each. */
  readonly started: readonly string[];
  /** Times each attempt's handle was closed (index = attempt). */
  readonly closes: readonly number[];
  /** The attempt whose handle is still open at the end, if any. */
  readonly openHandles: readonly number[];
  /** Attempt timers armed, as [attempt, ms]. */
  readonly timersArmed: readonly (readonly [number, number])[];
  /** Attempts started after the user's `destroy()`. */
  readonly startedAfterDestroy: number;
  /** `destroy()` was called by the user at this time, if it was. */
  readonly destroyedAt: number | null;
  readonly crash: string | null;
  readonly final: NodeConnectState;
  /** Names of the emitted events, in order. */
  readonly names: readonly NodeSocketEventName[];
}

/** Runs `script` to quiescence (no timer pending, no queued work) and returns what it observed. */
export function runNodeScript(script: NodeScript): NodeRun {
  const clock = new VirtualClock(script.tieBreaker === undefined ? {} : { tieBreaker: script.tieBreaker });
  let state = initialNodeState(nodeMachineConfig(script.options, script.profile ?? DEFAULT_NODE_PROFILE));
  const emitted: Emitted[] = [];
  const started: string[] = [];
  const closes: number[] = [];
  const open = new Set<number>();
  const timersArmed: [number, number][] = [];
  const outcomeTimers = new Map<number, TimerId>();
  let attemptTimer: TimerId | null = null;
  let idleTimer: TimerId | null = null;
  let idleMs = 0;
  let destroyedAt: number | null = null;
  let startedAfterDestroy = 0;
  let crash: string | null = null;
  const tickQueue: (() => void)[] = [];
  const closeQueue: (() => void)[] = [];
  const seen = new Map<NodeSocketEventName, number>();

  const step = (event: NodeConnectEvent): void => {
    if (crash !== null) return;
    const result = nodeStep(state, event);
    state = result.state;
    let awaiting = false;
    for (const effect of result.effects) {
      if (crash !== null) return;
      if (effect.type === 'awaitListeners') awaiting = true;
      else run(effect);
    }
    if (awaiting && crash === null) step({ type: 'listenersReturned' });
  };

  const userDestroy = (message?: string): void => {
    destroyedAt ??= clock.now();
    step(message === undefined ? { type: 'destroy' } : { type: 'destroy', error: userError(message) });
  };

  const deliver = (event: NodeSocketEvent): void => {
    emitted.push({ at: clock.now(), event });
    const nth = (seen.get(event.name) ?? 0) + 1;
    seen.set(event.name, nth);
    if (script.destroyIn !== undefined && script.destroyIn.event === event.name && script.destroyIn.nth === nth) userDestroy();
  };

  const run = (effect: Exclude<NodeConnectEffect, { type: 'awaitListeners' }>): void => {
    switch (effect.type) {
      case 'lookup': {
        const lookup = script.lookup ?? { kind: 'answers', answers: [] };
        if (lookup.kind === 'silent') return;
        clock.setTimer(lookup.afterMs ?? 0, () => macro(() => {
          if (lookup.kind === 'answers') step({ type: 'lookupDone', answers: lookup.answers });
          else step({ type: 'lookupFailed', error: Object.assign(new Error(`getaddrinfo ${lookup.code} ${effect.request.host}`), { code: lookup.code }) });
        }), 'lookup');
        return;
      }
      case 'emit':
        if (!effect.deferred) deliver(effect.event);
        else (effect.event.name === 'close' ? closeQueue : tickQueue).push(() => deliver(effect.event));
        return;
      case 'startAttempt': {
        const k = effect.attempt;
        started.push(effect.address);
        if (destroyedAt !== null) startedAfterDestroy++;
        open.add(k);
        closes[k] = 0;
        const fate = script.fates?.[effect.address] ?? { kind: 'silent' };
        if (fate.kind === 'syncFail') return step({ type: 'openFailed', attempt: k, code: fate.code });
        step({ type: 'opened', attempt: k });
        if (fate.kind === 'silent') return;
        const id = clock.setTimer(fate.afterMs, () => macro(() => {
          outcomeTimers.delete(k);
          step(fate.kind === 'connect' ? { type: 'attemptConnected', attempt: k } : { type: 'attemptFailed', attempt: k, code: fate.code });
        }), `attempt ${k} ${fate.kind}`);
        outcomeTimers.set(k, id);
        return;
      }
      case 'closeHandle': {
        const k = effect.attempt;
        closes[k] = (closes[k] ?? 0) + 1;
        open.delete(k);
        const pending = outcomeTimers.get(k);
        if (pending !== undefined) clock.clearTimer(pending);
        outcomeTimers.delete(k);
        // libuv cancels a pending connect when its handle closes, in the close phase.
        if (effect.cancelsConnect) closeQueue.push(() => step({ type: 'attemptFailed', attempt: k, code: 'ECANCELED' }));
        return;
      }
      case 'armAttemptTimer':
        timersArmed.push([effect.attempt, effect.ms]);
        attemptTimer = clock.setTimer(effect.ms, () => macro(() => {
          attemptTimer = null;
          step({ type: 'attemptTimerFired', attempt: effect.attempt });
        }), `attempt timer ${effect.attempt}`);
        return;
      case 'clearAttemptTimer':
        if (attemptTimer !== null) clock.clearTimer(attemptTimer);
        attemptTimer = null;
        return;
      case 'armIdleTimer':
      case 'refreshIdleTimer':
        if (effect.type === 'armIdleTimer') idleMs = effect.ms;
        if (idleTimer !== null) clock.clearTimer(idleTimer);
        idleTimer = clock.setTimer(idleMs, () => macro(() => {
          idleTimer = null;
          step({ type: 'idleTimerFired' });
        }), 'idle timer');
        return;
      case 'clearIdleTimer':
        if (idleTimer !== null) clock.clearTimer(idleTimer);
        idleTimer = null;
        return;
      case 'nextTick':
        tickQueue.push(() => step(effect.event));
        return;
      case 'internalAssertion':
        crash = `${effect.code} in ${effect.where}`;
        tickQueue.length = 0;
        closeQueue.length = 0;
        return;
      default:
        return unreachable(effect);
    }
  };

  /** One macrotask: `fn`, then the next-tick queue, then close-phase items one by one. */
  const macro = (fn: () => void): void => {
    fn();
    for (;;) {
      const tick = tickQueue.shift();
      if (tick !== undefined) {
        tick();
        continue;
      }
      const close = closeQueue.shift();
      if (close === undefined) break;
      close();
    }
  };

  macro(() => {
    step({ type: 'connect' });
    if (script.idleTimeoutMs !== undefined) step({ type: 'setTimeout', ms: script.idleTimeoutMs });
  });
  if (script.destroyAtMs !== undefined) clock.setTimer(script.destroyAtMs, () => macro(() => userDestroy(script.destroyWith)), 'user destroy');
  clock.runUntilIdle();
  return {
    emitted,
    started,
    closes,
    openHandles: [...open],
    timersArmed,
    startedAfterDestroy,
    destroyedAt,
    crash,
    final: state,
    names: emitted.map((e) => e.event.name),
  };
}

/** A tie-breaker replaying `choices` (for property tests that explore same-instant orders). */
export function replayTies(choices: readonly number[]): TieBreaker {
  return new ReplayTieBreaker(choices);
}

/** Whether the machine is still waiting on something a user would call a hang. */
export function stillConnecting(run: NodeRun): boolean {
  return isNodeConnecting(run.final);
}

/** A user error handed to `destroy(err)`. */
export function userError(message: string): ReturnType<typeof externalError> {
  return externalError(new Error(message));
}

function unreachable(x: never): never {
  throw new Error(`node connect harness: unexpected ${JSON.stringify(x)}`);
}
