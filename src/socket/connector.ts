/**
 * `Connector`: one channel's connect walk (reference §2–§3), between the pure connect machine
 * and the driver.
 *
 * Owns: the machine's state and the attempt pairs; the attempt in flight and its socket (later
 * the connected or failed socket the channel keeps); the internal watch through which the event
 * loop steps the walk (§3.4 "event loop"); the blocking walk and the zero-timeout check the
 * channel's commands ask for (§3.4); the error stored when the walk fails (§3.5) and the
 * profile's connect switches. It executes the machine's effects (`connect-machine.ts` decides,
 * this runs them) and feeds back what the driver answered, including an attempt that failed at
 * once, which the driver returns as data.
 *
 * Does not: buffer, read, write or run scripts. When the walk ends it tells its channel
 * (`ConnectClient.connectFinished`), which hands its own interest to the notifier; option
 * answers read the connect through `ConnectView`. How quickly the notifier learns of a new
 * attempt's socket is the notifier's business (bug 336441ed59 is modelled there).
 *
 * Departs from reality: attempts are indices into a precomputed pair list (as the machine's).
 */
import { AssertionError } from '../errors.js';
import { EXCEPTION, WRITABLE, type Notifier, type Watch } from '../loop/notifier.js';
import type { Errno } from '../net/net-error.js';
import type { SockAddr } from '../net/sock-addr.js';
import type { Op } from './blocking.js';
import {
  advanceFor,
  initialState,
  isConnecting,
  step,
  type AttemptPair,
  type ConnectEvent,
  type ConnectState,
  type StepResult,
  type Trigger,
} from './connect-machine.js';
import type { Driver, DriverSocket } from './driver.js';
import type { Profile } from './profiles.js';

/** What a connector needs from its interpreter. */
export interface ConnectorHost {
  readonly driver: Driver;
  readonly profile: Profile;
  readonly loop: { readonly notifier: Notifier };
}

/** The channel a connector reports to. */
export interface ConnectClient {
  /** The walk ended (§3.5); the connector's state is already final. */
  connectFinished(outcome: 'connected' | 'failed'): void;
}

/**
 * An address option's answer: an address, `''` (Tcl answers the empty string, as while
 * connecting), or null when there is none (the caller raises ENOTCONN).
 */
export type AddressAnswer = SockAddr | '' | null;

/**
 * The connect as option answers see it (§5). Reading `-error` may consume the stored error,
 * as Tcl's does; nothing else changes the connect.
 */
export interface ConnectView {
  /** Tcl's "connecting" flag: the walk is still running. */
  readonly connecting: boolean;
  /** Whether the profile has `-connecting` (TIP 427, 8.6.4+). */
  readonly hasConnectingOption: boolean;
  /** `-error`'s errno, or null for "" (§5 -error 1–3, with the profile's switches). */
  reportError(): Errno | null;
  /** `-peername` (§5). */
  peerName(): AddressAnswer;
  /** `-sockname` (§5). */
  sockName(): AddressAnswer;
}

export class Connector implements ConnectView {
  private current: ConnectState = initialState();
  private pairs: readonly AttemptPair[] = [];
  private attemptSocket: DriverSocket | null = null;
  private watch: Watch | null = null;
  /** The error `-error` reports once after a failure (§3.5, §5 -error 2). */
  private storedError: Errno | null = null;
  /** The watch handler, made once: the event loop steps the walk through it. */
  private readonly onReady = (): void => this.check();

  constructor(
    private readonly host: ConnectorHost,
    /** The channel's name, for labels and wait descriptions. */
    private readonly name: string,
    private readonly client: ConnectClient,
  ) {}

  /** The machine's state; `opening` only inside a step. */
  get state(): ConnectState {
    return this.current;
  }

  /** The in-flight attempt's socket, later the connected or failed socket the channel keeps. */
  get socket(): DriverSocket | null {
    return this.attemptSocket;
  }

  /** Tcl's "connecting" flag. */
  get connecting(): boolean {
    return isConnecting(this.current);
  }

  get hasConnectingOption(): boolean {
    return this.host.profile.hasConnectingOption;
  }

  // ---- the walk ---------------------------------------------------------------------------------

  /** Starts the walk over `pairs` (socket -async); returns the state after the synchronous phase (§3.2). */
  start(pairs: readonly AttemptPair[]): ConnectState {
    this.pairs = pairs;
    this.feed({ type: 'start' });
    return this.current;
  }

  /** Takes an already connected socket (an accepted channel): the walk is over before it began. */
  adopt(socket: DriverSocket): void {
    this.attemptSocket = socket;
    this.current = { kind: 'connected', index: 0 };
  }

  private feed(event: ConnectEvent): void {
    const result: StepResult = step(this.current, event, this.pairs.length, this.host.profile.machine);
    this.current = result.state;
    for (const effect of result.effects) {
      switch (effect.type) {
        case 'open':
          this.open(effect.index);
          break;
        case 'arm':
          this.arm();
          break;
        case 'disarm':
          this.watch?.remove();
          this.watch = null;
          break;
        case 'closeAttempt':
          this.attemptSocket?.close();
          this.attemptSocket = null;
          break;
        case 'finished':
          if (effect.outcome === 'failed' && this.current.kind === 'failed') this.storedError = this.current.error;
          this.client.connectFinished(effect.outcome);
          break;
      }
    }
  }

