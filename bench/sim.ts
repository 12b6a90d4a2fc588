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
 * Departs from reality: what is measured is detnet's own overhead; no real bytes move.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { compareSpeeds, median, nowMs, result, type BenchResult } from './harness.js';
import { World } from '../src/sim/world.js';
import { serve } from '../src/sim/apps.js';
import { uniform } from '../src/sim/latency.js';
import { Rng } from '../src/random/rng.js';
import type { SimSocket } from '../src/sim/sim-socket.js';
import type { SockAddr } from '../src/net/sock-addr.js';

const ATTEMPT_GOAL = 250_000;
const HEAP_GOAL_BYTES = 1.5e9;
const WALKS = 2048;
const IN_FLIGHT = 256;

/** A world and a workload running WALKS two-address walks in it; returns attempts made. */
function attemptWorkload(traced: boolean): () => number {
  const world = new World({ seed: 7, latency: uniform(1, 3), loopLimit: 1e9, trace: { enabled: traced, keep: false } });
  const client = world.addHost('client', { addresses: ['10.0.0.1', 'fd00::1'] });
  const server = world.addHost('server', { addresses: ['10.0.0.2', 'fd00::2'] });
  world.dns.set('svc', ['fd00::2', '10.0.0.2']);
  serve(server, { address: '10.0.0.2', port: 80, behaviour: { kind: 'close' }, forget: true });
  let connected = 0;
  return () => {
    let started = 0;
    const attempt = (addrs: readonly { family: 'inet' | 'inet6'; address: string }[], i: number): void => {
      const a = addrs[i] as { family: 'inet' | 'inet6'; address: string };
      const s = client.socket(a.family);
      s.setReuseAddr(true);
      s.bind({ address: a.family === 'inet' ? '0.0.0.0' : '::', port: 0 });
      s.connect({ family: a.family, address: a.address, port: 80 });
      s.onReadinessChange(() => {
        if (s.state === 'connecting') return;
        const ok = s.state === 'established';
        s.takeError();
        s.close();
        if (ok) {
          connected++;
          walk();
        } else if (i + 1 < addrs.length) {
          attempt(addrs, i + 1);
        }
      });
    };
    const walk = (): void => {
      if (started === WALKS) return;
      started++;
      world.dns.lookup(client, 'svc', (r) => {
        if (Array.isArray(r)) attempt(r, 0);
      });
    };
    const before = connected;
    for (let i = 0; i < IN_FLIGHT; i++) walk();
    world.runUntilIdle();
    if (connected - before !== WALKS) throw new Error(`sim bench: ${connected - before} of ${WALKS} walks connected`);
    return 2 * WALKS;
  };
}

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
  const world = new World({ seed: 11, latency: uniform(1, 5), loopLimit: 1e12, trace: { enabled: false, keep: false } });
  const addrs: SockAddr[] = [];
  const hostList = [];
  for (let h = 0; h < hosts; h++) {
    const address = `10.${(h >> 16) & 255}.${(h >> 8) & 255}.${h & 255}`;
    const host = world.addHost(`h${h}`, { addresses: [address] });
    hostList.push(host);
    addrs.push({ family: 'inet', address, port: 80 });
    const listener = host.listen({ address, port: 80, backlog: 65535 });
    // The server side reads whatever arrives, so buffers stay empty.
    listener.onReadinessChange(() => {
      for (let s = listener.accept(); s !== null; s = listener.accept()) {
        const sock = s;
        sock.onReadinessChange(() => {
          while (sock.read(4096) instanceof Uint8Array) {
            /* drain */
          }
        });
      }
    });
  }
  const clients: SimSocket[] = [];
  for (let k = 0; k < connections; k++) {
    const from = hostList[k % hosts] as (typeof hostList)[number];
    // Never the client's own host: an offset of 1 to hosts - 1, varying with k.
    const to = addrs[((k % hosts) + 1 + (Math.floor(k / hosts) % (hosts - 1))) % hosts] as SockAddr;
    const s = from.socket('inet');
    s.connect(to);
    clients.push(s);
    if (k % 10_000 === 9_999) world.runUntilIdle(); // keep the number of in-flight packets modest
  }
  world.runUntilIdle();
  for (const c of clients) if (c.state !== 'established') throw new Error(`sim bench: connection ${c.name} is ${c.state}`);
  // Every connection carries one message before anything is measured, so its streams exist:
  // the heap figure is that of connections in use, and the timed phase measures steady
  // traffic rather than each connection's first write.
  const payload = new Uint8Array(16).fill(7);
  for (let k = 0; k < clients.length; k++) {
    (clients[k] as SimSocket).write(payload);
    if (k % 10_000 === 9_999) world.runUntilIdle();
  }
  world.runUntilIdle();
  const setupMs = nowMs() - t0;
  gc();
  const heapBytes = process.memoryUsage().heapUsed - heapBefore;

  const rng = new Rng(99);
  /** Events per second of rounds of 1,000 writes on connections drawn from the first `active`. */
  const traffic = (active: number): number => {
    const round = (): number => {
      const before = world.clock.fired;
      for (let i = 0; i < 1000; i++) (clients[rng.index(active)] as SimSocket).write(payload);
      world.runUntilIdle();
      return world.clock.fired - before;
    };
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
  const eventsPerSec = traffic(clients.length);
  const activeEventsPerSec = traffic(Math.min(1000, clients.length));
  if (world.clock.pendingCount !== 0) throw new Error('sim bench: world not idle');
  return { heapBytes, eventsPerSec, activeEventsPerSec, setupMs };
}

export async function run(): Promise<BenchResult[]> {
  const untraced = attemptWorkload(false);
  const traced = attemptWorkload(true);
  const off = compareSpeeds(untraced, untraced, { repeats: 5 });
  const on = compareSpeeds(traced, traced, { repeats: 5 });
  const results: BenchResult[] = [
    result('sim.connect-attempts', { walks: WALKS, inFlight: IN_FLIGHT, trace: 'off' }, 'attempts/s', { detnet: off.detnet, baseline: ATTEMPT_GOAL }, 'goal'),
    result('sim.connect-attempts', { walks: WALKS, inFlight: IN_FLIGHT, trace: 'on' }, 'attempts/s', { detnet: on.detnet, baseline: ATTEMPT_GOAL }, 'goal'),
  ];

  const hosts = 10_000;
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
