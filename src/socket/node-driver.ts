/**
 * The Node driver: the `Driver` interface over real `node:net` sockets and `node:dns`.
 *
 * Owns: the only imports of `node:net` and `node:dns` in src/ (public APIs only), the
 * driver's `RealClock`, and the bookkeeping of every socket and server it created so that
 * `closeAll()` / `dispose()` leave nothing open. Each connect attempt is exactly one
 * `net.connect` to a literal address (no `autoSelectFamily`: the connect machine walks the
 * candidate list itself). Sockets and listeners live in node-socket.ts / node-listener.ts,
 * resolution in node-resolve.ts; they get what they need from here and import no `node:*`.
 *
 * Does not: block. It is a `Driver` but not a `BlockingDriver` (driver.ts): it has no
 * synchronous `resolve`, `resolvePassive` or `runUntil`, so an `Interp` over it offers only
 * the Promise forms (`socketAsync`, `vwaitAsync`, ...). Its `listen` returns at once with a
 * listener that binds asynchronously (await `ready`, or use `listenAsync`).
 *
 * Lifetime: `dispose()` closes everything and rejects every pending Promise-form operation —
 * a lookup, a bind, a settle, and (through `whileLive`) every pending `Interp` command — with
 * `ERR_DRIVER_DISPOSED`, so nothing awaits forever.
 *
 * With `loopbackOnly` (the scenario runner's node backend), every destination, bind and listen
 * address, and every address a name resolves to, must be loopback (src/net/loopback.ts), or
 * the call throws `ERR_NOT_LOOPBACK` before `node:net` is touched.
 *
 * Departs from reality (Tcl on Linux):
 * - Tcl binds every client socket explicitly (wildcard address, port 0 unless `-myport`, with
 *   SO_REUSEADDR) before connecting. Here `localAddress`/`localPort` are passed to
 *   `net.connect` only when they are not the wildcard / 0; otherwise the kernel binds
 *   implicitly at connect time. The outcome is the same (an ephemeral port on the address the
 *   route picks); only the kernel's ephemeral-port choice differs, which traces hide behind
 *   `<eport>`. An explicit bind in libuv also sets SO_REUSEADDR, as Tcl does.
 * - Bind errors (EADDRINUSE, EADDRNOTAVAIL) and immediate connect errors arrive
 *   asynchronously from Node, so `openAttempt` never returns `failed`: the attempt is
 *   `started` and then fails like a refused connect (see node-socket.ts). Listening is asynchronous too
 *   (see node-listener.ts and `listenAsync`).
 */
import * as dns from 'node:dns';
import * as net from 'node:net';
import { RealClock } from '../clock/real-clock.js';
import { DetnetError, invalidArgType, outOfRange } from '../errors.js';
import { isWildcard, parseAddress, parsePort } from '../net/address.js';
import { checkLoopbackLiteral } from '../net/loopback.js';
import type { SockAddr } from '../net/sock-addr.js';
import type { AttemptResult, Driver, HostAddr } from './driver.js';
import { NodeListener, type NodeServerLike } from './node-listener.js';
import { resolveLocal, resolveRemote, WILDCARD_PASSIVE, type NodeLookup } from './node-resolve.js';
import { NodeSocket, type NodeStreamLike } from './node-socket.js';

/** Options of `createNodeDriver`. */
export interface NodeDriverOptions {
  /**
   * Name lookup used instead of `dns.lookup` (e.g. `staticLookup({ localhost: ['::1',
   * '127.0.0.1'] })`). Never called for IP literals.
   */
  readonly lookup?: NodeLookup;
  /** The clock the event loop runs on; default a new `RealClock`. `dispose` clears its timers. */
  readonly clock?: RealClock;
  /**
   * How long `close` of a socket lets output still queued in Node drain before destroying it,
   * in ms (default 5000; 0 destroys at once).
   */
  readonly lingerMs?: number;
  /** Default backlog of `listen` (default 128). */
  readonly backlog?: number;
  /**
   * Refuse, with `ERR_NOT_LOOPBACK` and before any socket exists, every destination, bind and
   * listen address outside loopback (127.0.0.0/8, ::1, ::ffff:127.0.0.0/104), including every
   * address a name resolves to (default false). The scenario runner's node backend sets it:
   * scenario files are shared, and running one must not reach past the machine.
   */
  readonly loopbackOnly?: boolean;
}

