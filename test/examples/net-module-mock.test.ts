// The module-mock plug point: a client that imports node:net itself (examples/net/
// ping-client-direct.ts) runs on a simulated world when the test swaps the module. vi.mock is
// hoisted above the imports, so the world the mock delegates to is created in vi.hoisted.
import { describe, expect, it, vi } from 'vitest';
import { blackhole, createNetForMock } from './net-module-mock-support.js';

const holder = vi.hoisted(() => ({ net: undefined as undefined | Record<string, unknown> }));

vi.mock('node:net', () => {
  // Every call goes to the module of the current test's world.
  const forward = (name: string) => (...args: unknown[]) => (holder.net?.[name] as (...a: unknown[]) => unknown)(...args);
  const mod = { connect: forward('connect'), createConnection: forward('createConnection'), createServer: forward('createServer'), isIP: forward('isIP') };
  return { ...mod, default: mod };
});

const { pingDirect } = await import('../../examples/net/ping-client-direct.js');

describe('vi.mock("node:net") puts an unmodified client on the simulated world', () => {
  it('answers PONG through the mocked module, over IPv4 after the IPv6 blackhole', async () => {
    const { world, net, run } = createNetForMock();
    holder.net = net as unknown as Record<string, unknown>;
    world.faults.install(blackhole('fd00::2'));
    const answer = await run(() => pingDirect('svc', 7000).then((line) => `${line}@${world.clock.now()}`));
    expect(answer).toBe('PONG@504');
  });

  it('reports the simulated refusal to the client as ECONNREFUSED', async () => {
    const { world, net, run } = createNetForMock({ listening: false });
    holder.net = net as unknown as Record<string, unknown>;
    const code = await run(() => pingDirect('svc', 7000).catch((err: { code?: string }) => err.code));
    expect([code, world.clock.now()]).toEqual(['ECONNREFUSED', 4]);
  });
});

