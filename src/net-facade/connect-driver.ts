/**
 * The driver of Node's connect machine (src/socket/node-connect-machine.ts) on one simulated
 * host: it runs the machine's effects against the world and reports what happened as events,
 * following the contract in src/socket/node-connect-io.ts.
 *
 * Owns: the lookup (the caller's `lookup` function, Node-style, or the world's DNS from this
 * host: literals and hosts-file names answer on the next tick, as Node's lookup is never
 * synchronous), one fresh `SimSocket` per attempt and its readiness subscription, the attempt
 * timer and the idle timer on the world clock, next-tick and close-phase work (task-queue.ts),
 * re-entrant `destroy()` from listeners, and the modelled internal assertion (thrown out of
 * the world event as an `ERR_INTERNAL_ASSERTION` error: in Node the process dies there).
 *
 * Does not: own the stream or the data path (net-socket.ts takes the connected `SimSocket`).
 *
 * Departs from Node: a connect result is reported from inside the world event that made it
 * (Node reports it from a libuv callback: the same macrotask, but after other I/O of the turn).
 */
import type { TimerId } from '../clock/clock.js';
import { DetnetError } from '../errors.js';
import { NetError } from '../net/net-error.js';
import type { Host } from '../sim/host.js';
import type { SimSocket } from '../sim/sim-socket.js';
import type { World } from '../sim/world.js';
import { externalError, isAttemptErrno } from '../socket/node-connect-errors.js';
import type { NodeConnectEffect, NodeConnectEvent } from '../socket/node-connect-io.js';
import { initialNodeState, isNodeConnecting, nodeStep, type NodeConnectState } from '../socket/node-connect-machine.js';
import { ipFamily, type LookupAnswer, type LookupRequest, type NodeConnectOptions } from '../socket/node-connect-plan.js';
import { nodeMachineConfig, type NodeProfile } from '../socket/node-profiles.js';
import type { NodeSocketEvent } from '../socket/node-socket-events.js';
import { lookupError } from './net-errors.js';
import type { TaskQueue } from './task-queue.js';

/** A Node-style `lookup(hostname, options, callback)` (as `net.connect`'s `lookup` option). */
export type LookupFunction = (
  hostname: string,
  options: { readonly family?: number; readonly hints?: number; readonly all?: boolean },
  callback: (err: Error | null, address: string | readonly LookupAnswer[], family?: number) => void,
) => void;

/** What the driver needs of the world and of its socket. */
export interface ConnectDriverHost {
  readonly world: World;
  readonly host: Host;
  readonly tasks: TaskQueue;
  /** Emits one socket event to the user's listeners. */
  emit(event: NodeSocketEvent): void;
  /** The walk connected on `socket` (called before 'connect' is emitted). */
  connected(socket: SimSocket): void;
  /** The machine is done (closed): the stream may be torn down. */
  finished(): void;
}

/** One `socket.connect()` on the simulated host, driven to its end. */
export class ConnectDriver {
  private state: NodeConnectState;
  private readonly handles = new Map<number, { socket: SimSocket; unsubscribe: () => void }>();
  private attemptTimer: TimerId | null = null;
  private idleTimer: TimerId | null = null;
  private idleMs = 0;
  private over = false;
  /** The attempt socket that connected, until 'connect' hands it to the data path. */
  private winner: SimSocket | null = null;
  /** `address:port` of every attempt started (Node's `autoSelectFamilyAttemptedAddresses`). */
  readonly attempted: string[] = [];

  constructor(
    private readonly io: ConnectDriverHost,
    options: NodeConnectOptions,
    profile: NodeProfile,
    private readonly lookup: LookupFunction | undefined,
  ) {
    this.state = initialNodeState(nodeMachineConfig(options, profile));
  }

  /** Node's `socket.connecting`. */
  get connecting(): boolean {
    return isNodeConnecting(this.state);
  }

  /** Whether the walk ended in a connection. */
  get isConnected(): boolean {
    return this.state.kind === 'connected';
  }

