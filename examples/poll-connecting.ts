/**
 * Seed use case "async connect and no event queue": poll `fconfigure -connecting` (TIP 427) in
 * a loop without ever entering the event loop — each query advances the walk by one step —
 * then read `-error` once. The polled values are collapsed like the oracle does (`1x3,0`).
 */
import { refusePort } from '../src/sim/faults.js';
import { collapseRuns } from '../src/trace/observation.js';
import { app, clientServerWorld, interpOn, main, timeline, type ExampleRun } from './support.js';

export interface PollOutcome {
  readonly polls: string;
  readonly error: string;
  readonly peername: string | null;
}

export function run(options: { refused?: boolean } = {}): ExampleRun<PollOutcome> {
  const { world, server } = clientServerWorld();
  world.dns.set('svc.example', ['fd00::2', '10.0.0.2']);
  world.faults.install(refusePort('fd00::2', 80));
  if (options.refused) world.faults.install(refusePort('10.0.0.2', 80));
  app(server, 80, { kind: 'reply', line: 'hi', then: 'keep-open' });

  const tcl = interpOn(world);
  const h = tcl.socket('svc.example', 80, { async: true });
  const polls: string[] = [];
  for (;;) {
    const connecting = h.configure('-connecting');
    polls.push(connecting);
    if (connecting === '0') break;
    tcl.after(1); // do something else which needs time
  }
  const error = h.configure('-error');
  const peername = error === '' ? h.configure('-peername') : null;
  h.close();
  tcl.note('connecting', collapseRuns(polls));
  return { outcome: { polls: collapseRuns(polls), error, peername }, timeline: timeline(world) };
}

main(import.meta.url, 'Polling -connecting without an event loop', () => run());
