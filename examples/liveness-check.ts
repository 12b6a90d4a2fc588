/**
 * Seed use case "checking many servers for liveness" (TIP 427's motivation): open an async
 * connect to every server at once, keep doing other work, and poll `-connecting` on each until
 * all have finished or a deadline passes. One server accepts, one refuses, one sits behind a
 * blackhole (still connecting at the deadline), one is on an unreachable network.
 */
import { blackhole, refusePort } from '../src/sim/faults.js';
import { World } from '../src/sim/world.js';
import { app, interpOn, main, timeline, type ExampleRun } from './support.js';

export type Liveness = Readonly<Record<string, string>>;

export function run(options: { deadlineMs?: number } = {}): ExampleRun<Liveness> {
  const world = new World({ seed: 7 });
  world.addHost('monitor', { addresses: ['10.0.0.1'], routes: { '10.0.0.0/24': 'reachable', '0.0.0.0/0': 'network-unreachable' } });
  const up = world.addHost('up', { addresses: ['10.0.0.10'] });
  world.addHost('refusing', { addresses: ['10.0.0.11'] });
  world.addHost('silent', { addresses: ['10.0.0.12'] });
  world.addHost('faraway', { addresses: ['192.0.2.1'] });
  app(up, 80, { kind: 'reply', line: 'ok', then: 'close' });
  world.faults.install(refusePort('10.0.0.11', 80));
  world.faults.install(blackhole('10.0.0.12'));

  const tcl = interpOn(world, 'monitor');
  const targets = ['10.0.0.10', '10.0.0.11', '10.0.0.12', '192.0.2.1'];
  const status: Record<string, string> = {};
  const open = new Map<string, ReturnType<typeof tcl.socket>>();
  for (const t of targets) {
    try {
      open.set(t, tcl.socket(t, 80, { async: true }));
    } catch (err) {
      status[t] = `failed at once: ${(err as Error).message}`;
    }
  }
  const deadline = world.clock.now() + (options.deadlineMs ?? 3000);
  while (open.size > 0 && world.clock.now() < deadline) {
    tcl.after(500); // other work
    for (const [t, h] of [...open]) {
      if (h.configure('-connecting') === '1') continue;
      const error = h.configure('-error');
      status[t] = error === '' ? 'alive' : `down: ${error}`;
      h.close();
      open.delete(t);
    }
  }
  for (const [t, h] of open) {
    status[t] = 'no answer before the deadline';
    h.close();
  }
  return { outcome: status, timeline: timeline(world) };
}

main(import.meta.url, 'Checking many servers for liveness without an event loop', () => run());