  /** The machine's phase (for traces and tests). */
  get phase(): NodeConnectState['kind'] {
    return this.state.kind;
  }

  /** Starts the connect (`socket.connect()`). */
  start(): void {
    this.step({ type: 'connect' });
  }

  /** `socket.destroy(err)`: steps the machine at once (re-entrantly from a listener too). */
  destroy(error?: unknown): void {
    this.step(error === undefined || error === null ? { type: 'destroy' } : { type: 'destroy', error: externalError(error) });
  }

  /** `socket.setTimeout(ms)`. */
  setIdleTimeout(ms: number): void {
    this.step({ type: 'setTimeout', ms });
  }

  /** Socket activity (data read or written): re-arms the idle timer as Node's `_unrefTimer` does. */
  activity(): void {
    const idle = this.state.idle;
    if (idle === null || this.state.destroyed) return;
    if (idle.armed) this.armIdle();
    else this.step({ type: 'setTimeout', ms: idle.ms });
  }

  private step(event: NodeConnectEvent): void {
    if (this.over) return;
    const result = nodeStep(this.state, event);
    this.state = result.state;
    let awaiting = false;
    for (const effect of result.effects) {
      if (effect.type === 'awaitListeners') awaiting = true;
      else this.run(effect);
    }
    if (awaiting && this.state.kind !== 'crashed') this.step({ type: 'listenersReturned' });
    if (this.state.kind === 'closed' && !this.over) {
      this.over = true;
      this.io.finished();
    }
  }

  private run(effect: Exclude<NodeConnectEffect, { type: 'awaitListeners' }>): void {
    const { world, tasks } = this.io;
    switch (effect.type) {
      case 'lookup':
        this.startLookup(effect.request);
        return;
      case 'emit': {
        const event = effect.event;
        // The data path is handed over just before 'connect' (a stale-flag bug may drop the winner).
        if (event.name === 'connect' && this.winner !== null) this.io.connected(this.winner);
        if (!effect.deferred) this.io.emit(event);
        else if (event.name === 'close') tasks.closePhase(() => this.io.emit(event));
        else tasks.nextTick(() => this.io.emit(event));
        return;
      }
      case 'startAttempt':
        this.startAttempt(effect.attempt, effect.address, effect.port, effect.family);
        return;
      case 'closeHandle': {
        const k = effect.attempt;
        const h = this.handles.get(k);
        this.handles.delete(k);
        if (h !== undefined) {
          h.unsubscribe();
          h.socket.close();
        }
        // Closing a handle whose connect is pending cancels it; libuv reports that in the close phase.
        if (effect.cancelsConnect) tasks.closePhase(() => this.step({ type: 'attemptFailed', attempt: k, code: 'ECANCELED' }));
        return;
      }
      case 'armAttemptTimer': {
        const k = effect.attempt;
        this.clearAttemptTimer();
        this.attemptTimer = world.clock.setTimer(effect.ms, () => {
          this.attemptTimer = null;
          this.step({ type: 'attemptTimerFired', attempt: k });
        }, 'net:attempt-timeout');
        return;
      }
      case 'clearAttemptTimer':
        this.clearAttemptTimer();
        return;
      case 'armIdleTimer':
        this.idleMs = effect.ms;
        this.armIdle();
        return;
      case 'refreshIdleTimer':
        this.armIdle();
        return;
      case 'clearIdleTimer':
        if (this.idleTimer !== null) world.clock.clearTimer(this.idleTimer);
        this.idleTimer = null;
        return;
      case 'nextTick': {
        const event = effect.event;
        tasks.nextTick(() => this.step(event));
        return;
      }
      case 'internalAssertion':
        this.over = true;
        tasks.clear();
        for (const h of this.handles.values()) h.socket.close();
        this.handles.clear();
        this.clearAttemptTimer();
        throw new DetnetError(
          'ERR_INTERNAL_ASSERTION',
          `Node would abort here: assert(self.connecting) fails in ${effect.where} (a walk step after destroy(); see the profile's bug switches)`,
        );
      default:
        unreachable(effect);
    }
  }

