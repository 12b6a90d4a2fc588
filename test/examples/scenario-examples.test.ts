/**
 * The example scenario files shipped in the package (examples/scenarios/*.json), each run the
 * way a user runs it — `detnet example NAME --strict --format obs --times` — and judged
 * against what its own world implies. Times are derived from the file and Linux's defaults:
 * 1 ms one-way between machines unless the file says otherwise, SYNs at 0, 1, 3, 7 s …
 * (`synRtoMs` 1000, doubling), 0 ms on loopback.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/scenario/runner.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { simBackend } from '../../src/scenario/sim-backend.js';
import { exampleScenarios } from '../../src/cli/scenario-files.js';
import { cli, timeline } from '../unit/cli/helpers.js';

type Timed = { t: number } & Record<string, unknown>;

async function timed(name: string, ...extra: string[]): Promise<Timed[]> {
  const r = await cli(['example', name, '--strict', '--format', 'obs', '--times', ...extra]);
  expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
  return r.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Timed);
}

const op = (lines: readonly Timed[], text: string): Timed | undefined => lines.find((l) => l['op'] === text);
const note = (lines: readonly Timed[], name: string): Timed | undefined => lines.find((l) => l['note'] === name);

describe('the fault-injection example of the README', () => {
  it('shows the blackhole, the retry schedule, the refusal and the connect at their virtual times', async () => {
    // fd00::2 is blackholed until 5 s: the SYNs of 0, 1 and 3 s are dropped; the retry at 7 s
    // passes, arrives at 7001 and meets no listener on fd00::2 (RST); the refusal is back at
    // 7002, the walk moves to 10.0.0.2 (whose own refusal window ended at 1 s): SYN 7002 →
    // accepted 7003 → SYN-ACK back at 7004, connected.
    const r = await cli(['example', 'fault-injection', '--strict', '--level', 'net']);
    expect(r.code).toBe(0);
    const lines = timeline(r.out);
    const at = (pattern: RegExp): number[] => lines.filter(([, text]) => pattern.test(text)).map(([t]) => t);
    expect(at(/net\.drop packet=syn .*dst=\[fd00::2\]:25 reason=scenario-fault-0/)).toEqual([0, 1000, 3000]);
    expect(at(/net\.syn-retry conn=1/)).toEqual([1000, 3000, 7000]);
    expect(at(/fault\.removed rule=scenario-fault-1/)).toEqual([1000]);
    expect(at(/fault\.removed rule=scenario-fault-0/)).toEqual([5000]);
    expect(at(/net\.refuse packet=syn .*dst=\[fd00::2\]:25 reason=no-listener/)).toEqual([7001]);
    expect(at(/net\.fail conn=1 code=ECONNREFUSED/)).toEqual([7002]);
    expect(at(/net\.attempt conn=2 .*dst=10\.0\.0\.2:25/)).toEqual([7002]);
    expect(at(/net\.connected conn=2/)).toEqual([7004]);
  });

  it('reports the connect to the writable handler at 7004 ms, well inside the 10 s guard', async () => {
    const lines = await timed('fault-injection');
    expect(lines.find((l) => l['event'] === 'writable')).toEqual({ t: 7004, event: 'writable', chan: '<c1>', during: 'vwait done' });
    expect(op(lines, 'fconfigure <c1> -error')).toEqual({ t: 7004, op: 'fconfigure <c1> -error', result: '' });
    expect(op(lines, 'fconfigure <c1> -peername')?.['result']).toBe('10.0.0.2 10.0.0.2 <port>');
    expect(note(lines, 'vwait-timeout')).toBeUndefined();
  });
});

describe('the README\'s variant of the plan', () => {
  it('with the refusal lasting until 8 s, the walk ends at 10.0.0.2 with connection refused', async () => {
    // The README says so: the client reaches 10.0.0.2 at 7002 ms, inside the longer window; a
    // refuse verdict answers as if by the destination (SYN 1 ms out, RST 1 ms back): 7004.
    const file = exampleScenarios().find((e) => e.id === 'fault-injection')?.file ?? '';
    const plan = JSON.parse(readFileSync(file, 'utf8')) as Scenario & { faults: Record<string, unknown>[] };
    const variant = { ...plan, faults: [plan.faults[0], { ...plan.faults[1], untilMs: 8000 }] } as unknown as Scenario;
    const run = await runScenario(variant, simBackend(variant));
    expect(run.timed.find((l) => 'op' in l.line && l.line.op === 'fconfigure <c1> -error')).toEqual({ t: 7004, line: { op: 'fconfigure <c1> -error', result: 'connection refused' } });
  });
});

describe('seed use cases on multi-machine worlds', () => {
  it('background connect: the answer comes after the 20 ms lookup, the walk passes fd00::2 and connects at 40 ms', async () => {
    // DNS 20 ms; fd00::2 refused (no listener): SYN 20 → 25, RST → 30; 10.0.0.2: 30 → 35, SYN-ACK → 40 (5 ms links).
    const lines = await timed('background-connect');
    expect(op(lines, 'socket -async svc.example <port>')?.t).toBe(20);
    expect(lines.find((l) => l['event'] === 'writable')?.t).toBe(40);
    expect(op(lines, 'gets <c1>')).toEqual({ t: 40, op: 'gets <c1>', result: '220 hello' });
  });

  it('readable only: HELO written before the connect is echoed back and read by the readable handler', async () => {
    const lines = await timed('readable-only');
    expect(op(lines, 'gets <c1>')?.['result']).toBe('HELO');
    expect(note(lines, 'port received')?.['value']).toBe('HELO');
  });

  it('async then blocking: puts/flush/gets wait for the whole walk over 50 ms links', async () => {
    // fd00::2: SYN 0 → 50, RST → 100; 10.0.0.2: SYN 100 → 150, SYN-ACK → 200 (flush returns);
    // the echo goes 200 → 250 and comes back at 300.
    const lines = await timed('async-then-blocking');
    expect(op(lines, 'flush <c1>')?.t).toBe(200);
    expect(op(lines, 'gets <c1>')).toEqual({ t: 300, op: 'gets <c1>', result: 'HELO' });
  });

  it('poll -connecting: a 30 ms SYN and a scripted 45 ms SYN-ACK end the polling at the first 10 ms tick after 75 ms', async () => {
    const lines = await timed('poll-connecting');
    expect(note(lines, 'connecting')).toEqual({ t: 80, note: 'connecting', value: '1,0' });
    expect(op(lines, 'fconfigure <c1> -error')?.['result']).toBe('');
  });

  it('liveness check: accepted, refused, still connecting behind the blackhole, and unreachable at once', async () => {
    const lines = await timed('liveness-check');
    expect(op(lines, 'fconfigure <c1> -error')?.['result']).toBe('');
    expect(op(lines, 'fconfigure <c2> -error')?.['result']).toBe('connection refused');
    expect(op(lines, 'fconfigure <c3> -connecting')?.['result']).toBe('1');
    expect(op(lines, 'socket -async 192.0.2.9 <port>')?.['error']).toBe("couldn't open socket: network is unreachable");
  });

  it('pending data: both lines flushed during the walk reach the server, with no fileevent at all', async () => {
    const lines = await timed('pending-data');
    expect(note(lines, 'port received')?.['value']).toBe('line one\nline two');
  });
});

describe('historical bugs, with the buggy profile and with the fix', () => {
  it('13d3af3ad5: tcl-8.6.1-win stops at the refused first address; 8.6.13 walks on and connects', async () => {
    expect(op(await timed('bug-13d3af3ad5'), 'fconfigure <c1> -error')?.['result']).toBe('connection refused');
    const fixed = await timed('bug-13d3af3ad5', '--profile', 'tcl-8.6.13-unix');
    expect(op(fixed, 'fconfigure <c1> -error')?.['result']).toBe('');
    expect(note(fixed, 'port accepted')?.['value']).toBe('1');
  });

  it('581937ab1e: without a writable handler the refusal never fires readable under 8.6.1-win', async () => {
    expect(note(await timed('bug-581937ab1e'), 'vwait-timeout')?.t).toBe(1000);
    expect(note(await timed('bug-581937ab1e', '--profile', 'tcl-8.6.13-unix'), 'vwait-timeout')).toBeUndefined();
  });

  it('97069ea11a: close after a failed background flush reports an empty error under 8.6.1', async () => {
    expect(op(await timed('bug-97069ea11a'), 'close <c1>')?.['error']).toBe('');
    expect(op(await timed('bug-97069ea11a', '--profile', 'tcl-8.6.13-unix'), 'close <c1>')?.['error']).toBe('socket is not connected');
  });

  it('336441ed59: seed 4 loses the quick loopback connect under 8.6.1-win; 8.6.13 reports it', async () => {
    expect(note(await timed('bug-336441ed59'), 'vwait-timeout')?.t).toBe(1000);
    expect(note(await timed('bug-336441ed59', '--profile', 'tcl-8.6.13-unix'), 'vwait-timeout')).toBeUndefined();
  });
});

describe('determinism of the example worlds', () => {
  it.each(exampleScenarios().map((e) => [e.id, e.file]))('%s records byte-identical trace entries on two fresh worlds', async (_id, file) => {
    const scenario = JSON.parse(readFileSync(file, 'utf8')) as Scenario;
    const once = async (): Promise<string> => {
      const backend = simBackend(scenario);
      const run = await runScenario(scenario, backend, { traces: [backend.world.trace] });
      return run.entries.map((e) => JSON.stringify(e)).join('\n');
    };
    const first = await once();
    expect(first.split('\n').length).toBeGreaterThan(5);
    expect(await once()).toBe(first);
  });
});

describe('detnet example', () => {
  it('lists every shipped example with its description', async () => {
    const r = await cli(['example']);
    expect(r.code).toBe(0);
    for (const e of exampleScenarios()) expect(r.out).toMatch(new RegExp(`^  ${e.id} +\\S`, 'm'));
    expect(exampleScenarios().map((e) => e.id)).toContain('fault-injection');
  });

  it('names an unknown example and exits 2', async () => {
    const r = await cli(['example', 'no-such-example']);
    expect(r).toEqual({ code: 2, out: '', err: 'detnet: no example "no-such-example" (see "detnet example" for the list)\n' });
  });
});
