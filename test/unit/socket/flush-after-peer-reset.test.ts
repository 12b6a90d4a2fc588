// Issue 9 item 4: a blocking `flush` spun for ever at 100% CPU once the peer had closed and
// then reset the connection, because the client socket stayed established and writable while
// its kernel refused every byte. On a real kernel the bytes are taken (or the write fails with
// EPIPE/ECONNRESET once the RST is in), so the flush ends. The spin never touched the clock,
// so each blocking form here runs under a budget of socket writes: a regression fails with
// "write budget exceeded" instead of hanging the suite. The non-blocking form is bounded by
// the event loop's own limit.
//
// What real tclsh 8.6.13 says on loopback (server: read a line, `puts bye`, close; client as
// below): `flush` of "b" after `after 1` fails with `error flushing "sockN": broken pipe` (the
// RST is in by then; on loopback it takes microseconds), and every later flush too. With
// `latency: fixed(1)` the RST reaches the client 1 ms after "a" was sent, so with `after 1`
// "b" is still taken and the error comes at the next write; with `after 5` it is the
// loopback answer exactly.
import { describe, expect, it } from 'vitest';
import { serve } from '../../../src/sim/apps.js';
import type { Host } from '../../../src/sim/host.js';
import { fixed } from '../../../src/sim/latency.js';
import { World } from '../../../src/sim/world.js';
import { SimDriver } from '../../../src/socket/sim-driver.js';
import { Interp, type Channel } from '../../../src/socket/interp.js';

const WRITE_BUDGET = 10_000;

/** Makes every socket `host` creates from now on throw once it has been written to too often. */
function budgetWrites(host: Host): void {
  const make = host.socket.bind(host);
  host.socket = (family) => {
    const s = make(family);
    const write = s.write.bind(s);
    let calls = 0;
    s.write = (data) => {
      if (++calls > WRITE_BUDGET) throw new Error(`write budget exceeded: ${WRITE_BUDGET} writes on ${s.name} (a flush spinning?)`);
      return write(data);
    };
    return s;
  };
}

/** The issue's world: a server that replies `bye` and closes, accepting after 10 ms; a blocking client. */
function issueWorld(): { world: World; tcl: Interp; c: Channel } {
  const world = new World({ seed: 1, latency: fixed(1) });
  const client = world.addHost('client', { addresses: ['10.0.0.1'] });
  const server = world.addHost('server', { addresses: ['10.0.0.2'] });
  serve(server, { port: 80, behaviour: { kind: 'reply', line: 'bye', then: 'close' }, acceptDelayMs: 10 });
  budgetWrites(client);
  const tcl = new Interp(new SimDriver(world, 'client'), { trace: world.trace });
  const c = tcl.socket('10.0.0.2', 80);
  c.puts('hello');
  c.flush();
  expect(c.gets()).toBe('bye');
  c.puts('a');
  c.flush();
  return { world, tcl, c };
}

describe('a blocking flush after the peer closed and reset (issue 9 item 4)', () => {
  it('returns: with after 1 the RST is still on the wire, so "b" is taken and the next flush says broken pipe', () => {
    const { world, tcl, c } = issueWorld();
    tcl.after(1);
    c.puts('b');
    c.flush(); // spun for ever before the fix
    expect(world.clock.now()).toBe(13);
    tcl.after(5);
    c.puts('c');
    expect(() => c.flush()).toThrow('error flushing "sock1": broken pipe');
    c.close();
  });

  it('fails with broken pipe, as tclsh does on loopback, once the RST has arrived', () => {
    const { tcl, c } = issueWorld();
    tcl.after(5);
    c.puts('b');
    expect(() => c.flush()).toThrow('error flushing "sock1": broken pipe');
    c.close();
  });

  it('in non-blocking mode the background flush ends and -error reports broken pipe, instead of a runaway at frozen time', () => {
    // Before the fix: ERR_LOOP_LIMIT after 1,000,000 writable events at 13 ms.
    const { world, tcl, c } = issueWorld();
    tcl.after(1);
    c.configure({ '-blocking': '0' });
    c.puts('b');
    c.flush();
    tcl.afterScript(20, { text: 'set done 1', run: () => tcl.set('done', '1') });
    tcl.vwait('done');
    expect(world.clock.now()).toBe(33);
    expect(c.configure('-error')).toBe('broken pipe');
    c.close();
  });
});
