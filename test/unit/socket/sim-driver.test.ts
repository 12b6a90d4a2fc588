// The sim driver as the channel layer sees it: resolve (with the lookup delay honoured), the
// passive list, one attempt per call, listen, runUntil. Each test says why its assertion proves
// the point.
import { describe, expect, expectTypeOf, test } from 'vitest';
import { isBlockingDriver, type BlockingDriver, type Driver, type DriverListener, type DriverSocket } from '../../../src/socket/driver.js';
import { createSimDriver, SimDriver } from '../../../src/socket/sim-driver.js';
import type { SimSocket } from '../../../src/sim/sim-socket.js';
import type { SimListener } from '../../../src/sim/sim-listener.js';
import { READABLE, WRITABLE } from '../../../src/loop/notifier.js';
import { NetError } from '../../../src/net/net-error.js';
import { World } from '../../../src/sim/world.js';
import { serve } from '../../../src/sim/apps.js';
import { fixed } from '../../../src/sim/latency.js';
import { caught, dualStackWorld, ep } from '../sim/fixtures.js';

// Compile-time contract: the sim's socket, listener and driver fit the driver interface.
// (tsc checks these lines; the runtime expectTypeOf calls are no-ops.)
const _socketFits: DriverSocket = null as unknown as SimSocket;
const _listenerFits: DriverListener = null as unknown as SimListener;
const _driverFits: Driver = null as unknown as SimDriver;
void _socketFits;
void _listenerFits;
void _driverFits;

describe('types', () => {
  test('SimSocket, SimListener and SimDriver are structurally the driver interface types', () => {
    expectTypeOf<SimSocket>().toExtend<DriverSocket>();
    expectTypeOf<SimListener>().toExtend<DriverListener>();
    expectTypeOf<SimDriver>().toExtend<Driver>();
    const { world } = dualStackWorld();
    const driver = createSimDriver(world, 'client');
    expect(driver.kind).toBe('sim');
    expectTypeOf<SimDriver>().toExtend<BlockingDriver>();
    expect(isBlockingDriver(driver)).toBe(true);
    expect(driver.clock).toBe(world.clock);
  });
});

