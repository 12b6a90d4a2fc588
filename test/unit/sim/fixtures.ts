/**
 * Shared set-ups for the simulated-network tests: a dual-stack world in one call, a connect
 * helper, and the outcome of an attempt as one word.
 */
import type { Errno } from '../../../src/net/net-error.js';
import { parseAddress } from '../../../src/net/address.js';
import type { SockAddr } from '../../../src/net/sock-addr.js';
import type { Host } from '../../../src/sim/host.js';
import type { SimSocket } from '../../../src/sim/sim-socket.js';
import { World, type WorldOptions } from '../../../src/sim/world.js';

/** A world with `client` (10.0.0.1, fd00::1) and `server` (10.0.0.2, fd00::2). */
export function dualStackWorld(options: Partial<WorldOptions> = {}): { world: World; client: Host; server: Host } {
  const world = new World({ seed: 1, ...options });
  const client = world.addHost('client', { addresses: ['10.0.0.1', 'fd00::1'] });
  const server = world.addHost('server', { addresses: ['10.0.0.2', 'fd00::2'] });
  return { world, client, server };
}

/** An endpoint from address text and port. */
export function ep(address: string, port: number): SockAddr {
  const p = parseAddress(address);
  return { family: p.family, address: p.address, port };
}

/** Creates a socket on `host` and starts a non-blocking connect to address:port. */
export function connect(host: Host, address: string, port: number): SimSocket {
  const target = ep(address, port);
  const s = host.socket(target.family);
  s.connect(target);
  return s;
}

/** What an attempt has come to: still connecting, connected, or its error (peeked, not consumed). */
export type Outcome = 'pending' | 'connected' | Errno;

export function outcomeOf(s: SimSocket): Outcome {
  if (s.state === 'connecting') return 'pending';
  if (s.state === 'established') return 'connected';
  if (s.state === 'failed') {
    const e = s.takeError();
    if (e === null) throw new Error(`failed socket ${s.name} has no pending error (already taken?)`);
    return e;
  }
  throw new Error(`socket ${s.name} in unexpected state ${s.state}`);
}

/** Runs the world until the attempt is decided; returns the outcome and the time it took. */
export function settle(world: World, s: SimSocket): { outcome: Outcome; at: number } {
  world.runUntil(() => s.state !== 'connecting');
  return { outcome: outcomeOf(s), at: world.clock.now() };
}

export const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
export const dec = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Reads everything readable now from `s` as text (stops at eagain/eof). */
export function readAll(s: SimSocket): { text: string; eof: boolean } {
  let text = '';
  for (;;) {
    const r = s.read(1 << 20);
    if (r === 'eagain') return { text, eof: false };
    if (r === 'eof') return { text, eof: true };
    text += dec(r);
  }
}

/** The error `fn` throws; fails the test if it throws nothing. */
export function caught(fn: () => unknown): Error & { code?: string; syscall?: string; address?: string; port?: number } {
  try {
    fn();
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected the call to throw, but it returned');
}

/**
 * An established connection from `from` to `to`'s address `address`:`port`, both ends as raw
 * sockets (the server end accepted from a listener that is then closed).
 */
export function establish(world: World, from: Host, to: Host, address: string, port = 4000): { c: SimSocket; s: SimSocket } {
  const listener = to.listen({ address, port });
  const c = connect(from, address, port);
  world.runUntil(() => listener.waiting > 0 && c.state !== 'connecting');
  const s = listener.accept();
  if (s === null || c.state !== 'established') throw new Error(`could not establish ${address}:${port}: ${c.toString()}`);
  listener.close();
  return { c, s };
}
