// The BSD-like socket: readiness, SO_ERROR, bind rules, ephemeral ports, source addresses and
// misuse. Expected values come from Linux's documented behaviour (reference §3.5, §5, §8).
import { describe, expect, test } from 'vitest';
import { READABLE, WRITABLE } from '../../../src/loop/notifier.js';
import { DetnetError } from '../../../src/errors.js';
import { NetError } from '../../../src/net/net-error.js';
import { serve } from '../../../src/sim/apps.js';
import { fixed } from '../../../src/sim/latency.js';
import { World } from '../../../src/sim/world.js';
import { caught, connect, dualStackWorld, enc, ep, establish, settle } from './fixtures.js';

describe('readiness', () => {
  test('connecting: nothing; connected: writable; data: readable too; drained: writable only', () => {
    const { world, client, server } = dualStackWorld();
    serve(server, { port: 80, behaviour: { kind: 'reply', line: 'hi', then: 'keep-open' } });
    const s = connect(client, '10.0.0.2', 80);
    expect(s.readiness()).toBe(0);
    world.runUntil(() => s.state === 'established');
    world.runUntil(() => (s.readiness() & READABLE) !== 0);
    expect(s.readiness()).toBe(READABLE | WRITABLE);
    expect(s.read(100)).toEqual(enc('hi\n'));
    expect(s.readiness()).toBe(WRITABLE);
  });

  test('listeners hear every change until they unsubscribe', () => {
    const { world, client } = dualStackWorld();
    const s = connect(client, '127.0.0.1', 9);
    const seen: number[] = [];
    const off = s.onReadinessChange(() => seen.push(s.readiness()));
    settle(world, s);
    expect(seen).toEqual([READABLE | WRITABLE]);
    off();
    s.takeError();
    s.close();
    expect(seen).toHaveLength(1);
  });

  test('after a failed connect the socket stays readable and writable, and I/O is ENOTCONN every time', () => {
    const { world, client } = dualStackWorld();
    const s = connect(client, '10.0.0.2', 9);
    expect(settle(world, s).outcome).toBe('ECONNREFUSED'); // consumes SO_ERROR
    for (let i = 0; i < 2; i++) {
      expect(s.readiness()).toBe(READABLE | WRITABLE);
      const r = caught(() => s.read(10));
      expect(r).toBeInstanceOf(NetError);
      expect(r.code).toBe('ENOTCONN');
      expect(caught(() => s.write(enc('x'))).code).toBe('ENOTCONN');
    }
  });

  test('while connecting, reads would block and writes accept nothing', () => {
    const { client } = dualStackWorld();
    const s = connect(client, '10.0.0.2', 80);
    expect(s.read(10)).toBe('eagain');
    expect(s.write(enc('x'))).toBe(0);
    expect(s.takeError()).toBeNull();
  });
});

describe('addresses', () => {
  test('the source address is the loopback for local targets, the target for own addresses, else the primary', () => {
    const { client } = dualStackWorld();
    expect(connect(client, '127.0.0.1', 1).localAddress()?.address).toBe('127.0.0.1');
    expect(connect(client, '::1', 1).localAddress()?.address).toBe('::1');
    expect(connect(client, 'fd00::1', 1).localAddress()?.address).toBe('fd00::1');
    expect(connect(client, '10.0.0.2', 1).localAddress()?.address).toBe('10.0.0.1');
  });

  test('after a failure the socket keeps the local endpoint the kernel picked but has no peer', () => {
    const { world, client } = dualStackWorld();
    const s = connect(client, '127.0.0.1', 9);
    settle(world, s);
    expect(s.localAddress()).toEqual({ family: 'inet', address: '127.0.0.1', port: 32768 });
    expect(s.remoteAddress()).toBeNull();
  });

  test('ephemeral ports come from a counter over the configured range and skip ports in use', () => {
    const world = new World({ seed: 1, tcp: { ephemeralFirst: 40000, ephemeralLast: 40002 } });
    const h = world.addHost('h', { addresses: ['10.0.0.1'] });
    const held = h.socket('inet');
    held.bind({ address: '0.0.0.0', port: 40001 });
    const ports = [0, 1].map(() => {
      const s = h.socket('inet');
      s.bind({ address: '0.0.0.0', port: 0 });
      return s.localAddress()?.port;
    });
    expect(ports).toEqual([40000, 40002]);
    // The range is exhausted: Linux's bind(port 0) then fails with EADDRINUSE.
    expect(caught(() => h.socket('inet').bind({ address: '0.0.0.0', port: 0 })).code).toBe('EADDRINUSE');
  });
});

