/**
 * Benchmark `clock`: detnet's `VirtualClock` against `@sinonjs/fake-timers`' `createClock()`.
 *
 * Owns: the clock workloads and their cross-check. fake-timers is used as a library clock (no
 * globals installed), in this same process, on exactly the same inputs:
 * - `clock.random-timers`: N one-shot timers at seeded random integer due times in [1, 10·N] ms,
 *   10% of them (a seeded choice) cancelled, then every remaining one fired.
 * - `clock.rearm`: C concurrent chains; each firing schedules its chain's next timer at a seeded
 *   random delay in [1, 1000] ms, until R timers have fired in total.
 * - `clock.ties`: the cost of deciding ties, per schedule strategy. 25,000 instants with four
 *   timers each (75,000 tie decisions, each among 4, 3 or 2 candidates) on VirtualClock with a
 *   seeded, PCT (depth 3) or replay source, against the same clock in FIFO order, which never
 *   decides (its fast path). The ratio is the slowdown that deciding and recording costs.
 * Both clocks run their whole queue (`runUntilIdle` / fake-timers' faster of `runAll` and
 * `tick`). Timing covers creating the clock, scheduling, cancelling and firing; the unit is
 * timers fired per second. Before timing, one untimed run of each checks that both clocks fire
 * the same timers in the same order at the same times — a speed figure for a clock that fires
 * the wrong things would be meaningless.
 *
 * Departs from reality: callbacks do no work, so this measures the clocks' own overhead.
 */
import { createClock } from '@sinonjs/fake-timers';
import { VirtualClock } from '../src/clock/virtual-clock.js';
import { Rng } from '../src/random/rng.js';
import type { TieBreaker } from '../src/clock/schedule-source.js';
import { SeededSource } from '../src/clock/seeded-source.js';
import { PctSource } from '../src/clock/pct-source.js';
import { ReplaySource } from '../src/clock/replay-source.js';
import { compareSpeeds, result, type BenchResult } from './harness.js';

const BASELINE = '@sinonjs/fake-timers createClock()';
const UNIT = 'timers fired/s';
const SEED = 20261124;

/** Inputs of one random-timers run, drawn once from the seed. */
interface RandomTimersInput {
  readonly delays: readonly number[];
  /** Indices (into `delays`) of the timers to cancel, in cancel order. */
  readonly cancels: readonly number[];
}

function randomTimersInput(n: number): RandomTimersInput {
  const rng = new Rng(SEED).fork(`random-timers/${n}`);
  const delays = Array.from({ length: n }, () => rng.int(1, 10 * n));
  // A seeded partial Fisher–Yates shuffle picks exactly 10% distinct timers to cancel.
  const order = Array.from({ length: n }, (_, i) => i);
  const k = Math.floor(n / 10);
  for (let i = 0; i < k; i++) {
    const j = rng.int(i, n - 1);
    const tmp = order[i] as number;
    order[i] = order[j] as number;
    order[j] = tmp;
  }
  return { delays, cancels: order.slice(0, k) };
}

/** A clock under test, reduced to what the workloads need. */
interface BenchClock {
  schedule(delay: number, callback: () => void): number;
  cancel(id: number): void;
  runAll(): void;
  now(): number;
}

function detnetClock(): BenchClock {
  const clock = new VirtualClock();
  return {
    schedule: (delay, callback) => clock.setTimer(delay, callback),
    cancel: (id) => void clock.clearTimer(id),
    runAll: () => clock.runUntilIdle(),
    now: () => clock.now(),
  };
}

/** fake-timers drains its queue either with `runAll` (timer by timer) or `tick` (one range). */
type FakeDrain = 'runAll' | 'tick';

function fakeClock(drain: FakeDrain, horizon: number): BenchClock {
  // loopLimit must exceed the number of timers, or runAll stops with an infinite-loop error.
  const clock = createClock(0, 1e9);
  return {
    schedule: (delay, callback) => clock.setTimeout(callback, delay) as unknown as number,
    cancel: (id) => clock.clearTimeout(id),
    runAll: drain === 'runAll' ? () => void clock.runAll() : () => void clock.tick(horizon),
    now: () => clock.now,
  };
}

/** Runs the random-timers workload on `clock`; `onFire(i)` (if given) observes each firing. */
function randomTimers(make: () => BenchClock, input: RandomTimersInput, onFire?: (i: number, t: number) => void): number {
  const clock = make();
  const ids: number[] = new Array<number>(input.delays.length);
  let fired = 0;
  const { delays, cancels } = input;
  if (onFire === undefined) {
    const callback = (): void => {
      fired++;
    };
    for (let i = 0; i < delays.length; i++) ids[i] = clock.schedule(delays[i] as number, callback);
  } else {
    for (let i = 0; i < delays.length; i++) {
      ids[i] = clock.schedule(delays[i] as number, () => {
        fired++;
        onFire(i, clock.now());
      });
    }
  }
  for (const i of cancels) clock.cancel(ids[i] as number);
  clock.runAll();
  return fired;
}

/** Inputs of one re-arm run. */
interface RearmInput {
  readonly chains: number;
  readonly total: number;
  readonly delays: readonly number[];
}

