// Parity of detnet/net with real Node: each scenario runs twice — through the facade on a
// simulated host (the modelled Node machine over the sim) and through real `node:net` over
// loopback — with autoSelectFamily on and a `lookup` that answers the scenario's addresses.
// Ports are the same numbers on both sides: one that accepts on 127.0.0.1 and ::1, one with
// nothing listening. The normalised socket events (name, listener arguments, errors reduced
// to class, code and message) must be identical.
//
// Declared differences (not compared, with their reason):
//   - timing: loopback answers in microseconds, the sim in 0 ms of world time; only order and
//     content are compared;
//   - a connect that needs a timeout (blackhole) cannot be built on loopback, so none is here;
//     the sim-only tests cover them (test/unit/net-facade, test/property/net-facade-bugs).
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { World } from '../../src/index.js';
import { createNet, runAsync, VirtualTimers, type LookupFunction, type SimNetSocket } from '../../src/net-facade.js';

const NAMES = ['lookup', 'connectionAttempt', 'connectionAttemptFailed', 'connectionAttemptTimeout', 'connect', 'ready', 'error', 'close', 'timeout'] as const;

interface Entry {
  readonly address: string;
  readonly family: number;
}

interface Scenario {
  readonly name: string;
  /** The lookup's answer, or the code of its error. */
  readonly answers: readonly Entry[] | { readonly error: string };
  /** Which port the scenario dials. */
  readonly port: 'open' | 'closed';
  readonly autoSelectFamily?: boolean;
  readonly destroyInLookup?: boolean;
  /** destroy() right after connect(), before the lookup answers. */
  readonly destroyAtOnce?: boolean;
  /** write('x', cb) right after connect(); the callback's outcome is recorded as an event. */
  readonly writeEarly?: boolean;
  /** destroy(err) inside the first connectionAttemptFailed listener. */
  readonly destroyWithErrorOnFailure?: boolean;
  /** After connecting: setTimeout(idle) and wait for 'timeout' before destroying. */
  readonly idleMs?: number;
}

const BOTH_V6_FIRST: readonly Entry[] = [{ address: '::1', family: 6 }, { address: '127.0.0.1', family: 4 }];

const SCENARIOS: readonly Scenario[] = [
  { name: 'both loopback addresses refuse: AggregateError after two failed attempts', answers: BOTH_V6_FIRST, port: 'closed' },
  { name: 'the first address accepts: one attempt, connect, ready', answers: BOTH_V6_FIRST, port: 'open' },
  { name: 'IPv4 first and accepting', answers: [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }], port: 'open' },
  { name: 'one address refusing: the single path, a plain error', answers: [{ address: '127.0.0.1', family: 4 }], port: 'closed' },
  { name: 'autoSelectFamily false dials the first address only', answers: BOTH_V6_FIRST, port: 'closed', autoSelectFamily: false },
  { name: 'mislabelled entries fail synchronously with EINVAL', answers: [{ address: '::1', family: 4 }, { address: '127.0.0.1', family: 6 }], port: 'open' },
  { name: 'repeated addresses collapse to the single path', answers: [{ address: '127.0.0.1', family: 4 }, { address: '127.0.0.1', family: 4 }], port: 'closed' },
  { name: 'destroy() in the first lookup listener stops the walk', answers: BOTH_V6_FIRST, port: 'closed', destroyInLookup: true },
  { name: 'a failed lookup: lookup(err), error, close', answers: { error: 'ENOTFOUND' }, port: 'open' },
  { name: 'destroy() right after connect(): only close(false)', answers: BOTH_V6_FIRST, port: 'open', destroyAtOnce: true },
  { name: 'destroy(err) in the first connectionAttemptFailed listener: that error, then close(true)', answers: BOTH_V6_FIRST, port: 'closed', destroyWithErrorOnFailure: true },
  { name: 'a write made while connecting fails with ERR_SOCKET_CLOSED_BEFORE_CONNECTION between error and close', answers: BOTH_V6_FIRST, port: 'closed', writeEarly: true },
  { name: 'a write made while connecting completes after connect', answers: BOTH_V6_FIRST, port: 'open', writeEarly: true },
  { name: 'an idle connected socket emits timeout', answers: [{ address: '127.0.0.1', family: 4 }], port: 'open', idleMs: 30 },
];

function normalise(name: string, args: readonly unknown[]): string {
  const arg = (a: unknown): unknown => {
    if (a instanceof AggregateError) return { AggregateError: (a as { code?: unknown }).code, errors: a.errors.map(arg) };
    if (a instanceof Error) return { [a.constructor.name]: (a as { code?: unknown }).code, message: a.message };
    return a;
  };
  return `${name} ${JSON.stringify(args.map(arg))}`;
}

