/**
 * Shared helpers for tests that use real loopback sockets.
 *
 * Owns: peers for the code under test, built directly on `node:net` so they do not depend on
 * the driver being tested — line servers (reply a line and close, echo, stay silent), a
 * guaranteed-refused port, a check that IPv6 loopback works here — and the leak check every
 * real-socket test file ends with. Everything binds to loopback only (127.0.0.1 / ::1) and
 * every helper socket and server is closed by `RealSocketKit.closeAll()`.
 *
 * The refused port is *guaranteed* refused, not merely "was free a moment ago": it is the local
 * port of a connection the kit holds open, made without SO_REUSEADDR, so nothing can listen on
 * it while the kit lives, and a SYN to it finds no listener (RST → ECONNREFUSED).
 */
import * as net from 'node:net';

/** Resource types (as `process.getActiveResourcesInfo()` names them) a socket test can leave. */
export const SOCKET_RESOURCE_TYPES = ['TCPSocketWrap', 'TCPServerWrap', 'TCPWRAP', 'TCPSERVERWRAP', 'ConnectWrap', 'GetAddrInfoReqWrap', 'Timeout'] as const;

/** Counts of the socket-related active resources, by type. */
export type ResourceCounts = Record<string, number>;

/** Counts the active resources of the types in `SOCKET_RESOURCE_TYPES`. */
export function socketResources(): ResourceCounts {
  const counts: ResourceCounts = {};
  for (const type of SOCKET_RESOURCE_TYPES) counts[type] = 0;
  for (const type of process.getActiveResourcesInfo()) {
    if (type in counts) counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}

/** Yields to Node's event loop once (an Immediate: not a `Timeout`, so it does not count itself). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The resource types that have more active instances now than in `baseline`, with the excess.
 * Handles close asynchronously, so this keeps yielding to the event loop for up to `settleTurns`
 * turns until nothing is in excess. An empty object means nothing leaked.
 */
export async function leakedSince(baseline: ResourceCounts, settleTurns = 200): Promise<ResourceCounts> {
  let excess: ResourceCounts = {};
  for (let turn = 0; turn <= settleTurns; turn++) {
    excess = {};
    const now = socketResources();
    for (const [type, count] of Object.entries(now)) {
      const extra = count - (baseline[type] ?? 0);
      if (extra > 0) excess[type] = extra;
    }
    if (Object.keys(excess).length === 0) return excess;
    await nextTurn();
  }
  return excess;
}

/** What a helper server does with each connection. */
export type PeerBehaviour =
  /** Sends `line` + "\n" and closes (FIN). */
  | { readonly kind: 'reply-close'; readonly line: string }
  /** Echoes everything back; closes when the client closes. */
  | { readonly kind: 'echo' }
  /** Accepts and keeps the connection open without sending anything. */
  | { readonly kind: 'silent' }
  /** Accepts and resets the connection at once (RST): the client's connect may see it as failed. */
  | { readonly kind: 'reset' }
  /** On the first bytes received, sends `line` + "\n" and then resets the connection (RST). */
  | { readonly kind: 'reply-reset'; readonly line: string }
  /** Accepts but does not read until `PeerServer.resume()`: the client's writes back up. */
  | { readonly kind: 'hold' };

/** A helper listener. `received` collects what each connection sent, in accept order. */
export interface PeerServer {
  readonly host: string;
  readonly port: number;
  readonly accepted: number;
  readonly received: string[];
  /** Starts reading on connections held by a `hold` server. */
  resume(): void;
}

/** Helper servers, refused ports and raw connections for one test file; close them all at the end. */
export class RealSocketKit {
  private readonly servers = new Set<net.Server>();
  private readonly sockets = new Set<net.Socket>();

  /** Listens on `host` (127.0.0.1 or ::1), port `port` (0: ephemeral), and treats each connection per `behaviour`. */
  async server(host: string, behaviour: PeerBehaviour, port = 0): Promise<PeerServer> {
    const received: string[] = [];
    const state = { accepted: 0 };
    const held: net.Socket[] = [];
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: behaviour.kind === 'hold' }, (conn) => {
      this.adopt(conn);
      const index = state.accepted++;
      received[index] = '';
      conn.on('data', (chunk: Buffer) => {
        received[index] += chunk.toString('latin1');
        if (behaviour.kind === 'echo') conn.write(chunk);
        if (behaviour.kind === 'reply-reset' && !conn.destroyed) conn.write(`${behaviour.line}\n`, () => conn.resetAndDestroy());
      });
      conn.on('end', () => conn.end());
      if (behaviour.kind === 'reply-close') conn.end(`${behaviour.line}\n`);
      if (behaviour.kind === 'reset') conn.resetAndDestroy();
      if (behaviour.kind === 'hold') held.push(conn);
    });
    this.servers.add(server);
    server.on('close', () => this.servers.delete(server));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port, ipv6Only: host.includes(':') }, () => resolve());
    });
    const address = server.address() as net.AddressInfo;
    return {
      host,
      port: address.port,
      received,
      resume: () => {
        for (const conn of held.splice(0)) conn.resume();
      },
      get accepted() {
        return state.accepted;
      },
    };
  }

  /** A port on `host` that refuses connections for as long as this kit is open. */
  async refusedPort(host: string): Promise<number> {
    const holder = await this.server(host, { kind: 'silent' });
    const conn = this.adopt(net.connect({ host, port: holder.port }));
    await new Promise<void>((resolve, reject) => {
      conn.once('connect', resolve);
      conn.once('error', reject);
    });
    const port = conn.localPort;
    if (port === undefined) throw new Error('refusedPort: the holding connection has no local port');
    return port;
  }

  /**
   * A port that refuses on `refusedHost` (guaranteed, see `refusedPort`) while a `behaviour`
   * server listens on the same port number on `listenHost`: a host listening on one family only.
   * Retries with another port if that number happens to be taken on `listenHost`.
   */
  async splitPort(refusedHost: string, listenHost: string, behaviour: PeerBehaviour): Promise<PeerServer> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 10; attempt++) {
      const port = await this.refusedPort(refusedHost);
      try {
        return await this.server(listenHost, behaviour, port);
      } catch (err) {
        lastError = err;
      }
    }
    throw lastError;
  }

  private adopt(conn: net.Socket): net.Socket {
    this.sockets.add(conn);
    conn.on('error', () => undefined); // resets are expected in these tests
    conn.once('close', () => this.sockets.delete(conn));
    return conn;
  }

  /** Destroys every helper connection and closes every helper server; resolves when they are gone. */
  async closeAll(): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const conn of this.sockets) {
      closing.push(new Promise<void>((resolve) => conn.once('close', () => resolve())));
      conn.destroy();
    }
    for (const server of this.servers) {
      closing.push(new Promise<void>((resolve) => server.close(() => resolve())));
    }
    this.servers.clear();
    await Promise.all(closing);
  }
}

