/**
 * Benchmark `sim`: the simulated network on its own, below channels and the event loop.
 *
 * Workloads (trace off unless a row says otherwise, as a property test would run):
 * - `sim.connect-attempts`: walks over a name with two addresses — DNS lookup of `svc`
 *   (`fd00::2`, `10.0.0.2`), an attempt on `fd00::2` (no listener: refused after a round trip),
 *   then one on `10.0.0.2` (a server that accepts and closes), then close — 256 walks in
 *   flight, latency uniform 1–3 ms. Unit: connect attempts per second (two per walk).
 *   Baseline: the goal, 250,000 attempts/s on one core (baselineName `goal`).
 * - `sim.scale`: 10,000 hosts and N concurrent established connections (N = 1,000 and
 *   1,000,000; client of connection k on host k mod H, server on another host), each of which
 *   has carried one message (so its streams exist), then steady traffic: rounds of 1,000 seeded-random connections each sending 16 bytes, which the server
 *   side reads. Reported per size: heap used after a full GC with every connection open
 *   (baseline: the goal, 1.5 GB at 1M; ratio = goal / used, so ≥ 1 is within the goal), and
 *   world events (clock timers fired) per second of CPU time of the traffic phase (at 1M the baseline is
 *   the 1,000-connection figure, so the ratio is the drop; the goal is a ratio ≥ 0.5).
 *
 * The 1M run takes a while (building a million connections) and is never part of CI:
 * benchmarks run only through `npm run bench -- sim`. `DETNET_SIM_SCALE=small` limits it to
 * the 1,000-connection size.
 *
 * The workloads' code lives in bench/compare-workloads.ts (`attemptWorkload`, `buildScale`), run
 * here on the current tree's modules (bench/current-modules.ts) and by `npm run bench -- compare`
 * on two commits' builds, so both report the very same work. This file owns the measuring: the
 * interleaved repeats of the attempt rows, the per-round CPU-time samples of the scale traffic,
 * the set-up time and the heap figure (full GCs around the build), and the rows.
 *
 * Departs from reality: what is measured is detnet's own overhead; no real bytes move.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { compareSpeeds, median, nowMs, result, type BenchResult } from './harness.js';
import { attemptWorkload, buildScale, IN_FLIGHT, SCALE_HOSTS, WALKS } from './compare-workloads.js';
import { CURRENT_MODULES } from './current-modules.js';

const ATTEMPT_GOAL = 250_000;
const HEAP_GOAL_BYTES = 1.5e9;

/** CPU time this process has used (user + system), in ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Forces a full garbage collection (the flag is set at run time; no node option needed). */
function gc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

interface ScaleFigures {
  readonly heapBytes: number;
  /** Traffic spread over every connection. */
  readonly eventsPerSec: number;
  /** Traffic on 1,000 of the connections only (the same working set at every size). */
  readonly activeEventsPerSec: number;
  readonly setupMs: number;
}

/** Builds `connections` established connections over `hosts` hosts and measures them. */
function scale(hosts: number, connections: number): ScaleFigures {
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = nowMs();
  const net = buildScale(CURRENT_MODULES, hosts, connections);
  const setupMs = nowMs() - t0;
  gc();
  const heapBytes = process.memoryUsage().heapUsed - heapBefore;

  /** Events per second of rounds of 1,000 writes on connections drawn from the first `active`. */
  const traffic = (active: number): number => {
    const round = (): number => net.round(active);
    for (let i = 0; i < 50; i++) round(); // warm-up
    // Median of 7 samples of at least 300 ms of this process's CPU time: one slow sample (a
    // major GC) does not decide the figure, and other work on a shared machine, which stretches
    // wall time, mostly does not count.
    const samples: number[] = [];
    for (let k = 0; k < 7; k++) {
      const start = cpuMs();
      let events = 0;
      while (cpuMs() - start < 300) events += round();
      samples.push((events / (cpuMs() - start)) * 1000);
    }
    return median(samples);
  };
  const eventsPerSec = traffic(connections);
  const activeEventsPerSec = traffic(Math.min(1000, connections));
  if (net.pending() !== 0) throw new Error('sim bench: world not idle');
  return { heapBytes, eventsPerSec, activeEventsPerSec, setupMs };
}

export async function run(): Promise<BenchResult[]> {
  const untraced = attemptWorkload(CURRENT_MODULES, false);
  const traced = attemptWorkload(CURRENT_MODULES, true);
  const off = compareSpeeds(untraced, untraced, { repeats: 5 });
  const on = compareSpeeds(traced, traced, { repeats: 5 });
  const results: BenchResult[] = [
    result('sim.connect-attempts', { walks: WALKS, inFlight: IN_FLIGHT, trace: 'off' }, 'attempts/s', { detnet: off.detnet, baseline: ATTEMPT_GOAL }, 'goal'),
    result('sim.connect-attempts', { walks: WALKS, inFlight: IN_FLIGHT, trace: 'on' }, 'attempts/s', { detnet: on.detnet, baseline: ATTEMPT_GOAL }, 'goal'),
  ];

  const hosts = SCALE_HOSTS;
  const sizes = process.env['DETNET_SIM_SCALE'] === 'small' ? [1000] : [1000, 1_000_000];
  let smallEvents = 0;
  let smallActive = 0;
  for (const n of sizes) {
    const f = scale(hosts, n);
    console.log(`sim.scale: ${n} connections over ${hosts} hosts built in ${(f.setupMs / 1000).toFixed(1)} s, heap ${(f.heapBytes / 1e6).toFixed(0)} MB`);
    results.push({
      benchmark: 'sim.scale.heap',
      params: { hosts, connections: n },
      unit: 'bytes (lower is better; ratio = goal / used)',
      detnet: Math.round(f.heapBytes),
      baseline: HEAP_GOAL_BYTES,
      baselineName: 'goal',
      ratio: Math.round((HEAP_GOAL_BYTES / f.heapBytes) * 100) / 100,
    });
    if (n === 1000) {
      smallEvents = f.eventsPerSec;
      smallActive = f.activeEventsPerSec;
    }
    results.push(
      result(
        'sim.scale.events',
        { hosts, connections: n, active: 'all' },
        'events/s',
        { detnet: f.eventsPerSec, baseline: n === 1000 ? f.eventsPerSec : smallEvents },
        n === 1000 ? 'itself' : 'events/s at 1,000 connections',
      ),
      result(
        'sim.scale.events',
        { hosts, connections: n, active: 1000 },
        'events/s',
        { detnet: f.activeEventsPerSec, baseline: n === 1000 ? f.activeEventsPerSec : smallActive },
        n === 1000 ? 'itself' : 'events/s at 1,000 connections',
      ),
    );
  }
  return results;
}