/** `dns.lookup` for all addresses in resolver order (`verbatim`), family unspecified. */
export const systemLookup: NodeLookup = (host) =>
  new Promise((resolve, reject) => {
    dns.lookup(host, { all: true, family: 0, verbatim: true }, (err, addresses) => {
      if (err) reject(err);
      else resolve(addresses.map((a) => ({ family: a.family === 6 ? 'inet6' : 'inet', address: a.address })));
    });
  });

/** `ERR_NOT_LOOPBACK`: a loopback-only driver was asked to go further. */
function notLoopback(message: string): DetnetError {
  return new DetnetError('ERR_NOT_LOOPBACK', `${message}; this driver only uses loopback (loopbackOnly)`);
}

function disposedError(): DetnetError {
  return new DetnetError('ERR_DRIVER_DISPOSED', 'the node driver was disposed');
}

/** The `Driver` over real sockets. Create with `createNodeDriver`. */
export class NodeDriver implements Driver {
  readonly kind = 'node' as const;
  readonly clock: RealClock;
  private readonly lookup: NodeLookup;
  private readonly lingerMs: number;
  private readonly backlog: number;
  /** Whether every address must be loopback (`NodeDriverOptions.loopbackOnly`). */
  readonly loopbackOnly: boolean;
  private nextSocket = 1;
  private nextListener = 1;
  private readonly sockets = new Set<NodeSocket>();
  private readonly listeners = new Set<NodeListener>();
  private disposed = false;
  /** Rejecters of the operations pending under `whileLive`; `dispose` calls each once. */
  private readonly pending = new Set<(err: DetnetError) => void>();

  constructor(options: NodeDriverOptions = {}) {
    checkNodeOptions(options);
    this.clock = options.clock ?? new RealClock();
    this.lookup = options.lookup ?? systemLookup;
    this.lingerMs = options.lingerMs ?? 5000;
    this.backlog = options.backlog ?? 128;
    this.loopbackOnly = options.loopbackOnly ?? false;
  }

  // ---- resolution ----------------------------------------------------------------------------

  async resolveAsync(host: string): Promise<readonly HostAddr[]> {
    this.assertLive();
    return this.onlyLoopback(host, await this.whileLive(resolveRemote(this.lookup, host)), 'connect to');
  }

  async resolvePassiveAsync(myaddr: string | undefined): Promise<readonly HostAddr[]> {
    this.assertLive();
    const list = await this.whileLive(resolveLocal(this.lookup, myaddr));
    // No -myaddr: the wildcard pair, which only lets the kernel pick the local address.
    return myaddr === undefined ? list : this.onlyLoopback(myaddr, list, 'bind to');
  }

  /** `answer` unchanged, or `ERR_NOT_LOOPBACK` when loopbackOnly and an address of it is not loopback. */
  private onlyLoopback(asked: string, answer: readonly HostAddr[], what: string): readonly HostAddr[] {
    if (!this.loopbackOnly) return answer;
    for (const a of answer) {
      const verdict = checkLoopbackLiteral(a.address);
      if (verdict.ok) continue;
      const why = asked === a.address ? verdict.why : `${asked} resolves to ${a.address}, which is not a loopback address`;
      throw notLoopback(`cannot ${what} ${asked}: ${why}`);
    }
    return answer;
  }

  /** Real sockets need no catching up: the kernel and Node's loop run on their own. */
  settle(): void {}

