/**
 * Scenario worlds (v2) on the simulated backend: each kind of fault of the timeline, the
 * network and TCP settings, and the machine settings, checked by the virtual times of the
 * observation lines they produce. Times are derived from the scenario and Linux's defaults
 * (1 ms one-way between machines, 0 ms on loopback, SYN retransmissions after 1 s then 3 s,
 * EHOSTUNREACH after the neighbour timeout), never copied from a run.
 */
import { describe, expect, it } from 'vitest';
import { nodeBackend } from '../../../src/scenario/node-backend.js';
import { runScenario, type ScenarioRun } from '../../../src/scenario/runner.js';
import type { FaultSpec, Scenario, WorldSpec } from '../../../src/scenario/scenario.js';
import { simBackend } from '../../../src/scenario/sim-backend.js';
import { renderTcl } from '../../../src/scenario/tcl-render.js';
import { validateScenario } from '../../../src/scenario/validate.js';

const TWO: WorldSpec = {
  hosts: [
    { name: 'client', addresses: ['10.0.0.1', 'fd00::1'] },
    { name: 'server', addresses: ['10.0.0.2', 'fd00::2'] },
  ],
};

/** Connect to 10.0.0.2:80 (a child listener there), wait for writable, read -error. */
function connectScenario(extra: Partial<Scenario> & { faults?: readonly FaultSpec[] }, host = '10.0.0.2'): Scenario {
  return validateScenario(
    {
      name: 'world-case',
      description: 'a connect across a world',
      world: TWO,
      listeners: [{ role: 'port', on: '10.0.0.2', port: 80, process: 'child', behaviour: { kind: 'reply-open', line: 'hi' } }],
      handlers: [{ name: 'W', steps: [{ op: 'fileevent', chan: 'c1', event: 'writable', handler: null }, { op: 'set', var: 'done', value: '1' }] }],
      client: [
        { op: 'socket', chan: 'c1', host, port: 80 },
        { op: 'fileevent', chan: 'c1', event: 'writable', handler: 'W' },
        { op: 'vwait', var: 'done', timeoutMs: 200_000 },
        { op: 'fconfigure', chan: 'c1', get: '-error' },
      ],
      ...extra,
    },
    { strict: true },
  );
}

/** Runs `s` on the sim with the world's trace merged (for network entries). */
async function run(s: Scenario): Promise<ScenarioRun> {
  const backend = simBackend(s);
  return runScenario(s, backend, { traces: [backend.world.trace] });
}

/** [time of the writable event, -error] of a connectScenario run. */
async function outcome(s: Scenario): Promise<[number | null, string | undefined]> {
  const r = await run(s);
  const event = r.timed.find((l) => 'event' in l.line);
  const error = r.timed.find((l) => 'op' in l.line && l.line.op === 'fconfigure <c1> -error');
  return [event?.t ?? null, error === undefined ? undefined : String((error.line as { result?: string }).result)];
}

/** Times of world trace entries of `kind` whose fields include `fields`. */
function times(r: ScenarioRun, kind: string, fields: Record<string, unknown> = {}): number[] {
  return r.entries.filter((e) => e.kind === kind && Object.entries(fields).every(([k, v]) => e[k] === v)).map((e) => e.t);
}

