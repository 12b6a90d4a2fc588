/**
 * A user's own connect helper, as the seed page's first use case writes it: a background
 * connect, a writable handler that checks `-error`, and a timeout that gives up. Its promise:
 * `done` is called exactly once, with the truth.
 *
 * Two versions: `connectWithTimeout` keeps the promise; `connectWithGrace` carries a planted
 * narrow-window timing bug. On timeout it reports, then closes the socket only a moment later
 * ("let a queued HELO go out"), and forgets that the writable handler is still installed
 * meanwhile: a connect that ends exactly inside that moment reports a second time. The window
 * is `GRACE_MS` wide, so random latencies rarely hit it; test/examples/connect-helper.test.ts
 * finds it with `detnet/fast-check` and `npm run bench -- explore` measures how fast.
 */
import type { Interp } from '../src/socket/interp.js';

/** What the helper reports. */
export type ConnectResult =
  | { readonly kind: 'connected'; readonly peer: string }
  | { readonly kind: 'failed'; readonly error: string }
  | { readonly kind: 'timeout' };

/** How long the buggy helper waits between reporting a timeout and closing the socket. */
export const GRACE_MS = 1;

function connect(tcl: Interp, host: string, port: number, timeoutMs: number, done: (r: ConnectResult) => void, graceMs: number | null): void {
  const h = tcl.socket(host, port, { async: true });
  h.configure({ '-blocking': '0' });
  const aid = tcl.afterScript(timeoutMs, {
    text: 'Timeout',
    run: () => {
      done({ kind: 'timeout' });
      if (graceMs === null) h.close();
      else tcl.afterScript(graceMs, { text: 'close $h', run: () => h.close() }); // the planted bug
    },
  });
  h.fileevent('writable', {
    text: 'Connected',
    run: () => {
      tcl.afterCancel(aid);
      h.fileevent('writable', null);
      const error = h.configure('-error');
      if (error === '') {
        done({ kind: 'connected', peer: h.configure('-peername').split(' ')[0] ?? '' });
      } else {
        h.close();
        done({ kind: 'failed', error });
      }
    },
  });
}

/** Connects in the background; `done` is called once: connected, failed (with `-error`), or timed out. */
export function connectWithTimeout(tcl: Interp, host: string, port: number, timeoutMs: number, done: (r: ConnectResult) => void): void {
  connect(tcl, host, port, timeoutMs, done, null);
}

/** The same helper with the planted bug: a connect ending within `GRACE_MS` after the timeout reports twice. */
export function connectWithGrace(tcl: Interp, host: string, port: number, timeoutMs: number, done: (r: ConnectResult) => void): void {
  connect(tcl, host, port, timeoutMs, done, GRACE_MS);
}

/**
 * A second helper: two connects to the same service in parallel, the first to succeed wins and
 * the other is closed; `done` is called once — connected, or failed when both failed.
 * `deferWinner` plants a zero-width timing bug: the winner is recorded from an `after idle`
 * callback ("let the loop settle first"), so two connects that complete in the same instant are
 * both handled before it runs, and both report.
 */
export function connectFirstOf(tcl: Interp, host: string, port: number, done: (r: ConnectResult) => void, deferWinner = false): void {
  const socks = [tcl.socket(host, port, { async: true }), tcl.socket(host, port, { async: true })];
  const open = [true, true];
  const close = (i: number): void => {
    if (open[i] !== true) return;
    open[i] = false;
    socks[i]?.close();
  };
  let winner: number | null = null;
  let failures = 0;
  socks.forEach((h, i) => {
    h.configure({ '-blocking': '0' });
    h.fileevent('writable', {
      text: `Connected ${i}`,
      run: () => {
        h.fileevent('writable', null);
        const error = h.configure('-error');
        if (error !== '') {
          close(i);
          if (++failures === socks.length) done({ kind: 'failed', error });
          return;
        }
        if (winner !== null) return; // the other one won
        const settle = (): void => {
          winner = i;
          close(1 - i);
        };
        if (deferWinner) tcl.loop.afterIdle(settle, 'settle'); // the planted bug
        else settle();
        done({ kind: 'connected', peer: h.configure('-peername').split(' ')[0] ?? '' });
      },
    });
  });
}
