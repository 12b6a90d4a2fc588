/**
 * The simulated driver: `Driver` (src/socket/driver.ts) over one host of a `World`.
 *
 * Owns: mapping the driver's calls onto the host's BSD-like API — resolve through the host's
 * view of DNS (literals and hosts file at once; DNS after its lookup delay, which the sync form
 * waits for by running the world), the passive (bind) list with IPv4 first, one connect attempt
 * (socket + SO_REUSEADDR + bind + non-blocking connect; a failure the calls report at once is
 * returned as data, with the socket that remains wrapped as an `UnconnectedSocket`), listen, and
 * `runUntil`, which runs the world's clock (world events only;
 * loop handlers that come due are just queued) until a condition holds.
 *
 * Does not: know about Tcl channels or the connect machine; that is the channel's job.
 *
 * Departs from reality: nothing beyond what the world models (src/sim).
 */
import type { Clock } from '../clock/clock.js';
import { parseAddress, parsePort, tryParseAddress, WILDCARD } from '../net/address.js';
import { isErrno, NetError, type Errno } from '../net/net-error.js';
import type { SockAddr } from '../net/sock-addr.js';
import { DetnetError } from '../errors.js';
import type { LookupResult } from '../sim/dns.js';
import type { Host } from '../sim/host.js';
import type { SimListener } from '../sim/sim-listener.js';
import type { SimSocket } from '../sim/sim-socket.js';
import type { World } from '../sim/world.js';
import type { BlockingDriver, HostAddr } from './driver.js';
import { UnconnectedSocket } from './unconnected-socket.js';

/** The sim driver's `AttemptResult`: a started attempt's socket is a `SimSocket`. */
export type SimAttemptResult =
  | { readonly kind: 'started'; readonly socket: SimSocket }
  | { readonly kind: 'failed'; readonly error: Errno; readonly socket: UnconnectedSocket };

/** `runWhile`'s condition for "everything due": one function, not a closure per call. */
const ALWAYS = (): boolean => true;

/** The passive list without `-myaddr` (shared: callers only read it). */
const WILDCARDS: readonly HostAddr[] = Object.freeze([
  Object.freeze({ family: 'inet', address: WILDCARD.inet }),
  Object.freeze({ family: 'inet6', address: WILDCARD.inet6 }),
]);

/**
 * The driver for one host of a simulated `World`: `new SimDriver(world, 'client')`. It is a
 * `BlockingDriver` — an `Interp` over it offers the synchronous command forms as well as the
 * Promise forms — because it can run the world's clock until a command can complete.
 */
export class SimDriver implements BlockingDriver {
  readonly kind = 'sim' as const;
  readonly clock: Clock;
  readonly host: Host;

  constructor(
    readonly world: World,
    hostName: string,
  ) {
    this.host = world.host(hostName);
    this.clock = world.clock;
  }

  /** Starts a lookup; returns the result if it is already known (literal, hosts file). */
  private startLookup(name: string): { result: LookupResult | undefined } {
    if (typeof name !== 'string') throw new DetnetError('ERR_INVALID_HOST', `host name must be a string, got ${String(name)}`);
    const box: { result: LookupResult | undefined } = { result: undefined };
    this.world.dns.lookup(this.host, name, (r) => {
      box.result = r;
    });
    return box;
  }

  private unwrap(result: LookupResult): readonly HostAddr[] {
    if (result instanceof NetError) throw result;
    return result;
  }

  /**
   * `getaddrinfo`: addresses in resolver order. A DNS name's lookup delay is honoured by running
   * the world until the answer arrives. Throws NetError (ENOTFOUND "Name or service not known",
   * EAI_AGAIN ...).
   */
  resolve(host: string): readonly HostAddr[] {
    // A literal or hosts-file name is answered at once, as `dns.lookup` would (without its callback).
    if (typeof host === 'string') {
      const local = this.world.dns.lookupLocal(this.host, host);
      if (local !== undefined) return local;
    }
    const box = this.startLookup(host);
    if (box.result === undefined) this.runUntil(() => box.result !== undefined);
    if (box.result === undefined) throw new DetnetError('ERR_ASSERTION', `DNS lookup of ${host} never answered`);
    return this.unwrap(box.result);
  }

