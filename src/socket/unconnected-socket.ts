/**
 * `UnconnectedSocket`: the socket a failed walk keeps when its last attempt failed
 * synchronously (bind or immediate connect error), so the channel still has a socket to report
 * readiness on (reference §3.3 step 4, §3.5).
 *
 * Owns: nothing but that stand-in. Departs from reality: `getsockname` answers with the address
 * the attempt meant to bind to (Linux would report the kernel's choice, or `0.0.0.0 0` if the
 * bind itself failed).
 */
import { READABLE, WRITABLE } from '../loop/notifier.js';
import { NetError, type Errno } from '../net/net-error.js';
import type { SockAddr } from '../net/sock-addr.js';
import type { DriverSocket } from './driver.js';

/** Open but never connected: readable and writable (hang-up) for good; I/O says ENOTCONN. */
export class UnconnectedSocket implements DriverSocket {
  private open = true;
  constructor(
    readonly name: string,
    private readonly local: SockAddr,
  ) {}
  readiness(): number {
    return this.open ? READABLE | WRITABLE : 0;
  }
  onReadinessChange(): () => void {
    return () => undefined; // readiness never changes while open
  }
  takeError(): Errno | null {
    return null;
  }
  localAddress(): SockAddr | null {
    return this.local;
  }
  remoteAddress(): SockAddr | null {
    return null;
  }
  read(): Uint8Array | 'eagain' | 'eof' {
    throw new NetError('ENOTCONN', { syscall: 'recv' });
  }
  write(): number {
    throw new NetError('ENOTCONN', { syscall: 'send' });
  }
  close(): void {
    this.open = false;
  }
}
