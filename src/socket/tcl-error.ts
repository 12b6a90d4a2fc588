/**
 * `TclError`: an error as a Tcl command raises it — the exact message text and the errorCode.
 *
 * Owns: the shape every channel command failure takes. `message` is Tcl's text
 * (`error reading "sock1": socket is not connected`), `errorCode` Tcl's list
 * (`POSIX ENOTCONN {socket is not connected}`, or `NONE`), and `code` the POSIX name (or an
 * `ERR_*` code for misuse such as a bad option), so callers branch on `code`, never on text.
 */
import { tclErrorCode, tclMessage, type Errno } from '../net/net-error.js';

/**
 * The error a Tcl channel command raises (`gets`, `flush`, `close`, `fconfigure`, `socket`):
 * `message` is Tcl's exact text, `errorCode` Tcl's errorCode list, `code` the POSIX name or an
 * `ERR_*` code. Branch on `code`; see docs/spec.md §8 for the messages.
 */
export class TclError extends Error {
  readonly code: string;
  readonly errorCode: string;

  constructor(message: string, code: string, errorCode: string) {
    super(message);
    this.name = 'TclError';
    this.code = code;
    this.errorCode = errorCode;
  }

  /** A POSIX failure: `prefix` + Tcl's message for `errno` (prefix may be ''). */
  static posix(prefix: string, errno: Errno): TclError {
    return new TclError(`${prefix}${tclMessage(errno)}`, errno, tclErrorCode(errno));
  }

  /** A misuse error with errorCode NONE (e.g. `bad option "-x": should be one of ...`). */
  static usage(message: string, code: `ERR_${string}` = 'ERR_TCL_USAGE'): TclError {
    return new TclError(message, code, 'NONE');
  }
}
