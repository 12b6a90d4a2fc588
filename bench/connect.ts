/**
 * Benchmark `connect`: complete async connects per second through channel, connect machine,
 * event loop and simulated world — `socket -async` to a name with two addresses (the first
 * refuses, the second accepts and replies one line), a readable handler that reads the line,
 * `close`, `vwait` — with tracing off, as a property test would run it.
 *
 * Baseline: the goal (100,000 connects/s on one core), so ratio ≥ 1 means the goal is
 * met. A second row runs the same walk with the trace on (not kept), to show what recording costs.
 *
 * Method (why it is not `compareSpeeds`): the two variants are measured one after the other, each
 * in its own world, trace-off first. Interleaving them would let the trace-on variant's type
 * feedback (entry objects, emit paths) deoptimise the code the trace-off row is meant to measure.
 * Each variant gets a warm-up of WARMUP_CONNECTS (enough for the JIT to settle), then SAMPLES
 * samples of at least SAMPLE_MS each; the median is reported. The server app `forget`s finished
 * connections and every batch ends with the world idle, so no state piles up across batches: each
 * sample measures the same steady state, not a growing heap.
 */
import { median, nowMs, result, type BenchResult, type Workload } from './harness.js';
import { World } from '../src/sim/world.js';
import { serve } from '../src/sim/apps.js';
import { refusePort } from '../src/sim/faults.js';
import { SimDriver } from '../src/socket/sim-driver.js';
import { Interp } from '../src/socket/interp.js';

const GOAL = 100_000;
const BATCH = 500;
const WARMUP_CONNECTS = 100_000;
const SAMPLES = 15;
const SAMPLE_MS = 100;

/** Builds a world and returns a workload that runs BATCH complete connects in it. */
function connectWorkload(traced: boolean): Workload {
  const world = new World({ seed: 42, trace: { enabled: traced, keep: false } });
  world.addHost('client', { addresses: ['10.0.0.1', 'fd00::1'] });
  const server = world.addHost('server', { addresses: ['10.0.0.2', 'fd00::2'] });
  world.dns.set('svc', ['fd00::2', '10.0.0.2']);
  world.faults.install(refusePort('fd00::2', 80));
  serve(server, { port: 80, forget: true, behaviour: { kind: 'reply', line: 'hello', then: 'close' } });
  const tcl = new Interp(new SimDriver(world, 'client'), { trace: world.trace });
  let lines = 0;
  return () => {
    const before = lines;
    for (let i = 0; i < BATCH; i++) {
      const h = tcl.socket('svc', 80, { async: true });
      h.fileevent('readable', {
        text: 'Receive',
        run: () => {
          if (h.gets() === 'hello') lines++;
          h.close();
          tcl.set('done');
        },
      });
      tcl.vwait('done');
    }
    world.runUntilIdle(); // let the closes finish so no state piles up between batches
    if (lines - before !== BATCH) throw new Error(`connect benchmark: ${lines - before} of ${BATCH} replies read`);
    return BATCH;
  };
}

/** Median connects/s of `work` after a warm-up. */
function measure(work: Workload): number {
  for (let done = 0; done < WARMUP_CONNECTS; ) done += work();
  const speeds: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    let ops = 0;
    const start = nowMs();
    let ms: number;
    do {
      ops += work();
      ms = nowMs() - start;
    } while (ms < SAMPLE_MS);
    speeds.push((ops / ms) * 1000);
  }
  return median(speeds);
}

export async function run(): Promise<BenchResult[]> {
  const off = measure(connectWorkload(false));
  const on = measure(connectWorkload(true));
  return [
    result('connect.two-candidates-refused-then-reply', { batch: BATCH, trace: 'off' }, 'connects/s', { detnet: off, baseline: GOAL }, 'goal'),
    result('connect.two-candidates-refused-then-reply', { batch: BATCH, trace: 'on' }, 'connects/s', { detnet: on, baseline: GOAL }, 'goal'),
  ];
}