describe('the fault timeline', () => {
  it('connects at 2 ms with no faults: SYN 1 ms out, SYN-ACK 1 ms back', async () => {
    expect(await outcome(connectScenario({}))).toEqual([2, '']);
  });

  it('a partition both ways until 2.5 s loses the SYNs of 0 and 1 s; the retry at 3 s connects at 3002', async () => {
    expect(await outcome(connectScenario({ faults: [{ atMs: 0, untilMs: 2500, partition: { a: ['client'], b: ['server'] } }] }))).toEqual([3002, '']);
  });

  it('a one-way partition server → client lets SYNs through but drops every SYN-ACK until it heals', async () => {
    const r = await run(connectScenario({ faults: [{ atMs: 0, untilMs: 2500, partition: { a: ['server'], b: ['client'], oneWay: true } }] }));
    // Each SYN (0, 1000 ms) arrives 1 ms later and is answered; the answers are lost.
    expect(times(r, 'net.drop', { packet: 'syn-ack' })).toEqual([1, 1001]);
    expect(times(r, 'net.drop', { packet: 'syn' })).toEqual([]);
    expect(r.timed.find((l) => 'event' in l.line)?.t).toBe(3002);
  });

  it('hold keeps the SYNs until 1.5 s, then releases them: connected at 1502', async () => {
    expect(await outcome(connectScenario({ faults: [{ atMs: 0, untilMs: 1500, to: { address: '10.0.0.2' }, verdict: 'hold' }] }))).toEqual([1502, '']);
  });

  it('unreachable answers the SYN with ICMP: the connect fails with host is unreachable after the 1 ms return trip', async () => {
    // The verdict is decided as the SYN is sent (t=0); the ICMP takes the return latency.
    expect(await outcome(connectScenario({ faults: [{ atMs: 0, to: { host: 'server' }, verdict: 'unreachable' }] }))).toEqual([1, 'host is unreachable']);
  });

  it('a crashed server loses SYNs; after its restart at 2.5 s nothing listens, so the 3 s SYN is refused', async () => {
    // A child listener is a program on the crashed machine: it does not come back by itself.
    expect(await outcome(connectScenario({ faults: [{ atMs: 0, untilMs: 2500, crash: 'server' }] }))).toEqual([3002, 'connection refused']);
  });

  it('a route to 10.0.0.0/8 set host-unreachable fails after the neighbour timeout (TCP setting: 500 ms)', async () => {
    const s = connectScenario({
      world: { ...TWO, tcp: { hostUnreachableDelayMs: 500 } },
      faults: [{ atMs: 0, untilMs: 10_000, route: { host: 'client', prefix: '10.0.0.0/8', action: 'host-unreachable' } }],
    });
    expect(await outcome(s)).toEqual([500, 'host is unreachable']);
  });

  it('eth0 down on the server until 2.5 s drops what arrives for it; the 3 s SYN connects', async () => {
    expect(await outcome(connectScenario({ faults: [{ atMs: 0, untilMs: 2500, interfaceDown: { host: 'server', name: 'eth0' } }] }))).toEqual([3002, '']);
  });

  it('lo down on the client makes a loopback connect fail at once; after it comes up the port is simply refused', async () => {
    const s = validateScenario(
      {
        name: 'lo-down',
        description: 'loopback down, then up',
        world: { hosts: [{ name: 'box', addresses: ['10.0.0.5'] }] },
        refusedPort: true,
        faults: [{ atMs: 0, untilMs: 1000, interfaceDown: { host: 'box', name: 'lo' } }],
        client: [
          { op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'rport' },
          { op: 'after', ms: 1000 },
          { op: 'socket', chan: 'c2', host: '127.0.0.1', port: 'rport' },
          { op: 'vwait', var: 'x', timeoutMs: 100 },
          { op: 'fconfigure', chan: 'c2', get: '-error' },
        ],
      },
      { strict: true },
    );
    const r = await run(s);
    expect(r.timed[0]).toEqual({ t: 0, line: { op: 'socket -async 127.0.0.1 <rport>', error: "couldn't open socket: network is unreachable", errorcode: 'POSIX ENETUNREACH {network is unreachable}' } });
    expect(r.timed.at(-1)).toEqual({ t: 1100, line: { op: 'fconfigure <c2> -error', result: 'connection refused' } });
  });

  it('a DNS failure (servfail) until 1 s fails the lookup with glibc\'s text, and is lifted at 1 s', async () => {
    const s = connectScenario({ dns: [{ name: 'svc', addresses: ['10.0.0.2'] }], faults: [{ atMs: 0, untilMs: 1000, dnsFailure: { name: 'svc', failure: 'servfail' } }] }, 'svc');
    const r = await run(s);
    expect(r.timed[0]).toMatchObject({ t: 0, line: { op: 'socket -async svc <port>', error: "couldn't open socket: Temporary failure in name resolution" } });
    expect(times(r, 'fault.removed', { rule: 'dns-servfail:svc' })).toEqual([1000]);
  });
});

describe('network and TCP settings', () => {
  it('synRetries 1 and synRtoMs 500 time a blackholed connect out at 1.5 s (500 + 1000)', async () => {
    const s = connectScenario({ world: { ...TWO, tcp: { synRetries: 1, synRtoMs: 500 } }, faults: [{ atMs: 0, to: { address: '10.0.0.2' }, verdict: 'drop' }] });
    expect(await outcome(s)).toEqual([1500, 'connection timed out']);
  });

  it('a scripted latency on client → server delays the first packet 100 ms and the next 5 ms', async () => {
    const s = connectScenario({ world: { ...TWO, latency: { links: [{ from: 'client', to: 'server', model: { kind: 'scripted', delaysMs: [100, 5] } }] } } });
    // SYN 100 ms out, SYN-ACK 1 ms back (the default latency) → 101.
    expect(await outcome(s)).toEqual([101, '']);
  });

  it('a fixed default latency of 25 ms puts the connect at one round trip, 50 ms', async () => {
    expect(await outcome(connectScenario({ world: { ...TWO, latency: { default: { kind: 'fixed', ms: 25 } } } }))).toEqual([50, '']);
  });

  it('backlog 0 holds one connection in a never-accepting listener: the second connect is still in progress at 500 ms', async () => {
    const s = validateScenario(
      {
        name: 'backlog',
        description: 'backlog 0, two connects',
        world: { ...TWO, tcp: { backlog: 0 } },
        listeners: [{ role: 'port', on: '10.0.0.2', port: 80, process: 'child', behaviour: { kind: 'never-accept' } }],
        client: [
          { op: 'socket', chan: 'c1', host: '10.0.0.2', port: 80 },
          { op: 'socket', chan: 'c2', host: '10.0.0.2', port: 80 },
          { op: 'vwait', var: 'x', timeoutMs: 500 },
          { op: 'fconfigure', chan: 'c1', get: '-connecting' },
          { op: 'fconfigure', chan: 'c2', get: '-connecting' },
        ],
      },
      { strict: true },
    );
    const lines = (await run(s)).lines.filter((l) => 'op' in l);
    expect(lines.slice(-2)).toEqual([
      { op: 'fconfigure <c1> -connecting', result: '0' },
      { op: 'fconfigure <c2> -connecting', result: '1' },
    ]);
  });
});

