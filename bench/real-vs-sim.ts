/**
 * Benchmark `real-vs-sim`: the same 1,000-connect scenario over real loopback (Node driver,
 * RealClock) and on the simulated world, through the same Interp and channels — half the
 * connects to a refused port, half to a listener that replies one line — and, when `tclsh` is
 * on the machine, in real Tcl 8.6 as a third column of reference.
 *
 * Each connect: `socket -async`, a readable handler that reads the reply (or sees the
 * failure through -error), close, vwait. Wall time of the 1,000 connects; ratio = how many times
 * faster the simulation is (goal ≥ 100×).
 *
 * Method: both sides are timed from the first `socket` to the last `vwait` — setting up (the
 * world and its listener; the real listener, the refused port and the driver) is outside the
 * timing on both. The simulated listener `forget`s finished connections, as the real one keeps
 * nothing. Warm-up alternates: SIM_WARMUP simulated runs (the JIT needs tens of thousands of
 * connects to settle), a real run, then SIM_WARMUP simulated runs again — the real run feeds the
 * shared code (Interp, channels, loop, notifier) new types, which deoptimises what the first
 * warm-up optimised, so the simulation is only timed once it has settled again — WARMUP_ROUNDS
 * times in all. Then each timed real run is followed by
 * SIM_PER_REAL timed simulated runs, and each side reports its median. A simulated run takes a
 * few milliseconds, so it gets more samples than the real one to keep GC pauses from deciding it.
 * After every timed real run the process idles QUIET_MS and does SIM_REWARM untimed simulated
 * runs before timing any: the first simulated runs after a real one measured 2–7× slower than
 * the rest (the real run's types deoptimise the shared code again; the collector and compiler
 * threads catch up), and that is the cost of switching drivers, not of simulating.
 *
 * Second row: the Node driver against plain `node:net` doing the same 1,000 connects (same
 * server, same refused port, one connect at a time: `net.connect`, read the reply or see
 * ECONNREFUSED, close). It prices what the driver, the connect machine, the channels and the
 * event loop add over the bare sockets; goal: at most 1.5× the plain time. Each timed real run
 * is followed by one plain run; each reports its median.
 */
import { execFileSync } from 'node:child_process';
import { connect, createServer, type Server } from 'node:net';
import { nowMs, median, type BenchResult } from './harness.js';
import { World } from '../src/sim/world.js';
import { serve } from '../src/sim/apps.js';
import { SimDriver } from '../src/socket/sim-driver.js';
import type { Driver } from '../src/socket/driver.js';
import { Interp } from '../src/socket/interp.js';
import { createNodeDriver } from '../src/node.js';
import type { Channel } from '../src/socket/channel.js';

const CONNECTS = 1000;
const SIM_WARMUP = 40;
/** Warm-up rounds of (SIM_WARMUP simulated runs, one real run); see the method above. */
const WARMUP_ROUNDS = 3;
const QUIET_MS = 100;
const SIM_REWARM = 5;
const REAL_RUNS = 5;
const SIM_PER_REAL = 5;

/** One connect's script; resolves the outcome into `tally`. */
function receive(tcl: Interp<Driver>, h: Channel, tally: { ok: number; refused: number }): () => void {
  return () => {
    if (h.configure('-error') !== '') tally.refused++;
    else if (h.gets() === 'hello') tally.ok++;
    h.close();
    tcl.set('done');
  };
}

function simRun(): { ms: number; ok: number; refused: number } {
  const world = new World({ seed: 9, trace: { enabled: false, keep: false } });
  const box = world.addHost('box', { addresses: ['10.0.0.5'] });
  serve(box, { port: 8080, address: '127.0.0.1', forget: true, behaviour: { kind: 'reply', line: 'hello', then: 'close' } });
  const tcl = new Interp(new SimDriver(world, 'box'), { trace: world.trace });
  const tally = { ok: 0, refused: 0 };
  const start = nowMs();
  for (let i = 0; i < CONNECTS; i++) {
    const h = tcl.socket('127.0.0.1', i % 2 === 0 ? 8080 : 8081, { async: true });
    h.fileevent('readable', { text: 'Receive', run: receive(tcl, h, tally) });
    tcl.vwait('done');
  }
  return { ms: nowMs() - start, ...tally };
}