/** A lookup answering the scenario via `defer` (setImmediate on the host, a world timer in the sim). */
function lookupFor(s: Scenario, defer: (fn: () => void) => void): LookupFunction {
  return (hostname, options, cb) => {
    defer(() => {
      if (!Array.isArray(s.answers)) {
        const code = (s.answers as { error: string }).error;
        cb(Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), { code, syscall: 'getaddrinfo', hostname }), '', 0);
        return;
      }
      const first = s.answers[0];
      if (options.all === true) cb(null, s.answers);
      else cb(null, first?.address ?? '', first?.family ?? 0);
    });
  };
}

/** Wires the scenario's user actions and records events; resolves on 'close'. */
function drive(s: Scenario, socket: net.Socket | SimNetSocket, onClose: () => void): string[] {
  const seen: string[] = [];
  for (const name of NAMES) socket.on(name, (...args: unknown[]) => void seen.push(normalise(name, args)));
  if (s.destroyInLookup === true) socket.once('lookup', () => socket.destroy());
  if (s.destroyWithErrorOnFailure === true) socket.once('connectionAttemptFailed', () => socket.destroy(new Error('given up by the user')));
  if (s.writeEarly === true) socket.write('x', (err?: Error | null) => void seen.push(normalise('writeCallback', [err ?? null])));
  if (s.destroyAtOnce === true) socket.destroy();
  socket.on('connect', () => {
    if (s.idleMs === undefined) socket.destroy();
    else {
      socket.setTimeout(s.idleMs);
      socket.once('timeout', () => socket.destroy());
    }
  });
  socket.on('close', onClose);
  return seen;
}

let open4: net.Server;
let open6: net.Server;
/** Server sides of accepted loopback connections, destroyed before the servers close. */
const accepted = new Set<net.Socket>();
const keep = (socket: net.Socket): void => {
  accepted.add(socket);
  socket.on('close', () => accepted.delete(socket));
};
const ports = { open: 0, closed: 0 };

beforeAll(async () => {
  // One port accepting on both loopback addresses, one with nothing listening.
  open4 = net.createServer(keep);
  await new Promise<void>((resolve) => open4.listen(0, '127.0.0.1', resolve));
  ports.open = (open4.address() as net.AddressInfo).port;
  open6 = net.createServer(keep);
  await new Promise<void>((resolve, reject) => open6.once('error', reject).listen(ports.open, '::1', resolve));
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  ports.closed = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

afterAll(async () => {
  // A server side left holding unread data never sees 'end'; close() would wait for it.
  for (const socket of accepted) socket.destroy();
  await Promise.all([open4, open6].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function real(s: Scenario): Promise<string[]> {
  return new Promise<string[]>((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error(`real "${s.name}" did not close in 5 s`)), 5000);
    const socket = net.connect({
      host: 'svc.test',
      port: ports[s.port],
      autoSelectFamily: s.autoSelectFamily ?? true,
      lookup: lookupFor(s, (fn) => setImmediate(fn)) as unknown as net.LookupFunction,
    });
    // Accepted server sides are destroyed with the servers; the client closes itself.
    const seen = drive(s, socket, () => {
      clearTimeout(guard);
      resolve(seen);
    });
  });
}

async function simulated(s: Scenario): Promise<string[]> {
  const world = new World({ seed: 1 });
  world.addHost('client', { addresses: ['10.0.0.1', 'fd00::1'] });
  const server = createNet(world, 'client');
  server.createServer(() => undefined).listen(ports.open, '127.0.0.1');
  server.createServer(() => undefined).listen(ports.open, '::1');
  const timers = new VirtualTimers(world.clock);
  const socket = createNet(world, 'client').connect({
    host: 'svc.test',
    port: ports[s.port],
    autoSelectFamily: s.autoSelectFamily ?? true,
    lookup: lookupFor(s, (fn) => void timers.setImmediate(fn)),
  });
  let seen: string[] = [];
  await runAsync(world, new Promise<void>((resolve) => {
    seen = drive(s, socket, resolve);
  }), { budgetMs: 10_000 });
  return seen;
}

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
// The connectionAttempt* events exist from Node 20.12 / 21.6 (the node-22 profile's behaviour).
const hasAttemptEvents = major > 21 || (major === 21 && minor >= 6) || (major === 20 && minor >= 12);

describe.runIf(hasAttemptEvents)('detnet/net on the sim emits what real node:net emits on loopback', () => {
  for (const s of SCENARIOS) {
    it(s.name, async () => {
      const expected = await real(s);
      // Guard against a vacuous pass: every scenario reaches 'close'.
      expect(expected.some((e) => e.startsWith('close '))).toBe(true);
      expect(await simulated(s)).toEqual(expected);
    });
  }
});
