// Tcl channels (Interp + Channel) over the Node driver on real loopback: the Promise forms of
// `socket -async`, `vwait`, `gets` and `fconfigure` on a RealClock event loop. The expected
// results are Tcl 8.6.13's on Linux (reference §3.5, §5; upstream tests 14.1, 14.2, 14.7.2,
// 14.14, 14.0.0). Every wait has a budget, and the last test checks nothing was left open.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNodeDriver, staticLookup, type NodeDriver, type NodeDriverOptions } from '../../../src/node.js';
import { Interp, type Channel } from '../../../src/socket/interp.js';
import { TclError } from '../../../src/socket/tcl-error.js';
import { leakedSince, RealSocketKit, socketResources, type ResourceCounts } from '../../helpers/real-sockets.js';

const BUDGET = { budgetMs: 5000 };

let baseline: ResourceCounts;
let kit: RealSocketKit;
const open: { driver: NodeDriver; interp: Interp<NodeDriver> }[] = [];

function interpOverNode(options: NodeDriverOptions = {}): Interp<NodeDriver> {
  const driver = createNodeDriver(options);
  const interp = new Interp(driver);
  open.push({ driver, interp });
  return interp;
}

/** The observation lines of a run, without the time and kind fields. */
function observations(interp: Interp<NodeDriver>): Record<string, unknown>[] {
  return interp.trace.ofKind('obs').map(({ t: _t, kind: _k, ...rest }) => rest);
}

/** Installs a self-removing writable handler, waits for it, and returns how often it ran. */
async function writableEvents(interp: Interp<NodeDriver>, chan: Channel): Promise<number> {
  let writable = 0;
  chan.fileevent('writable', {
    text: 'W',
    run: () => {
      writable++;
      chan.fileevent('writable', null);
      interp.set('done');
    },
  });
  await interp.vwaitAsync('done', BUDGET);
  return writable;
}

beforeAll(() => {
  baseline = socketResources();
  kit = new RealSocketKit();
});

afterEach(async () => {
  for (const { driver, interp } of open.splice(0)) {
    interp.close();
    await driver.dispose();
  }
});

afterAll(async () => {
  await kit.closeAll();
});

describe('socket -server over real loopback', () => {
  it('serverAsync binds a port-0 listener and its accept command gets a connected channel', async () => {
    const interp = interpOverNode();
    let accepted: { chan: string; address: string } | null = null;
    const server = await interp.serverAsync(0, (chan, address) => {
      accepted = { chan: chan.name, address };
      chan.puts('hello');
      chan.close();
    }, { myaddr: '127.0.0.1' });
    expect(server.port).toBeGreaterThan(0);
    const client = await interp.socketAsync('127.0.0.1', server.port, { async: true });
    client.fileevent('readable', { text: 'R', run: () => interp.set('done') });
    await interp.vwaitAsync('done', BUDGET);
    expect(await client.getsAsync()).toBe('hello');
    expect(accepted).toEqual({ chan: 'sock3', address: '127.0.0.1' });
    await client.closeAsync();
    server.close();
  });

  it('serverAsync on a port already in use fails with "couldn\'t open socket: address already in use"', async () => {
    const interp = interpOverNode();
    const first = await interp.serverAsync(0, () => undefined, { myaddr: '127.0.0.1' });
    await expect(interp.serverAsync(first.port, () => undefined, { myaddr: '127.0.0.1' })).rejects.toThrow(
      "couldn't open socket: address already in use",
    );
    first.close();
  });
});

