/**
 * `ServerChannel`: a listening socket made by `socket -server`, and the words of that command.
 *
 * Owns: the server's notifier watch (readable = a connection waits in the accept queue), its
 * `-sockname`, and its close (traced, Tcl's error for a second close). Accepting a connection
 * — naming the new channel, tracing the accept event, running the accept command — is the
 * interpreter's (interp.ts), which this module reaches only through `ServerHost`.
 *
 * Departs from Tcl: names come from the interpreter's one `sockN` counter (Tcl uses the
 * socket's address in hex).
 */
import type { Notifier, Watch } from '../loop/notifier.js';
import { READABLE } from '../loop/notifier.js';
import { tclSockName } from '../net/sock-addr.js';
import type { DriverListener } from './driver.js';
import { TclError } from './tcl-error.js';

/** The options of `socket -server`: `-myaddr`, and `-async` only to reproduce Tcl's refusal. */
export interface ServerOptions {
  readonly myaddr?: string;
  /** Only to reproduce Tcl's error: servers cannot be `-async`. */
  readonly async?: boolean;
  /** The accept command's text for the trace (default `accept`). */
  readonly command?: string;
}

/** What a server channel needs from its interpreter (implemented by `Interp`). */
export interface ServerHost {
  readonly loop: { readonly notifier: Notifier };
  /** Runs `fn` as the traced Tcl command `op`. */
  traced<T>(op: string, fn: () => T): T;
  /** The server's name leaves the interpreter. */
  forgetServer(server: ServerChannel): void;
}

/** A listening socket made by `socket -server`. */
export class ServerChannel {
  private watch: Watch | null;
  private open = true;
  constructor(
    readonly name: string,
    private readonly listener: DriverListener,
    private readonly host: ServerHost,
    onReadable: () => void,
  ) {
    this.watch = host.loop.notifier.watch(listener, READABLE, onReadable, `server:${name}`);
  }
  /** The listening port. */
  get port(): number {
    return this.listener.localAddress().port;
  }
  /** `fconfigure $server -sockname`. */
  sockname(): string {
    return tclSockName(this.listener.localAddress());
  }
  /** `close $server`. */
  close(): void {
    this.host.traced(`close ${this.name}`, () => {
      if (!this.open) throw TclError.usage(`can not find channel named "${this.name}"`, 'ERR_TCL_NO_CHANNEL');
      this.dispose();
      return '';
    });
  }
  /** @internal Closes without tracing (teardown). */
  dispose(): void {
    if (!this.open) return;
    this.open = false;
    this.watch?.remove();
    this.watch = null;
    this.listener.close();
    this.host.forgetServer(this);
  }
}

/** The text of a `socket -server` command for the trace. */
export function serverOp(port: number, options: ServerOptions): string {
  const words = ['socket', '-server', options.command ?? 'accept'];
  if (options.async) words.push('-async');
  if (options.myaddr !== undefined) words.push('-myaddr', options.myaddr);
  words.push(String(port));
  return words.join(' ');
}