  /**
   * Lets Node's loop poll once: two `setImmediate` turns. One turn is not always enough — from
   * an I/O callback (the poll phase) the first immediate runs in the same iteration's check
   * phase, before any new poll; the second is sure to come after one. No timer: a 0 ms timer is
   * rounded up to 1 ms by Node, which made every Promise-form command wait a millisecond.
   */
  settleAsync(): Promise<void> {
    if (this.disposed) return Promise.reject(disposedError());
    return this.whileLive(new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve))));
  }

  /** `work`, or a rejection with `ERR_DRIVER_DISPOSED` once `dispose` is called (whichever is first). */
  whileLive<T>(work: Promise<T>): Promise<T> {
    if (this.disposed) {
      work.catch(() => undefined); // its outcome no longer matters; never an unhandled rejection
      return Promise.reject(disposedError());
    }
    return new Promise<T>((resolve, reject) => {
      const abandon = (err: DetnetError): void => reject(err);
      this.pending.add(abandon);
      work.then(
        (value) => {
          this.pending.delete(abandon);
          resolve(value);
        },
        (err: unknown) => {
          this.pending.delete(abandon);
          reject(err);
        },
      );
    });
  }

  // ---- sockets -------------------------------------------------------------------------------

  /** One attempt: always `started` (Node reports every failure later, see the header). */
  openAttempt(remote: SockAddr, local: SockAddr): AttemptResult {
    this.assertLive();
    const target = checkedAddr(remote, 'remote');
    const bind = checkedAddr(local, 'local');
    if (bind.family !== target.family) {
      throw new DetnetError('ERR_FAMILY_MISMATCH', `cannot bind an ${bind.family} address for an ${target.family} attempt`);
    }
    if (this.loopbackOnly) {
      const to = checkLoopbackLiteral(target.address);
      if (!to.ok) throw notLoopback(`cannot connect to ${target.address}: ${to.why}`);
      const from = checkLoopbackLiteral(bind.address);
      if (!from.ok && !isWildcard(bind.address)) throw notLoopback(`cannot bind to ${bind.address}: ${from.why}`);
    }
    const options: net.TcpNetConnectOpts = {
      host: target.address,
      port: target.port,
      family: target.family === 'inet6' ? 6 : 4,
      allowHalfOpen: true, // Tcl never half-closes on the peer's FIN
      autoSelectFamily: false,
    };
    if (!isWildcard(bind.address)) options.localAddress = bind.address;
    if (bind.port !== 0) options.localPort = bind.port;
    const raw = net.connect(options);
    const socket = this.track(raw, 'connecting', target);
    // Node issues the connect on the next tick; once it has, the kernel has bound the socket,
    // and its local address is captured so a failed attempt can still answer `-sockname`.
    process.nextTick(() => socket.captureAddresses());
    return { kind: 'started', socket };
  }

  private track(raw: NodeStreamLike, start: 'connecting' | 'accepted', remote?: SockAddr, prefix = 'node:c'): NodeSocket {
    const socket = new NodeSocket(raw, {
      name: `${prefix}${this.nextSocket++}`,
      start,
      clock: this.clock,
      lingerMs: this.lingerMs,
      ...(remote === undefined ? {} : { remote }),
    });
    this.sockets.add(socket);
    void socket.released.then(() => this.sockets.delete(socket));
    return socket;
  }

  // ---- listeners -----------------------------------------------------------------------------

  /**
   * `socket -server`. Binding happens asynchronously: await the listener's `ready` (or use
   * `listenAsync`) before asking a port-0 listener for its address; a bind failure rejects
   * `ready` with a `NetError`.
   */
  listen(local: { readonly address?: string; readonly port: number }, backlog = this.backlog): NodeListener {
    this.assertLive();
    const port = parsePort(local.port);
    const addresses: readonly HostAddr[] =
      local.address === undefined ? WILDCARD_PASSIVE : [(({ family, address }) => ({ family, address }))(parseAddress(local.address))];
    if (this.loopbackOnly) {
      for (const a of addresses) {
        const verdict = checkLoopbackLiteral(a.address);
        if (!verdict.ok) throw notLoopback(`cannot listen on ${a.address}: ${verdict.why}`);
      }
    }
    const id = this.nextListener++;
    const listener = new NodeListener({
      name: `node:l${id}`,
      addresses,
      port,
      backlog,
      createServer: (): NodeServerLike => net.createServer({ pauseOnConnect: true, allowHalfOpen: true }),
      wrap: (raw) => this.track(raw, 'accepted', undefined, `node:l${id}/a`),
    });
    this.listeners.add(listener);
    // Forgotten once closed and released by Node (a failed bind is released at once).
    void listener.released().then(() => this.listeners.delete(listener));
    return listener;
  }

  /** `listen`, resolved once bound; rejects with a `NetError` (EADDRINUSE, ...) on failure. */
  async listenAsync(local: { readonly address?: string; readonly port: number }, backlog?: number): Promise<NodeListener> {
    const listener = this.listen(local, backlog);
    try {
      await this.whileLive(listener.ready);
    } catch (err) {
      listener.close();
      throw err;
    }
    return listener;
  }

  // ---- lifetime ------------------------------------------------------------------------------

  /** Number of sockets and listeners this driver created whose Node handles are still open. */
  get openHandleCount(): number {
    return this.sockets.size + this.listeners.size;
  }

  /**
   * Closes every socket (at once, without lingering) and every listener this driver created,
   * and cancels the clock's timers. Node finishes closing the handles asynchronously; await
   * `dispose()` to know when it has.
   */
  closeAll(): void {
    for (const listener of this.listeners) listener.close();
    for (const socket of this.sockets) socket.release();
    this.clock.clearAll();
  }

  /**
   * `closeAll`, rejects every pending operation with `ERR_DRIVER_DISPOSED` (see `whileLive`),
   * then waits until Node has released every handle. The driver is unusable after.
   */
  async dispose(): Promise<void> {
    this.disposed = true;
    const abandoned = [...this.pending];
    this.pending.clear();
    for (const abandon of abandoned) abandon(disposedError());
    this.closeAll();
    const listeners = [...this.listeners];
    await Promise.all([...[...this.sockets].map((s) => s.released), ...listeners.map((l) => l.released())]);
    for (const listener of listeners) this.listeners.delete(listener);
    this.clock.clearAll();
  }

  private assertLive(): void {
    if (this.disposed) throw disposedError();
  }
}

