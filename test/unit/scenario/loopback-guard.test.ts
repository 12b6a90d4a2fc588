/**
 * Scenario files are shared, so running one on a real backend must never reach past loopback:
 * not to an address, not through a host name, not from a bind address. Each attack below is a
 * scenario someone could hand over; each must be refused before any socket exists, with the
 * JSON path of the offending value, by the node backend (static check, then again inside the
 * driver at resolution time) and by the tclsh renderer — one check shared by both.
 *
 * Real sockets stay on loopback even if the check were missing: `openAttempt` of the Node
 * driver is replaced by a spy that records the call and throws, so a regression shows up as a
 * recorded attempt, never as a packet leaving the machine.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { loopbackViolation } from '../../../src/scenario/loopback-guard.js';
import { nodeBackend } from '../../../src/scenario/node-backend.js';
import { runScenario } from '../../../src/scenario/runner.js';
import type { Scenario, Step } from '../../../src/scenario/scenario.js';
import { renderTcl } from '../../../src/scenario/tcl-render.js';
import { Interp } from '../../../src/socket/interp.js';
import { createNodeDriver, NodeDriver } from '../../../src/socket/node-driver.js';
import { cli } from '../cli/helpers.js';

const payload: Step[] = [
  { op: 'puts', chan: 'c1', text: 'GET / HTTP/1.0' },
  { op: 'flush', chan: 'c1' },
];

function attack(name: string, socket: Partial<Extract<Step, { op: 'socket' }>>, hosts?: Scenario['hosts']): Scenario {
  return {
    name,
    description: 'a shared scenario that tries to leave loopback',
    ...(hosts === undefined ? {} : { hosts }),
    client: [{ op: 'socket', chan: 'c1', host: '127.0.0.1', port: 443, async: false, ...socket }, ...payload],
  };
}

/** [attack, scenario, the path and reason every real backend must report]. */
const ATTACKS: [string, Scenario, string][] = [
  ['an IPv4 address', attack('v4', { host: '192.0.2.1' }), 'client[0].host: 192.0.2.1 is not a loopback address'],
  ['an IPv6 address', attack('v6', { host: '2001:db8::1' }), 'client[0].host: 2001:db8::1 is not a loopback address'],
  ['an IPv4-mapped address', attack('mapped', { host: '::ffff:192.0.2.7' }), 'client[0].host: ::ffff:192.0.2.7 is not a loopback address'],
  [
    'a name answering outside loopback',
    attack('name', { host: 'evil' }, [{ name: 'evil', addresses: ['203.0.113.9'] }]),
    'client[0].host: evil resolves to 203.0.113.9 (hosts[0].addresses[0]), which is not a loopback address',
  ],
  [
    'a name with one answer outside loopback',
    attack('mixed', { host: 'mixed' }, [{ name: 'mixed', addresses: ['127.0.0.1', '203.0.113.9'] }]),
    'client[0].host: mixed resolves to 203.0.113.9 (hosts[0].addresses[1]), which is not a loopback address',
  ],
  [
    'a numeric name the system resolver reads as 192.0.2.1',
    attack('numeric', { host: '3221225985' }, [{ name: '3221225985', addresses: ['127.0.0.1'] }]),
    'client[0].host: host name 3221225985 would be read as a numeric address by the system resolver',
  ],
  [
    // The node backend's lookup matches names case-insensitively: the twin must not slip through.
    'a name whose case-folded twin answers outside loopback',
    attack('twin', { host: 'Evil' }, [
      { name: 'Evil', addresses: ['127.0.0.1'] },
      { name: 'evil', addresses: ['203.0.113.9'] },
    ]),
    'hosts[1].addresses[0]: evil resolves to 203.0.113.9, which is not a loopback address',
  ],
  ['a bind address outside loopback', attack('bind', { myaddr: '192.0.2.1' }), 'client[0].myaddr: 192.0.2.1 is not a loopback address'],
  ['the wildcard bind address', attack('wild', { myaddr: '0.0.0.0' }), 'client[0].myaddr: 0.0.0.0 is not a loopback address'],
  [
    'an unused host entry outside loopback',
    attack('unused', {}, [{ name: 'far', addresses: ['192.0.2.1'] }]),
    'hosts[0].addresses[0]: far resolves to 192.0.2.1, which is not a loopback address',
  ],
];

const safe: Scenario = { name: 'safe', description: 'loopback only', refusedPort: true, client: [{ op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'rport' }] };

let openAttempt: MockInstance<NodeDriver['openAttempt']>;
beforeEach(() => {
  openAttempt = vi.spyOn(NodeDriver.prototype, 'openAttempt').mockImplementation(() => {
    throw new Error('openAttempt reached: a socket would have been made');
  });
});
afterEach(() => {
  openAttempt.mockRestore();
});

