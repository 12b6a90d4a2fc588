/**
 * Bug 581937ab1e (Windows Tcl 8.5.15 / 8.6.1): no readable event on an async connect failure
 * unless a writable handler is installed too. Upstream test 14.14: a refused connect with a
 * readable handler only. Under `tcl-8.6.1-win` the handler never fires and the 1 s timeout
 * ends the wait; under the default profile the readable handler fires at once.
 */
import { refusePort } from '../src/sim/faults.js';
import { clientServerWorld, interpOn, main, script, timeline, type ExampleRun } from './support.js';

export interface ReadableOutcome {
  readonly profile: string;
  /** `readable` or `timeout`. */
  readonly x: string;
}

export function run(profile = 'tcl-8.6.1-win'): ExampleRun<ReadableOutcome> {
  const { world } = clientServerWorld();
  world.faults.install(refusePort('10.0.0.2', 80));
  const tcl = interpOn(world, 'client', profile);
  const h = tcl.socket('10.0.0.2', 80, { async: true });
  h.fileevent('readable', script('set x readable', () => tcl.set('x', 'readable')));
  const timer = tcl.afterScript(1000, script('set x timeout', () => tcl.set('x', 'timeout')));
  tcl.vwait('x');
  tcl.afterCancel(timer);
  h.close();
  return { outcome: { profile, x: tcl.get('x') ?? '' }, timeline: timeline(world) };
}

main(import.meta.url, 'Bug 581937ab1e: a readable-only fileevent misses a failed connect', () => {
  const buggy = run('tcl-8.6.1-win');
  const fixed = run('tcl-8.6.13-unix');
  return { outcome: [buggy.outcome, fixed.outcome], timeline: [...buggy.timeline, '', '--- default profile ---', ...fixed.timeline] };
});
