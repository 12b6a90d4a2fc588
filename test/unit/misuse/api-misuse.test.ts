// Issue 9 item 9: API misuse fails at the call with a typed error — a `DetnetError` whose
// `code` says what kind (ERR_INVALID_ARG_TYPE for a wrong type, ERR_INVALID_ARG_VALUE for a
// value outside an enumeration, ERR_OUT_OF_RANGE for a number outside its range) — never a raw
// TypeError later, a runaway, or a silent acceptance. Each case casts past the types, as a
// JavaScript caller would.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/clock/virtual-clock.js';
import { DetnetError } from '../../../src/errors.js';
import { createNodeDriver } from '../../../src/node.js';
import { serve } from '../../../src/sim/apps.js';
import { World } from '../../../src/sim/world.js';
import { Interp, type Channel } from '../../../src/socket/interp.js';
import { SimDriver } from '../../../src/socket/sim-driver.js';

/** The thrown error's class and code, or 'no error'. */
function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return err instanceof DetnetError ? `DetnetError ${err.code}` : `${(err as Error).constructor.name}: ${(err as Error).message}`;
  }
  return 'no error';
}

/** Same for a Promise form. */
async function rejection(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (err) {
    return err instanceof DetnetError ? `DetnetError ${err.code}` : `${(err as Error).constructor.name}: ${(err as Error).message}`;
  }
  return 'no error';
}

const TYPE = 'DetnetError ERR_INVALID_ARG_TYPE';
const VALUE = 'DetnetError ERR_INVALID_ARG_VALUE';
const RANGE = 'DetnetError ERR_OUT_OF_RANGE';

/** A world with a server app that replies one line and keeps the connection open, and a connected channel. */
function connected(): { world: World; tcl: Interp; chan: Channel } {
  const world = new World({ seed: 1 });
  world.addHost('client', { addresses: ['10.0.0.1'] });
  const server = world.addHost('server', { addresses: ['10.0.0.2'] });
  serve(server, { port: 80, behaviour: { kind: 'reply', line: 'hi', then: 'keep-open' } });
  const tcl = new Interp(new SimDriver(world, 'client'));
  const chan = tcl.socket('10.0.0.2', 80);
  return { world, tcl, chan };
}

const anyArg = (v: unknown): never => v as never;

describe('channel commands', () => {
  it('puts with a number, null or undefined fails at the call with ERR_INVALID_ARG_TYPE, nothing queued', async () => {
    const { chan } = connected();
    expect(failure(() => chan.puts(anyArg(123)))).toBe(TYPE);
    expect(failure(() => chan.puts(anyArg(null)))).toBe(TYPE);
    expect(failure(() => chan.puts(anyArg(undefined)))).toBe(TYPE);
    expect(await rejection(() => chan.putsAsync(anyArg(7)))).toBe(TYPE);
    expect(chan.pendingOutput).toBe(0);
  });

  it('fileevent with a string for a script fails with ERR_INVALID_ARG_TYPE instead of failing when it fires', () => {
    const { chan } = connected();
    expect(failure(() => chan.fileevent('readable', anyArg('R')))).toBe(TYPE);
    expect(failure(() => chan.fileevent('readable', anyArg({ text: 'R' })))).toBe(TYPE);
    expect(chan.fileeventQuery('readable')).toBe('');
  });

  it('fileevent of a kind other than readable or writable fails with ERR_INVALID_ARG_VALUE instead of becoming a runaway', () => {
    const { chan } = connected();
    expect(failure(() => chan.fileevent(anyArg('foo'), { text: 'F', run: () => undefined }))).toBe(VALUE);
    expect(failure(() => chan.fileeventQuery(anyArg('foo')))).toBe(VALUE);
  });

  it('read of a negative, fractional or NaN count fails with ERR_OUT_OF_RANGE; a string count with ERR_INVALID_ARG_TYPE', async () => {
    const { chan } = connected();
    expect(failure(() => chan.read(-1))).toBe(RANGE);
    expect(failure(() => chan.read(1.5))).toBe(RANGE);
    expect(failure(() => chan.read(Number.NaN))).toBe(RANGE);
    expect(failure(() => chan.read(anyArg('3')))).toBe(TYPE);
    expect(await rejection(() => chan.readAsync(-1))).toBe(RANGE);
    expect(chan.gets()).toBe('hi'); // nothing was consumed by the refused reads
  });

  it('configure with neither an option name nor a record fails with ERR_INVALID_ARG_TYPE', () => {
    const { chan } = connected();
    expect(failure(() => chan.configure(anyArg(42)))).toBe(TYPE);
    expect(failure(() => chan.configure(anyArg(null)))).toBe(TYPE);
    expect(failure(() => chan.configure(anyArg({ '-blocking': 0 })))).toBe(TYPE);
  });
});

