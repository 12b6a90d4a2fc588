/**
 * The connector on the simulated world: an attempt that fails at once is data the driver
 * returns, with the socket Linux keeps. When it is the walk's last attempt, that socket is the
 * one the failed channel holds (§3.3 step 4, §3.5): it polls readable and writable, so the
 * completion reaches the script; `-sockname` answers what it is bound to; it keeps its port
 * until the channel is closed. And the walk closes each attempt's socket before the next.
 */
import { describe, expect, it } from 'vitest';
import { World } from '../../../src/sim/world.js';
import { Interp } from '../../../src/socket/interp.js';
import { SimDriver } from '../../../src/socket/sim-driver.js';
import { caught } from '../sim/fixtures.js';
import { CountingScript } from '../../helpers/scripted-driver.js';

/** `svc` = [10.0.0.2 (nothing listens: refused), fd00::9 (no IPv6 route: fails at once)]. */
function refusedThenUnreachable(): { world: World; tcl: Interp } {
  const world = new World({ seed: 3 });
  world.addHost('client', { addresses: ['10.0.0.1'] });
  world.addHost('server', { addresses: ['10.0.0.2'] });
  world.dns.set('svc', ['10.0.0.2', 'fd00::9']);
  return { world, tcl: new Interp(new SimDriver(world, 'client'), { trace: world.trace }) };
}

describe('a walk whose last attempt fails at once', () => {
  it('keeps that attempt\'s socket: the completion fires, -sockname names its bind, its port is held until close', () => {
    const { world, tcl } = refusedThenUnreachable();
    const c = tcl.socket('svc', 80, { async: true, myport: 5000 });
    const w = new CountingScript('W', () => c.fileevent('writable', null));
    c.fileevent('writable', w);
    tcl.vwait(() => w.runs === 1, { budgetMs: 1_000 });
    expect(c.configure('-connecting')).toBe('0');
    expect(c.configure('-error')).toBe('network is unreachable');
    // Bound to [::]:5000 before connect failed: getsockname still says so (Linux keeps the fd).
    expect(c.configure('-sockname')).toBe(':: :: 5000');
    const client = world.host('client');
    // The first attempt's socket was closed when the second started, so only the second holds
    // port 5000: the IPv4 port is free, the IPv6 one is taken until the channel closes.
    client.socket('inet').bind({ address: '0.0.0.0', port: 5000 });
    expect(caught(() => client.socket('inet6').bind({ address: '::', port: 5000 })).code).toBe('EADDRINUSE');
    c.close();
    const again = client.socket('inet6');
    again.bind({ address: '::', port: 5000 });
    expect(again.localAddress()?.port).toBe(5000);
  });
});
