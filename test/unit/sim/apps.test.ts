// Server apps as a client sees them, and what they let tests observe.
import { describe, expect, test } from 'vitest';
import { serve } from '../../../src/sim/apps.js';
import { connect, dualStackWorld, enc, readAll, settle } from './fixtures.js';

describe('server apps', () => {
  test('reply-then-close sends the line and a FIN', () => {
    const { world, client, server } = dualStackWorld();
    serve(server, { port: 80, behaviour: { kind: 'reply', line: 'bye', then: 'close' } });
    const s = connect(client, '10.0.0.2', 80);
    settle(world, s);
    world.runUntilIdle();
    expect(readAll(s)).toEqual({ text: 'bye\n', eof: true });
  });

  test('reply-and-keep-open sends the line, records what the client sends, closes after the client does', () => {
    const { world, client, server } = dualStackWorld();
    const app = serve(server, { port: 80, behaviour: { kind: 'reply', line: 'hello', then: 'keep-open' } });
    const s = connect(client, 'fd00::2', 80);
    settle(world, s);
    world.runUntilIdle();
    expect(readAll(s)).toEqual({ text: 'hello\n', eof: false });
    s.write(enc('ok\n'));
    s.shutdown();
    world.runUntilIdle();
    expect(app.received).toBe('ok\n');
    expect(app.connections[0]?.eof).toBe(true);
    expect(readAll(s).eof).toBe(true);
  });

  test('echo writes back everything, even more than one socket buffer', () => {
    const { world, client, server } = dualStackWorld({ tcp: { sendBufferBytes: 64, recvBufferBytes: 64 } });
    serve(server, { port: 7, behaviour: { kind: 'echo' } });
    const s = connect(client, '10.0.0.2', 7);
    settle(world, s);
    const message = 'x'.repeat(300) + 'END';
    let sent = 0;
    let got = '';
    for (let i = 0; i < 200 && got.length < message.length; i++) {
      if (sent < message.length) sent += s.write(enc(message.slice(sent)));
      world.runFor(1);
      got += readAll(s).text;
    }
    expect(got).toBe(message);
  });

  test('close-immediately accepts and closes: the client reads EOF at once', () => {
    const { world, client, server } = dualStackWorld();
    const app = serve(server, { port: 80, behaviour: { kind: 'close' } });
    const s = connect(client, '10.0.0.2', 80);
    expect(settle(world, s).outcome).toBe('connected');
    world.runUntilIdle();
    expect(readAll(s)).toEqual({ text: '', eof: true });
    expect(app.accepted).toBe(1);
  });

  test('record keeps each connection separately, with its peer', () => {
    const { world, client, server } = dualStackWorld();
    const app = serve(server, { port: 80, behaviour: { kind: 'record' } });
    const a = connect(client, '10.0.0.2', 80);
    const b = connect(client, 'fd00::2', 80);
    settle(world, a);
    settle(world, b);
    a.write(enc('from a'));
    b.write(enc('from b'));
    world.runUntilIdle();
    expect(app.connections.map((c) => [c.peer?.address, c.text])).toEqual([
      ['10.0.0.1', 'from a'],
      ['fd00::1', 'from b'],
    ]);
    expect(app.describe()).toContain('"from a"');
  });

  test('an app survives a crash as a service: it listens again after restart and keeps what it received', () => {
    const { world, client, server } = dualStackWorld();
    const app = serve(server, { port: 0, behaviour: { kind: 'record' } });
    const port = app.port;
    const a = connect(client, '10.0.0.2', port);
    settle(world, a);
    a.write(enc('before'));
    world.runUntilIdle();
    server.crash();
    expect(app.listener).toBeNull();
    server.restart();
    expect(app.port).toBe(port);
    const b = connect(client, '10.0.0.2', port);
    settle(world, b);
    b.write(enc(' after'));
    world.runUntilIdle();
    expect(app.received).toBe('before after');
  });

  test('stop closes the listener and the open connections', () => {
    const { world, client, server } = dualStackWorld();
    const app = serve(server, { port: 80, behaviour: { kind: 'record' } });
    const s = connect(client, '10.0.0.2', 80);
    settle(world, s);
    app.stop();
    world.runUntilIdle();
    expect(readAll(s).eof).toBe(true);
    expect(settle(world, connect(client, '10.0.0.2', 80)).outcome).toBe('ECONNREFUSED');
  });
});
