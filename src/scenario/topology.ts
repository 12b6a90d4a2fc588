/**
 * A scenario's loopback topology on a detnet backend: its listeners and its refused port, made
 * through the interpreter and the driver so the same code serves the simulated world and
 * real sockets, following the same rules as the Tcl renderer's script.
 *
 * Owns: in-process listeners (`socket -server` in the client's own interpreter, whose accept
 * callback runs the behaviour with traced commands, exactly as the Tcl script's `__accept`),
 * child listeners (`FixtureListener`), listening on both families with one port, and the
 * choice of `<rport>`.
 *
 * Does not: run the client script (run.ts) or decide which commands the trace keeps.
 *
 * Departs from reality: nothing of its own.
 */
import { DetnetError } from '../errors.js';
import type { Driver } from '../socket/driver.js';
import type { Channel, Interp } from '../socket/interp.js';
import { TclError } from '../socket/tcl-error.js';
import { NetError } from '../net/net-error.js';
import { FixtureListener } from './fixture-server.js';
import type { ListenerSpec } from './scenario.js';

/** First port probed for `<rport>`: below Linux's ephemeral range (32768–60999). */
export const REFUSED_PORT_BASE = 20_000;

/** Runs `fn`, swallowing a `TclError` (the interpreter has traced it), as Tcl's `catch`. */
export function tclCatch(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof TclError)) throw err;
  }
}

/** An in-process listener: `socket -server` in `interp`; returns its port. */
export async function inProcessListener(interp: Interp<Driver>, l: ListenerSpec): Promise<number> {
  let accepted = 0;
  const onAccept = (chan: Channel): void => {
    accepted++;
    const b = l.behaviour;
    if (b.kind === 'reply-close' || b.kind === 'reply-open') tclCatch(() => chan.puts(b.line));
    if (b.kind === 'reply-close' || b.kind === 'close') tclCatch(() => chan.close());
    if (b.kind === 'reply-open') tclCatch(() => chan.flush());
    if (l.signal !== undefined) interp.set(l.signal, String(accepted));
  };
  const first = l.on === 'both' ? '127.0.0.1' : l.on;
  for (let attempt = 0; attempt < 50; attempt++) {
    const server = await interp.serverAsync(l.port ?? 0, onAccept, { myaddr: first });
    if (l.on !== 'both') return server.port;
    try {
      await interp.serverAsync(server.port, onAccept, { myaddr: '::1' });
      return server.port;
    } catch (err) {
      if (!(err instanceof TclError)) throw err;
      server.close(); // that port is taken on ::1: try another
    }
  }
  throw new DetnetError('ERR_SCENARIO_SETUP', 'no port is free on both loopback addresses');
}

/** A child listener, running on its own through the driver. */
export function childListener(driver: Driver, l: ListenerSpec): Promise<FixtureListener> {
  return FixtureListener.start(driver, l);
}

/**
 * A port with no listener on either loopback address, probed upwards from
 * `REFUSED_PORT_BASE`, below the ephemeral range: a refused port from that range can be
 * handed to the client's own wildcard bind, and the connect then meets itself (TCP
 * self-connect) instead of being refused. Same rule as the Tcl side's `::detnet::refused_port` (tcl-prelude.ts).
 */
export async function refusedPort(driver: Driver): Promise<number> {
  for (let port = REFUSED_PORT_BASE; port < REFUSED_PORT_BASE + 200; port++) {
    const l4 = await driver.listenAsync({ address: '127.0.0.1', port }).catch(() => null);
    if (l4 === null) continue;
    try {
      const l6 = await driver.listenAsync({ address: '::1', port }).catch((err: unknown) => (err instanceof NetError && err.code === 'EADDRNOTAVAIL' ? 'no-ipv6' : null));
      if (l6 === null) continue;
      // A machine without ::1 (a scenario world with "loopback": {"ipv6": false}) has only 127.0.0.1 to keep free.
      if (l6 !== 'no-ipv6') l6.close();
      return port;
    } finally {
      l4.close();
    }
  }
  throw new DetnetError('ERR_SCENARIO_SETUP', `no port is free on both loopback addresses in ${REFUSED_PORT_BASE}..${REFUSED_PORT_BASE + 199}`);
}