describe('interpreter commands', () => {
  it('new Interp without a driver fails with ERR_INVALID_ARG_TYPE', () => {
    expect(failure(() => new Interp(anyArg(null)))).toBe(TYPE);
    expect(failure(() => new Interp(anyArg(undefined)))).toBe(TYPE);
    expect(failure(() => new Interp(anyArg({ kind: 'sim' })))).toBe(TYPE);
  });

  it('a profile object missing its fields ({}) fails at new Interp with ERR_INVALID_ARG_TYPE', () => {
    const { world } = connected();
    expect(failure(() => new Interp(new SimDriver(world, 'client'), { profile: anyArg({}) }))).toBe(TYPE);
    expect(failure(() => new Interp(new SimDriver(world, 'client'), { profile: anyArg(42) }))).toBe(TYPE);
  });

  it('socket with a host that is not a string fails with ERR_INVALID_ARG_TYPE, sync and Promise forms', async () => {
    const { tcl } = connected();
    expect(failure(() => tcl.socket(anyArg(123), 80))).toBe(TYPE);
    expect(failure(() => tcl.socket('10.0.0.2', 80, anyArg({ myaddr: 5 })))).toBe(TYPE);
    expect(await rejection(() => tcl.socketAsync(anyArg(null), 80))).toBe(TYPE);
  });

  it('after with a script that is not a script, or a NaN delay, fails with a typed error (a negative delay is 0, as in Tcl)', () => {
    const { tcl } = connected();
    expect(failure(() => tcl.afterScript(10, anyArg('puts hi')))).toBe(TYPE);
    expect(failure(() => tcl.afterScript(Number.NaN, { text: 'x', run: () => undefined }))).toBe('DetnetError ERR_INVALID_DELAY');
    expect(failure(() => tcl.after(-1))).toBe('DetnetError ERR_INVALID_DELAY');
    let ran = false;
    tcl.afterScript(-5, { text: 'x', run: () => (ran = true) });
    tcl.update();
    expect(ran).toBe(true);
  });

  it('server with an accept handler that is not a function fails with ERR_INVALID_ARG_TYPE', () => {
    const { tcl } = connected();
    expect(failure(() => tcl.server(8080, anyArg('accept')))).toBe(TYPE);
    expect(tcl.channelNames()).toHaveLength(1); // only the client channel
  });

  it('set with a name or value that is not a string fails with ERR_INVALID_ARG_TYPE', () => {
    const { tcl } = connected();
    expect(failure(() => tcl.set(anyArg(1)))).toBe(TYPE);
    expect(failure(() => tcl.set('x', anyArg(2)))).toBe(TYPE);
  });
});

describe('cases the API fuzzer found (test/helpers/api-fuzz.ts)', () => {
  it('a BigInt delay, a Symbol port or channel name, and null options fail with ERR_INVALID_ARG_TYPE, not a raw TypeError', async () => {
    const { tcl, chan } = connected();
    expect(failure(() => tcl.after(anyArg(10n)))).toBe(TYPE);
    expect(await rejection(() => tcl.afterAsync(anyArg(Symbol('ms'))))).toBe(TYPE);
    expect(failure(() => tcl.socket('10.0.0.2', anyArg(Symbol('port'))))).toBe(TYPE);
    expect(failure(() => tcl.channel(anyArg(Symbol('c'))))).toBe(TYPE);
    expect(failure(() => chan.puts('x', anyArg(null)))).toBe(TYPE);
    expect(await rejection(() => tcl.vwaitAsync('v', anyArg(null)))).toBe(TYPE);
    expect(failure(() => tcl.note(anyArg(Symbol('n')), 'v'))).toBe(TYPE);
  });
});

