/**
 * The `detnet` process around `main` (issue 9, items 8 and 11): option names that exist on
 * every JavaScript object, `--version`, and a stdout closed by the reader (`detnet run | head
 * -1`), which must end the process quietly with exit 0 instead of an EPIPE stack trace.
 */
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { cliProcess } from '../../../src/cli.js';
import { cli } from './helpers.js';

/** A stdout whose reader has gone: every write fails with EPIPE, as a pipe to `head` does once it exited. */
function closedPipe(): { readonly stream: Writable; writes(): number } {
  let writes = 0;
  const stream = new Writable({
    write(_chunk, _encoding, done) {
      writes++;
      done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE', errno: -32, syscall: 'write' }));
    },
  });
  return { stream, writes: () => writes };
}

function sink(): Writable & { text: string } {
  const s = new Writable({
    write(chunk: Buffer, _encoding, done) {
      s.text += chunk.toString();
      done();
    },
  }) as Writable & { text: string };
  s.text = '';
  return s;
}

describe('detnet options that Object.prototype has', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('rejects --%s as an unknown option with exit 2', async (name) => {
    // Before the fix `--constructor x` found Object.prototype.constructor as its spec and ran.
    const { code, out, err } = await cli(['run', `--${name}`, 'x']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^detnet: unknown option "--/);
  });

  it('rejects --constructor exactly as the issue typed it', async () => {
    const { code, err } = await cli(['run', '--constructor', 'x']);
    expect(code).toBe(2);
    expect(err).toMatch(/^detnet: unknown option "--constructor"/);
  });
});

describe('detnet --version', () => {
  it('prints the version of package.json and exits 0', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    const { code, out } = await cli(['--version']);
    expect(code).toBe(0);
    expect(out).toBe(`detnet ${pkg.version}\n`);
  });

  it('is listed in the usage text', async () => {
    expect((await cli(['--help'])).out).toMatch(/^ {2}detnet --version/m);
  });
});

describe('detnet with a stdout closed by its reader', () => {
  it('ends quietly with exit 0 when the reader of stdout goes away (detnet run | head -1)', async () => {
    const stdout = closedPipe();
    const stderr = sink();
    const exits: number[] = [];
    // Without a listener, the stream's `error` event is an uncaught exception: the stack trace.
    const code = await cliProcess(['run', '--format', 'jsonl'], { stdout: stdout.stream, stderr, exit: (c) => void exits.push(c) });
    // Let the stream report the failed write (it does so asynchronously, as a real pipe does).
    await new Promise((resolve) => setImmediate(resolve));
    expect(stdout.writes()).toBe(1);
    expect(exits).toEqual([0]);
    expect(code).toBe(0);
    // stderr has the verdict (JSON formats put it there), and nothing about the pipe.
    expect(stderr.text).toMatch(/^✓ expectations met/);
    expect(stderr.text).not.toMatch(/EPIPE|Error|at /);
  });

  it('still reports another stdout failure on stderr with exit 1', async () => {
    const stdout = new Writable({
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error('write EIO'), { code: 'EIO' }));
      },
    });
    const stderr = sink();
    const exits: number[] = [];
    await cliProcess(['run'], { stdout, stderr, exit: (c) => void exits.push(c) });
    await new Promise((resolve) => setImmediate(resolve));
    expect(exits).toEqual([1]);
    expect(stderr.text).toMatch(/^detnet: cannot write to stdout: write EIO \(EIO\)\n$/);
  });
});
