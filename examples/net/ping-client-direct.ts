/**
 * The PING client of ping-client.ts written the usual way: it imports `node:net` itself. A
 * test runs it on a simulated world by mocking the module (vitest: `vi.mock('node:net', …)`).
 */
import { connect } from 'node:net';

/** Sends `PING` to `host:port` and resolves with the answer line (see ping-client.ts). */
export function pingDirect(host: string, port: number, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let buffer = '';
    socket.setTimeout(timeoutMs);
    socket.on('timeout', () => socket.destroy(Object.assign(new Error(`no answer from ${host}:${port}`), { code: 'PING_TIMEOUT' })));
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const end = buffer.indexOf('\n');
      if (end < 0) return;
      resolve(buffer.slice(0, end));
      socket.end();
    });
    socket.write('PING\n');
  });
}