  private armIdle(): void {
    const clock = this.io.world.clock;
    if (this.idleTimer !== null) clock.clearTimer(this.idleTimer);
    this.idleTimer = clock.setTimer(this.idleMs, () => {
      this.idleTimer = null;
      this.step({ type: 'idleTimerFired' });
    }, 'net:idle-timeout');
  }

  private clearAttemptTimer(): void {
    if (this.attemptTimer !== null) this.io.world.clock.clearTimer(this.attemptTimer);
    this.attemptTimer = null;
  }

  private startLookup(request: LookupRequest): void {
    const { world, host, tasks } = this.io;
    const done = (answers: readonly LookupAnswer[] | null, error: unknown): void => {
      this.step(answers === null ? { type: 'lookupFailed', error } : { type: 'lookupDone', answers });
    };
    if (this.lookup !== undefined) {
      const options = { ...(request.family === undefined ? {} : { family: request.family }), hints: request.hints, all: request.all };
      this.lookup(request.host, options, (err, address, family) => {
        if (err !== null && err !== undefined) done(null, err);
        else if (Array.isArray(address)) done(address as readonly LookupAnswer[], null);
        else done([{ address: address as string, family: family ?? 0 }], null);
      });
      return;
    }
    let sync = true;
    world.dns.lookup(host, request.host, (result) => {
      const answer = (): void => {
        if (result instanceof NetError) {
          done(null, lookupError(result.code, request.host));
          return;
        }
        const wanted = request.family === undefined ? result : result.filter((a) => (a.family === 'inet' ? 4 : 6) === request.family);
        const answers = wanted.map((a) => ({ address: a.address, family: a.family === 'inet' ? 4 : 6 }));
        if (answers.length === 0) done(null, lookupError('ENOTFOUND', request.host));
        else done(request.all ? answers : answers.slice(0, 1), null);
      };
      // Node's lookup never calls back synchronously; a local answer comes on the next tick.
      if (sync) tasks.nextTick(answer);
      else answer();
    });
    sync = false;
  }

  private startAttempt(k: number, address: string, port: number, family: 4 | 6): void {
    this.attempted.push(`${address}:${port}`);
    const socket = this.io.host.socket(family === 4 ? 'inet' : 'inet6');
    // libuv parses the address as the entry's family before any syscall: a mislabelled entry
    // (`::1` with family 4) fails at once with EINVAL, as on real Node.
    if (ipFamily(address) !== family) {
      this.handles.set(k, { socket, unsubscribe: () => undefined });
      this.step({ type: 'openFailed', attempt: k, code: 'EINVAL' });
      return;
    }
    try {
      socket.connect({ family: family === 4 ? 'inet' : 'inet6', address, port });
    } catch (err) {
      this.handles.set(k, { socket, unsubscribe: () => undefined });
      if (err instanceof NetError && isAttemptErrno(err.code)) {
        this.step({ type: 'openFailed', attempt: k, code: err.code });
        return;
      }
      throw err;
    }
    const unsubscribe = socket.onReadinessChange(() => this.attemptReady(k));
    this.handles.set(k, { socket, unsubscribe });
    this.step({ type: 'opened', attempt: k });
  }

  private attemptReady(k: number): void {
    const h = this.handles.get(k);
    if (h === undefined) return;
    const { socket } = h;
    if (socket.state === 'established') {
      // The handle stays the machine's (it closes it on destroy); the data path subscribes itself.
      h.unsubscribe();
      this.handles.set(k, { socket, unsubscribe: () => undefined });
      this.winner = socket;
      this.step({ type: 'attemptConnected', attempt: k });
      return;
    }
    if (socket.state === 'failed') {
      const code = socket.takeError() ?? 'ECONNREFUSED';
      this.step({ type: 'attemptFailed', attempt: k, code: isAttemptErrno(code) ? code : 'ECONNREFUSED' });
    }
  }
}

function unreachable(x: never): never {
  throw new DetnetError('ERR_ASSERTION', `net facade: unexpected effect ${JSON.stringify(x)}`);
}