async function realRun(): Promise<{ ms: number; ok: number; refused: number }> {
  const server: Server = createServer((s) => s.end('hello\r\n'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const refused = await refusedPort();
  const driver = createNodeDriver({ lingerMs: 0 });
  const tcl = new Interp(driver);
  tcl.trace.enabled = false;
  const tally = { ok: 0, refused: 0 };
  const start = nowMs();
  try {
    for (let i = 0; i < CONNECTS; i++) {
      const h = await tcl.socketAsync('127.0.0.1', i % 2 === 0 ? port : refused, { async: true });
      h.fileevent('readable', { text: 'Receive', run: receive(tcl, h, tally) });
      await tcl.vwaitAsync('done', { budgetMs: 10_000 });
    }
    return { ms: nowMs() - start, ...tally };
  } finally {
    tcl.close();
    await driver.dispose();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

/** The same connects with plain `node:net`: the floor the Node driver is compared with. */
async function plainRun(): Promise<{ ms: number; ok: number; refused: number }> {
  const server: Server = createServer((s) => s.end('hello\r\n'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const refused = await refusedPort();
  const tally = { ok: 0, refused: 0 };
  const one = (to: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const s = connect({ host: '127.0.0.1', port: to });
      let got = '';
      s.setEncoding('latin1');
      s.on('data', (chunk: string) => (got += chunk));
      s.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ECONNREFUSED') tally.refused++;
      });
      s.on('end', () => {
        if (got.startsWith('hello')) tally.ok++;
        s.end();
      });
      s.on('close', () => resolve());
    });
  const start = nowMs();
  try {
    for (let i = 0; i < CONNECTS; i++) await one(i % 2 === 0 ? port : refused);
    return { ms: nowMs() - start, ...tally };
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}

/** Lets background work of the previous run (GC, JIT) finish before the next timed run. */
function quiet(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, QUIET_MS));
}

/**
 * A loopback port with nothing listening, below Linux's ephemeral range (32768–60999). An
 * ephemeral port will not do: a client whose own ephemeral source port happens to equal it
 * connects to itself (TCP simultaneous open) instead of being refused, and its `vwait` never
 * ends — about one run in fifty did so.
 */
async function refusedPort(): Promise<number> {
  for (let port = 20_000; port < 20_200; port++) {
    const probe = createServer();
    const bound = await new Promise<boolean>((resolve) => {
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (bound) {
      await new Promise<void>((r) => probe.close(() => r()));
      return port;
    }
  }
  throw new Error('real-vs-sim: no free port in 20000–20199 to use as the refused port');
}

/** The same loop in real tclsh, timed inside Tcl; undefined if tclsh is missing. */
function tclRun(rport: number): number | undefined {
  const script = `
    proc reply {s a p} { puts $s hello; close $s }
    set srv [socket -server reply -myaddr 127.0.0.1 0]
    set port [lindex [fconfigure $srv -sockname] 2]
    set rport ${rport}
    proc receive {h} {
      if {[fconfigure $h -error] eq ""} { gets $h }
      close $h; set ::done 1
    }
    set t [clock microseconds]
    for {set i 0} {$i < ${CONNECTS}} {incr i} {
      set h [socket -async 127.0.0.1 [expr {$i % 2 == 0 ? $port : $rport}]]
      fileevent $h readable [list receive $h]
      vwait done
    }
    puts [expr {([clock microseconds] - $t) / 1000.0}]
  `;
  try {
    return Number(execFileSync('tclsh', [], { input: script, timeout: 60_000, stdio: ['pipe', 'pipe', 'pipe'] }).toString().trim());
  } catch (err) {
    // Missing tclsh is expected on some machines; any other failure is said, not hidden.
    const code = (err as { code?: unknown }).code;
    if (code !== 'ENOENT') console.error(`real-vs-sim: tclsh run failed, no tclsh row: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    return undefined;
  }
}

export async function run(): Promise<BenchResult[]> {
  // Warm both paths up (see the method in the header), then alternate timed runs.
  for (let round = 0; round < WARMUP_ROUNDS; round++) {
    for (let i = 0; i < SIM_WARMUP; i++) simRun();
    await realRun();
    await quiet();
  }
  await plainRun();
  const sims: number[] = [];
  const reals: number[] = [];
  const plains: number[] = [];
  const check = (what: string, r: { ok: number; refused: number }): void => {
    if (r.ok !== CONNECTS / 2 || r.refused !== CONNECTS / 2) {
      throw new Error(`real-vs-sim: unexpected ${what} outcomes ${JSON.stringify(r)} (each run should have ${CONNECTS / 2} of each)`);
    }
  };
  for (let i = 0; i < REAL_RUNS; i++) {
    const r = await realRun();
    check('real', r);
    reals.push(r.ms);
    await quiet();
    const p = await plainRun();
    check('plain node:net', p);
    plains.push(p.ms);
    await quiet();
    for (let j = 0; j < SIM_REWARM; j++) simRun();
    for (let j = 0; j < SIM_PER_REAL; j++) {
      const s = simRun();
      check('simulated', s);
      sims.push(s.ms);
    }
  }
  const simMs = median(sims);
  const realMs = median(reals);
  const results: BenchResult[] = [
    {
      benchmark: 'real-vs-sim.1000-connects',
      params: { connects: CONNECTS, refused: CONNECTS / 2, replying: CONNECTS / 2, samples: `${sims.length} sim, ${reals.length} real` },
      unit: 'runs/s (1 run = 1,000 connects)',
      detnet: Math.round((1000 / simMs) * 100) / 100,
      baseline: Math.round((1000 / realMs) * 100) / 100,
      baselineName: 'same Interp over real loopback (Node driver)',
      ratio: Math.round((realMs / simMs) * 10) / 10,
    },
  ];
  const plainMs = median(plains);
  results.push({
    benchmark: 'real-vs-sim.node-driver-vs-net',
    params: { connects: CONNECTS, refused: CONNECTS / 2, replying: CONNECTS / 2, samples: `${reals.length} each`, slowdown: `${Math.round((realMs / plainMs) * 100) / 100}x (goal <= 1.5x)` },
    unit: 'runs/s (1 run = 1,000 connects)',
    detnet: Math.round((1000 / realMs) * 100) / 100,
    baseline: Math.round((1000 / plainMs) * 100) / 100,
    baselineName: 'plain node:net, same 1,000 connects',
    ratio: Math.round((plainMs / realMs) * 100) / 100,
  });
  const tclMs = tclRun(await refusedPort());
  if (tclMs !== undefined && Number.isFinite(tclMs)) {
    results.push({
      benchmark: 'real-vs-sim.1000-connects',
      params: { connects: CONNECTS, refused: CONNECTS / 2, replying: CONNECTS / 2 },
      unit: 'runs/s (1 run = 1,000 connects)',
      detnet: Math.round((1000 / simMs) * 100) / 100,
      baseline: Math.round((1000 / tclMs) * 100) / 100,
      baselineName: 'tclsh 8.6 over real loopback',
      ratio: Math.round((tclMs / simMs) * 10) / 10,
    });
  }
  return results;
}
