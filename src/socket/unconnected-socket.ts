/**
 * `UnconnectedSocket`: the descriptor a connect attempt leaves behind when its `bind` or
 * `connect` fails at once, as a `DriverSocket` (the `failed` case of `Driver.openAttempt`).
 *
 * Owns: what Linux reports for such a socket. The descriptor stays open (Tcl closes it when the
 * next attempt starts, or with the channel) in TCP's CLOSE state, which `select` reports as
 * readable (hang-up) and writable; `recv`/`send` fail with ENOTCONN; SO_ERROR is 0 (the error
 * came back from the system call itself); `getsockname` answers what the socket is bound to —
 * the family's wildcard with port 0 when the bind itself failed. The kernel socket underneath
 * keeps its port until `close`.
 *
 * Used by drivers whose own socket does not report that state: the simulated kernel's socket
 * reports nothing ready before its connect starts. It lives with the drivers, not the channel:
 * the connect walk only ever sees a socket that polls ready and a stored error.
 *
 * Departs from reality: readiness never changes while the socket is open (nothing can happen to
 * an unconnected socket that nobody uses), so no change is ever announced.
 */
import { READABLE, WRITABLE } from '../loop/notifier.js';
import { WILDCARD } from '../net/address.js';
import { NetError, type Errno } from '../net/net-error.js';
import type { Family, SockAddr } from '../net/sock-addr.js';
import type { DriverSocket } from './driver.js';

/** The part of a driver's own socket the stand-in needs: its name, its bound address, close. */
export interface LeftoverSocket {
  readonly name: string;
  /** `getsockname`, or null if the socket was never bound. */
  localAddress(): SockAddr | null;
  close(): void;
}

const NO_UNSUBSCRIBE = (): void => undefined;

/** An open, never connected socket: readable and writable (hang-up) until closed; I/O says ENOTCONN. */
export class UnconnectedSocket implements DriverSocket {
  readonly name: string;
  private open = true;

  constructor(
    private readonly kernel: LeftoverSocket,
    private readonly family: Family,
  ) {
    this.name = kernel.name;
  }

  readiness(): number {
    return this.open ? READABLE | WRITABLE : 0;
  }

  onReadinessChange(): () => void {
    return NO_UNSUBSCRIBE; // readiness never changes while open, and close announces nothing
  }

  takeError(): Errno | null {
    return null;
  }

  localAddress(): SockAddr | null {
    if (!this.open) return null;
    return this.kernel.localAddress() ?? { family: this.family, address: WILDCARD[this.family], port: 0 };
  }

  remoteAddress(): SockAddr | null {
    return null;
  }

  read(_max: number): Uint8Array | 'eagain' | 'eof' {
    throw new NetError('ENOTCONN', { syscall: 'recv' });
  }

  write(_data: Uint8Array): number {
    throw new NetError('ENOTCONN', { syscall: 'send' });
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.kernel.close();
  }
}
