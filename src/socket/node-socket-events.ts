/**
 * The events a Node `net.Socket` emits while it connects, as data, and the listener arguments
 * Node passes for each.
 *
 * Owns: the vocabulary the Node connect machine emits (`lookup`, `connectionAttempt`,
 * `connectionAttemptFailed`, `connectionAttemptTimeout`, `connect`, `ready`, `error`, `close`,
 * `timeout`) and `listenerArgs`, the exact argument list a listener of each receives.
 *
 * Does not: decide when an event is emitted (src/socket/node-connect-machine.ts) or own an
 * `EventEmitter` (the driver does).
 */
import { toNodeError, type AttemptErrorInfo, type ConnectErrorInfo } from './node-connect-errors.js';

/** One event of a connecting socket, with its payload. */
export type NodeSocketEvent =
  /** Once per lookup entry (or once with the error). `address`/`family` are the raw entry. */
  | {
      readonly name: 'lookup';
      readonly error: ConnectErrorInfo | null;
      readonly address: string | undefined;
      readonly family: number | undefined;
      readonly host: string;
    }
  | { readonly name: 'connectionAttempt'; readonly address: string; readonly port: number; readonly family: 4 | 6 }
  | { readonly name: 'connectionAttemptFailed'; readonly address: string; readonly port: number; readonly family: 4 | 6; readonly error: AttemptErrorInfo }
  | { readonly name: 'connectionAttemptTimeout'; readonly address: string; readonly port: number; readonly family: 4 | 6 }
  | { readonly name: 'connect' }
  | { readonly name: 'ready' }
  | { readonly name: 'error'; readonly error: ConnectErrorInfo }
  | { readonly name: 'close'; readonly hadError: boolean }
  | { readonly name: 'timeout' };

/** The name of a socket event. */
export type NodeSocketEventName = NodeSocketEvent['name'];

/**
 * The arguments Node passes to listeners of `event`, errors built as Node builds them:
 * `lookup(err, address, family, host)`, `connectionAttempt(ip, port, family)`,
 * `connectionAttemptFailed(ip, port, family, error)`, `connectionAttemptTimeout(ip, port,
 * family)`, `error(err)`, `close(hadError)`; `connect`, `ready` and `timeout` take none.
 */
export function listenerArgs(event: NodeSocketEvent): unknown[] {
  switch (event.name) {
    case 'lookup':
      return [event.error === null ? null : toNodeError(event.error), event.address, event.family, event.host];
    case 'connectionAttempt':
    case 'connectionAttemptTimeout':
      return [event.address, event.port, event.family];
    case 'connectionAttemptFailed':
      return [event.address, event.port, event.family, toNodeError(event.error)];
    case 'error':
      return [toNodeError(event.error)];
    case 'close':
      return [event.hadError];
    case 'connect':
    case 'ready':
    case 'timeout':
      return [];
    default:
      return unreachable(event);
  }
}

function unreachable(x: never): never {
  throw new Error(`node socket events: unexpected ${JSON.stringify(x)}`);
}
