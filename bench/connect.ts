/**
 * Benchmark `connect`: complete async connects per second through channel, connect machine,
 * event loop and simulated world — `socket -async` to a name with two addresses (the first
 * refuses, the second accepts and replies one line), a readable handler that reads the line,
 * `close`, `vwait` — with tracing off, as a property test would run it.
 *
 * Baseline: the goal (100,000 connects/s on one core), so ratio ≥ 1 means the goal is
 * met. A second row runs the same walk with the trace on, to show what recording costs.
 */
import { compareSpeeds, result, type BenchResult } from './harness.js';
import { World } from '../src/sim/world.js';
import { serve } from '../src/sim/apps.js';
import { refusePort } from '../src/sim/faults.js';
import { SimDriver } from '../src/socket/sim-driver.js';
import { Interp } from '../src/socket/interp.js';

const GOAL = 100_000;
const BATCH = 500;

/** Builds a world and returns a workload that runs BATCH complete connects in it. */
function connectWorkload(traced: boolean): () => number {
  const world = new World({ seed: 42, trace: { enabled: traced, keep: false } });
  world.addHost('client', { addresses: ['10.0.0.1', 'fd00::1'] });
  const server = world.addHost('server', { addresses: ['10.0.0.2', 'fd00::2'] });
  world.dns.set('svc', ['fd00::2', '10.0.0.2']);
  world.faults.install(refusePort('fd00::2', 80));
  serve(server, { port: 80, behaviour: { kind: 'reply', line: 'hello', then: 'close' } });
  const tcl = new Interp(new SimDriver(world, 'client'), { trace: world.trace });
  let lines = 0;
  return () => {
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
    if (lines === 0) throw new Error('connect benchmark: no reply was read');
    return BATCH;
  };
}

export async function run(): Promise<BenchResult[]> {
  // Both variants sampled alternately in one run; each is then reported against the goal.
  const speeds = compareSpeeds(connectWorkload(false), connectWorkload(true), { repeats: 7, minSampleMs: 100 });
  return [
    result('connect.two-candidates-refused-then-reply', { batch: BATCH, trace: 'off' }, 'connects/s', { detnet: speeds.detnet, baseline: GOAL }, 'goal'),
    result('connect.two-candidates-refused-then-reply', { batch: BATCH, trace: 'on' }, 'connects/s', { detnet: speeds.baseline, baseline: GOAL }, 'goal'),
  ];
}
