/**
 * `createNet(world, hostName)`: a module shaped like `node:net` whose sockets and servers live
 * on one host of a simulated world — the object a client takes instead of `node:net`, hands to
 * `http.Agent`'s `createConnection`, or a test framework returns from a module mock.
 *
 * Owns: binding the facade's classes to the host (`new net.Socket()` works as in Node), the
 * profile (which Node version's connect machine runs; `node-current` by default, so
 * `autoSelectFamily` is on), Node's module-level defaults (`get/setDefaultAutoSelectFamily*`),
 * and `isIP`/`isIPv4`/`isIPv6`.
 *
 * Does not: run the world (run-async.ts does) or patch anything global.
 */
import { DetnetError, invalidArgType } from '../errors.js';
import type { World } from '../sim/world.js';
import { ipFamily, MIN_ATTEMPT_TIMEOUT_MS } from '../socket/node-connect-plan.js';
import { DEFAULT_NODE_PROFILE, nodeProfile, type NodeProfile } from '../socket/node-profiles.js';
import { SimNetServer, type ServerOptions } from './net-server.js';
import { SimNetSocket, type FacadeContext, type SocketConnectOptions, type SocketOptions } from './net-socket.js';
import { TaskQueue } from './task-queue.js';

/** Options of `createNet`. */
export interface CreateNetOptions {
  /** A Node profile or its name (`node-current`, `node-22`, `node-20.2` …; default `node-current`). */
  readonly profile?: NodeProfile | string;
}

/** The `node:net` surface the facade offers. */
export interface SimNet {
  /** `new net.Socket(options)`, on the module's host. */
  readonly Socket: new (options?: SocketOptions) => SimNetSocket;
  /** `new net.Server(options, listener)`, on the module's host. */
  readonly Server: new (options?: ServerOptions | ((socket: SimNetSocket) => void), listener?: (socket: SimNetSocket) => void) => SimNetServer;
  createConnection(options: SocketConnectOptions, listener?: () => void): SimNetSocket;
  createConnection(port: number | string, host?: string, listener?: () => void): SimNetSocket;
  connect(options: SocketConnectOptions, listener?: () => void): SimNetSocket;
  connect(port: number | string, host?: string, listener?: () => void): SimNetSocket;
  createServer(options?: ServerOptions | ((socket: SimNetSocket) => void), listener?: (socket: SimNetSocket) => void): SimNetServer;
  isIP(input: unknown): 0 | 4 | 6;
  isIPv4(input: unknown): boolean;
  isIPv6(input: unknown): boolean;
  getDefaultAutoSelectFamily(): boolean;
  setDefaultAutoSelectFamily(value: boolean): void;
  getDefaultAutoSelectFamilyAttemptTimeout(): number;
  setDefaultAutoSelectFamilyAttemptTimeout(value: number): void;
  /** The world and host the module runs on, and the profile in force. */
  readonly world: World;
  readonly hostName: string;
  readonly profile: NodeProfile;
}

/** A `node:net`-shaped module on host `hostName` of `world`. */
export function createNet(world: World, hostName: string, options: CreateNetOptions = {}): SimNet {
  const profile = typeof options.profile === 'string' ? nodeProfile(options.profile) : (options.profile ?? DEFAULT_NODE_PROFILE);
  const ctx: FacadeContext = { world, host: world.host(hostName), tasks: new TaskQueue(world.clock), profile };

  class Socket extends SimNetSocket {
    constructor(socketOptions: SocketOptions = {}) {
      super(ctx, socketOptions);
    }
  }
  class Server extends SimNetServer {
    constructor(serverOptions?: ServerOptions | ((socket: SimNetSocket) => void), listener?: (socket: SimNetSocket) => void) {
      if (typeof serverOptions === 'function') super(ctx, {}, serverOptions);
      else super(ctx, serverOptions ?? {}, listener);
    }
  }
  const connect = (...args: unknown[]): SimNetSocket => {
    const first = args[0];
    const allowHalfOpen = first !== null && typeof first === 'object' ? (first as SocketConnectOptions).allowHalfOpen : undefined;
    return new Socket(allowHalfOpen === undefined ? {} : { allowHalfOpen }).connect(...args);
  };
  return {
    Socket,
    Server,
    createConnection: connect,
    connect,
    createServer: (serverOptions, listener) => new Server(serverOptions, listener),
    isIP: (input) => ipFamily(input),
    isIPv4: (input) => ipFamily(input) === 4,
    isIPv6: (input) => ipFamily(input) === 6,
    getDefaultAutoSelectFamily: () => ctx.profile.defaults.autoSelectFamily,
    setDefaultAutoSelectFamily: (value) => {
      if (typeof value !== 'boolean') throw invalidArgType('value', 'a boolean', value);
      ctx.profile = { ...ctx.profile, defaults: { ...ctx.profile.defaults, autoSelectFamily: value } };
    },
    getDefaultAutoSelectFamilyAttemptTimeout: () => ctx.profile.defaults.attemptTimeoutMs,
    setDefaultAutoSelectFamilyAttemptTimeout: (value) => {
      if (!Number.isInteger(value) || value < 1) throw new DetnetError('ERR_OUT_OF_RANGE', `The value of "value" is out of range. It must be >= 1. Received ${String(value)}`);
      ctx.profile = { ...ctx.profile, defaults: { ...ctx.profile.defaults, attemptTimeoutMs: Math.max(value, MIN_ATTEMPT_TIMEOUT_MS) } };
    },
    world,
    hostName,
    get profile() {
      return ctx.profile;
    },
  };
}
