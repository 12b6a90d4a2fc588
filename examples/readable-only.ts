/**
 * Seed use case "Background connect and only readevent": no writable handler and no timeout;
 * the readable handler learns of a failure through `-error`, and otherwise reads the reply.
 * HELO is written non-blocking right after `socket -async`, before the connect finished: it
 * goes to a background flush and is sent once the connect completes.
 * `refused: true` makes every address refuse, so the readable handler sees the error.
 */
import { refusePort } from '../src/sim/faults.js';
import { app, clientServerWorld, interpOn, main, script, tclCatch, timeline, type ExampleRun } from './support.js';

export interface ReadableOnlyOutcome {
  readonly error: string;
  readonly data: string | null;
  /** What `catch {close $h}` caught: the unflushed HELO cannot be sent on a failed socket. */
  readonly closeError: string;
  readonly serverReceived: string;
}

export function run(options: { refused?: boolean } = {}): ExampleRun<ReadableOnlyOutcome> {
  const { world, server } = clientServerWorld();
  world.dns.set('svc.example', ['fd00::2', '10.0.0.2']);
  world.faults.install(refusePort('fd00::2', 7));
  if (options.refused) world.faults.install(refusePort('10.0.0.2', 7));
  const echo = app(server, 7, { kind: 'echo' });

  const tcl = interpOn(world);
  let error = '';
  let data: string | null = null;
  let closeError = '';
  const h = tcl.socket('svc.example', 7, { async: true });
  h.fileevent('readable', script('Receive', () => {
    error = h.configure('-error');
    if (error !== '') {
      closeError = tclCatch(() => h.close()); // the seed's `catch {close $h}`
      tcl.set('done');
      return;
    }
    data = h.gets();
    h.close();
    tcl.set('done');
  }));
  // "It will be automatically sent when the connect succeeds."
  h.configure({ '-blocking': '0' });
  h.puts('HELO');
  h.flush();
  tcl.vwait('done');
  world.runUntilIdle();
  return { outcome: { error, data, closeError, serverReceived: echo.received }, timeline: timeline(world) };
}

main(import.meta.url, 'Background connect with only a readable event', () => run());
