import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { propertyParams } from '../helpers/property.js';
import { interpret, loopApi, programFromSeed } from './loop-programs.js';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { SeededTieBreaker } from '../../src/clock/tie-breaker.js';
import { Rng } from '../../src/random/rng.js';
import { Trace } from '../../src/trace/trace.js';
import { ManualSource } from '../../src/loop/manual-source.js';
import { READABLE, WRITABLE, type NotifierOptions } from '../../src/loop/notifier.js';

const FILE = 'test/property/loop-trace-determinism.test.ts';

/**
 * One run built entirely from `seed`: a random after/idle/cancel/update/vwait program, three
 * sources whose readiness a simulated network changes at random instants, watches on them
 * (some registered late, by timers), a random notifier mode and a seeded tie-breaker.
 */
function run(seed: number): string {
  const rng = new Rng(seed);
  const net = rng.fork('net');
  const notifier: NotifierOptions = [
    { readinessDelayMs: net.int(0, 3) },
    { delivery: 'edge', watchDelayMs: net.int(0, 2) },
    { delivery: 'edge', loseReadinessBeforeWatch: true, watchDelayMs: 0 },
  ][net.index(3)] as NotifierOptions;
  const clock = new VirtualClock({ tieBreaker: new SeededTieBreaker(rng.fork('ties')) });
  const trace = new Trace();
  const log: string[] = [];
  const { api, loop } = loopApi(log, { trace, clock, notifier });
  for (let i = 0; i < 3; i++) {
    const src = new ManualSource(`sock${i}`);
    const watch = () =>
      loop.notifier.watch(src, READABLE | WRITABLE, (bits) => {
        src.clear(bits); // consume, so level delivery settles
        loop.set(`v${i}`);
      }, `w${i}`);
    if (net.index(2) === 0) watch();
    else clock.setTimer(net.int(0, 20), watch, `late-watch${i}`);
    for (let k = net.int(0, 4); k > 0; k--) {
      const mask = net.int(0, 3);
      clock.setTimer(net.int(0, 30), () => src.set(mask), `net:sock${i}`);
    }
  }
  interpret(api, programFromSeed(rng.fork('program')), log);
  api.vwait('drain', 100); // let every scheduled timer and readiness change show in the trace
  return `${trace.toJSONL()}${log.join('\n')}`;
}

describe('trace determinism', () => {
  it('the same seed gives a byte-identical JSONL trace', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        expect(run(seed)).toBe(run(seed));
      }),
      propertyParams('same seed, same trace', FILE),
    );
  });
});
