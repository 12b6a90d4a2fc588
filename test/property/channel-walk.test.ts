// Properties of the async connect over random topologies on the scripted driver (issue 4 item
// 7 / brief item 5). A topology is 1–5 candidates in resolver order, each IPv4 or IPv6 with a
// fate (refused, accepted, failed later with an error, failed at once, or never answering),
// an optional -myaddr that rules one family out, and a seed for the order of same-instant
// events. Commands are random interleavings of option queries, `update`, `after`, `gets`,
// `-blocking` and writes. Checked against the simple model of reference §2–§3:
//   the first accepting candidate in resolver order (of the bindable family), else the last
//   attempt's error; a never-answering candidate before any acceptor means the walk never ends.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeededTieBreaker } from '../../src/clock/tie-breaker.js';
import { DetnetError } from '../../src/errors.js';
import { WouldWaitForeverError } from '../../src/loop/loop-errors.js';
import { tclMessage, type Errno } from '../../src/net/net-error.js';
import { Rng } from '../../src/random/rng.js';
import { isConnecting } from '../../src/socket/connect-machine.js';
import { Interp, type Channel } from '../../src/socket/interp.js';
import { TclError } from '../../src/socket/tcl-error.js';
import { CountingScript, ScriptedDriver, type Fate } from '../helpers/scripted-driver.js';
import { propertyParams } from '../helpers/property.js';

const FILE = 'test/property/channel-walk.test.ts';

// ---- topologies and the model ------------------------------------------------------------------

type Family = 'inet' | 'inet6';
interface Candidate {
  readonly family: Family;
  readonly fate: Fate;
}
interface Topology {
  readonly candidates: readonly Candidate[];
  /** -myaddr of this family (undefined: wildcard, every family). */
  readonly myaddr: Family | undefined;
  readonly tieSeed: number;
}

const delay = fc.integer({ min: 0, max: 5 });
const fateArb: fc.Arbitrary<Fate> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('refuse' as const), afterMs: delay }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('accept' as const), afterMs: delay, reply: fc.constant('x\n') }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('error' as const), error: fc.constantFrom<Errno>('ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'), afterMs: delay }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('fail' as const), error: fc.constantFrom<Errno>('ENETUNREACH', 'EADDRNOTAVAIL', 'EADDRINUSE') }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('silent' as const) }), weight: 1 },
);
const topologyArb: fc.Arbitrary<Topology> = fc.record({
  candidates: fc.array(fc.record({ family: fc.constantFrom<Family>('inet', 'inet6'), fate: fateArb }), { minLength: 1, maxLength: 5 }),
  myaddr: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: fc.constantFrom<Family>('inet', 'inet6'), weight: 1 }),
  tieSeed: fc.integer({ min: 0, max: 0x7fffffff }),
});

type Outcome =
  | { readonly kind: 'syncError'; readonly error: Errno }
  | { readonly kind: 'connected'; readonly address: string }
  | { readonly kind: 'failed'; readonly error: Errno }
  | { readonly kind: 'hang' };

const addressOf = (c: Candidate, i: number): string => (c.family === 'inet' ? `10.0.0.${i + 1}` : `fd00::${i + 1}`);

/** The model: walk the bindable candidates in order (reference §2, §3.2, §3.3). */
function model(t: Topology): Outcome {
  let last: Errno = 'EHOSTUNREACH'; // §3.2: the initial recorded error
  let inFlightSeen = false;
  for (const [i, c] of t.candidates.entries()) {
    if (t.myaddr !== undefined && c.family !== t.myaddr) continue; // §2: skipped silently
    switch (c.fate.kind) {
      case 'fail':
        last = c.fate.error;
        break;
      case 'accept':
        return { kind: 'connected', address: addressOf(c, i) };
      case 'refuse':
        last = 'ECONNREFUSED';
        inFlightSeen = true;
        break;
      case 'error':
        last = c.fate.error;
        inFlightSeen = true;
        break;
      case 'silent':
        return { kind: 'hang' };
    }
  }
  return inFlightSeen ? { kind: 'failed', error: last } : { kind: 'syncError', error: last };
}

interface World {
  readonly d: ScriptedDriver;
  readonly interp: Interp;
  /** The channel, or the synchronous error of `socket -async`. */
  readonly c: Channel | TclError;
}

function build(t: Topology): World {
  const d = new ScriptedDriver({ tieBreaker: new SeededTieBreaker(new Rng(t.tieSeed)) });
  d.dns('host', t.candidates.map(addressOf));
  for (const [i, c] of t.candidates.entries()) d.fate(addressOf(c, i), c.fate);
  const interp = new Interp(d);
  const myaddr = t.myaddr === undefined ? {} : { myaddr: t.myaddr === 'inet' ? '10.9.9.9' : 'fd09::9' };
  let c: Channel | TclError;
  try {
    c = interp.socket('host', 80, { async: true, ...myaddr });
  } catch (err) {
    if (!(err instanceof TclError)) throw err;
    c = err;
  }
  return { d, interp, c };
}

