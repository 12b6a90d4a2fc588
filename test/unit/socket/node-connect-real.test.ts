// A first check of the model against the Node running these tests: a few connects on loopback
// (refused ports, an accepting port, mislabelled lookup entries, destroy() in a lookup
// listener) through real `node:net` with a custom lookup, and the same scripts through the
// machine under the `node-22` profile (this runtime's defaults, every fix in). The listener
// arguments must match exactly, errors compared by class and code. The full parity table over
// the simulated world is a later step (issue 14 item 3); this only guards the model's basics.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LookupAnswer } from '../../../src/socket/node-connect-plan.js';
import { nodeProfile } from '../../../src/socket/node-profiles.js';
import { listenerArgs, type NodeSocketEventName } from '../../../src/socket/node-socket-events.js';
import { runNodeScript, type AttemptFate } from '../../helpers/node-connect-harness.js';

const NAMES: readonly NodeSocketEventName[] = ['lookup', 'connectionAttempt', 'connectionAttemptFailed', 'connectionAttemptTimeout', 'connect', 'ready', 'error', 'close', 'timeout'];

/** Listener arguments, errors reduced to class, code and (for aggregates) inner codes. */
function normalise(name: string, args: readonly unknown[]): string {
  const arg = (a: unknown): unknown => {
    if (a instanceof AggregateError) return { AggregateError: (a as { code?: unknown }).code, errors: a.errors.map(arg) };
    if (a instanceof Error) return { [a.constructor.name]: (a as { code?: unknown }).code, message: a.message };
    return a;
  };
  return `${name} ${JSON.stringify(args.map(arg))}`;
}

interface Case {
  readonly name: string;
  readonly answers: readonly LookupAnswer[];
  readonly options?: { readonly autoSelectFamily?: boolean };
  readonly destroyInLookup?: boolean;
  /** Which loopback address accepts (the other refuses). */
  readonly accepting?: '127.0.0.1';
}

const CASES: readonly Case[] = [
  { name: 'both loopback addresses refuse', answers: [{ address: '::1', family: 6 }, { address: '127.0.0.1', family: 4 }] },
  { name: '::1 refuses and 127.0.0.1 accepts', answers: [{ address: '::1', family: 6 }, { address: '127.0.0.1', family: 4 }], accepting: '127.0.0.1' },
  { name: 'mislabelled entries fail synchronously with EINVAL', answers: [{ address: '::1', family: 4 }, { address: '127.0.0.1', family: 6 }] },
  { name: 'a repeated address leaves the single path', answers: [{ address: '127.0.0.1', family: 4 }, { address: '127.0.0.1', family: 4 }] },
  { name: 'autoSelectFamily false tries the first address only', answers: [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }], options: { autoSelectFamily: false } },
  { name: 'destroy() in the first lookup listener', answers: [{ address: '::1', family: 6 }, { address: '127.0.0.1', family: 4 }], destroyInLookup: true },
];

let server: net.Server;
let open: number;
let closed: number;

beforeAll(async () => {
  // A port that accepts on 127.0.0.1, and one with nothing listening (bound, then released).
  server = net.createServer((s) => s.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open = (server.address() as net.AddressInfo).port;
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closed = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function real(c: Case, port: number): Promise<string[]> {
  const seen: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error(`real connect "${c.name}" did not close in 5 s`)), 5000);
    const socket = net.connect({
      host: 'svc.test',
      port,
      ...c.options,
      lookup: ((_host: string, opts: { all?: boolean }, cb: (...a: unknown[]) => void) => {
        const first = c.answers[0];
        setImmediate(() => (opts.all === true ? cb(null, c.answers) : cb(null, first?.address, first?.family)));
      }) as unknown as net.LookupFunction,
    });
    for (const name of NAMES) socket.on(name, (...args: unknown[]) => void seen.push(normalise(name, args)));
    if (c.destroyInLookup === true) socket.once('lookup', () => socket.destroy());
    socket.on('connect', () => socket.destroy());
    socket.on('close', () => {
      clearTimeout(guard);
      resolve();
    });
  });
  return seen;
}

function modelled(c: Case, port: number): string[] {
  const fates: Record<string, AttemptFate> = {};
  for (const { address, family } of c.answers) {
    // A mislabelled entry fails in connect() itself; otherwise loopback refuses or accepts at once.
    const literal = address.includes(':') ? 6 : 4;
    fates[address] = literal !== family ? { kind: 'syncFail', code: 'EINVAL' } : address === c.accepting ? { kind: 'connect', afterMs: 0 } : { kind: 'fail', afterMs: 0, code: 'ECONNREFUSED' };
  }
  const run = runNodeScript({
    options: { host: 'svc.test', port, ...c.options },
    profile: nodeProfile('node-22'),
    lookup: { kind: 'answers', answers: c.answers },
    fates,
    ...(c.destroyInLookup === true ? { destroyIn: { event: 'lookup' as const, nth: 1 } } : {}),
  });
  const seen = run.emitted.map((e) => normalise(e.event.name, listenerArgs(e.event)));
  // The real test destroys the socket once connected; the model stops at 'ready'.
  return run.names.includes('ready') ? [...seen, normalise('close', [false])] : seen;
}

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const hasAttemptEvents = major > 20 || (major === 20 && minor >= 12);

describe.runIf(hasAttemptEvents)('the machine under node-22 emits what this Node emits on loopback', () => {
  for (const c of CASES) {
    it(`${c.name}`, async () => {
      const port = c.accepting === undefined ? closed : open;
      const expected = await real(c, port);
      expect(expected.length).toBeGreaterThan(1);
      expect(modelled(c, port)).toEqual(expected);
    });
  }
});
