/**
 * Seed use case "Background connect and notification about connect": `socket -async`, a
 * writable fileevent that reports the connect, and a 10 s timeout that the writable event
 * cancels. `svc.example` resolves to fd00::2 (refused) then 10.0.0.2 (a server that answers
 * HELO with a line): the walk moves on to the second address and the writable handler fires
 * once, after the walk. With `blackholed: true` every SYN is lost and the timeout wins.
 */
import { blackhole } from '../src/sim/faults.js';
import { refusePort } from '../src/sim/faults.js';
import type { Channel } from '../src/socket/channel.js';
import { app, clientServerWorld, interpOn, main, script, timeline, type ExampleRun } from './support.js';

export interface BackgroundConnectOutcome {
  /** `connected`, `failed: <-error>` or `timeout`. */
  readonly result: string;
  /** The line the server answered, if any. */
  readonly reply: string | null;
  readonly writableEvents: number;
}

export function run(options: { blackholed?: boolean } = {}): ExampleRun<BackgroundConnectOutcome> {
  const { world, server } = clientServerWorld();
  world.dns.set('svc.example', ['fd00::2', '10.0.0.2']);
  world.faults.install(refusePort('fd00::2', 25));
  if (options.blackholed) world.faults.install(blackhole('server'));
  app(server, 25, { kind: 'reply', line: '220 hello', then: 'keep-open' });

  const tcl = interpOn(world);
  let result = 'pending';
  let reply: string | null = null;
  let writableEvents = 0;

  const h: Channel = tcl.socket('svc.example', 25, { async: true });
  const aid = tcl.afterScript(10_000, script('Timeout', () => {
    result = 'timeout';
    h.close();
    tcl.set('done');
  }));
  h.fileevent('writable', script('Connected', () => {
    writableEvents++;
    tcl.afterCancel(aid);
    const error = h.configure('-error');
    if (error !== '') {
      result = `failed: ${error}`;
      h.close();
      tcl.set('done');
      return;
    }
    result = 'connected';
    h.fileevent('writable', null); // level-triggered: it would fire again and again
    h.puts('HELO');
    h.flush();
    h.fileevent('readable', script('Receive', () => {
      reply = h.gets();
      h.close();
      tcl.set('done');
    }));
  }));
  tcl.vwait('done');
  return { outcome: { result, reply, writableEvents }, timeline: timeline(world) };
}

main(import.meta.url, 'Background connect with a writable notification and a timeout', () => run());
