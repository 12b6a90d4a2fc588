/**
 * `detnet sandbox [--port N]`: serves the teaching sandbox — the static page that `npm run
 * build` bundles into dist/web/ — on http://127.0.0.1:N/ and prints the URL. The simulator
 * runs in the page; this server only hands out files.
 *
 * Owns: the static file server (`startSandboxServer`: GET and HEAD of files under one
 * directory, nothing else; loopback only; no directory listings; a path that leaves the
 * directory is 404) and the command. The process serves until it is interrupted.
 *
 * Does not: build the page (scripts/build-sandbox.mjs) or run scenarios.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { parseArgs, type OptionSpec } from './args.js';
import { EXIT, UsageError, type Command, type Streams } from './command.js';
import { packageRoot } from './scenario-files.js';

/** The port `detnet sandbox` listens on unless told otherwise. */
export const DEFAULT_SANDBOX_PORT = 8765;

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** A running sandbox server. */
export interface SandboxServer {
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

/** The file under `root` that `urlPath` names, or null when it would leave `root`. */
export function fileFor(root: string, urlPath: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  // A `..` segment anywhere (however it was encoded) is refused rather than resolved.
  if (path.includes('\0') || path.split(/[/\\]/).includes('..')) return null;
  const rel = normalize(path.endsWith('/') ? `${path}index.html` : path).replace(/^([/\\])+/, '');
  const file = join(root, rel);
  return file === root || file.startsWith(root.endsWith(sep) ? root : `${root}${sep}`) ? file : null;
}

async function serveFile(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const file = fileFor(root, req.url ?? '/');
  const info = file === null ? null : await stat(file).catch(() => null);
  if (file === null || info === null || !info.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  const body = await readFile(file);
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
    'cache-control': 'no-store',
    // The page needs nothing from anywhere else: say so to the browser.
    'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Serves `root` on 127.0.0.1:`port` (0: any free port). */
export function startSandboxServer(options: { readonly root: string; readonly port: number }): Promise<SandboxServer> {
  const root = normalize(options.root);
  const server = createServer((req, res) => {
    serveFile(root, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : options.port;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

const OPTIONS: Readonly<Record<string, OptionSpec>> = { port: { integer: { min: 0, max: 65535 } } };

/** The options of `sandbox`, as `--help` documents them. */
export const SANDBOX_HELP: readonly string[] = [
  'detnet sandbox [--port N]',
  `  --port N            port on 127.0.0.1 (default ${DEFAULT_SANDBOX_PORT}; 0 picks a free one)`,
  '  Serves the teaching sandbox (built into dist/web by npm run build) until interrupted.',
];

/** Runs `detnet sandbox`: starts the server and returns once it listens (the process stays up). */
export async function sandboxCommand(args: readonly string[], { out }: Streams): Promise<number> {
  const parsed = parseArgs(args, OPTIONS);
  if (parsed.help) {
    out.write(`${SANDBOX_HELP.join('\n')}\n`);
    return EXIT.ok;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`sandbox takes no arguments, got: ${parsed.positionals.join(' ')}`, { showUsage: true });
  const root = join(packageRoot(), 'dist', 'web');
  if ((await stat(join(root, 'index.html')).catch(() => null)) === null) {
    throw new UsageError(`the sandbox is not built (no ${join(root, 'index.html')}): run npm run build`);
  }
  const port = Number(parsed.options.get('port') ?? DEFAULT_SANDBOX_PORT);
  let server: SandboxServer;
  try {
    server = await startSandboxServer({ root, port });
  } catch (err) {
    throw new UsageError(`cannot listen on 127.0.0.1:${port}: ${err instanceof Error ? err.message : String(err)}`);
  }
  out.write(`detnet sandbox: ${server.url}  (serving ${root}; Ctrl-C stops it)\n`);
  return EXIT.ok;
}

/** The `sandbox` command. */
export const sandbox: Command = {
  summary: 'serve the teaching sandbox (a web page that runs the simulator) on 127.0.0.1',
  help: SANDBOX_HELP,
  run: sandboxCommand,
};
