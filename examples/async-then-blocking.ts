/**
 * Seed use case "async connect and blocking operation": start a connect, do other work, check
 * `-error` (which also advances the walk), then finish synchronously with blocking `puts` and
 * `gets` — the blocking commands wait for the whole walk, without running event handlers.
 */
import { refusePort } from '../src/sim/faults.js';
import { TclError } from '../src/socket/tcl-error.js';
import { app, clientServerWorld, interpOn, main, tclCatch, timeline, type ExampleRun } from './support.js';

export interface AsyncThenBlockingOutcome {
  readonly errorChecks: readonly string[];
  readonly reply: string | null;
  readonly failure: string | null;
}

export function run(options: { refused?: boolean } = {}): ExampleRun<AsyncThenBlockingOutcome> {
  const { world, server } = clientServerWorld();
  world.dns.set('svc.example', ['fd00::2', '10.0.0.2']);
  world.faults.install(refusePort('fd00::2', 7));
  if (options.refused) world.faults.install(refusePort('10.0.0.2', 7));
  app(server, 7, { kind: 'echo' });

  const tcl = interpOn(world);
  const h = tcl.socket('svc.example', 7, { async: true });
  const errorChecks: string[] = [];
  tcl.after(1); // do something else which needs time
  errorChecks.push(h.configure('-error'));
  tcl.after(1);
  errorChecks.push(h.configure('-error'));
  let reply: string | null = null;
  let failure: string | null = null;
  try {
    h.puts('HELO');
    h.flush(); // blocks until the walk is over
    reply = h.gets();
    h.close();
  } catch (err) {
    if (!(err instanceof TclError)) throw err;
    failure = err.message;
    errorChecks.push(h.configure('-error'));
    tclCatch(() => h.close()); // the seed's `catch {close $h}`
  }
  return { outcome: { errorChecks, reply, failure }, timeline: timeline(world) };
}

main(import.meta.url, 'Async connect, then blocking operations', () => run());
