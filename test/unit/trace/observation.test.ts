/**
 * Observation lines (reference §13): canonical JSON, parsing with clear errors, run-length
 * collapse, normalisation of real names and ports, and the first-difference report.
 *
 * The normalisation property checks against a model: a trace template instantiated with
 * placeholder names must equal the same template instantiated with any real names and ports,
 * once normalised.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  collapseChanges,
  collapseRuns,
  diffObservations,
  expandRuns,
  formatLine,
  fromTraceEntries,
  normalise,
  parseJSONL,
  toJSONL,
  type ObservationLine,
} from '../../../src/trace/observation.js';
import { Trace } from '../../../src/trace/trace.js';
import { propertyParams } from '../../helpers/property.js';

const FILE = 'test/unit/trace/observation.test.ts';

describe('canonical JSON lines', () => {
  it('writes each shape with a fixed key order whatever order the object was built in', () => {
    expect(formatLine({ result: '', op: 'close <c1>' } as ObservationLine)).toBe('{"op":"close <c1>","result":""}');
    expect(formatLine({ errorcode: 'NONE', error: 'x', op: 'gets <c1>' } as ObservationLine)).toBe(
      '{"op":"gets <c1>","error":"x","errorcode":"NONE"}',
    );
    expect(formatLine({ during: 'update', chan: '<c1>', event: 'writable' } as ObservationLine)).toBe(
      '{"event":"writable","chan":"<c1>","during":"update"}',
    );
    expect(formatLine({ value: '1x3,0', note: 'connecting' } as ObservationLine)).toBe('{"note":"connecting","value":"1x3,0"}');
  });

  it('parses back exactly what it wrote, for any string values', () => {
    // Any code point (lone surrogates included), biased towards what JSON must escape.
    const unit = fc.oneof(fc.constantFrom('"', '\\', '\n', '\u0000', '\u001f', '\u2028'), fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)));
    const text = fc.string({ unit, maxLength: 8 });
    const line: fc.Arbitrary<ObservationLine> = fc.oneof(
      fc.record({ op: text, result: text }),
      fc.record({ op: text, error: text, errorcode: text }),
      fc.record({ event: text, chan: text, during: text }),
      fc.record({ note: text, value: text }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 4 }), (lines) => {
        expect(parseJSONL(toJSONL(lines))).toEqual(lines);
      }),
      propertyParams('observation JSONL round trip', FILE),
    );
  });

  it('names the line number when a line is not JSON or not an observation', () => {
    expect(() => parseJSONL('{"op":"a","result":""}\nnot json\n', 'tclsh stdout')).toThrow(/tclsh stdout line 2: not JSON: not json/);
    expect(() => parseJSONL('{"op":"a","result":""}\n\n{"op":"a","value":"1"}')).toThrow(/line 3: fields \{op, value\} are not an op/);
    expect(() => parseJSONL('{"note":"n","value":3}')).toThrow(/field "value" must be a string/);
  });

  it('takes only obs entries from a trace and drops their time and kind', () => {
    const trace = new Trace();
    trace.record(5, 'net.syn', { from: 'a' });
    trace.record(6, 'obs', { op: 'update', result: '' });
    trace.record(7, 'obs', { event: 'readable', chan: 'sock1', during: 'update' });
    expect(fromTraceEntries(trace.entries)).toEqual([
      { op: 'update', result: '' },
      { event: 'readable', chan: 'sock1', during: 'update' },
    ]);
  });
});

describe('run-length collapse', () => {
  it('writes runs as value x count and single values bare, as the reference shows', () => {
    expect(collapseRuns(['1', '1', '1', '0'])).toBe('1x3,0');
    expect(collapseRuns(['0'])).toBe('0');
    expect(collapseRuns(['1', '0', '1'])).toBe('1,0,1');
    expect(collapseRuns(['', '', 'ok'])).toBe('{}x2,ok');
    expect(collapseRuns([])).toBe('');
    expect(collapseChanges(['1', '1', '1', '0'])).toBe('1,0');
  });

  it('loses nothing: expanding a collapsed sequence gives the sequence back, one segment per run', () => {
    const value = fc.constantFrom('0', '1', '', 'ok', 'x', 'connection refused', 'error: socket is not connected');
    fc.assert(
      fc.property(fc.array(value, { maxLength: 40 }), (values) => {
        const collapsed = collapseRuns(values);
        expect(expandRuns(collapsed)).toEqual(values);
        const runs = values.filter((v, i) => i === 0 || values[i - 1] !== v).length;
        expect(collapsed === '' ? 0 : collapsed.split(',').length).toBe(runs);
        expect(collapseChanges(values)).toBe(collapseRuns(values.filter((v, i) => i === 0 || values[i - 1] !== v)));
      }),
      propertyParams('collapse round trip', FILE),
    );
  });
});

describe('normalisation', () => {
  it('maps a tclsh-style trace to placeholders using its meta declarations', () => {
    const raw: ObservationLine[] = [
      { meta: 'begin', scenario: 's' },
      { meta: 'port', role: 'rport', value: '41843' },
      { meta: 'port', role: 'port', value: '40001' },
      { meta: 'chan', role: 'c1', name: 'sock55fa129ace70' },
      { op: 'socket -async 127.0.0.1 41843', result: 'sock55fa129ace70' },
      { op: 'gets sock55fa129ace70', error: 'error reading "sock55fa129ace70": socket is not connected', errorcode: 'POSIX ENOTCONN {socket is not connected}' },
      { op: 'fconfigure sock55fa129ace70 -sockname', result: '127.0.0.1 127.0.0.1 52011' },
      { op: 'fconfigure sock55fa129ace70', result: '-blocking 1 -buffersize 4096 -sockname {::1 ::1 40001}' },
      { event: 'accept', chan: 'sock55fa12000000', during: 'vwait done' },
      { op: 'fconfigure sock55fa12000000 -peername', result: '127.0.0.1 127.0.0.1 52011' },
      { note: 'connecting', value: '1x3,0' },
    ];
    expect(normalise(raw)).toEqual([
      { op: 'socket -async 127.0.0.1 <rport>', result: '<c1>' },
      { op: 'gets <c1>', error: 'error reading "<c1>": socket is not connected', errorcode: 'POSIX ENOTCONN {socket is not connected}' },
      { op: 'fconfigure <c1> -sockname', result: '127.0.0.1 127.0.0.1 <eport>' },
      { op: 'fconfigure <c1>', result: '-blocking 1 -buffersize 4096 -sockname {::1 ::1 <port>}' },
      { event: 'accept', chan: '<a1>', during: 'vwait done' },
      { op: 'fconfigure <a1> -peername', result: '127.0.0.1 127.0.0.1 <eport>' },
      { note: 'connecting', value: '1x3,0' },
    ]);
  });

  it('gives a channel name that real Tcl reuses after a close a fresh placeholder at its creation', () => {
    const raw: ObservationLine[] = [
      { op: 'socket -async 127.0.0.1 9', result: 'sock1' },
      { op: 'close sock1', result: '' },
      { op: 'socket -async 127.0.0.1 9', result: 'sock1' },
      { op: 'close sock1', result: '' },
    ];
    expect(normalise(raw).map((l) => ('result' in l ? l.result : ''))).toEqual(['<c1>', '', '<c2>', '']);
    expect(normalise(raw).map((l) => ('op' in l ? l.op : ''))).toEqual(['socket -async 127.0.0.1 9', 'close <c1>', 'socket -async 127.0.0.1 9', 'close <c2>']);
  });

  it('keeps begin/end frames only when asked', () => {
    const raw: ObservationLine[] = [{ meta: 'begin', scenario: 'x' }, { op: 'update', result: '' }, { meta: 'end' }];
    expect(normalise(raw)).toEqual([{ op: 'update', result: '' }]);
    expect(normalise(raw, { keepMeta: true })).toEqual(raw);
  });

  // A trace template: lines with slots for channels (by creation index), ports by role and
  // ephemeral ports. Instantiated with placeholders it *is* the expected normalised trace.
  type Slot = { readonly kind: 'create' | 'query' | 'error' | 'accept' | 'peer' | 'note'; readonly n: number };
  interface Names {
    chan(i: number): string;
    accepted(i: number): string;
    port: string;
    rport: string;
    eport(i: number): string;
  }
  function instantiate(slots: readonly Slot[], names: Names): ObservationLine[] {
    const out: ObservationLine[] = [];
    let created = 0;
    let accepted = 0;
    for (const s of slots) {
      const c = created === 0 ? null : names.chan(s.n % created);
      switch (s.kind) {
        case 'create':
          out.push({ op: `socket -async 127.0.0.1 ${s.n % 2 === 0 ? names.port : names.rport}`, result: names.chan(created++) });
          break;
        case 'query':
          if (c !== null) out.push({ op: `fconfigure ${c} -sockname`, result: `127.0.0.1 127.0.0.1 ${names.eport(s.n)}` });
          break;
        case 'error':
          if (c !== null) out.push({ op: `flush ${c}`, error: `error flushing "${c}": socket is not connected`, errorcode: 'POSIX ENOTCONN {socket is not connected}' });
          break;
        case 'accept':
          out.push({ event: 'accept', chan: names.accepted(accepted++), during: 'update' });
          break;
        case 'peer':
          if (accepted > 0) out.push({ op: `fconfigure ${names.accepted(s.n % accepted)} -sockname`, result: `::1 ::1 ${names.port}` });
          break;
        case 'note':
          out.push({ note: 'connecting', value: s.n % 2 === 0 ? '1x2,0' : '0' });
          break;
      }
    }
    return out;
  }
  const placeholders: Names = {
    chan: (i) => `<c${i + 1}>`,
    accepted: (i) => `<a${i + 1}>`,
    port: '<port>',
    rport: '<rport>',
    eport: () => '<eport>',
  };

  it('hides real names and ports completely: any real naming normalises to the placeholder trace', () => {
    const slot = fc.record({ kind: fc.constantFrom<Slot['kind']>('create', 'query', 'error', 'accept', 'peer', 'note'), n: fc.nat(50) });
    const hex = fc.stringMatching(/^[0-9a-f]{4,12}$/);
    const ports = fc.uniqueArray(fc.integer({ min: 1024, max: 65535 }), { minLength: 60, maxLength: 60 });
    fc.assert(
      fc.property(fc.array(slot, { maxLength: 30 }), fc.uniqueArray(hex, { minLength: 60, maxLength: 60 }), ports, (slots, hexes, portList) => {
        // Real names: client channels and accepted channels drawn from one pool (all distinct);
        // role ports and ephemeral ports all distinct, as a kernel would have them.
        const real: Names = {
          chan: (i) => `sock${hexes[i] ?? ''}`,
          accepted: (i) => `sock${hexes[30 + i] ?? ''}`,
          port: String(portList[0]),
          rport: String(portList[1]),
          eport: (i) => String(portList[2 + (i % 50)]),
        };
        const declared: ObservationLine[] = [
          { meta: 'port', role: 'port', value: real.port },
          { meta: 'port', role: 'rport', value: real.rport },
        ];
        expect(normalise([...declared, ...instantiate(slots, real)])).toEqual(instantiate(slots, placeholders));
      }),
      propertyParams('normalisation hides real names', FILE),
    );
  });

  it('is idempotent: normalising a normalised trace changes nothing', () => {
    const text = fc.constantFrom('sock1', 'sockbeef', '127.0.0.1 127.0.0.1 4242', '::1 ::1 80', 'socket -async ::1 4242', 'x', '');
    const line: fc.Arbitrary<ObservationLine> = fc.oneof(
      fc.record({ op: text, result: text }),
      fc.record({ event: fc.constantFrom('accept', 'readable'), chan: text, during: text }),
      fc.record({ note: text, value: text }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const once = normalise(lines, { ports: [['port', 4242]] });
        expect(normalise(once, { ports: [['port', 4242]] })).toEqual(once);
      }),
      propertyParams('normalise idempotent', FILE),
    );
  });
});

describe('first-difference report', () => {
  const a: ObservationLine[] = [
    { op: 'socket -async 127.0.0.1 <rport>', result: '<c1>' },
    { op: 'fconfigure <c1> -connecting', result: '0' },
    { op: 'fconfigure <c1> -error', result: 'connection refused' },
    { op: 'close <c1>', result: '' },
  ];

  it('reports nothing for equal traces, whatever meta lines either carries', () => {
    expect(diffObservations(a, [{ meta: 'begin' }, ...a, { meta: 'end' }])).toBeNull();
  });

  it('names the first differing line, both versions and the context before it', () => {
    const b = [...a];
    b[2] = { op: 'fconfigure <c1> -error', result: '' };
    const report = diffObservations(a, b, { expected: 'tclsh', actual: 'sim' }) ?? '';
    expect(report).toContain('traces differ at line 3 (tclsh: 4 lines, sim: 4 lines)');
    expect(report).toContain('- tclsh  3: {"op":"fconfigure <c1> -error","result":"connection refused"}');
    expect(report).toContain('+ sim    3: {"op":"fconfigure <c1> -error","result":""}');
    expect(report).toContain('1: {"op":"socket -async 127.0.0.1 <rport>","result":"<c1>"}');
  });

  it('reports a missing tail as the end of the shorter trace', () => {
    const report = diffObservations(a, a.slice(0, 2)) ?? '';
    expect(report).toContain('traces differ at line 3');
    expect(report).toContain('+ actual    3: (end of trace)');
  });

  it('points at the line that was changed, for any trace and any single change', () => {
    const line = fc.record({ op: fc.constantFrom('update', 'gets <c1>', 'close <c1>'), result: fc.constantFrom('', '0', '1', 'bye') });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), fc.nat(), (lines, k) => {
        const i = k % lines.length;
        const changed = lines.map((l, j) => (j === i ? { op: l.op, result: `${l.result}!` } : l));
        expect(diffObservations(lines, changed)).toContain(`traces differ at line ${i + 1} `);
        expect(diffObservations(lines, lines.map((l) => ({ ...l })))).toBeNull();
      }),
      propertyParams('diff points at the changed line', FILE),
    );
  });
});
