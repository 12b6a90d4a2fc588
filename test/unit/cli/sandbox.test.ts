// `detnet sandbox`'s static server: files under its directory only, loopback only, GET/HEAD
// only, and the command's refusals. Real sockets here are loopback, bounded and closed.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileFor, startSandboxServer, type SandboxServer } from '../../../src/cli/sandbox-command.js';
import { cli } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'detnet-sandbox-root-'));
mkdirSync(join(root, 'web'));
writeFileSync(join(root, 'web', 'index.html'), '<!doctype html><title>x</title>');
writeFileSync(join(root, 'web', 'app.js'), 'void 0;');
writeFileSync(join(root, 'secret.txt'), 'outside');
let server: SandboxServer;
beforeAll(async () => {
  server = await startSandboxServer({ root: join(root, 'web'), port: 0 });
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

/** One raw request (the path is sent as written, unnormalised), bounded in time. */
function get(path: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

describe('the sandbox server', () => {
  it('serves index.html for / and files with their content types, on 127.0.0.1', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect(await get('/')).toEqual({ status: 200, type: 'text/html; charset=utf-8', body: '<!doctype html><title>x</title>' });
    expect((await get('/app.js')).type).toBe('text/javascript; charset=utf-8');
  });

  it('never serves a file outside its directory, however the path is spelled', async () => {
    for (const path of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/web/../../secret.txt', '/%00']) {
      expect((await get(path)).status).toBe(404);
    }
    expect(fileFor('/srv/web', '/../x')).toBeNull();
    expect(fileFor('/srv/web', '/a/b.js')).toBe('/srv/web/a/b.js');
  });

  it('answers 404 for a missing file and 405 for anything but GET and HEAD', async () => {
    expect((await get('/nope.js')).status).toBe(404);
    expect((await get('/', 'POST')).status).toBe(405);
    expect(await get('/', 'HEAD')).toMatchObject({ status: 200, body: '' });
  });
});

describe('detnet sandbox', () => {
  it('refuses arguments and a bad port with exit 2', async () => {
    expect((await cli(['sandbox', 'extra'])).code).toBe(2);
    const port = await cli(['sandbox', '--port', '70000']);
    expect([port.code, port.err]).toEqual([2, expect.stringMatching(/--port expects an integer in 0\.\.65535/)]);
  });
});