// ---- commands ----------------------------------------------------------------------------------

type Command =
  | { readonly op: 'after'; readonly ms: number }
  | { readonly op: 'update' }
  | { readonly op: 'query'; readonly option: '-error' | '-connecting' | '-peername' | '-sockname' | 'all' }
  | { readonly op: 'gets' }
  | { readonly op: 'blocking'; readonly on: boolean }
  | { readonly op: 'write'; readonly line: string };

const commandArb = (extra: readonly fc.Arbitrary<Command>[]): fc.Arbitrary<Command[]> =>
  fc.array(
    fc.oneof(
      fc.record({ op: fc.constant('after' as const), ms: fc.integer({ min: 1, max: 4 }) }),
      fc.constant({ op: 'update' as const }),
      fc.record({ op: fc.constant('query' as const), option: fc.constantFrom('-error', '-connecting', '-peername', '-sockname', 'all') as fc.Arbitrary<'-error'> }),
      ...extra,
    ),
    { maxLength: 25 },
  );
const getsArb: fc.Arbitrary<Command> = fc.constant({ op: 'gets' as const });
const blockingArb: fc.Arbitrary<Command> = fc.record({ op: fc.constant('blocking' as const), on: fc.boolean() });
const writeArb: fc.Arbitrary<Command> = fc.record({ op: fc.constant('write' as const), line: fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', 'ü'), maxLength: 6 }) });

/** Whether `err` is how a command reports that the simulated world can never let it finish. */
function isForever(err: unknown): boolean {
  return err instanceof WouldWaitForeverError || (err instanceof DetnetError && err.code === 'ERR_WOULD_BLOCK_FOREVER');
}

/** Runs one command; Tcl errors are expected answers, "forever" means the walk hangs. Returns an -error result if any. */
function perform(w: World & { c: Channel }, cmd: Command, onError?: (result: string) => void): void {
  const { c, interp } = w;
  try {
    switch (cmd.op) {
      case 'after':
        interp.after(cmd.ms);
        break;
      case 'update':
        interp.update();
        break;
      case 'query': {
        if (cmd.option === 'all') c.configureAll();
        else {
          const r = c.configure(cmd.option);
          if (cmd.option === '-error') onError?.(r);
        }
        break;
      }
      case 'gets':
        c.gets();
        break;
      case 'blocking':
        c.configure({ '-blocking': cmd.on ? '1' : '0' });
        break;
      case 'write':
        c.puts(cmd.line);
        c.flush();
        break;
    }
  } catch (err) {
    if (!(err instanceof TclError) && !isForever(err)) throw err;
  }
}

/** Services the event loop until `done` (or until nothing could ever make it true). */
function drain(interp: Interp, done: () => boolean): void {
  try {
    interp.vwait(done);
  } catch (err) {
    if (!isForever(err)) throw err;
  }
}

// ---- properties --------------------------------------------------------------------------------

describe('property: outcome of the walk', () => {
  it('(a) equals the model: first accepting candidate in order, else the last attempt\'s error', () => {
    const strategyArb = fc.constantFrom('vwait', 'poll', 'blocking');
    fc.assert(
      fc.property(topologyArb, strategyArb, (t, strategy) => {
        const expected = model(t);
        const w = build(t);
        if (w.c instanceof TclError) {
          // §3.2: "couldn't open socket: <last error>", EHOSTUNREACH if nothing was attempted.
          expect(expected).toEqual({ kind: 'syncError', error: w.c.code });
          expect(w.c.message).toBe(`couldn't open socket: ${tclMessage(w.c.code as Errno)}`);
          return;
        }
        expect(expected.kind).not.toBe('syncError');
        const c = w.c;
        let hung = false;
        if (strategy === 'vwait') {
          const s = new CountingScript('W', () => c.fileevent('writable', null));
          c.fileevent('writable', s);
          drain(w.interp, () => s.runs > 0);
          hung = s.runs === 0;
        } else if (strategy === 'poll') {
          for (let i = 0; i < 100 && c.configure('-connecting') === '1'; i++) w.interp.after(2);
          hung = c.configure('-connecting') === '1';
        } else {
          try {
            c.gets();
          } catch (err) {
            if (isForever(err)) hung = true;
            else if (!(err instanceof TclError)) throw err;
          }
        }
        if (expected.kind === 'hang') {
          expect(hung).toBe(true);
          expect(c.configure('-connecting')).toBe('1');
          return;
        }
        expect(hung).toBe(false);
        expect(c.configure('-connecting')).toBe('0');
        if (expected.kind === 'connected') {
          expect(c.configure('-error')).toBe('');
          expect(c.configure('-peername')).toBe(`${expected.address} ${expected.address} 80`);
        } else {
          expect(c.configure('-error')).toBe(tclMessage(expected.error));
        }
      }),
      propertyParams('(a) outcome equals the model', FILE),
    );
  });
});

describe('property: -error', () => {
  it('(b) is "" while connecting and reports the final error exactly once', () => {
    fc.assert(
      fc.property(topologyArb, fc.boolean(), commandArb([getsArb]), (t, blocking, commands) => {
        const expected = model(t);
        const w = build(t);
        fc.pre(!(w.c instanceof TclError));
        const world = w as World & { c: Channel };
        const c = world.c;
        if (!blocking) c.configure({ '-blocking': '0' });
        const results: { result: string; connecting: boolean }[] = [];
        const record = (result: string): void => void results.push({ result, connecting: isConnecting(c.connector.state) });
        for (const cmd of commands) {
          if (cmd.op === 'gets' && blocking) continue; // a blocking gets waits for data, not for the walk
          perform(world, cmd, record);
        }
        // Poll until the walk is over (every fate answers within 5 ms), then twice more.
        for (let i = 0, after = 0; i < 40 && after < 3; i++) {
          world.interp.after(2);
          perform(world, { op: 'query', option: '-error' }, record);
          if (!isConnecting(c.connector.state)) after++;
        }
        for (const r of results) if (r.connecting) expect(r.result).toBe('');
        const reported = results.map((r) => r.result).filter((r) => r !== '');
        expect(reported).toEqual(expected.kind === 'failed' ? [tclMessage(expected.error)] : []);
      }),
      propertyParams('(b) -error empty while connecting, final error once', FILE),
    );
  });
});

describe('property: completion notification', () => {
  it('(c) a self-removing writable handler runs exactly once per finished walk, never before it ends', () => {
    fc.assert(
      fc.property(topologyArb, commandArb([getsArb, blockingArb]), fc.nat({ max: 25 }), (t, commands, installAt) => {
        const expected = model(t);
        const w = build(t);
        fc.pre(!(w.c instanceof TclError));
        const world = w as World & { c: Channel };
        const c = world.c;
        const seenWhileConnecting: boolean[] = [];
        const handler = new CountingScript('W', () => {
          seenWhileConnecting.push(isConnecting(c.connector.state));
          c.fileevent('writable', null);
        });
        const install = (): void => c.fileevent('writable', handler);
        for (const [i, cmd] of commands.entries()) {
          if (i === installAt) install();
          perform(world, cmd);
        }
        if (installAt >= commands.length) install();
        drain(world.interp, () => handler.runs > 0);
        world.interp.update();
        expect(seenWhileConnecting.every((s) => !s)).toBe(true);
        expect(handler.runs).toBe(expected.kind === 'hang' ? 0 : 1);
      }),
      propertyParams('(c) one completion notification per walk', FILE),
    );
  });
});

describe('property: data written while connecting', () => {
  it('(d) arrives exactly once, in order, on the accepting candidate only (and nowhere on failure)', () => {
    fc.assert(
      fc.property(topologyArb, commandArb([getsArb, writeArb]), fc.boolean(), (t, commands, closeAtEnd) => {
        const expected = model(t);
        const w = build(t);
        fc.pre(!(w.c instanceof TclError));
        const world = w as World & { c: Channel };
        const c = world.c;
        c.configure({ '-blocking': '0' });
        let written = '';
        for (const cmd of commands) {
          if (cmd.op === 'write') {
            if (!isConnecting(c.connector.state)) continue; // only data written before the connect finished
            written += `${cmd.line}\r\n`; // §3.2 default output translation crlf
          }
          perform(world, cmd);
        }
        if (closeAtEnd) perform(world, { op: 'query', option: '-connecting' }); // one more check
        if (closeAtEnd) {
          try {
            c.close();
          } catch (err) {
            if (!(err instanceof TclError)) throw err;
          }
          drain(world.interp, () => !c.holdsSocket);
        } else {
          drain(world.interp, () => !isConnecting(c.connector.state) && !c.bgFlush);
        }
        world.interp.update();
        const encode = (s: string): string => new TextDecoder().decode(new TextEncoder().encode(s));
        for (const s of world.d.sockets) {
          const receives = expected.kind === 'connected' && s.remote.address === expected.address;
          expect(s.sent).toBe(receives ? encode(written) : '');
        }
      }),
      propertyParams('(d) data written while connecting arrives once, in order', FILE),
    );
  });
});

describe('property: determinism', () => {
  it('(e) the same topology, commands and seed give the identical trace', () => {
    fc.assert(
      fc.property(topologyArb, commandArb([getsArb, blockingArb, writeArb]), (t, commands) => {
        const run = (): string => {
          const w = build(t);
          if (!(w.c instanceof TclError)) {
            const world = w as World & { c: Channel };
            world.c.fileevent('writable', new CountingScript('W', () => world.c.fileevent('writable', null)));
            world.c.fileevent('readable', new CountingScript('R', () => world.c.fileevent('readable', null)));
            for (const cmd of commands) perform(world, cmd);
            drain(world.interp, () => !isConnecting(world.c.connector.state));
          }
          return w.interp.trace.toJSONL();
        };
        const first = run();
        expect(first).toContain('"kind":"obs"');
        expect(run()).toBe(first);
      }),
      propertyParams('(e) same seed gives the same trace', FILE),
    );
  });
});
