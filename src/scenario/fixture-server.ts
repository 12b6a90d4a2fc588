/**
 * The child-process listener of a scenario, for detnet backends: a small server written only
 * against the `Driver` interface, so the simulated world and the Node driver run the very same
 * code, and it behaves like the Tcl child listener of tcl-prelude.ts.
 *
 * Owns: listening on 127.0.0.1, ::1, both (same port) or any other address of its driver's
 * machine, on a free or a fixed port, accepting (after an optional delay
 * counted from the start, or never), the behaviours (reply a line then close or stay open,
 * echo, receive, close at once), reading lines until EOF, and the report notes
 * (`<role> accepted`, and `<role> received` for echo/receive) the Tcl child prints.
 *
 * Does not: touch the client's interpreter or event loop; it reacts to readiness changes of its
 * own sockets through the driver's clock (a zero-delay timer, so it never runs inside a
 * driver callback), which is what "runs on its own" means on both drivers.
 *
 * Departs from reality: lines are written as Tcl's `puts` would on a socket (`\r\n`), and
 * read as Tcl's `gets` in `auto` mode would (a trailing `\r` is dropped).
 */
import type { TimerId } from '../clock/clock.js';
import { DetnetError } from '../errors.js';
import { READABLE } from '../loop/notifier.js';
import { NetError } from '../net/net-error.js';
import type { NoteLine } from '../trace/observation.js';
import type { Driver, DriverListener, DriverSocket } from '../socket/driver.js';
import type { ListenerSpec } from './scenario.js';

interface Conn {
  readonly socket: DriverSocket;
  readonly off: () => void;
  pendingOut: Uint8Array;
  text: string;
  closeAfterWrite: boolean;
  closed: boolean;
}

/** A running fixture listener. Create with `FixtureListener.start`. */
export class FixtureListener {
  accepted = 0;
  readonly received: string[] = [];
  private readonly conns: Conn[] = [];
  private readonly offs: (() => void)[] = [];
  private scheduled: TimerId | null = null;
  private closed = false;
  private readonly acceptAt: number;
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  private constructor(
    private readonly driver: Driver,
    readonly spec: ListenerSpec,
    readonly port: number,
    private readonly listeners: readonly DriverListener[],
  ) {
    this.acceptAt = driver.clock.now() + (spec.acceptDelayMs ?? 0);
    for (const l of listeners) this.offs.push(l.onReadinessChange(() => this.schedule(0)));
    this.schedule(spec.acceptDelayMs ?? 0);
  }

  /** Listens as `spec` says and starts serving. */
  static async start(driver: Driver, spec: ListenerSpec): Promise<FixtureListener> {
    const first = spec.on === 'both' ? '127.0.0.1' : spec.on;
    for (let attempt = 0; attempt < 50; attempt++) {
      const l1 = await driver.listenAsync({ address: first, port: spec.port ?? 0 });
      const port = l1.localAddress().port;
      if (spec.on !== 'both') return new FixtureListener(driver, spec, port, [l1]);
      try {
        const l2 = await driver.listenAsync({ address: '::1', port });
        return new FixtureListener(driver, spec, port, [l1, l2]);
      } catch (err) {
        l1.close();
        if (!(err instanceof NetError)) throw err;
      }
    }
    throw new DetnetError('ERR_SCENARIO_SETUP', 'no port is free on both loopback addresses');
  }

  /**
   * The Tcl child's "finished" condition: nothing left to service now — no connection waiting
   * to be accepted (unless this listener never accepts, or not yet) and every accepted one
   * closed.
   */
  get settled(): boolean {
    if (this.scheduled !== null && this.driver.clock.now() >= this.acceptAt) return false;
    const accepting = this.spec.behaviour.kind !== 'never-accept' && this.driver.clock.now() >= this.acceptAt;
    if (accepting && this.listeners.some((l) => (l.readiness() & READABLE) !== 0)) return false;
    return this.conns.every((c) => c.closed);
  }