describe('resolve', () => {
  test('IP literals pass through canonicalised, without running the clock', () => {
    const { world } = dualStackWorld();
    const d = createSimDriver(world, 'client');
    expect(d.resolve('FD00:0:0::2')).toEqual([{ family: 'inet6', address: 'fd00::2' }]);
    expect(d.resolve('10.0.0.2')).toEqual([{ family: 'inet', address: '10.0.0.2' }]);
    expect(world.clock.now()).toBe(0);
  });

  test('localhost is ::1 then 127.0.0.1 with IPv6 loopback, 127.0.0.1 only without', () => {
    const world = new World({ seed: 3 });
    world.addHost('dual', { addresses: ['10.0.0.1'] });
    world.addHost('v4only', { addresses: ['10.0.0.2'], ipv6Loopback: false });
    expect(createSimDriver(world, 'dual').resolve('localhost').map((a) => a.address)).toEqual(['::1', '127.0.0.1']);
    expect(createSimDriver(world, 'v4only').resolve('localhost').map((a) => a.address)).toEqual(['127.0.0.1']);
  });

  test('a DNS name answers after its lookup delay, in the stored order (never re-sorted)', () => {
    const { world } = dualStackWorld();
    world.dns.set('svc.example', ['10.0.0.2', 'fd00::2', '10.0.0.9'], { delayMs: 40 });
    const d = createSimDriver(world, 'client');
    const addrs = d.resolve('svc.example');
    // The sync form ran the world until the answer: the clock now shows the delay.
    expect(world.clock.now()).toBe(40);
    expect(addrs.map((a) => a.address)).toEqual(['10.0.0.2', 'fd00::2', '10.0.0.9']);
  });

  test("a missing name fails with ENOTFOUND and glibc's 'Name or service not known'", () => {
    const { world } = dualStackWorld();
    const err = caught(() => createSimDriver(world, 'client').resolve('nowhere.example'));
    expect(err).toBeInstanceOf(NetError);
    expect(err.code).toBe('ENOTFOUND');
    expect(err.message).toBe('Name or service not known');
  });

  test('a DNS timeout fails with EAI_AGAIN after the resolver timeout', () => {
    const { world } = dualStackWorld({ dns: { timeoutMs: 5000 } });
    world.dns.set('slow.example', ['10.0.0.2']);
    world.dns.fail('slow.example', 'timeout');
    const err = caught(() => createSimDriver(world, 'client').resolve('slow.example'));
    expect(err.code).toBe('EAI_AGAIN');
    expect(err.message).toBe('Temporary failure in name resolution');
    expect(world.clock.now()).toBe(5000);
  });

  test('resolveAsync gives the same answer as resolve', async () => {
    const { world } = dualStackWorld();
    world.dns.set('svc', ['fd00::2', '10.0.0.2'], { delayMs: 5 });
    const d = createSimDriver(world, 'client');
    await expect(d.resolveAsync('svc')).resolves.toEqual([
      { family: 'inet6', address: 'fd00::2' },
      { family: 'inet', address: '10.0.0.2' },
    ]);
    await expect(d.resolveAsync('missing')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });
});

describe('resolvePassive', () => {
  test('no -myaddr gives the wildcards 0.0.0.0 then ::', () => {
    const { world } = dualStackWorld();
    expect(createSimDriver(world, 'client').resolvePassive(undefined)).toEqual([
      { family: 'inet', address: '0.0.0.0' },
      { family: 'inet6', address: '::' },
    ]);
  });

  test('a name is re-sorted IPv4 first, keeping the order within each family', () => {
    const { world, client } = dualStackWorld();
    client.setHostsEntry('me', ['fd00::1', '10.0.0.1', '::1', '127.0.0.1']);
    const list = createSimDriver(world, 'client').resolvePassive('me');
    expect(list.map((a) => a.address)).toEqual(['10.0.0.1', '127.0.0.1', 'fd00::1', '::1']);
  });
});

describe('openAttempt', () => {
  test('a closed loopback port is refused after a round trip, not synchronously', () => {
    const { world } = dualStackWorld();
    const d = createSimDriver(world, 'client');
    const { socket, kind } = d.openAttempt(ep('127.0.0.1', 9), ep('0.0.0.0', 0));
    // Linux answers "in progress" even here (reference §3.2); nothing is known yet.
    expect(kind).toBe('started');
    expect(socket.readiness()).toBe(0);
    expect(d.runUntil(() => socket.readiness() !== 0)).toBe(true);
    expect(socket.takeError()).toBe('ECONNREFUSED');
    expect(socket.takeError()).toBeNull(); // SO_ERROR is cleared by reading it
    expect(socket.readiness()).toBe(READABLE | WRITABLE); // hang-up: both, for ever
  });

  test('a listener is connected to and the socket reports its endpoints', () => {
    const { world, server } = dualStackWorld();
    serve(server, { port: 80, behaviour: { kind: 'record' } });
    const d = createSimDriver(world, 'client');
    const { socket } = d.openAttempt(ep('fd00::2', 80), ep('::', 0));
    d.runUntil(() => socket.readiness() !== 0);
    expect(socket.takeError()).toBeNull();
    expect(socket.readiness() & WRITABLE).toBe(WRITABLE);
    expect(socket.remoteAddress()).toEqual({ family: 'inet6', address: 'fd00::2', port: 80 });
    expect(socket.localAddress()).toEqual({ family: 'inet6', address: 'fd00::1', port: 32768 });
  });

  test('an immediate connect failure is returned with the socket that remains: bound, polling ready, closed on demand', () => {
    const world = new World({ seed: 1 });
    world.addHost('v4', { addresses: ['10.0.0.1'] });
    const d = createSimDriver(world, 'v4');
    // No IPv6 address and no IPv6 route: network unreachable at once.
    const result = d.openAttempt(ep('fd00::9', 80), ep('::', 5000));
    if (result.kind !== 'failed') throw new Error(`expected a failed attempt, got ${result.kind}`);
    expect(result.error).toBe('ENETUNREACH');
    // Linux keeps the descriptor: unconnected (TCP CLOSE) polls readable and writable, I/O is
    // ENOTCONN, SO_ERROR is 0 (the error came from connect itself), and it is still bound.
    const { socket } = result;
    expect(socket.readiness()).toBe(READABLE | WRITABLE);
    expect(socket.takeError()).toBeNull();
    expect(caught(() => socket.read(10)).code).toBe('ENOTCONN');
    expect(socket.localAddress()).toEqual({ family: 'inet6', address: '::', port: 5000 });
    // While it stays open it holds port 5000, so a bind without SO_REUSEADDR is EADDRINUSE...
    expect(caught(() => world.host('v4').socket('inet6').bind({ address: '::', port: 5000 })).code).toBe('EADDRINUSE');
    // ...and once closed its port is free again.
    socket.close();
    expect(socket.readiness()).toBe(0);
    const s = world.host('v4').socket('inet6');
    s.bind({ address: '::', port: 5000 });
    expect(s.localAddress()?.port).toBe(5000);
  });

  test('binding to a port a listener holds fails with EADDRINUSE; a foreign address with EADDRNOTAVAIL', () => {
    const { world, client } = dualStackWorld();
    client.listen({ port: 7000 });
    const d = createSimDriver(world, 'client');
    const failure = (r: ReturnType<SimDriver['openAttempt']>): string => (r.kind === 'failed' ? r.error : `not failed: ${r.kind}`);
    expect(failure(d.openAttempt(ep('10.0.0.2', 80), ep('0.0.0.0', 7000)))).toBe('EADDRINUSE');
    const foreign = d.openAttempt(ep('10.0.0.2', 80), ep('192.0.2.42', 0));
    expect(failure(foreign)).toBe('EADDRNOTAVAIL');
    // The bind itself failed: the socket that remains is unbound, so getsockname gives the wildcard.
    expect(foreign.socket.localAddress()).toEqual({ family: 'inet', address: '0.0.0.0', port: 0 });
  });

  test('::1 without IPv6 loopback is EADDRNOTAVAIL', () => {
    const world = new World({ seed: 1 });
    world.addHost('h', { addresses: ['10.0.0.1'], ipv6Loopback: false });
    const d = createSimDriver(world, 'h');
    const result = d.openAttempt(ep('::1', 80), ep('::', 0));
    expect(result.kind === 'failed' ? result.error : result.kind).toBe('EADDRNOTAVAIL');
  });
});

describe('settle', () => {
  test('settle runs what is due now and no later: a loopback refusal is known, a remote one is not', () => {
    const { world } = dualStackWorld({ latency: fixed(5) });
    const d = createSimDriver(world, 'client');
    const local = d.openAttempt(ep('127.0.0.1', 9), ep('0.0.0.0', 0)).socket;
    const remote = d.openAttempt(ep('10.0.0.2', 9), ep('0.0.0.0', 0)).socket;
    d.settle();
    // Loopback has no latency: the kernel has the RST before a zero-timeout check (oracle
    // refused-poll-connecting); the remote answer is 10 ms away and time has not moved.
    expect(local.takeError()).toBe('ECONNREFUSED');
    expect(remote.readiness()).toBe(0);
    expect(world.clock.now()).toBe(0);
  });

  test('listenAsync binds at once like listen', async () => {
    const { world } = dualStackWorld();
    const l = await createSimDriver(world, 'server').listenAsync({ address: '10.0.0.2', port: 0 });
    expect(l.localAddress()).toEqual({ family: 'inet', address: '10.0.0.2', port: 32768 });
  });
});

describe('listen and runUntil', () => {
  test('a wildcard listener accepts both families and is readable while a connection waits', () => {
    const { world } = dualStackWorld();
    const server = createSimDriver(world, 'server');
    const client = createSimDriver(world, 'client');
    const listener = server.listen({ port: 0 });
    const port = listener.localAddress().port;
    expect(port).toBeGreaterThanOrEqual(32768);
    const a = client.openAttempt(ep('10.0.0.2', port), ep('0.0.0.0', 0)).socket;
    const b = client.openAttempt(ep('fd00::2', port), ep('::', 0)).socket;
    expect(listener.readiness()).toBe(0);
    client.runUntil(() => listener.readiness() === READABLE);
    const first = listener.accept();
    client.runUntil(() => listener.readiness() === READABLE);
    const second = listener.accept();
    expect([first?.remoteAddress()?.address, second?.remoteAddress()?.address].sort()).toEqual(['10.0.0.1', 'fd00::1']);
    expect(listener.accept()).toBeNull();
    expect(listener.readiness()).toBe(0);
    client.runUntil(() => a.readiness() !== 0 && b.readiness() !== 0);
    expect([a.takeError(), b.takeError()]).toEqual([null, null]);
  });

  test('runUntil returns false once nothing is pending and the condition still fails', () => {
    const { world } = dualStackWorld();
    const d = createSimDriver(world, 'client');
    let fired = false;
    world.clock.setTimer(10, () => {
      fired = true;
    });
    expect(d.runUntil(() => false)).toBe(false);
    expect(fired).toBe(true);
    expect(world.clock.pendingCount).toBe(0);
  });
});
