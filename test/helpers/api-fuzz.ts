/**
 * API-call fuzzing (issue 9, "Keep it so"): random sequences of calls on one small simulated
 * world's `World`, `Interp` and `Channel`s — well-formed calls that move the state along, mixed
 * with calls whose arguments are drawn from a pool of awkward values (wrong types, NaN,
 * negative and huge numbers, unknown kinds, BigInt, symbols, null). Shared by the bounded CI
 * suite (test/property/scenario-fuzz.test.ts).
 *
 * The judge (`judgeCalls`) runs one sequence and classifies every call: a normal result, a
 * typed error (`TclError`, `DetnetError`, `NetError`: an `ERR_*` or POSIX code), or — for a
 * Promise form on the simulated world that waits for time nobody moves — still pending after the
 * world has been run a bounded while. Anything else is a defect: a raw TypeError or RangeError,
 * an untyped throw, an `AssertionError` (a broken invariant) or a stack overflow. Runaways are
 * bounded by low loop and runaway limits and by vwait budgets, so a sequence cannot hang.
 */
import fc from 'fast-check';
import { AssertionError, DetnetError } from '../../src/errors.js';
import { NetError } from '../../src/net/net-error.js';
import { serve } from '../../src/sim/apps.js';
import { World } from '../../src/sim/world.js';
import { Interp, type Channel } from '../../src/socket/interp.js';
import { SimDriver } from '../../src/socket/sim-driver.js';
import { TclError } from '../../src/socket/tcl-error.js';

/** One call: which object, which method, which arguments (indices into the value pool or literal). */
export interface ApiCall {
  readonly on: 'interp' | 'chan' | 'world';
  readonly method: string;
  readonly args: readonly unknown[];
  /** For `chan` calls: which of the channels made so far (modulo their number). */
  readonly pick: number;
}

/** A script that only sets a variable: handlers stay cheap and cannot recurse. */
const SET_SCRIPT = { text: 'S', run: (): void => undefined };

/** Awkward values for arguments: wrong types, edges of ranges, unknown names. */
const POOL: readonly unknown[] = [
  '10.0.0.2', 'server', 'localhost', '::1', '', 'readable', 'writable', 'foo', '-blocking', '-error', '-connecting', '0', 'x', 'after#1',
  0, 1, 80, 81, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 65536, 1e9,
  null, undefined, true, {}, [], ['10.0.0.9'], 'not-an-array', SET_SCRIPT, (): void => undefined, Symbol('s'), 10n,
  { '-blocking': '0' }, { '-blocking': 0 }, { async: true }, { nonewline: true }, { budgetMs: 500 }, { kind: 'echo' }, { kind: 'dance' },
];

const INTERP_METHODS = [
  'socket', 'socketAsync', 'server', 'serverAsync', 'update', 'updateAsync', 'vwait', 'vwaitAsync', 'after', 'afterAsync',
  'afterScript', 'afterCancel', 'set', 'get', 'channel', 'channelNames', 'note',
] as const;
const CHAN_METHODS = [
  'gets', 'getsAsync', 'getsVar', 'read', 'readAsync', 'puts', 'putsAsync', 'flush', 'flushAsync', 'close', 'closeAsync', 'eof',
  'fblocked', 'configure', 'configureAsync', 'configureAll', 'fileevent', 'fileeventQuery',
] as const;
const WORLD_METHODS = ['addHost', 'dnsSet', 'runFor', 'serve'] as const;

const poolValue = fc.constantFrom(...POOL);

/** Calls whose arguments are well-formed, so sequences reach connected and closed channels. */
const goodCall: fc.Arbitrary<ApiCall> = fc.oneof(
  fc.constantFrom<ApiCall>(
    { on: 'interp', method: 'socket', args: ['10.0.0.2', 80, { async: true }], pick: 0 },
    { on: 'interp', method: 'socket', args: ['10.0.0.2', 80], pick: 0 },
    { on: 'interp', method: 'socket', args: ['10.0.0.2', 81, { async: true }], pick: 0 },
    { on: 'interp', method: 'update', args: [], pick: 0 },
    { on: 'interp', method: 'vwait', args: ['v', { budgetMs: 200 }], pick: 0 },
    { on: 'interp', method: 'afterScript', args: [5, SET_SCRIPT], pick: 0 },
    { on: 'world', method: 'runFor', args: [50], pick: 0 },
  ),
  fc.record({
    on: fc.constant<'chan'>('chan'),
    method: fc.constantFrom('gets', 'read', 'puts', 'flush', 'close', 'eof', 'configure', 'fileevent'),
    args: fc.constantFrom<unknown[]>([], ['hello'], ['-error'], [{ '-blocking': '0' }], ['readable', SET_SCRIPT], ['writable', null]),
    pick: fc.nat(4),
  }),
);