  /**
   * Nothing to service at this instant: no service pass due, no connection waiting to be
   * accepted (once accepting), nothing unread or unwritten on an open connection. What
   * `detnet::received` waits for before it answers (tcl-script-run.ts).
   */
  get idle(): boolean {
    const now = this.driver.clock.now();
    if (this.scheduled !== null && now >= this.acceptAt) return false;
    const accepting = this.spec.behaviour.kind !== 'never-accept' && now >= this.acceptAt;
    if (accepting && this.listeners.some((l) => (l.readiness() & READABLE) !== 0)) return false;
    return this.conns.every((c) => c.closed || (c.pendingOut.length === 0 && (c.socket.readiness() & READABLE) === 0));
  }

  /** The notes the Tcl child prints when it finishes. */
  report(): NoteLine[] {
    const notes: NoteLine[] = [{ note: `${this.spec.role} accepted`, value: String(this.accepted) }];
    const kind = this.spec.behaviour.kind;
    if (kind === 'echo' || kind === 'receive') notes.push({ note: `${this.spec.role} received`, value: this.received.join('\n') });
    return notes;
  }

  /** Stops serving and closes every socket. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.scheduled !== null) this.driver.clock.clearTimer(this.scheduled);
    for (const off of this.offs) off();
    for (const c of this.conns) this.closeConn(c);
    for (const l of this.listeners) l.close();
  }

  private schedule(delayMs: number): void {
    if (this.closed || this.scheduled !== null) return;
    this.scheduled = this.driver.clock.setTimer(delayMs, () => {
      this.scheduled = null;
      this.service();
    }, `fixture:${this.spec.role}`);
  }

  private service(): void {
    if (this.closed) return;
    const now = this.driver.clock.now();
    if (this.spec.behaviour.kind !== 'never-accept') {
      if (now < this.acceptAt) this.schedule(this.acceptAt - now);
      else for (const l of this.listeners) for (let s = l.accept(); s !== null; s = l.accept()) this.adopt(s);
    }
    for (const c of this.conns) if (!c.closed) this.pump(c);
  }

  private adopt(socket: DriverSocket): void {
    this.accepted++;
    const conn: Conn = { socket, off: socket.onReadinessChange(() => this.schedule(0)), pendingOut: new Uint8Array(0), text: '', closeAfterWrite: false, closed: false };
    this.conns.push(conn);
    const b = this.spec.behaviour;
    if (b.kind === 'close') this.closeConn(conn);
    else if (b.kind === 'reply-close' || b.kind === 'reply-open') {
      this.send(conn, `${b.line}\r\n`);
      conn.closeAfterWrite = b.kind === 'reply-close';
    }
  }

  private send(conn: Conn, text: string): void {
    const bytes = this.encoder.encode(text);
    const joined = new Uint8Array(conn.pendingOut.length + bytes.length);
    joined.set(conn.pendingOut);
    joined.set(bytes, conn.pendingOut.length);
    conn.pendingOut = joined;
  }

  /** Writes what is pending, reads what arrived, closes at EOF or after a reply-close. */
  private pump(conn: Conn): void {
    try {
      for (;;) {
        while (conn.pendingOut.length > 0) {
          const n = conn.socket.write(conn.pendingOut);
          if (n === 0) return; // wait for writability
          conn.pendingOut = conn.pendingOut.subarray(n);
        }
        if (conn.closeAfterWrite) {
          this.closeConn(conn);
          return;
        }
        const r = conn.socket.read(4096);
        if (r === 'eagain') return;
        if (r === 'eof') {
          this.closeConn(conn);
          return;
        }
        conn.text += this.decoder.decode(r, { stream: true });
        this.takeLines(conn); // an echo queues its replies, written at the top of the loop
      }
    } catch (err) {
      if (!(err instanceof NetError)) throw err;
      this.closeConn(conn); // reset or not connected: the Tcl child treats it as the end
    }
  }

  private takeLines(conn: Conn): void {
    for (let i = conn.text.indexOf('\n'); i >= 0; i = conn.text.indexOf('\n')) {
      const line = conn.text.slice(0, i).replace(/\r$/, '');
      conn.text = conn.text.slice(i + 1);
      this.received.push(line);
      if (this.spec.behaviour.kind === 'echo') this.send(conn, `${line}\r\n`);
    }
  }

  private closeConn(conn: Conn): void {
    if (conn.closed) return;
    conn.closed = true;
    conn.off();
    conn.socket.close();
  }
}
