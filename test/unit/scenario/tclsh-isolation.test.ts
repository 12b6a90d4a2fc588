/**
 * A scenario is data, and in real tclsh it must stay data: its variables cannot reach the
 * rendered script's own state (the teardown once deleted a file a `set` step named, `__quiet`
 * silenced the trace), Tcl's own globals are out of its reach too, and a child listener's reply
 * line reaches the child as bytes, never as a word of a command pipeline.
 *
 * Expected traces are written from the scenario itself: a `set` answers its value, a blocking
 * `read` of a reply-close listener answers the line and its newline (Tcl's `auto` input
 * translation turns the CRLF a socket writes back into LF).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeBackend } from '../../../src/scenario/node-backend.js';
import { opText } from '../../../src/scenario/op-text.js';
import { runScenario } from '../../../src/scenario/runner.js';
import type { ListenerSpec, Scenario, Step } from '../../../src/scenario/scenario.js';
import { simBackend } from '../../../src/scenario/sim-backend.js';
import { renderTcl } from '../../../src/scenario/tcl-render.js';
import { runScenarioInTclsh } from '../../../src/scenario/tclsh-runner.js';
import type { ObservationLine } from '../../../src/trace/observation.js';

const dir = mkdtempSync(join(tmpdir(), 'detnet-isolation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file the attacks aim at: it must survive every run. */
function victim(name: string): string {
  const path = join(dir, name);
  writeFileSync(path, 'keep me\n');
  return path;
}

describe('scenario variables cannot reach the tclsh script’s own state', () => {
  it('refuses the teardown file-delete attack at validation, and the file survives', () => {
    const path = victim('children-target');
    const scenario: Scenario = {
      name: 'delete-a-file',
      description: 'points the teardown at a file of its choice',
      client: [{ op: 'set', var: '__children', value: `{stdin ${path}}` }],
    };
    let refusal: unknown = null;
    try {
      runScenarioInTclsh(scenario);
    } catch (err) {
      refusal = err;
    }
    expect(existsSync(path)).toBe(true);
    expect(refusal).toMatchObject({ code: 'ERR_SCENARIO_INVALID' });
    expect(() => renderTcl(scenario)).toThrow(/client\[0\]\.var: .*reserved/);
  });

  it('gives names the script once used for itself, and Tcl’s own globals, the same meaning on tclsh as on the sim', async () => {
    const path = victim('plain-children-target');
    // Each of these named (or shadowed) state of the old script or of Tcl itself: arrays that a
    // `set` could not overwrite (`chan`, `port`, `env`, `tcl_platform`), the trace switch and
    // the name map, the child list the teardown walks, the package search path.
    const sets: [string, string][] = [
      ['quiet', '1'],
      ['map', 'socket rm'],
      ['stack', 'x'],
      ['children', `{stdin ${path}}`],
      ['chan', '1'],
      ['port', '2'],
      ['env', '3'],
      ['tcl_platform', '4'],
      ['auto_path', '/nonexistent'],
      ['argv', '5'],
      ['timedout', '1'],
    ];
    const setSteps: Step[] = sets.map(([v, value]) => ({ op: 'set', var: v, value }));
    const scenario: Scenario = {
      name: 'old-state-names',
      description: 'sets every name the script or Tcl keeps for itself, then talks to a child listener',
      listeners: [{ role: 'port', on: '127.0.0.1', behaviour: { kind: 'reply-close', line: 'hi' }, process: 'child' }],
      client: [
        ...setSteps,
        { op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'port', async: false },
        { op: 'gets', chan: 'c1' },
        { op: 'vwait', var: 'never', timeoutMs: 20 },
        { op: 'close', chan: 'c1' },
      ],
    };
    const expected: ObservationLine[] = [
      ...setSteps.map((s, i) => ({ op: opText(s), result: sets[i]?.[1] ?? '' })),
      { op: 'socket 127.0.0.1 <port>', result: '<c1>' },
      { op: 'gets <c1>', result: 'hi' },
      { op: 'vwait never', result: '' },
      { note: 'vwait-timeout', value: 'never' },
      { op: 'close <c1>', result: '' },
      { note: 'port accepted', value: '1' },
    ];
    expect(runScenarioInTclsh(scenario).lines).toEqual(expected);
    expect((await runScenario(scenario, simBackend(scenario))).lines).toEqual(expected);
    expect(existsSync(path)).toBe(true);
  });
});

describe('a child listener’s reply line reaches the child as data', () => {
  const marker = join(dir, 'executed');
  const hostile: [string, string][] = [
    ['|', '|&'],
    [`[exec touch ${marker}]`, `$env(HOME) ; { \\ " a\nb}\t{ ;exit 3`],
  ];

  function replying(line4: string, line6: string): Scenario {
    const child = (role: 'port' | 'port6', on: '127.0.0.1' | '::1', line: string): ListenerSpec => ({ role, on, behaviour: { kind: 'reply-close', line }, process: 'child' });
    return {
      name: 'hostile-reply',
      description: 'child listeners whose reply lines are Tcl and shell syntax',
      listeners: [child('port', '127.0.0.1', line4), child('port6', '::1', line6)],
      client: [
        { op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'port', async: false },
        { op: 'read', chan: 'c1' },
        { op: 'socket', chan: 'c2', host: '::1', port: 'port6', async: false },
        { op: 'read', chan: 'c2' },
      ],
    };
  }

  function expectedFor(line4: string, line6: string): ObservationLine[] {
    return [
      { op: 'socket 127.0.0.1 <port>', result: '<c1>' },
      { op: 'read <c1>', result: `${line4}\n` },
      { op: 'socket ::1 <port6>', result: '<c2>' },
      { op: 'read <c2>', result: `${line6}\n` },
      { note: 'port accepted', value: '1' },
      { note: 'port6 accepted', value: '1' },
    ];
  }

  it.each(hostile)('delivers %j and %j exactly in real tclsh, executing nothing', (line4, line6) => {
    expect(runScenarioInTclsh(replying(line4, line6)).lines).toEqual(expectedFor(line4, line6));
    expect(existsSync(marker)).toBe(false);
  });

  it.each(hostile)('delivers %j and %j exactly on the sim and over real loopback too', async (line4, line6) => {
    const scenario = replying(line4, line6);
    expect((await runScenario(scenario, simBackend(scenario))).lines).toEqual(expectedFor(line4, line6));
    expect((await runScenario(scenario, nodeBackend(scenario))).lines).toEqual(expectedFor(line4, line6));
  });
});
