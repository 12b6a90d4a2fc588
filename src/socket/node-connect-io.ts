/**
 * The vocabulary between the Node connect machine and the driver that runs it: the events a
 * driver reports and the effects it must carry out.
 *
 * Owns: the contract of a driver (on the simulated world, or on real sockets for parity): run
 * the effects of a step in order; step a `destroy()` a listener makes at once (reentrantly);
 * answer `awaitListeners` with `listenersReturned` and `startAttempt` with `opened`/`openFailed`
 * at once; queue `deferred` emits and `nextTick` events after the current call stack, next-tick
 * items before close-phase ones ('close' and the ECANCELED report of a cancelled connect);
 * after `internalAssertion`, drop everything queued and stop.
 *
 * Does not: decide anything (src/socket/node-connect-machine.ts does).
 */
import type { AttemptErrno, ConnectErrorInfo } from './node-connect-errors.js';
import type { LookupAnswer, LookupRequest } from './node-connect-plan.js';
import type { NodeSocketEvent } from './node-socket-events.js';

/** What the driver reports. Attempts are numbered from 0 in walk order. */
export type NodeConnectEvent =
  | { readonly type: 'connect' }
  /** Internal: the tick after `connect` to an IP literal (sent back via a `nextTick` effect). */
  | { readonly type: 'dialLiteral' }
  | { readonly type: 'lookupDone'; readonly answers: readonly LookupAnswer[] }
  | { readonly type: 'lookupFailed'; readonly error: unknown }
  /** The listeners of the emit before an `awaitListeners` effect have returned. */
  | { readonly type: 'listenersReturned' }
  /** Synchronous answer to `startAttempt`: the connect is in flight … */
  | { readonly type: 'opened'; readonly attempt: number }
  /** … or failed at once (`local`: the handle's sockname as Node prints it, if bound). */
  | { readonly type: 'openFailed'; readonly attempt: number; readonly code: AttemptErrno; readonly local?: string }
  | { readonly type: 'attemptConnected'; readonly attempt: number }
  /** Asynchronous failure; ECANCELED after a `closeHandle` with `cancelsConnect`. */
  | { readonly type: 'attemptFailed'; readonly attempt: number; readonly code: AttemptErrno }
  | { readonly type: 'attemptTimerFired'; readonly attempt: number }
  /** `socket.destroy(err)` by the user, or by the machine via `nextTick`. */
  | { readonly type: 'destroy'; readonly error?: ConnectErrorInfo }
  /** `socket.setTimeout(ms)`; 0 disarms. */
  | { readonly type: 'setTimeout'; readonly ms: number }
  | { readonly type: 'idleTimerFired' };

/** What the driver must do, in order. */
export type NodeConnectEffect =
  | { readonly type: 'lookup'; readonly request: LookupRequest }
  /** `deferred`: Node emits it after the current call stack (error: next tick; close: handle closed). */
  | { readonly type: 'emit'; readonly event: NodeSocketEvent; readonly deferred: boolean }
  /** Step `listenersReturned` once the emit before this returned (stepping any destroy first). */
  | { readonly type: 'awaitListeners' }
  /** Open a fresh handle for `attempt` and connect it; answer `opened` or `openFailed` at once. */
  | { readonly type: 'startAttempt'; readonly attempt: number; readonly address: string; readonly port: number; readonly family: 4 | 6 }
  /** Close the attempt's handle; `cancelsConnect`: its connect is pending, report ECANCELED for it. */
  | { readonly type: 'closeHandle'; readonly attempt: number; readonly cancelsConnect: boolean }
  | { readonly type: 'armAttemptTimer'; readonly attempt: number; readonly ms: number }
  | { readonly type: 'clearAttemptTimer'; readonly attempt: number }
  | { readonly type: 'armIdleTimer'; readonly ms: number }
  | { readonly type: 'refreshIdleTimer' }
  | { readonly type: 'clearIdleTimer' }
  /** Step `event` on the next tick (Node's `process.nextTick`). */
  | { readonly type: 'nextTick'; readonly event: NodeConnectEvent }
  /** Node throws ERR_INTERNAL_ASSERTION here, uncaught: the process dies. Discard queued emits. */
  | { readonly type: 'internalAssertion'; readonly code: 'ERR_INTERNAL_ASSERTION'; readonly where: string };
