/**
 * Issue 9 item 5 on the simulated world: a non-blocking `close` while a background flush is
 * scheduled must not lose what the script wrote after that flush. Tcl's close first moves the
 * channel's current buffer to the output queue and only then defers (§7: the socket lives on
 * until the background flush has written everything queued), so the server receives every byte
 * written before `close` — real tclsh 8.6.13 delivers `hello\r\nworld`.
 */
import { describe, expect, it } from 'vitest';
import { serve } from '../../../src/sim/apps.js';
import { World } from '../../../src/sim/world.js';
import { Interp } from '../../../src/socket/interp.js';
import { SimDriver } from '../../../src/socket/sim-driver.js';

/** A client and a recording server 1 ms apart, so the connect is still in flight after `socket -async`. */
function twoHosts(): { world: World; tcl: Interp; received: () => string; serverSawEof: () => boolean } {
  const world = new World({ seed: 7 });
  world.addHost('client', { addresses: ['10.0.0.1'] });
  const server = world.addHost('server', { addresses: ['10.0.0.2'] });
  const app = serve(server, { port: 7000, behaviour: { kind: 'record' } });
  const tcl = new Interp(new SimDriver(world, 'client'), { trace: world.trace });
  return { world, tcl, received: () => app.received, serverSawEof: () => app.connections[0]?.eof === true };
}

describe('a non-blocking close after a background flush delivers everything written before it', () => {
  it('sends the unflushed "world" after the background-flushed "hello" line', () => {
    const { tcl, received, serverSawEof } = twoHosts();
    const c = tcl.socket('10.0.0.2', 7000, { async: true });
    c.configure({ '-blocking': '0' });
    c.puts('hello');
    c.flush(); // EAGAIN while connecting: the flush goes to the background (§6)
    c.puts('world', { nonewline: true }); // stays in the channel's current buffer
    c.close(); // deferred (§7): the socket lives until the background flush ends
    // The server reads until the client's FIN, which the deferred close sends once it is done.
    tcl.vwait(serverSawEof, { budgetMs: 1_000 });
    expect(received()).toBe('hello\r\nworld');
  });

  it('also delivers a buffered line when close comes before any flush ended', () => {
    // The same with a full line: what matters is the current buffer, not the newline.
    const { tcl, received, serverSawEof } = twoHosts();
    const c = tcl.socket('10.0.0.2', 7000, { async: true });
    c.configure({ '-blocking': '0' });
    c.puts('one');
    c.flush();
    c.puts('two');
    c.close();
    // The server reads until the client's FIN, which the deferred close sends once it is done.
    tcl.vwait(serverSawEof, { budgetMs: 1_000 });
    expect(received()).toBe('one\r\ntwo\r\n');
  });
});