  /** One attempt (§3.2): closes the previous attempt's socket if still open, then asks the driver. */
  private open(index: number): void {
    const pair = this.pairs[index];
    if (pair === undefined) throw new AssertionError(`attempt ${index} out of range`);
    this.attemptSocket?.close();
    this.attemptSocket = null;
    const result = this.host.driver.openAttempt(pair.remote, pair.local);
    // A failed attempt's socket stays, as on Linux: if the walk ends here, it is the socket the
    // failed channel keeps, and it polls readable and writable (§3.5).
    this.attemptSocket = result.socket;
    switch (result.kind) {
      case 'started':
        this.feed({ type: 'opened', connected: false });
        break;
      case 'connected':
        this.feed({ type: 'opened', connected: true });
        break;
      case 'failed':
        this.feed({ type: 'openFailed', error: result.error });
        break;
    }
  }

  /** Arms the internal watch: the event loop steps once per readiness report (§3.4). */
  private arm(): void {
    const socket = this.attemptSocket;
    if (socket === null) throw new AssertionError('arm without a socket');
    this.watch = this.host.loop.notifier.watch(socket, WRITABLE | EXCEPTION, this.onReady, `connect:${this.name}`);
  }

  /** Zero-timeout check of the in-flight attempt; one step if it is ready (§3.4 "check"). */
  check(): void {
    const socket = this.attemptSocket;
    if (this.current.kind !== 'inflight' || socket === null) return;
    if ((socket.readiness() & (WRITABLE | EXCEPTION)) === 0) return;
    this.feed({ type: 'ready', soError: socket.takeError() });
  }

  /** Blocking walk (§3.4 "walk"): waits for each in-flight attempt, without servicing events. */
  private *walk(what: string): Op<void> {
    while (this.current.kind === 'inflight') {
      const socket = this.attemptSocket as DriverSocket;
      yield { what, until: () => (socket.readiness() & (WRITABLE | EXCEPTION)) !== 0 || this.attemptSocket !== socket, sources: [socket] };
      this.check();
    }
  }

  /*
   * A command moves the walk in two halves, because commands run once the walk is over far more
   * often than during it: `if (c.settle()) yield* c.advance(what, trigger)` makes no generator
   * and builds no `what` text unless the connect is still walking.
   */

  /** First half: lets the world catch up (Driver.settle); whether the walk is still running. */
  settle(): boolean {
    this.host.driver.settle();
    return isConnecting(this.current);
  }

  /** Second half, for a walk still running: moves it as far as `trigger` may (§3.4's table). */
  *advance(what: string, trigger: Trigger): Op<void> {
    switch (advanceFor(trigger)) {
      case 'walk':
        yield* this.walk(what);
        break;
      case 'check':
        this.check();
        break;
      case 'none':
        break;
    }
  }

  /** Removes the internal watch and closes the socket (the channel is released). */
  release(): void {
    this.watch?.remove();
    this.watch = null;
    this.attemptSocket?.close();
  }

  // ---- inspection (read-only) ------------------------------------------------------------------

  /** The attempt pairs of the walk, in order (read-only, for inspection snapshots). */
  get attempts(): readonly AttemptPair[] {
    return this.pairs;
  }

  /** The error `-error` would report once the walk is over, without consuming it (inspection). */
  get pendingError(): Errno | null {
    return this.storedError;
  }

  // ---- option answers (§5) ------------------------------------------------------------------------

  reportError(): Errno | null {
    const state = this.current;
    const profile = this.host.profile;
    if (state.kind === 'opening' || state.kind === 'inflight') {
      // 8.6.1 unix showed the errors of intermediate attempts while connecting.
      return profile.intermediateErrorVisible ? state.lastError : null;
    }
    const stored = this.storedError;
    if (stored !== null) {
      if (!profile.stickyError) this.storedError = null;
      return stored;
    }
    // §5 -error 3: otherwise the live SO_ERROR — except on Windows while the failed flag is
    // set (§9: "it does not fall back to SO_ERROR while the failed flag is set").
    if (state.kind === 'failed' && !profile.errorFallsBackToSoError) return null;
    return this.attemptSocket?.takeError() ?? null;
  }

  peerName(): AddressAnswer {
    const state = this.current;
    if (isConnecting(state)) {
      // 8.6.1 showed the attempt in progress instead of "".
      const pair = this.host.profile.addressesReflectAttempt ? this.pairs[state.index] : undefined;
      return pair === undefined ? '' : pair.remote;
    }
    return state.kind === 'connected' ? (this.attemptSocket?.remoteAddress() ?? null) : null;
  }

  sockName(): AddressAnswer {
    if (isConnecting(this.current)) {
      const local = this.host.profile.addressesReflectAttempt ? this.attemptSocket?.localAddress() : null;
      return local === null || local === undefined ? '' : local;
    }
    return this.attemptSocket?.localAddress() ?? null;
  }
}
