/**
 * A small line-protocol client written against `node:net` and nothing else: it connects, sends
 * `PING`, and resolves with the first line the server answers, or rejects with the socket's
 * error (`err.code` is Node's: ECONNREFUSED, ETIMEDOUT …) or its own `PING_TIMEOUT` when the
 * server stays silent for `timeoutMs`.
 *
 * It knows nothing of detnet: it takes the `net` module as a parameter (default: the real
 * one), so a test hands it `createNet(world, 'client')` and it runs on a simulated world
 * unmodified. ping-client-direct.ts is the same client importing `node:net` itself, for tests
 * that swap the module with a module mock.
 */
import * as realNet from 'node:net';

/** The part of `node:net` the client uses. */
export interface NetLike {
  connect(options: { host: string; port: number }): import('node:stream').Duplex & {
    setTimeout(ms: number): unknown;
    on(event: 'timeout' | 'connect' | 'error' | 'close', listener: (...args: never[]) => void): unknown;
  };
}

/** Options of `ping`. */
export interface PingOptions {
  readonly host: string;
  readonly port: number;
  /** Idle time without an answer before giving up (default 2000 ms). */
  readonly timeoutMs?: number;
}

/** Sends `PING` and resolves with the answer line. */
export function ping(options: PingOptions, net: NetLike = realNet as unknown as NetLike): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: options.host, port: options.port });
    let buffer = '';
    socket.setTimeout(options.timeoutMs ?? 2000);
    socket.on('timeout', () => socket.destroy(Object.assign(new Error(`no answer from ${options.host}:${options.port}`), { code: 'PING_TIMEOUT' })));
    socket.on('error', (err: Error) => reject(err));
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const end = buffer.indexOf('\n');
      if (end < 0) return;
      resolve(buffer.slice(0, end));
      socket.end();
    });
    socket.write('PING\n');
  });
}
