/**
 * Seed section "send pending data when connected": data written and flushed on a non-blocking
 * channel while the connect is still walking its candidates is sent automatically when the
 * connect completes — no fileevent, no close. `localhost` is ::1 then 127.0.0.1 and the server
 * listens on 127.0.0.1 only (the wiki author's set-up: IPv6 tried first).
 */
import { World } from '../src/sim/world.js';
import { app, interpOn, main, script, timeline, type ExampleRun } from './support.js';

export interface PendingDataOutcome {
  readonly serverReceived: string;
  readonly sentBeforeConnect: boolean;
}

export function run(): ExampleRun<PendingDataOutcome> {
  const world = new World({ seed: 3, loopbackLatency: { kind: 'fixed', ms: 1 } });
  const host = world.addHost('box', { addresses: ['10.0.0.5'] });
  const server = app(host, 30000, { kind: 'record' }, '127.0.0.1');

  const tcl = interpOn(world, 'box');
  const h = tcl.socket('localhost', 30000, { async: true });
  h.configure({ '-blocking': '0' });
  h.puts('Hi');
  h.flush(); // the connect is still walking: this schedules a background flush
  const sentBeforeConnect = server.received !== '';
  tcl.afterScript(2000, script('set w 1', () => tcl.set('w')));
  tcl.vwait('w');
  return { outcome: { serverReceived: server.received, sentBeforeConnect }, timeline: timeline(world) };
}

main(import.meta.url, 'Data written before the connect finished is sent when it completes', () => run());
