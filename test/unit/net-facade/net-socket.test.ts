// detnet/net's Socket and Server on a simulated world: the connect walk's events as a Node
// user sees them, data both ways, half-close, destroy, idle timeouts, errors with Node's
// fields, and the profile deciding which Node version's machine runs.
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { World, blackhole, fixed, refusePort, resetTraffic } from '../../../src/index.js';
import { createNet, runAllAsync, runAsync, type SimNetSocket } from '../../../src/net-facade.js';

const NAMES = ['lookup', 'connectionAttempt', 'connectionAttemptFailed', 'connectionAttemptTimeout', 'connect', 'ready', 'error', 'close', 'timeout'];

function dualStack(options: { latencyMs?: number } = {}): World {
  const world = new World({ seed: 1, ...(options.latencyMs === undefined ? {} : { latency: fixed(options.latencyMs) }) });
  world.addHost('client', { addresses: ['10.0.0.1', 'fd00::1'] });
  world.addHost('server', { addresses: ['10.0.0.2', 'fd00::2'] });
  world.dns.set('svc', ['fd00::2', '10.0.0.2']);
  return world;
}

/** Records `t name first-arg` for every socket event a connect can emit. */
function record(world: World, socket: SimNetSocket): string[] {
  const seen: string[] = [];
  for (const name of NAMES) {
    socket.on(name, (...args: unknown[]) => {
      const first = args[0];
      const shown = first instanceof Error ? String((first as { code?: unknown }).code) : first === undefined || first === null ? '' : String(first);
      seen.push(`${world.clock.now()} ${name}${shown === '' ? '' : ` ${shown}`}`);
    });
  }
  return seen;
}

