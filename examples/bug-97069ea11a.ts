/**
 * Bug 97069ea11a (Tcl 8.5.15 / 8.6.1, generic I/O): closing a channel whose background flush
 * had failed returned an error with an EMPTY message. Set-up of upstream test 14.11.1: a
 * non-blocking `puts` + `flush` while the connect is still walking (so the flush goes to the
 * background), the connect then fails, the writable handler fires, and `close` reports the
 * flush failure: "socket is not connected" by default, "" under `tcl-8.6.1-unix`.
 */
import { refusePort } from '../src/sim/faults.js';
import { TclError } from '../src/socket/tcl-error.js';
import { clientServerWorld, interpOn, main, script, timeline, type ExampleRun } from './support.js';

export interface CloseOutcome {
  readonly profile: string;
  /** The caught close error message, or null if close succeeded. */
  readonly closeError: string | null;
  readonly errorCode: string | null;
}

export function run(profile = 'tcl-8.6.1-unix'): ExampleRun<CloseOutcome> {
  const { world } = clientServerWorld();
  world.dns.set('svc.example', ['fd00::2', '10.0.0.2']);
  world.faults.install(refusePort('fd00::2', 25));
  world.faults.install(refusePort('10.0.0.2', 25));
  const tcl = interpOn(world, 'client', profile);
  const h = tcl.socket('svc.example', 25, { async: true });
  h.configure({ '-blocking': '0' });
  h.puts('ok');
  h.flush();
  h.fileevent('writable', script('set x writable', () => tcl.set('x')));
  tcl.vwait('x');
  let closeError: string | null = null;
  let errorCode: string | null = null;
  try {
    h.close();
  } catch (err) {
    if (!(err instanceof TclError)) throw err;
    closeError = err.message;
    errorCode = err.errorCode;
  }
  return { outcome: { profile, closeError, errorCode }, timeline: timeline(world) };
}

main(import.meta.url, 'Bug 97069ea11a: empty error message on close after a failed background flush', () => {
  const buggy = run('tcl-8.6.1-unix');
  const fixed = run('tcl-8.6.13-unix');
  return { outcome: [buggy.outcome, fixed.outcome], timeline: [...buggy.timeline, '', '--- default profile ---', ...fixed.timeline] };
});