describe('bind rules', () => {
  test('two sockets may share a port only if both set SO_REUSEADDR and neither listens', () => {
    const { client } = dualStackWorld();
    const a = client.socket('inet');
    a.setReuseAddr(true);
    a.bind({ address: '0.0.0.0', port: 6000 });
    const b = client.socket('inet');
    b.setReuseAddr(true);
    b.bind({ address: '10.0.0.1', port: 6000 });
    expect(b.localAddress()?.port).toBe(6000);
    const c = client.socket('inet');
    expect(caught(() => c.bind({ address: '10.0.0.1', port: 6000 })).code).toBe('EADDRINUSE');
    expect(caught(() => client.listen({ address: '10.0.0.1', port: 6000 })).code).toBe('EADDRINUSE');
  });

  test('IPv4 and IPv6 ports are separate, except for a dual-stack wildcard listener', () => {
    const { client } = dualStackWorld();
    client.listen({ address: '0.0.0.0', port: 6001 });
    expect(client.listen({ address: '::', port: 6001 }).localAddress().port).toBe(6001);
    client.listen({ port: 6002 });
    expect(caught(() => client.listen({ address: '10.0.0.1', port: 6002 })).code).toBe('EADDRINUSE');
    expect(caught(() => client.listen({ address: 'fd00::1', port: 6002 })).code).toBe('EADDRINUSE');
  });

  test('two connections with the same 4-tuple are refused with EADDRNOTAVAIL', () => {
    const { client } = dualStackWorld();
    const mk = () => {
      const s = client.socket('inet');
      s.setReuseAddr(true);
      s.bind({ address: '0.0.0.0', port: 6003 });
      return s;
    };
    mk().connect(ep('10.0.0.2', 80));
    const err = caught(() => mk().connect(ep('10.0.0.2', 80)));
    expect(err.code).toBe('EADDRNOTAVAIL');
    expect(mk().connect(ep('10.0.0.2', 81))).toBe('in-progress');
  });

  test('a closed socket frees its port at once (no TIME_WAIT)', () => {
    const { client } = dualStackWorld();
    const a = client.socket('inet');
    a.bind({ address: '0.0.0.0', port: 6004 });
    a.close();
    const b = client.socket('inet');
    b.bind({ address: '0.0.0.0', port: 6004 });
    expect(b.localAddress()?.port).toBe(6004);
  });
});

describe('misuse', () => {
  test('calls on a closed socket, a second bind and a second connect are rejected', () => {
    const { client } = dualStackWorld();
    const s = client.socket('inet');
    s.bind({ address: '0.0.0.0', port: 0 });
    const again = caught(() => s.bind({ address: '0.0.0.0', port: 0 }));
    expect(again).toBeInstanceOf(DetnetError);
    expect(again.code).toBe('ERR_SOCKET_STATE');
    s.connect(ep('10.0.0.2', 80));
    expect(caught(() => s.connect(ep('10.0.0.2', 80))).code).toBe('EALREADY');
    s.close();
    s.close(); // idempotent
    expect(caught(() => s.read(1)).code).toBe('ERR_SOCKET_CLOSED');
    expect(caught(() => s.write(enc('x'))).code).toBe('ERR_SOCKET_CLOSED');
  });

  test('connect canonicalises the address it is given and rejects invalid addresses and ports', () => {
    const { world, client, server } = dualStackWorld();
    serve(server, { port: 80, behaviour: { kind: 'record' } });
    const s = client.socket('inet6');
    s.connect({ family: 'inet6', address: 'FD00:0:0::2', port: 80 });
    settle(world, s);
    expect(s.remoteAddress()).toEqual({ family: 'inet6', address: 'fd00::2', port: 80 });
    expect(caught(() => client.socket('inet').connect({ family: 'inet', address: '10.0.0', port: 80 })).code).toBe('ERR_INVALID_ADDRESS');
    expect(caught(() => client.socket('inet').connect({ family: 'inet', address: '10.0.0.2', port: 70000 })).code).toBe('ERR_PORT_TOO_HIGH');
    // The family field and the address text must agree.
    expect(caught(() => client.socket('inet').connect({ family: 'inet', address: 'fd00::2', port: 80 })).code).toBe('EAFNOSUPPORT');
  });

  test('connecting a socket to the other family is EAFNOSUPPORT', () => {
    const { client } = dualStackWorld();
    expect(caught(() => client.socket('inet').connect(ep('fd00::2', 80))).code).toBe('EAFNOSUPPORT');
  });

  test('sockets cannot be made on a crashed host', () => {
    const { client } = dualStackWorld();
    client.crash();
    expect(caught(() => client.socket('inet')).code).toBe('ERR_HOST_DOWN');
  });
});

describe('closing', () => {
  test('closing while connecting sends nothing; the late SYN-ACK is answered with RST, resetting the server side', () => {
    const { world, client, server } = dualStackWorld({ latency: fixed(5) });
    const app = serve(server, { port: 80, behaviour: { kind: 'record' } });
    const s = connect(client, '10.0.0.2', 80);
    world.runFor(1);
    s.close();
    world.runUntilIdle();
    expect(world.trace.ofKind('net.fin').filter((e) => e['host'] === 'client')).toHaveLength(0);
    expect(app.connections[0]?.error).toBe('ECONNRESET');
    expect(world.clock.pendingCount).toBe(0);
  });

  test('closing with unread received data resets the peer instead of a FIN', () => {
    const { world, client, server } = dualStackWorld();
    const { c, s } = establish(world, client, server, '10.0.0.2');
    c.write(enc('unread'));
    world.runUntilIdle();
    s.close();
    world.runUntilIdle();
    expect(c.state).toBe('reset');
    expect(c.takeError()).toBe('ECONNRESET');
  });
});
