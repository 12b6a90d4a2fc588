// `detnet demo`: the event-loop demo on a virtual clock, and its own timeline phrasing.
import { describe, expect, it } from 'vitest';
import { formatTimelineEntry } from '../../../src/cli/demo.js';
import { cli, timeline } from './helpers.js';

function at(lines: [number, string][], pattern: RegExp): number[] {
  return lines.filter(([, text]) => pattern.test(text)).map(([t]) => t);
}

describe('detnet demo', () => {
  it('prints a timeline whose virtual times follow the demo program', async () => {
    // The demo schedules tick at 100 ms, a failing timer at 150 ms, a connect completing at
    // 250 ms that the notifier sees 5 ms later, and a 1000 ms timeout that must never fire.
    const { code, out } = await cli(['demo']);
    expect(code).toBe(0);
    const lines = timeline(out);
    expect(at(lines, /puts: idle/)).toEqual([0]);
    expect(at(lines, /puts: tick$/)).toEqual([100]);
    expect(at(lines, /background error in "oops"/)).toEqual([150]);
    expect(at(lines, /network: .*writable/)).toEqual([250]);
    expect(at(lines, /notifier sees sock1 writable/)).toEqual([255]);
    expect(at(lines, /file event sock1 writable/)).toEqual([255]);
    expect(at(lines, /vwait done → satisfied/)).toEqual([255]);
    expect(at(lines, /"timeout" due at 1000 ms/)).toEqual([0]); // scheduled, then cancelled at 255
    expect(at(lines, /after cancel after#\d+ \(was scheduled\)/)).toEqual([255]);
    expect(at(lines, /▶ timer .*"timeout"/)).toEqual([]);
    // The timeline is in time order, and the file handler ran before vwait returned.
    const times = lines.map(([t]) => t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const texts = lines.map(([, text]) => text);
    expect(texts.findIndex((t) => t.includes('puts: connected'))).toBeLessThan(texts.findIndex((t) => t.includes('vwait done →')));
  });

  it('prints the same bytes every time', async () => {
    const first = await cli(['demo']);
    const second = await cli(['demo']);
    expect(first.code).toBe(0);
    expect(second.out).toBe(first.out);
  });
});

describe('formatTimelineEntry', () => {
  it('right-aligns the virtual time and falls back to kind and JSON for unknown kinds', () => {
    expect(formatTimelineEntry({ t: 42, kind: 'net.syn', port: 80 })).toBe('    42 ms  net.syn {"port":80}');
    expect(formatTimelineEntry({ t: 0, kind: 'loop.update', depth: 0 })).toBeUndefined();
  });
});