function rearmInput(chains: number, total: number): RearmInput {
  const rng = new Rng(SEED).fork(`rearm/${chains}/${total}`);
  return { chains, total, delays: Array.from({ length: total + chains }, () => rng.int(1, 1000)) };
}

function rearm(make: () => BenchClock, input: RearmInput, onFire?: (chain: number, t: number) => void): number {
  const clock = make();
  const { chains, total, delays } = input;
  let fired = 0;
  let drawn = 0;
  const arm = (chain: number): void => {
    const fire = (): void => {
      fired++;
      onFire?.(chain, clock.now());
      if (fired + chains <= total) arm(chain);
    };
    clock.schedule(delays[drawn++] as number, fire);
  };
  for (let c = 0; c < chains; c++) arm(c);
  clock.runAll();
  return fired;
}

/** Asserts that two recorded firing sequences are identical; a bench on a wrong clock is void. */
function assertSameFirings(what: string, a: readonly number[], b: readonly number[]): void {
  if (a.length !== b.length || a.some((v, i) => v !== b[i])) {
    throw new Error(`bench clock: ${what}: VirtualClock and fake-timers fired differently`);
  }
}

function recordRandom(make: () => BenchClock, input: RandomTimersInput): number[] {
  const log: number[] = [];
  randomTimers(make, input, (i, t) => log.push(i, t));
  return log;
}

function recordRearm(make: () => BenchClock, input: RearmInput): number[] {
  const log: number[] = [];
  rearm(make, input, (c, t) => log.push(c, t));
  return log;
}

/** The faster of fake-timers' two ways of draining, so the baseline is not handicapped. */
function fasterDrain(work: (drain: FakeDrain) => number): FakeDrain {
  const { detnet: runAllSpeed, baseline: tickSpeed } = compareSpeeds(
    () => work('runAll'),
    () => work('tick'),
    { repeats: 3, warmup: 1, minSampleMs: 20 },
  );
  return runAllSpeed >= tickSpeed ? 'runAll' : 'tick';
}

const TIE_INSTANTS = 25_000;
const TIE_WIDTH = 4;

/** `clock.ties`: TIE_INSTANTS instants of TIE_WIDTH timers each, fired under `tieBreaker`. */
function ties(tieBreaker: TieBreaker | undefined): number {
  const clock = new VirtualClock(tieBreaker === undefined ? {} : { tieBreaker });
  let fired = 0;
  const callback = (): void => {
    fired++;
  };
  for (let t = 1; t <= TIE_INSTANTS; t++) for (let i = 0; i < TIE_WIDTH; i++) clock.setTimer(t, callback, 'tie');
  clock.runUntilIdle();
  return fired;
}

/** The sources compared in `clock.ties`; a fresh one per run (sources record as they go). */
function tieStrategies(): [string, () => TieBreaker][] {
  const replayed = new SeededSource(new Rng(SEED).fork('ties'));
  ties(replayed);
  const choices = [...replayed.choices];
  return [
    ['seeded', () => new SeededSource(new Rng(SEED).fork('ties'))],
    ['pct', () => new PctSource(new Rng(SEED).fork('ties'), { depth: 3, steps: TIE_INSTANTS * (TIE_WIDTH - 1) })],
    ['replay', () => new ReplaySource(choices)],
  ];
}

/** Runs every clock workload and returns one result row per workload and size. */
export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const n of [1_000, 100_000]) {
    const input = randomTimersInput(n);
    const horizon = 10 * n;
    assertSameFirings(`random-timers n=${n}`, recordRandom(detnetClock, input), recordRandom(() => fakeClock('tick', horizon), input));
    const drain = fasterDrain((d) => randomTimers(() => fakeClock(d, horizon), input));
    const speeds = compareSpeeds(
      () => randomTimers(detnetClock, input),
      () => randomTimers(() => fakeClock(drain, horizon), input),
    );
    results.push(result('clock.random-timers', { n, cancelled: '10%', drain }, UNIT, speeds, BASELINE));
  }
  for (const chains of [1, 1_000]) {
    const input = rearmInput(chains, 100_000);
    const horizon = 1000 * (input.total + chains);
    assertSameFirings(`rearm chains=${chains}`, recordRearm(detnetClock, input), recordRearm(() => fakeClock('tick', horizon), input));
    const drain = fasterDrain((d) => rearm(() => fakeClock(d, horizon), input));
    const speeds = compareSpeeds(
      () => rearm(detnetClock, input),
      () => rearm(() => fakeClock(drain, horizon), input),
    );
    results.push(result('clock.rearm', { chains, rearms: input.total, drain }, UNIT, speeds, BASELINE));
  }
  for (const [strategy, make] of tieStrategies()) {
    const speeds = compareSpeeds(() => ties(make()), () => ties(undefined));
    const params = { strategy, instants: TIE_INSTANTS, width: TIE_WIDTH, decisions: TIE_INSTANTS * (TIE_WIDTH - 1) };
    results.push(result('clock.ties', params, UNIT, speeds, 'the same clock in FIFO order (no decisions)'));
  }
  return results;
}