/** Whether IPv6 loopback (`::1`) can listen and accept a connection on this machine. */
export async function ipv6LoopbackUsable(): Promise<boolean> {
  const kit = new RealSocketKit();
  try {
    const server = await kit.server('::1', { kind: 'reply-close', line: 'v6' });
    const conn = net.connect({ host: '::1', port: server.port });
    const ok = await new Promise<boolean>((resolve) => {
      conn.once('connect', () => resolve(true));
      conn.once('error', () => resolve(false));
    });
    conn.destroy();
    await new Promise<void>((resolve) => (conn.destroyed && conn.closed ? resolve() : conn.once('close', () => resolve())));
    return ok;
  } catch {
    return false;
  } finally {
    await kit.closeAll();
  }
}

/** Anything with readiness bits and change notifications (a driver socket or listener). */
export interface ReadinessLike {
  readonly name: string;
  readiness(): number;
  onReadinessChange(listener: () => void): () => void;
}

/**
 * Resolves with the readiness once `accept(readiness)` holds (checked now and on every change
 * notification); rejects after `timeoutMs` naming the source and the last readiness seen.
 * Relies on the source's notifications: a source that changes without notifying times out.
 */
export function untilReadiness(source: ReadinessLike, accept: (readiness: number) => boolean, timeoutMs = 5000): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const now = source.readiness();
    if (accept(now)) {
      resolve(now);
      return;
    }
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`${source.name}: readiness still ${source.readiness()} after ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = source.onReadinessChange(() => {
      const r = source.readiness();
      if (!accept(r)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(r);
    });
  });
}

/**
 * Resolves once `condition()` holds, checking on every turn of Node's event loop; rejects with
 * `what` after `timeoutMs`. For state that changes without a readiness change (e.g. a reset of
 * a socket that is already readable and writable).
 */
export async function eventually(what: string, condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`still not true after ${timeoutMs} ms: ${what}`);
    await nextTurn();
  }
}