describe('the node backend refuses scenarios that leave loopback', () => {
  it.each(ATTACKS)('refuses %s before making any socket, naming the path', async (_what, scenario, why) => {
    expect(() => nodeBackend(scenario)).toThrow(expect.objectContaining({ code: 'ERR_SCENARIO_NOT_RUNNABLE' }));
    expect(() => nodeBackend(scenario)).toThrow(`scenario "${scenario.name}": ${why}; the node backend only`);
    // Through the API with a backend built for another scenario: runScenario checks again.
    const backend = nodeBackend(safe);
    await expect(runScenario(scenario, backend)).rejects.toThrow(`${why}; the node backend only`);
    expect(openAttempt).not.toHaveBeenCalled();
  });

  it('accepts every spelling of a loopback address', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::ffff:7f00:1']) {
      expect(loopbackViolation(attack('ok', { host, myaddr: host.includes(':') ? '::1' : '127.0.0.1' }), 'node')).toBeNull();
    }
    expect(loopbackViolation(attack('ok', { host: 'localhost' }, [{ name: 'localhost', addresses: ['::1', '127.0.0.1'] }]), 'node')).toBeNull();
  });
});

describe('the tclsh backend refuses the same scenarios with the same check', () => {
  it.each(ATTACKS)('refuses to render %s, naming the path', (_what, scenario, why) => {
    expect(() => renderTcl(scenario)).toThrow(expect.objectContaining({ code: 'ERR_SCENARIO_NOT_RENDERABLE' }));
    expect(() => renderTcl(scenario)).toThrow(`scenario "${scenario.name}": ${why}; the tclsh backend only`);
  });
});

describe('the node driver refuses non-loopback destinations at run time', () => {
  const evilLookup = (): Promise<readonly { family: 'inet'; address: string }[]> => Promise.resolve([{ family: 'inet', address: '203.0.113.9' }]);

  it('refuses a name that resolves outside loopback when the lookup answers, before any socket', async () => {
    const driver = createNodeDriver({ loopbackOnly: true, lookup: evilLookup });
    try {
      const tcl = new Interp(driver);
      await expect(tcl.socketAsync('evil', 443)).rejects.toMatchObject({ code: 'ERR_NOT_LOOPBACK', message: expect.stringContaining('evil resolves to 203.0.113.9') });
      await expect(tcl.socketAsync('192.0.2.1', 443)).rejects.toMatchObject({ code: 'ERR_NOT_LOOPBACK' });
      await expect(tcl.socketAsync('127.0.0.1', 443, { myaddr: '192.0.2.1' })).rejects.toMatchObject({ code: 'ERR_NOT_LOOPBACK' });
      expect(openAttempt).not.toHaveBeenCalled();
      expect(driver.openHandleCount).toBe(0);
    } finally {
      await driver.dispose();
    }
  });

  it('refuses a direct attempt or listener outside loopback on the driver a node backend builds', async () => {
    openAttempt.mockRestore(); // the driver's own check must throw before net.connect
    const backend = nodeBackend(safe);
    try {
      const driver = backend.driver;
      expect(() => driver.openAttempt({ family: 'inet', address: '192.0.2.1', port: 443 }, { family: 'inet', address: '0.0.0.0', port: 0 })).toThrow(
        expect.objectContaining({ code: 'ERR_NOT_LOOPBACK' }),
      );
      expect(() => driver.openAttempt({ family: 'inet6', address: '::1', port: 443 }, { family: 'inet6', address: '2001:db8::1', port: 0 })).toThrow(
        expect.objectContaining({ code: 'ERR_NOT_LOOPBACK' }),
      );
      expect(() => (driver as NodeDriver).listen({ address: '0.0.0.0', port: 0 })).toThrow(expect.objectContaining({ code: 'ERR_NOT_LOOPBACK' }));
      expect(() => (driver as NodeDriver).listen({ port: 0 })).toThrow(expect.objectContaining({ code: 'ERR_NOT_LOOPBACK' }));
      expect((driver as NodeDriver).openHandleCount).toBe(0);
    } finally {
      await backend.dispose();
    }
  });
});

describe('detnet run refuses them with exit status 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'detnet-loopback-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['node', 'tclsh'])('exits 2 on --backend %s and names the path of the offending value', async (backend) => {
    const file = join(dir, `v4-${backend}.json`);
    writeFileSync(file, JSON.stringify(attack('port-scan', { host: '192.0.2.1' })));
    const { code, err } = await cli(['run', file, '--backend', backend, '--format', 'obs']);
    expect(err).toContain(`client[0].host: 192.0.2.1 is not a loopback address; the ${backend} backend only connects on loopback`);
    expect(code).toBe(2);
    expect(openAttempt).not.toHaveBeenCalled();
  });
});

describe('the loopback rule and scenario worlds', () => {
  it('names a listener on a machine\'s address: a real backend listens on loopback only', () => {
    // A world lets a listener listen anywhere; the guard judges it even if a caller skips the
    // "sim only" check of backend-support.ts.
    const scenario = {
      name: 'remote-listener',
      description: 'a listener on a machine of the world',
      world: { hosts: [{ name: 'a', addresses: ['10.0.0.1'] }, { name: 'b', addresses: ['10.0.0.2'] }] },
      listeners: [{ role: 'port', on: '10.0.0.2', process: 'child', behaviour: { kind: 'close' } }],
      client: [{ op: 'socket', chan: 'c1', host: '10.0.0.2', port: 'port' }],
    } as unknown as Scenario;
    expect(loopbackViolation(scenario, 'node')).toMatch(/^client\[0\]\.host: .*; the node backend only connects on loopback$/);
    const onlyListener = { ...scenario, client: [{ op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'port' }] } as unknown as Scenario;
    expect(loopbackViolation(onlyListener, 'tclsh')).toMatch(/^listeners\[0\]\.on: .*; the tclsh backend only listens on loopback$/);
  });
});