  /** Promise form of `resolve`; on the simulated world it runs the world just as `resolve` does. */
  async resolveAsync(host: string): Promise<readonly HostAddr[]> {
    return this.resolve(host);
  }

  /**
   * The local (bind) list: the wildcard pair `0.0.0.0`, `::` when `myaddr` is undefined, else
   * its addresses with IPv4 first (Tcl re-sorts the passive list; order within a family kept).
   */
  resolvePassive(myaddr: string | undefined): readonly HostAddr[] {
    if (myaddr === undefined) return WILDCARDS;
    const list = this.resolve(myaddr);
    return [...list.filter((a) => a.family === 'inet'), ...list.filter((a) => a.family === 'inet6')];
  }

  async resolvePassiveAsync(myaddr: string | undefined): Promise<readonly HostAddr[]> {
    return this.resolvePassive(myaddr);
  }

  /**
   * One attempt: socket of `remote.family`, SO_REUSEADDR, bind to `local`, non-blocking connect
   * to `remote`. A bind or immediate connect failure is returned with the socket that remains
   * (still bound if the bind succeeded); the simulated socket does not poll ready in that state,
   * so it is wrapped as the `UnconnectedSocket` Linux would show.
   */
  openAttempt(remote: SockAddr, local: SockAddr): SimAttemptResult {
    const socket = this.host.socket(remote.family);
    try {
      socket.setReuseAddr(true);
      socket.bind({ address: local.address, port: local.port });
      socket.connect(remote);
    } catch (err) {
      if (err instanceof NetError && isErrno(err.code)) {
        return { kind: 'failed', error: err.code, socket: new UnconnectedSocket(socket, remote.family) };
      }
      socket.close();
      throw err;
    }
    return { kind: 'started', socket };
  }

  /**
   * `socket -server`: listen on `local.address` (a literal or a name resolved like `-myaddr`,
   * first address), or on the wildcard of both families when it is undefined.
   */
  listen(local: { readonly address?: string; readonly port: number }, backlog?: number): SimListener {
    const port = parsePort(local.port);
    let address: string | undefined;
    if (local.address !== undefined) {
      address = tryParseAddress(local.address)?.address;
      if (address === undefined) {
        const first = this.resolvePassive(local.address)[0];
        if (first === undefined) throw new NetError('ENOTFOUND', { syscall: 'getaddrinfo', address: local.address });
        address = parseAddress(first.address).address;
      }
    }
    return this.host.listen({
      port,
      ...(address === undefined ? {} : { address }),
      ...(backlog === undefined ? {} : { backlog }),
    });
  }

  /** Promise form of `listen`: the simulated world binds at once. */
  async listenAsync(local: { readonly address?: string; readonly port: number }, backlog?: number): Promise<SimListener> {
    return this.listen(local, backlog);
  }

  /** A simulated world is never disposed: `work` itself. */
  whileLive<T>(work: Promise<T>): Promise<T> {
    return work;
  }

  /** Promise form of `settle`. */
  async settleAsync(): Promise<void> {
    this.settle();
  }

  /** Runs every world event due at the current instant (see `Driver.settle`). */
  settle(): void {
    const clock = this.world.clock;
    clock.runWhile(clock.now(), ALWAYS);
  }

  /**
   * Runs the world (not any event loop) until `done()` holds; false if nothing more can happen
   * and it still does not.
   */
  runUntil(done: () => boolean): boolean {
    return this.world.runUntil(done);
  }
}

/** A `Driver` over host `hostName` of `world`. */
export function createSimDriver(world: World, hostName: string): SimDriver {
  return new SimDriver(world, hostName);
}