describe('detnet/net sockets on a simulated world', () => {
  it('walks past a blackholed IPv6 address after the 500 ms attempt timeout and echoes data over IPv4', async () => {
    const world = dualStack();
    world.faults.install(blackhole('fd00::2'));
    createNet(world, 'server').createServer((s) => s.pipe(s)).listen(7);
    const net = createNet(world, 'client');
    const result = await runAsync(world, async () => {
      const socket = net.connect(7, 'svc');
      const seen = record(world, socket);
      await once(socket, 'connect');
      socket.end('hello\n');
      let data = '';
      for await (const chunk of socket) data += String(chunk);
      return { data, seen, remote: [socket.remoteAddress, socket.remotePort, socket.remoteFamily], local: socket.localAddress, attempted: socket.autoSelectFamilyAttemptedAddresses };
    });
    // The walk is Node's: one attempt at a time, the attempt timer on the first, none on the last.
    expect(result.seen).toEqual([
      '0 lookup',
      '0 lookup',
      '0 connectionAttempt fd00::2',
      '500 connectionAttemptTimeout fd00::2',
      '500 connectionAttempt 10.0.0.2',
      '502 connect',
      '502 ready',
    ]);
    expect(result.data).toBe('hello\n');
    expect(result.remote).toEqual(['10.0.0.2', 7, 'IPv4']);
    expect(result.local).toBe('10.0.0.1');
    expect(result.attempted).toEqual(['fd00::2:7', '10.0.0.2:7']);
  });

  it('ends a walk refused everywhere with error then close(true), both after the last attempt failed', async () => {
    const world = dualStack();
    world.faults.install(refusePort('fd00::2', 7));
    const net = createNet(world, 'client');
    const seen = await runAsync(world, async () => {
      const socket = net.connect({ port: 7, host: 'svc' });
      const seen = record(world, socket);
      // (events.once would reject on the 'error' that comes first.)
      await new Promise((resolve) => socket.on('close', resolve));
      return seen;
    });
    // RST from each address after one round trip (1 ms each way), one attempt after the other.
    expect(seen).toEqual([
      '0 lookup',
      '0 lookup',
      '0 connectionAttempt fd00::2',
      '2 connectionAttemptFailed fd00::2',
      '2 connectionAttempt 10.0.0.2',
      '4 connectionAttemptFailed 10.0.0.2',
      '4 error ECONNREFUSED',
      '4 close true',
    ]);
  });

  it('gives each failed attempt code, errno, syscall, address and port, and the aggregate the first code', async () => {
    const world = dualStack();
    const net = createNet(world, 'client');
    const err = await runAsync(world, () => new Promise<unknown>((resolve) => net.connect(7, 'svc').on('error', resolve)));
    expect(err).toBeInstanceOf(AggregateError);
    const inner = (err as AggregateError).errors.map((e: Error & Record<string, unknown>) => [e.message, e.code, e.errno, e.syscall, e.address, e.port]);
    expect(inner).toEqual([
      ['connect ECONNREFUSED fd00::2:7', 'ECONNREFUSED', -111, 'connect', 'fd00::2', 7],
      ['connect ECONNREFUSED 10.0.0.2:7', 'ECONNREFUSED', -111, 'connect', '10.0.0.2', 7],
    ]);
    expect((err as { code?: unknown }).code).toBe('ECONNREFUSED');
  });

  it('reports an unknown name as getaddrinfo ENOTFOUND with the host name', async () => {
    const world = dualStack();
    const net = createNet(world, 'client');
    const err = (await runAsync(world, () => new Promise((resolve) => net.connect(7, 'nowhere').on('error', resolve)))) as Error & Record<string, unknown>;
    expect([err.message, err.code, err.syscall, err.hostname]).toEqual(['getaddrinfo ENOTFOUND nowhere', 'ENOTFOUND', 'getaddrinfo', 'nowhere']);
  });

  it('keeps writing after the peer ended when allowHalfOpen is set, and the peer reads it', async () => {
    const world = dualStack();
    let heard = '';
    createNet(world, 'server')
      .createServer({ allowHalfOpen: true }, (s) => {
        s.end('bye\n');
        s.on('data', (c) => (heard += String(c)));
      })
      .listen(7);
    const net = createNet(world, 'client');
    const got = await runAsync(world, async () => {
      const socket = net.connect({ port: 7, host: '10.0.0.2', allowHalfOpen: true });
      let data = '';
      socket.on('data', (c) => (data += String(c)));
      await once(socket, 'end');
      // The server's side is closed for writing; ours is not.
      socket.end('late\n');
      await once(socket, 'close');
      return data;
    });
    await runAllAsync(world);
    expect(got).toBe('bye\n');
    expect(heard).toBe('late\n');
  });

  it('ends its own side when the peer ends without allowHalfOpen, and closes without error', async () => {
    const world = dualStack();
    createNet(world, 'server').createServer((s) => s.end('bye\n')).listen(7);
    const net = createNet(world, 'client');
    const [hadError, writable] = await runAsync(world, async () => {
      const socket = net.connect(7, '10.0.0.2');
      socket.resume();
      const [had] = (await once(socket, 'close')) as [boolean];
      return [had, socket.writable];
    });
    expect(hadError).toBe(false);
    expect(writable).toBe(false);
  });

  it('emits timeout after the idle time in world time, and data pushes it back', async () => {
    const world = dualStack();
    createNet(world, 'server').createServer((s) => {
      // One line at 300 ms of idling, then silence.
      setTimeoutOnWorld(world, 300, () => s.write('tick\n'));
    }).listen(7);
    const net = createNet(world, 'client');
    const at = await runAsync(world, async () => {
      const socket = net.connect(7, '10.0.0.2');
      socket.setTimeout(1000);
      socket.resume();
      await once(socket, 'timeout');
      const t = world.clock.now();
      socket.destroy();
      return t;
    });
    // The server accepts when the SYN arrives (1 ms) and writes at 301 ms; the line arrives at
    // 302 ms, which re-arms the 1000 ms idle timer set at 0 ms.
    expect(at).toBe(1302);
  });

  it('stops a connect destroyed while it waits: close(false), no connect, no error', async () => {
    const world = dualStack();
    world.faults.install(blackhole('fd00::2'));
    world.faults.install(blackhole('10.0.0.2'));
    const net = createNet(world, 'client');
    const seen = await runAsync(world, async () => {
      const socket = net.connect(7, 'svc');
      const seen = record(world, socket);
      setTimeoutOnWorld(world, 100, () => socket.destroy());
      await once(socket, 'close');
      return seen;
    });
    expect(seen.slice(-1)).toEqual(['100 close false']);
    expect(seen.some((l) => l.includes('connect ') || l.includes('error'))).toBe(false);
  });

  it('surfaces a reset from the network as a read ECONNRESET error', async () => {
    const world = dualStack();
    createNet(world, 'server').createServer((s) => s.resume()).listen(7);
    const net = createNet(world, 'client');
    const err = (await runAsync(world, async () => {
      const socket = net.connect(7, '10.0.0.2');
      await once(socket, 'connect');
      world.faults.install(resetTraffic());
      socket.write('x');
      socket.resume();
      const [e] = (await once(socket, 'error')) as [unknown];
      return e;
    })) as Error & Record<string, unknown>;
    expect([err.code, err.syscall]).toEqual(['ECONNRESET', 'read']);
  });

  it('reports a taken port as listen EADDRINUSE with address and port', async () => {
    const world = dualStack();
    const net = createNet(world, 'server');
    net.createServer().listen(80);
    const err = (await runAsync(world, () => new Promise((resolve) => net.createServer().listen(80).on('error', resolve)))) as Error & Record<string, unknown>;
    expect([err.message, err.code, err.syscall, err.address, err.port]).toEqual(['listen EADDRINUSE: address already in use :::80', 'EADDRINUSE', 'listen', '::', 80]);
  });

  it('runs the machine of the chosen profile: a 400 ms handshake fails on node-20.0 (#47822) and connects on node-current', async () => {
    const outcome = async (profile: string): Promise<string> => {
      const world = dualStack({ latencyMs: 200 });
      world.faults.install(blackhole('fd00::2'));
      createNet(world, 'server').createServer(() => undefined).listen(7);
      const net = createNet(world, 'client', { profile });
      return runAsync(world, () => new Promise<string>((resolve) => {
        const s = net.connect(7, 'svc');
        s.on('connect', () => {
          resolve(`connect at ${world.clock.now()}`);
          s.destroy();
        });
        s.on('error', (e: Error & { code?: string }) => resolve(`error ${String(e.code)} at ${world.clock.now()}`));
      }));
    };
    expect(await outcome('node-20.0')).toBe('error ERR_SOCKET_CONNECTION_TIMEOUT at 500');
    expect(await outcome('node-current')).toBe('connect at 900');
  });

  it('answers isIP, isIPv4 and isIPv6 as Node does', () => {
    const net = createNet(dualStack(), 'client');
    expect(['10.0.0.1', '::1', 'svc', '1.2.3', ''].map((a) => net.isIP(a))).toEqual([4, 6, 0, 0, 0]);
    expect([net.isIPv4('10.0.0.1'), net.isIPv6('10.0.0.1'), net.isIPv6('fd00::1')]).toEqual([true, false, true]);
  });

  it('refuses bad ports and IPC paths at the call with Node codes', () => {
    const net = createNet(dualStack(), 'client');
    expect(() => net.connect(70000, 'svc')).toThrow(expect.objectContaining({ code: 'ERR_SOCKET_BAD_PORT' }));
    expect(() => net.connect('/tmp/sock')).toThrow(expect.objectContaining({ code: 'ERR_NOT_SUPPORTED' }));
  });
});

