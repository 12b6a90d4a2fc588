// The report around a timeline: the set-up in words, the script in Tcl's words, and real
// Tcl's lines without a time column.
import { describe, expect, it } from 'vitest';
import { headerLines, stepText, timelineLines } from '../../../src/cli/timeline-report.js';
import type { TracedRun } from '../../../src/cli/traced-run.js';
import type { Scenario } from '../../../src/scenario/scenario.js';

const SCENARIO: Scenario = {
  name: 'walk',
  description: 'a walk',
  hosts: [{ name: 'localhost', addresses: ['::1', '127.0.0.1'] }],
  listeners: [{ role: 'port', on: '127.0.0.1', behaviour: { kind: 'reply-close', line: 'hi' }, process: 'child', acceptDelayMs: 30 }],
  faults: [{ atMs: 5, untilMs: 9, to: { address: '::1', port: 'port' }, verdict: 'drop' }],
  seed: 4,
  client: [
    { op: 'socket', chan: 'c1', host: 'localhost', port: 'port' },
    { op: 'poll', step: { op: 'fconfigure', chan: 'c1', get: '-connecting' }, until: { equals: '0' }, max: 50, between: [{ op: 'after', ms: 10 }], record: 'runs', note: 'connecting' },
    { op: 'vwait', var: 'done', timeoutMs: 500 },
  ],
};

function run(overrides: Partial<TracedRun>): TracedRun {
  return { backend: 'sim', timed: true, raw: [], lines: [], entries: [], shown: [], timedLines: [], failure: null, ...overrides };
}

describe('headerLines', () => {
  it('describes hosts, listeners, faults and the declared names, then lists the script', () => {
    const lines = headerLines(SCENARIO, run({ raw: [{ meta: 'port', role: 'port', value: '4242' }, { meta: 'chan', role: 'c1', name: 'sock7' }] }));
    expect(lines).toEqual([
      'scenario walk: a walk',
      'backend sim, profile tcl-8.6.13-unix, seed 4',
      'host localhost → ::1, 127.0.0.1',
      'listener <port> on 127.0.0.1 (child): accepts after 30 ms, replies "hi" and closes',
      'fault: drop to ::1 <port> from 5 ms until 9 ms',
      'this run: <port> = 4242, <c1> = sock7',
      '',
      'script:',
      '  socket -async localhost <port>',
      '  repeat {fconfigure <c1> -connecting, then after 10} until the result is "0", at most 50 times ;# note connecting',
      '  vwait done    ;# guarded: after 500 ms a timer ends the wait',
    ]);
  });

  it('names no profile or seed for real tclsh, and no seed for node', () => {
    expect(headerLines(SCENARIO, run({ backend: 'tclsh', timed: false }))[1]).toBe('backend tclsh');
    expect(headerLines(SCENARIO, run({ backend: 'node' }))[1]).toBe('backend node, profile tcl-8.6.13-unix');
  });
});

describe('stepText', () => {
  it('writes plain steps as their op text', () => {
    expect(stepText({ op: 'puts', chan: 'c1', text: 'a b' })).toBe('puts <c1> {a b}');
  });
});

describe('timelineLines', () => {
  it('keeps times for a timed run and blanks the time column for real Tcl', () => {
    const shown = [{ t: 0, kind: 'obs', op: 'update', result: '' }];
    expect(timelineLines(run({ shown }), 'net')).toEqual(['       0 ms  % update']);
    expect(timelineLines(run({ shown, timed: false, backend: 'tclsh' }), 'net')).toEqual(['             % update']);
  });
});