/** Calls with arguments from the awkward pool. */
const wildCall: fc.Arbitrary<ApiCall> = fc.oneof(
  fc.record({ on: fc.constant<'interp'>('interp'), method: fc.constantFrom(...INTERP_METHODS), args: fc.array(poolValue, { maxLength: 3 }), pick: fc.constant(0) }),
  fc.record({ on: fc.constant<'chan'>('chan'), method: fc.constantFrom(...CHAN_METHODS), args: fc.array(poolValue, { maxLength: 3 }), pick: fc.nat(4) }),
  fc.record({ on: fc.constant<'world'>('world'), method: fc.constantFrom(...WORLD_METHODS), args: fc.array(poolValue, { maxLength: 3 }), pick: fc.constant(0) }),
);

/** A sequence of up to 25 calls, about half well-formed. */
export const apiCallsArb: fc.Arbitrary<readonly ApiCall[]> = fc.array(fc.oneof(goodCall, wildCall), { minLength: 1, maxLength: 25 });

/** What one call did. */
export type CallOutcome = 'ok' | 'typed' | 'pending' | { readonly defect: string };

/** Whether `err` is one of detnet's typed errors (and not a broken invariant). */
function typed(err: unknown): boolean {
  if (err instanceof AssertionError) return false;
  return err instanceof TclError || err instanceof DetnetError || err instanceof NetError;
}

function describeError(err: unknown): string {
  return err instanceof Error ? `${err.constructor.name}: ${err.message.slice(0, 160)}` : `non-Error ${typeof err}`;
}

/** Limits that stop runaways quickly (the defaults would only take longer). */
const LIMITS = { runawayLimit: 200, loopLimit: 5_000 };

/**
 * Runs `calls` on a fresh world (client 10.0.0.1; server 10.0.0.2 with an echo app on port 80,
 * nothing on 81) and returns each call's outcome.
 */
export async function judgeCalls(calls: readonly ApiCall[]): Promise<CallOutcome[]> {
  const world = new World({ seed: 7, loopLimit: 20_000, trace: { enabled: false, keep: false } });
  world.addHost('client', { addresses: ['10.0.0.1'] });
  serve(world.addHost('server', { addresses: ['10.0.0.2'] }), { port: 80, behaviour: { kind: 'echo' } });
  const tcl = new Interp(new SimDriver(world, 'client'), LIMITS);
  const chans: Channel[] = [];
  const outcomes: CallOutcome[] = [];
  const target = (call: ApiCall): Record<string, unknown> | undefined => {
    if (call.on === 'interp') return tcl as unknown as Record<string, unknown>;
    if (call.on === 'world') {
      return {
        addHost: (name: unknown, options: unknown) => world.addHost(name as string, options as object),
        dnsSet: (name: unknown, addresses: unknown) => world.dns.set(name as string, addresses as string[]),
        runFor: (ms: unknown) => world.runFor(ms as number),
        serve: (port: unknown, behaviour: unknown) => serve(world.host('server'), { port: port as number, behaviour: behaviour as never }),
      };
    }
    return chans.length === 0 ? undefined : (chans[call.pick % chans.length] as unknown as Record<string, unknown>);
  };
  try {
    for (const call of calls) {
      const obj = target(call);
      if (obj === undefined) continue;
      const fn = obj[call.method];
      if (typeof fn !== 'function') throw new Error(`fuzz harness: no method ${call.method}`);
      let result: unknown;
      try {
        result = (fn as (...a: unknown[]) => unknown).apply(obj, [...call.args]);
      } catch (err) {
        outcomes.push(typed(err) ? 'typed' : { defect: `${call.on}.${call.method}(${call.args.map(String).join(', ')}) threw ${describeError(err)}` });
        continue;
      }
      if (result instanceof Promise) {
        const settled = await settleWithin(world, result, call);
        outcomes.push(settled.outcome);
        result = settled.value;
      } else {
        outcomes.push('ok');
      }
      if (isChannel(result) && !chans.includes(result)) chans.push(result);
    }
  } finally {
    tcl.close();
  }
  return outcomes;
}

function isChannel(v: unknown): v is Channel {
  return typeof v === 'object' && v !== null && typeof (v as Partial<Channel>).gets === 'function';
}

/**
 * Awaits `p` while running the world a bounded while; 'pending' if it has not settled by then
 * (its later outcome is then ignored). `value` is what it resolved to, if it did.
 */
async function settleWithin(world: World, p: Promise<unknown>, call: ApiCall): Promise<{ outcome: CallOutcome; value?: unknown }> {
  let state: CallOutcome | undefined;
  let value: unknown;
  p.then(
    (v) => {
      value = v;
      state = 'ok';
    },
    (err: unknown) => (state = typed(err) ? 'typed' : { defect: `${call.on}.${call.method} rejected with ${describeError(err)}` }),
  );
  for (let i = 0; i < 20 && state === undefined; i++) {
    await new Promise<void>((r) => setImmediate(r));
    if (state !== undefined) break;
    try {
      world.runFor(100);
    } catch (err) {
      if (!typed(err)) return { outcome: { defect: `the world threw while ${call.method} waited: ${describeError(err)}` } };
    }
  }
  return { outcome: state ?? 'pending', value };
}
