// Real clients, unmodified, on a simulated world: the PING client of examples/net (written
// against node:net, taking the module as a parameter) and Node's own http.get with an agent
// whose createConnection is detnet's, under refusal, blackhole and partition.
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { World, blackhole, partition, refusePort } from '../../src/index.js';
import { createNet, runAsync, type SimNet } from '../../src/net-facade.js';
import { ping, type NetLike } from '../../examples/net/ping-client.js';

/** client (10.0.0.1, fd00::1) and server (10.0.0.2, fd00::2); `svc` names the server, IPv6 first. */
function world(): World {
  const w = new World({ seed: 7 });
  w.addHost('client', { addresses: ['10.0.0.1', 'fd00::1'] });
  w.addHost('server', { addresses: ['10.0.0.2', 'fd00::2'] });
  w.dns.set('svc', ['fd00::2', '10.0.0.2']);
  return w;
}

/** A PING/PONG line server on the simulated server host. */
function pongServer(w: World, port = 7000): void {
  createNet(w, 'server')
    .createServer((s) => {
      s.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('PING\n')) s.write('PONG\n');
      });
    })
    .listen(port);
}

/** Runs the PING client on the world; resolves to `PONG@t` or `CODE@t`. */
async function pingOn(w: World, net: SimNet, timeoutMs = 2000): Promise<string> {
  return runAsync(w, () =>
    ping({ host: 'svc', port: 7000, timeoutMs }, net as unknown as NetLike).then(
      (line) => `${line}@${w.clock.now()}`,
      (err: { code?: string }) => `${String(err.code)}@${w.clock.now()}`,
    ),
  );
}

describe('an unmodified node:net PING client on the simulated world', () => {
  it('gets PONG over IPv4 once the walk gives up on the blackholed IPv6 address', async () => {
    const w = world();
    pongServer(w);
    w.faults.install(blackhole('fd00::2'));
    // 500 ms attempt timeout on fd00::2, then SYN/SYN-ACK (2 ms), PING/PONG (2 ms).
    expect(await pingOn(w, createNet(w, 'client'))).toBe('PONG@504');
  });

  it('rejects with ECONNREFUSED when both addresses refuse', async () => {
    const w = world();
    w.faults.install(refusePort('fd00::2', 7000));
    // Nothing listens on 10.0.0.2 either: two RSTs, one round trip each.
    expect(await pingOn(w, createNet(w, 'client'))).toBe('ECONNREFUSED@4');
  });

  it('gives up with its own PING_TIMEOUT when everything is blackholed', async () => {
    const w = world();
    pongServer(w);
    w.faults.install(blackhole('server'));
    // The socket's idle timer (2000 ms, world time) fires long before TCP's SYN retries end.
    expect(await pingOn(w, createNet(w, 'client'))).toBe('PING_TIMEOUT@2000');
  });

  it('gets through once a partition heals, on a retransmitted SYN', async () => {
    const w = world();
    pongServer(w);
    w.faults.install(partition(['client'], ['server']), { until: 1200 });
    // fd00::2 times out at 500 ms; the SYN to 10.0.0.2 sent at 500 is lost and resent at 1500
    // (1 s initial RTO); connected at 1502, PONG at 1504.
    expect(await pingOn(w, createNet(w, 'client'))).toBe('PONG@1504');
  });
});

describe('http.get with an agent whose createConnection is detnet\'s', () => {
  /** A minimal HTTP/1.1 responder on the simulated server (one response, then close). */
  function httpServer(w: World): void {
    createNet(w, 'server')
      .createServer((s) => {
        let request = '';
        s.on('data', (chunk: Buffer) => {
          request += chunk.toString();
          if (!request.includes('\r\n\r\n')) return;
          const path = request.split(' ')[1] ?? '?';
          const body = `you asked for ${path}`;
          s.end(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
        });
      })
      .listen(80);
  }

  function get(w: World): Promise<string> {
    const net = createNet(w, 'client');
    const agent = new http.Agent();
    // The plug point: Node's http client asks the agent for its socket.
    (agent as unknown as { createConnection: typeof net.createConnection }).createConnection = net.createConnection;
    return runAsync(w, () =>
      new Promise<string>((resolve) => {
        const req = http.get({ host: 'svc', port: 80, path: '/hello', agent }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve(`${res.statusCode} ${body} @${w.clock.now()}`));
        });
        req.on('error', (err: { code?: string }) => resolve(`${String(err.code)} @${w.clock.now()}`));
      }),
    );
  }

  it('fetches a page over IPv4 after the IPv6 attempt times out in a blackhole', async () => {
    const w = world();
    httpServer(w);
    w.faults.install(blackhole('fd00::2'));
    expect(await get(w)).toBe('200 you asked for /hello @504');
  });

  it('reports ECONNREFUSED to the request when the server refuses', async () => {
    const w = world();
    expect(await get(w)).toBe('ECONNREFUSED @4');
  });

  it('reports ETIMEDOUT after TCP gives up when a partition never heals', async () => {
    const w = world();
    httpServer(w);
    w.faults.install(partition(['client'], ['server']));
    const out = await get(w);
    expect(out.startsWith('ETIMEDOUT @')).toBe(true);
  });
});