/** A world-clock timer for test code (what `VirtualTimers.setTimeout` wraps). */
function setTimeoutOnWorld(world: World, ms: number, fn: () => void): void {
  world.clock.setTimer(ms, fn, 'test');
}

describe('detnet/net servers, defaults and determinism', () => {
  it('reports the server address, counts connections, and emits close once the last one closed', async () => {
    const world = dualStack();
    const server = createNet(world, 'server').createServer((s) => s.end());
    server.listen(0, '10.0.0.2');
    const net = createNet(world, 'client');
    const story = await runAsync(world, async () => {
      await once(server, 'listening');
      const address = server.address();
      const socket = net.connect(address?.port ?? 0, '10.0.0.2');
      socket.resume();
      await once(socket, 'connect');
      const during = await new Promise<number>((resolve) => server.getConnections((_e, n) => resolve(n)));
      const closed = new Promise((resolve) => server.close(resolve));
      await closed;
      return { address, during, listening: server.listening };
    });
    expect(story.address).toMatchObject({ address: '10.0.0.2', family: 'IPv4' });
    expect(story.address?.port).toBeGreaterThan(1023);
    expect(story.during).toBe(1);
    expect(story.listening).toBe(false);
  });

  it('takes the single-address path after setDefaultAutoSelectFamily(false): one attempt, a plain error', async () => {
    const world = dualStack();
    const net = createNet(world, 'client');
    net.setDefaultAutoSelectFamily(false);
    const { err, attempted } = await runAsync(world, () => new Promise<{ err: unknown; attempted: readonly string[] }>((resolve) => {
      const s = net.connect(7, 'svc');
      s.on('error', (err) => resolve({ err, attempted: s.autoSelectFamilyAttemptedAddresses }));
    }));
    expect(err).not.toBeInstanceOf(AggregateError);
    expect((err as Error).message).toBe('connect ECONNREFUSED fd00::2:7');
    expect(attempted).toEqual(['fd00::2:7']);
    expect(net.getDefaultAutoSelectFamily()).toBe(false);
  });

  it('gives byte-identical world traces for the same seed and the same client', async () => {
    const traceOf = async (): Promise<string> => {
      const world = dualStack();
      world.faults.install(blackhole('fd00::2'));
      createNet(world, 'server').createServer((s) => s.pipe(s)).listen(7);
      const net = createNet(world, 'client');
      await runAsync(world, async () => {
        const socket = net.connect(7, 'svc');
        await once(socket, 'connect');
        socket.end('ping\n');
        for await (const _ of socket) void _;
      });
      return JSON.stringify(world.trace.entries);
    };
    const first = await traceOf();
    expect(first.length).toBeGreaterThan(200);
    expect(await traceOf()).toBe(first);
  });

  it('surfaces the internal assertion of nodejs/node#50841 (switch 51826) as ERR_INTERNAL_ASSERTION out of runAsync, and a quiet close on node-current', async () => {
    const destroyInLookup = (profile: string): Promise<string> => {
      const world = dualStack();
      const net = createNet(world, 'client', { profile });
      return runAsync(world, () => new Promise<string>((resolve) => {
        const socket = net.connect(7, 'svc');
        socket.once('lookup', () => socket.destroy());
        socket.on('close', (hadError: boolean) => resolve(`close ${String(hadError)} at ${world.clock.now()}`));
      })).catch((err: { code?: string }) => `threw ${String(err.code)}`);
    };
    expect(await destroyInLookup('node-20.11')).toBe('threw ERR_INTERNAL_ASSERTION');
    expect(await destroyInLookup('node-current')).toBe('close false at 0');
  });
});
