/**
 * The loopback observations of reference §3.4, on the simulated world: a refused loopback
 * connect is known to the kernel before the next command runs, so the very first option query
 * already sees the end of the walk (oracle `refused-poll-connecting`), and with `localhost` =
 * ::1 (refused) then 127.0.0.1 (listening) the first query consumes the ::1 failure and sees
 * 1, the second sees 0 (oracle `dual-v4only-poll`). This needs `Driver.settle`.
 */
import { describe, expect, it } from 'vitest';
import { World } from '../../../src/sim/world.js';
import { serve } from '../../../src/sim/apps.js';
import { SimDriver } from '../../../src/socket/sim-driver.js';
import { Interp } from '../../../src/socket/interp.js';

function box(): { world: World; tcl: Interp; host: ReturnType<World['addHost']> } {
  const world = new World({ seed: 1 });
  const host = world.addHost('box', { addresses: ['10.0.0.5'] });
  return { world, host, tcl: new Interp(new SimDriver(world, 'box'), { trace: world.trace }) };
}

describe('loopback observations of reference §3.4 on the simulated world', () => {
  it('refused-poll-connecting: the first -connecting after a refused loopback connect is 0', () => {
    const { tcl } = box();
    const h = tcl.socket('127.0.0.1', 45_000, { async: true });
    expect(h.configure('-connecting')).toBe('0');
    expect(h.configure('-error')).toBe('connection refused');
    expect(h.configure('-error')).toBe('');
  });

  it('dual-v4only-poll: with ::1 refused and 127.0.0.1 listening, -connecting reads 1 then 0', () => {
    const { host, tcl } = box();
    serve(host, { port: 8080, address: '127.0.0.1', behaviour: { kind: 'reply', line: 'bye', then: 'close' } });
    const h = tcl.socket('localhost', 8080, { async: true });
    expect([h.configure('-connecting'), h.configure('-connecting')]).toEqual(['1', '0']);
    expect(h.configure('-peername')).toBe('127.0.0.1 127.0.0.1 8080');
  });

  it('refused-nonblocking-flush: a non-blocking flush right after a refused loopback connect fails at once', () => {
    // Reference §6: "a non-blocking flush right after socket -async 127.0.0.1 <closed port>
    // fails synchronously with error flushing ...: socket is not connected".
    const { tcl } = box();
    const h = tcl.socket('127.0.0.1', 45_001, { async: true });
    h.configure({ '-blocking': '0' });
    h.puts('x');
    expect(() => h.flush()).toThrow('error flushing "sock1": socket is not connected');
  });
});