/** Misuse of `createNodeDriver`'s options fails at once, not at the first close or listen. */
function checkNodeOptions(options: NodeDriverOptions): void {
  if (typeof options !== 'object' || options === null) throw invalidArgType('node driver options', 'an object', options);
  const { lookup, clock, lingerMs, backlog } = options;
  if (lookup !== undefined && typeof lookup !== 'function') throw invalidArgType('lookup', 'a function', lookup);
  if (clock !== undefined && !(clock instanceof RealClock)) throw invalidArgType('clock', 'a RealClock', clock);
  if (lingerMs !== undefined && (typeof lingerMs !== 'number' || !Number.isFinite(lingerMs) || lingerMs < 0)) {
    throw outOfRange('lingerMs', 'a finite number >= 0', lingerMs);
  }
  if (backlog !== undefined && (typeof backlog !== 'number' || !Number.isSafeInteger(backlog) || backlog < 0)) {
    throw outOfRange('backlog', 'an integer >= 0', backlog);
  }
}

/** Validates a `SockAddr` given to `openAttempt` and returns it in canonical form. */
function checkedAddr(addr: SockAddr, which: string): SockAddr {
  const parsed = parseAddress(addr.address);
  if (parsed.family !== addr.family) {
    throw new DetnetError('ERR_FAMILY_MISMATCH', `${which} address ${addr.address} is not of family ${addr.family}`);
  }
  return { family: parsed.family, address: parsed.address, port: parsePort(addr.port) };
}

/** Creates a driver over real sockets (kind `node`, not a `BlockingDriver`, a `RealClock`). */
export function createNodeDriver(options: NodeDriverOptions = {}): NodeDriver {
  return new NodeDriver(options);
}