describe('socket -async over real loopback', () => {
  it('connects to a listener that replies a line: writable fires once, -error is empty, gets reads the line then eof', async () => {
    const server = await kit.server('127.0.0.1', { kind: 'reply-close', line: 'bye' });
    const interp = interpOverNode();
    const chan = await interp.socketAsync('127.0.0.1', server.port, { async: true });
    expect(await writableEvents(interp, chan)).toBe(1);
    expect(await chan.configureAsync('-error')).toBe('');
    expect(await chan.configureAsync('-connecting')).toBe('0');
    expect(await chan.getsAsync()).toBe('bye');
    expect(await chan.getsAsync()).toBe('');
    expect(chan.eof()).toBe(true);
    expect(observations(interp)).toContainEqual({ event: 'writable', chan: chan.name, during: 'vwait done' });
    expect(server.accepted).toBe(1);
  });

  it('to a refused port: writable and readable fire, -error says "connection refused" once, reads fail ENOTCONN', async () => {
    const port = await kit.refusedPort('127.0.0.1');
    const interp = interpOverNode();
    const chan = await interp.socketAsync('127.0.0.1', port, { async: true });
    const fired: string[] = [];
    const handler = (kind: 'readable' | 'writable') => ({
      text: kind[0]?.toUpperCase() ?? kind,
      run: () => {
        fired.push(kind);
        chan.fileevent(kind, null);
        if (fired.length === 2) interp.set('done');
      },
    });
    chan.fileevent('readable', handler('readable'));
    chan.fileevent('writable', handler('writable'));
    await interp.vwaitAsync('done', BUDGET);
    // Both fire on a failed connect (Linux: hang-up), the newest handler first (§3.5).
    expect(fired).toEqual(['writable', 'readable']);
    expect(await chan.configureAsync('-error')).toBe('connection refused');
    expect(await chan.configureAsync('-error')).toBe('');
    const failure = await chan.getsAsync().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TclError);
    expect(failure).toMatchObject({
      message: `error reading "${chan.name}": socket is not connected`,
      errorCode: 'POSIX ENOTCONN {socket is not connected}',
    });
    expect(chan.eof()).toBe(false);
  });

  it('a blocking gets right after socket -async to a refused port waits for the walk and fails (14.7.2)', async () => {
    const port = await kit.refusedPort('127.0.0.1');
    const interp = interpOverNode();
    const chan = await interp.socketAsync('127.0.0.1', port, { async: true });
    await expect(chan.getsAsync()).rejects.toMatchObject({ message: `error reading "${chan.name}": socket is not connected` });
    // The failed read does not consume the stored error: -error still reports it, once.
    expect(await chan.configureAsync('-error')).toBe('connection refused');
    expect(await chan.configureAsync('-error')).toBe('');
  });

  it('walks localhost from ::1 (refused) to 127.0.0.1 (listening) and reports one completion only', async () => {
    // The bug-13d3af3ad5 situation, on real sockets: the resolver answers ::1 first, but only
    // the IPv4 address listens. The walk must go on to it without any script-visible failure.
    const server = await kit.splitPort('::1', '127.0.0.1', { kind: 'reply-close', line: 'v4 here' });
    const interp = interpOverNode({ lookup: staticLookup({ localhost: ['::1', '127.0.0.1'] }) });
    const chan = await interp.socketAsync('localhost', server.port, { async: true });
    expect(await writableEvents(interp, chan)).toBe(1);
    expect(await chan.configureAsync('-error')).toBe('');
    const peer = await chan.configureAsync('-peername');
    expect(peer).toBe(`127.0.0.1 127.0.0.1 ${server.port}`);
    expect(await chan.getsAsync()).toBe('v4 here');
  });

  it('fails synchronously with the resolver message for an unknown host', async () => {
    const interp = interpOverNode({ lookup: staticLookup({}) });
    await expect(interp.socketAsync('nowhere.invalid', 80, { async: true })).rejects.toMatchObject({
      message: "couldn't open socket: Name or service not known",
    });
    expect(interp.channelNames()).toEqual([]);
  });
});

describe('resources', () => {
  // Runs last: each interp was closed and its driver disposed after its test.
  it('leaves no socket, server, connect request or timer open after the file', async () => {
    for (const { driver, interp } of open.splice(0)) {
      interp.close();
      await driver.dispose();
    }
    await kit.closeAll();
    expect(await leakedSince(baseline)).toEqual({});
  });
});