describe('options and conditions checked when given, not when first used', () => {
  it('runUntil without a function, a loopLimit of -1 and a trace that is not a Trace fail at the call', () => {
    const { world } = connected();
    expect(failure(() => world.runUntil(anyArg(5)))).toBe(TYPE);
    expect(failure(() => new Interp(new SimDriver(world, 'client'), { loopLimit: -1 }))).toBe('DetnetError ERR_INVALID_OPTION');
    expect(failure(() => new Interp(new SimDriver(world, 'client'), { trace: anyArg('x') }))).toBe(TYPE);
  });

  it('node driver options of the wrong type or range fail at createNodeDriver', () => {
    expect(failure(() => createNodeDriver({ lingerMs: -1 }))).toBe(RANGE);
    expect(failure(() => createNodeDriver({ backlog: Number.NaN }))).toBe(RANGE);
    expect(failure(() => createNodeDriver({ lookup: anyArg('dns') }))).toBe(TYPE);
  });
});

describe('world construction', () => {
  it('addHost with addresses that are not an array fails with ERR_INVALID_ARG_TYPE', () => {
    const world = new World({ seed: 1 });
    expect(failure(() => world.addHost('a', { addresses: anyArg('10.0.0.1') }))).toBe(TYPE);
    expect(failure(() => world.addHost('b', { addresses: anyArg([10]) }))).toBe(TYPE);
    expect(world.hosts).toHaveLength(0);
  });

  it('dns.set with addresses that are not an array fails with ERR_INVALID_ARG_TYPE', () => {
    const world = new World({ seed: 1 });
    expect(failure(() => world.dns.set('svc', anyArg('10.0.0.1')))).toBe(TYPE);
    expect(failure(() => world.dns.set(anyArg(5), ['10.0.0.1']))).toBe(TYPE);
  });

  it('a tie-breaker without choose fails when the clock is made, not at the first tie', () => {
    expect(failure(() => new VirtualClock({ tieBreaker: anyArg({ name: 'mine' }) }))).toBe(TYPE);
    expect(failure(() => new VirtualClock({ tieBreaker: anyArg('random') }))).toBe(TYPE);
  });

  it('World with tieBreaker "random" fails at construction with ERR_INVALID_OPTIONS', () => {
    expect(failure(() => new World({ seed: 1, tieBreaker: anyArg('random') }))).toBe('DetnetError ERR_INVALID_OPTIONS');
  });

  it('serve with an unknown behaviour fails at the call with ERR_INVALID_ARG_VALUE', () => {
    const world = new World({ seed: 1 });
    const host = world.addHost('s', { addresses: ['10.0.0.2'] });
    expect(failure(() => serve(host, { port: 80, behaviour: anyArg({ kind: 'dance' }) }))).toBe(VALUE);
    expect(failure(() => serve(host, { port: 80, behaviour: anyArg(undefined) }))).toBe(TYPE);
    expect(failure(() => serve(host, { port: 80, behaviour: anyArg({ kind: 'reply', line: 5 }) }))).toBe(TYPE);
  });

  it('serve on a port outside 0..65535 or not an integer fails with ERR_OUT_OF_RANGE', () => {
    const world = new World({ seed: 1 });
    const host = world.addHost('s', { addresses: ['10.0.0.2'] });
    expect(failure(() => serve(host, { port: 70000, behaviour: { kind: 'echo' } }))).toBe(RANGE);
    expect(failure(() => serve(host, { port: -1, behaviour: { kind: 'echo' } }))).toBe(RANGE);
    expect(failure(() => serve(host, { port: Number.NaN, behaviour: { kind: 'echo' } }))).toBe(RANGE);
  });
});
