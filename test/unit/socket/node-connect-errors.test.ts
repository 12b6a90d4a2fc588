// The error objects a driver hands to user code must look like Node's, because callers branch
// on `code` and log `message`. The first test compares against a real refused connect on
// loopback, so the expected shape is Node's own, not copied from this module.
import net from 'node:net';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  aggregateError,
  attemptError,
  codeOf,
  connectionTimeoutError,
  externalError,
  invalidFamilyError,
  LINUX_ERRNO,
  toNodeError,
} from '../../../src/socket/node-connect-errors.js';

/** A port on 127.0.0.1 with nothing listening (bound, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function realRefusal(port: number): Promise<Error & Record<string, unknown>> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.on('error', (err) => resolve(err as Error & Record<string, unknown>));
  });
}

describe('attempt errors', () => {
  it.runIf(process.platform === 'linux')('match the error real Node gives for a refused loopback connect', async () => {
    const port = await closedPort();
    const real = await realRefusal(port);
    const ours = toNodeError(attemptError('ECONNREFUSED', '127.0.0.1', port)) as Error & Record<string, unknown>;
    expect(ours.message).toBe(real.message);
    expect(Object.keys(ours)).toEqual(Object.keys(real));
    for (const key of Object.keys(real)) expect(ours[key]).toEqual(real[key]);
    expect(ours.constructor).toBe(real.constructor);
  });

  it('print IPv6 addresses without brackets and leave out a zero port', () => {
    expect(attemptError('ECONNREFUSED', '::1', 10).message).toBe('connect ECONNREFUSED ::1:10');
    const zero = attemptError('ECONNREFUSED', '10.0.0.1', 0);
    expect(zero.message).toBe('connect ECONNREFUSED 10.0.0.1');
    expect('port' in (toNodeError(zero) as object)).toBe(false);
  });

  it('name the local side of a synchronous failure as Node does for an unbound handle', () => {
    // Node 20.20, `::1` labelled family 4: "connect EINVAL ::1:1 - Local (undefined:undefined)".
    expect(attemptError('EINVAL', '::1', 1, 'undefined:undefined').message).toBe('connect EINVAL ::1:1 - Local (undefined:undefined)');
  });

  it('carry Linux errno numbers, negated as libuv reports them', () => {
    expect(attemptError('ETIMEDOUT', '10.0.0.1', 80).errno).toBe(-110);
  });

  it.runIf(process.platform === 'linux')('use the same errno numbers as this Linux host', () => {
    const host: Readonly<Record<string, number | undefined>> = os.constants.errno;
    const known = Object.entries(LINUX_ERRNO).filter(([code]) => host[code] !== undefined);
    expect(known.length).toBeGreaterThan(10);
    for (const [code, n] of known) expect([code, n]).toEqual([code, host[code]]);
  });
});

describe('the error a failed walk ends with', () => {
  it('is an AggregateError with an empty message, every attempt error, and the first one’s code', () => {
    const info = aggregateError([attemptError('ECONNREFUSED', '::1', 10), attemptError('ETIMEDOUT', '127.0.0.1', 10)]);
    const err = toNodeError(info) as AggregateError & { code?: string };
    expect(err).toBeInstanceOf(AggregateError);
    expect(err.message).toBe('');
    expect(err.code).toBe('ECONNREFUSED');
    expect(err.errors.map((e: Error) => e.message)).toEqual(['connect ECONNREFUSED ::1:10', 'connect ETIMEDOUT 127.0.0.1:10']);
    expect(Object.keys(err)).toEqual(['code']);
  });

  it('is ERR_SOCKET_CONNECTION_TIMEOUT when nothing was recorded (old Node)', () => {
    expect(aggregateError([])).toEqual(connectionTimeoutError());
    const err = toNodeError(connectionTimeoutError()) as Error & { code?: string };
    expect([err.message, err.code]).toEqual(['Socket connection timeout', 'ERR_SOCKET_CONNECTION_TIMEOUT']);
  });

  it('passes a lookup or user error through untouched and still tells its code', () => {
    const original = Object.assign(new Error('getaddrinfo ENOTFOUND x.test'), { code: 'ENOTFOUND' });
    const info = externalError(original);
    expect(toNodeError(info)).toBe(original);
    expect(codeOf(info)).toBe('ENOTFOUND');
    expect(codeOf(externalError('not an error'))).toBeUndefined();
  });

  it('makes a bad lookup family a RangeError with host and port, as Node does', () => {
    const err = toNodeError(invalidFamilyError(5, 'x.test', 1)) as RangeError & Record<string, unknown>;
    // Node 20.20: RangeError "Invalid address family: 5 x.test:1", own keys code, host, port.
    expect(err).toBeInstanceOf(RangeError);
    expect(Object.keys(err)).toEqual(['code', 'host', 'port']);
  });
});
