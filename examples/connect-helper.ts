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
