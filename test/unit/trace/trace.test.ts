import { describe, expect, it } from 'vitest';
import { parseJSONL, Trace, type TraceEntry, type TraceEntryOf } from '../../../src/trace/trace.js';
import { VirtualClock } from '../../../src/clock/virtual-clock.js';
import { EventLoop } from '../../../src/loop/event-loop.js';

describe('Trace', () => {
  it('writes t and kind first, then the fields in the order given, one JSON object per line', () => {
    const trace = new Trace();
    trace.record(5, 'loop.timer', { id: 'after#0', label: 'tick', due: 5 });
    trace.record(7, 'custom.thing');
    expect(trace.toJSONL()).toBe(
      '{"t":5,"kind":"loop.timer","id":"after#0","label":"tick","due":5}\n{"t":7,"kind":"custom.thing"}\n',
    );
  });

  it('parseJSONL reads back exactly what toJSONL wrote', () => {
    const trace = new Trace();
    trace.record(1, 'loop.set', { name: 'x', value: 'a "quoted"\nvalue' });
    trace.record(2, 'loop.bgerror', { handler: 'h', message: 'm', code: null });
    expect(parseJSONL(trace.toJSONL())).toEqual(trace.entries);
  });

  it('parseJSONL names the line that is not a trace entry', () => {
    expect(() => parseJSONL('{"t":1,"kind":"a"}\n\n{"kind":"b"}\n')).toThrow(/line 3/);
    expect(() => parseJSONL('not json')).toThrow(expect.objectContaining({ code: 'ERR_TRACE_PARSE' }));
  });

  it('refuses fields that would overwrite t or kind', () => {
    const trace = new Trace();
    expect(() => trace.record(1, 'x', { kind: 'y' })).toThrow(expect.objectContaining({ code: 'ERR_TRACE_FIELD' }));
    expect(() => trace.record(1, 'x', { t: 3 })).toThrow(expect.objectContaining({ code: 'ERR_TRACE_FIELD' }));
    expect(trace.entries).toEqual([]);
  });

  it('subscribers get every entry and typed per-kind events', () => {
    const trace = new Trace();
    const all: TraceEntry[] = [];
    const timers: TraceEntryOf<'loop.timer'>[] = [];
    trace.on('entry', (e) => all.push(e));
    trace.on('loop.timer', (e) => timers.push(e));
    const loop = new EventLoop(new VirtualClock(), { trace });
    loop.after(3, () => undefined, 'tick');
    loop.vwait(() => timers.length === 1);
    expect(timers.map((e) => `${e.id} ${e.label} due ${e.due} at ${e.t}`)).toEqual(['after#0 tick due 3 at 3']);
    expect(all.map((e) => e.kind)).toEqual(['loop.after', 'loop.vwait', 'clock.advance', 'loop.timer', 'loop.vwait.end']);
  });

  it('ofKind matches a kind and its dotted sub-kinds only', () => {
    const trace = new Trace();
    trace.record(0, 'loop.vwait', { what: 'a', depth: 0 });
    trace.record(0, 'loop.vwait.end', { what: 'a', depth: 0, outcome: 'satisfied' });
    trace.record(0, 'loop.vwaitish');
    expect(trace.ofKind('loop.vwait').map((e) => e.kind)).toEqual(['loop.vwait', 'loop.vwait.end']);
    expect(trace.entriesOf('loop.vwait')).toHaveLength(1);
  });

  it('a disabled trace records nothing and keep: false only streams to subscribers', () => {
    const off = new Trace({ enabled: false });
    off.record(0, 'x');
    expect(off.entries).toEqual([]);
    const streaming = new Trace({ keep: false });
    const seen: string[] = [];
    streaming.on('entry', (e) => seen.push(e.kind));
    streaming.record(0, 'y');
    expect(seen).toEqual(['y']);
    expect(streaming.toJSONL()).toBe('');
  });
});
