/**
 * Scenarios with a Tcl client (issue 10 items 2 and 3): the file format's new union members,
 * the detnet runner (runTclScenario) with detnet::received and the trace levels, and the tclsh
 * wrapper running the same source unchanged.
 */
import { describe, expect, it } from 'vitest';
import { DetnetError } from '../../../src/errors.js';
import { runScenario } from '../../../src/scenario/runner.js';
import type { Scenario } from '../../../src/scenario/scenario.js';
import { simBackend } from '../../../src/scenario/sim-backend.js';
import { nodeBackend } from '../../../src/scenario/node-backend.js';
import { runTclScenario } from '../../../src/scenario/tcl-script-run.js';
import { runTclClientInTclsh } from '../../../src/scenario/tclsh-script.js';
import { checkScenario, validateScenario } from '../../../src/scenario/validate.js';

const LOCALHOST = [{ name: 'localhost', addresses: ['::1', '127.0.0.1'] }];

function tclScenario(tcl: string, extra: Partial<Scenario> = {}): Scenario {
  return { name: 'tcl-client', description: 'a Tcl client', hosts: LOCALHOST, client: { tcl }, ...extra } as Scenario;
}

const RECEIVING: Partial<Scenario> = { listeners: [{ role: 'port', on: '127.0.0.1', behaviour: { kind: 'receive' }, process: 'child' }] };

describe('the scenario format takes a Tcl client', () => {
  it('accepts inline source and a file name, and Tcl may use < and > freely', () => {
    expect(checkScenario(tclScenario('if {1 < 2} {puts <ok>}')).errors).toEqual([]);
    expect(checkScenario({ ...tclScenario('x'), client: { file: 'client.tcl' } }).errors).toEqual([]);
  });

  it('refuses a client with both or neither of tcl and file, and step handlers beside Tcl', () => {
    const both = checkScenario({ ...tclScenario('x'), client: { tcl: 'x', file: 'a.tcl' } });
    expect(both.errors.map((e) => e.path)).toContain('client');
    const handlers = checkScenario({ ...tclScenario('x'), handlers: [{ name: 'W', steps: [] }] });
    expect(handlers.errors.map((e) => e.path)).toContain('handlers');
  });

  it('refuses a Tcl accept callback on a child listener or with a step client', () => {
    const child = checkScenario(tclScenario('x', { listeners: [{ role: 'port', on: '127.0.0.1', behaviour: { kind: 'tcl', accept: 'close $chan' }, process: 'child' }] }));
    expect(child.errors.map((e) => e.path)).toContain('listeners[0].behaviour.kind');
    const steps = checkScenario({
      name: 'steps',
      description: 'x',
      listeners: [{ role: 'port', on: '127.0.0.1', behaviour: { kind: 'tcl', accept: 'close $chan' }, process: 'in-process' }],
      client: [{ op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'port' }],
    });
    expect(steps.errors.map((e) => e.path)).toContain('listeners');
  });

  it('is refused by the step runner with a pointer to the Tcl runner', async () => {
    const s = validateScenario(tclScenario('puts hi'));
    await expect(runScenario(s, simBackend(s))).rejects.toMatchObject({ code: 'ERR_SCENARIO_INVALID', message: expect.stringContaining('runTclScenario') as unknown });
  });
});

describe('runTclScenario', () => {
  it('gives the script its ports as variables and reports what the child received between commands', async () => {
    const s = tclScenario(
      ['set s [socket localhost $port]', 'puts $s one; flush $s', 'puts [detnet::received $port]', 'puts $s {two words}; flush $s', 'puts [detnet::received $port]', 'close $s'].join('\n'),
      RECEIVING,
    );
    const run = await runTclScenario(s, simBackend(s));
    expect(run.status).toBe(0);
    expect(run.stdout).toEqual(['one', 'one {two words}']);
    expect(run.ports.get('port')).toBeGreaterThan(0);
  });

  it('ends a failing script as tclsh does: status 1, errorInfo with the line on stderr, output so far kept', async () => {
    const s = tclScenario('puts before\nset x [socket localhost 70000]\nputs after');
    const run = await runTclScenario(s, simBackend(s));
    expect(run.status).toBe(1);
    expect(run.stdout).toEqual(['before']);
    expect(run.stderr[0]).toBe("couldn't open socket: port number too high");
    expect(run.stderr.join('\n')).toContain('line 2)');
  });

  it('traces socket commands but not bookkeeping by default, and every command with trace all', async () => {
    const script = 'set n 0\nincr n\nset s [socket -async 127.0.0.1 $rport]\nclose $s';
    const commands = async (trace: 'sockets' | 'all'): Promise<string[]> => {
      const s = tclScenario(script, { refusedPort: true });
      const run = await runTclScenario(s, simBackend(s), { trace });
      return run.entries.flatMap((e) => (e.kind === 'tcl.command' ? [String(e['command'])] : e.kind === 'obs' && typeof e['op'] === 'string' ? [`op: ${String(e['op'])}`] : []));
    };
    const quiet = await commands('sockets');
    expect(quiet.some((c) => c.startsWith('op: socket -async 127.0.0.1'))).toBe(true);
    expect(quiet.filter((c) => !c.startsWith('op: '))).toEqual([]);
    const all = await commands('all');
    expect(all.slice(0, 2)).toEqual(['set n 0', 'incr n']);
  });

  it('refuses detnet::received for a port with no child listener, as a Tcl error the script can catch', async () => {
    const s = tclScenario('puts [catch {detnet::received 1} m]$m');
    const run = await runTclScenario(s, simBackend(s));
    expect(run.stdout).toEqual(['1no child listener on port "1"']);
  });

  it('keeps a Tcl script on real sockets to loopback: other addresses fail as Tcl errors, nothing leaves the machine', async () => {
    const s = tclScenario('puts [catch {socket 192.0.2.1 80} m]\nputs [catch {socket -server x -myaddr 0.0.0.0 0} m]\nputs $m');
    const run = await runTclScenario(s, nodeBackend(s));
    expect(run.stdout.slice(0, 2)).toEqual(['1', '1']);
    expect(run.stdout[2]).toContain('not a loopback address');
  });

  it('refuses a step scenario', async () => {
    const s = validateScenario({ name: 'steps', description: 'x', refusedPort: true, client: [{ op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'rport' }] });
    await expect(runTclScenario(s, simBackend(s))).rejects.toBeInstanceOf(DetnetError);
  });
});

describe('the tclsh wrapper', () => {
  it('runs the same source with the world set up: a Tcl accept callback, a child, the refused port', () => {
    const s = tclScenario(
      [
        'puts [catch {socket 127.0.0.1 $rport} m]$m',
        'set t [socket 127.0.0.1 $port6]',
        'fileevent $t readable {set ::g [gets $t]}',
        'vwait g',
        'puts $g',
        'set s [socket 127.0.0.1 $port]',
        'puts $s hi; flush $s',
        'puts [detnet::received $port]',
      ].join('\n'),
      {
        refusedPort: true,
        listeners: [
          { role: 'port', on: '127.0.0.1', behaviour: { kind: 'receive' }, process: 'child' },
          { role: 'port6', on: '127.0.0.1', behaviour: { kind: 'tcl', accept: 'puts $chan "greetings"\nclose $chan' }, process: 'in-process' },
        ],
      },
    );
    const r = runTclClientInTclsh(s);
    expect(r.stderr).toEqual([]);
    expect(r.status).toBe(0);
    expect(r.stdout).toEqual(["1couldn't open socket: connection refused", 'greetings', 'hi']);
  });
});