describe('machines', () => {
  it('without IPv6 loopback, localhost is 127.0.0.1 only: no attempt to ::1', async () => {
    const s = validateScenario(
      {
        name: 'no-v6-lo',
        description: 'localhost without ::1',
        world: { hosts: [{ name: 'box', addresses: ['10.0.0.5'], loopback: { ipv6: false } }] },
        listeners: [{ role: 'port', on: '127.0.0.1', process: 'child', behaviour: { kind: 'close' } }],
        client: [
          { op: 'socket', chan: 'c1', host: 'localhost', port: 'port' },
          { op: 'vwait', var: 'x', timeoutMs: 10 },
          { op: 'fconfigure', chan: 'c1', get: '-peername' },
        ],
      },
      { strict: true },
    );
    const r = await run(s);
    expect(r.entries.filter((e) => e.kind === 'net.attempt').map((e) => String(e['dst']))).toEqual([expect.stringMatching(/^127\.0\.0\.1:/)]);
  });

  it('runs the client on the machine "client" names, with its own source address', async () => {
    const s = connectScenario({ world: { ...TWO, client: 'server' }, listeners: [{ role: 'port', on: '10.0.0.1', port: 80, process: 'child', behaviour: { kind: 'close' } }] }, '10.0.0.1');
    const r = await run(s);
    expect(r.entries.find((e) => e.kind === 'net.attempt')?.['src']).toMatch(/^10\.0\.0\.2:/);
  });
});

describe('real backends refuse what only the simulated world has, with every reason', () => {
  const s = connectScenario({
    dns: [{ name: 'svc', addresses: ['10.0.0.2'] }],
    faults: [
      { atMs: 0, untilMs: 100, to: { address: '10.0.0.2' }, verdict: 'drop' },
      { atMs: 0, untilMs: 100, partition: { a: ['client'], b: ['server'] } },
    ],
  }, 'svc');
  const reasons = [
    'world: real loopback is one machine',
    'dns: real loopback has no DNS of detnet\'s own',
    'listeners[0].port: real loopback listens on a free port',
    'faults[0]: real loopback cannot drop packets',
    'faults[1]: real loopback cannot partition machines',
  ];

  it('node lists them all, one line each, before opening anything', () => {
    let message = '';
    try {
      nodeBackend(s);
    } catch (err) {
      expect((err as { code?: string }).code).toBe('ERR_SCENARIO_NOT_RUNNABLE');
      message = (err as Error).message;
    }
    const lines = message.split('\n');
    expect(lines).toHaveLength(reasons.length);
    reasons.forEach((r, i) => expect(lines[i]).toContain(`scenario "world-case" cannot run on node: ${r}`));
  });

  it('tclsh lists the same reasons', () => {
    expect(() => renderTcl(s)).toThrow(expect.objectContaining({ code: 'ERR_SCENARIO_NOT_RENDERABLE', message: expect.stringContaining('cannot run on tclsh: faults[0]: real loopback cannot drop packets') }));
  });
});

describe('a machine without IPv6 loopback', () => {
  const noV6 = { hosts: [{ name: 'box', addresses: ['10.0.0.5'], loopback: { ipv6: false } }] };

  it('still gets a refused port: only 127.0.0.1 has to be free, and a connect there is refused', async () => {
    // Before: the refused-port probe also insisted on ::1, which such a machine has not, and setup failed.
    const s = validateScenario(
      {
        name: 'rport-no-v6',
        description: 'a refused port on a machine without ::1',
        world: noV6,
        refusedPort: true,
        client: [
          { op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'rport' },
          { op: 'vwait', var: 'x', timeoutMs: 10 },
          { op: 'fconfigure', chan: 'c1', get: '-error' },
        ],
      },
      { strict: true },
    );
    expect((await run(s)).lines.at(-1)).toEqual({ op: 'fconfigure <c1> -error', result: 'connection refused' });
  });

  it('refuses a listener on ::1 there, naming the machine', () => {
    expect(() =>
      validateScenario({
        name: 'listen-no-v6',
        description: 'a listener on ::1 of a machine without it',
        world: noV6,
        listeners: [{ role: 'port', on: '::1', process: 'child', behaviour: { kind: 'close' } }],
        client: [{ op: 'socket', chan: 'c1', host: '::1', port: 'port' }],
      }),
    ).toThrow('listeners[0].on: the client machine box has no ::1 ("loopback": {"ipv6": false}), so nothing can listen there');
  });
});
