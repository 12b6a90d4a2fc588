/**
 * `detnet/node`: the real-socket half of detnet, on its own subpath so that users of the
 * simulated world never load `node:net` or `node:dns`.
 *
 * Owns: the public surface of the Node driver (an explicit export list, no `export *`).
 * Does not: re-export the pure API (that is `detnet`, src/index.ts).
 */

// ---- the Node driver -------------------------------------------------------------------------
export { createNodeDriver, NodeDriver, systemLookup, type NodeDriverOptions } from './socket/node-driver.js';
export { staticLookup, type NodeLookup } from './socket/node-resolve.js';
export type { NodeListener } from './socket/node-listener.js';
export type { NodeSocket } from './socket/node-socket.js';
export { RESOLVER_AGAIN_MESSAGE, RESOLVER_NOT_FOUND_MESSAGE } from './socket/node-errors.js';

// ---- the interpreter over the Node driver ------------------------------------------------------
// `import { createNodeDriver, Interp } from 'detnet/node'` is all a real-socket program needs;
// use the Promise forms (socketAsync, vwaitAsync, getsAsync, ...) on this driver.
export { Interp, ServerChannel, type InterpOptions, type SocketOptions, type ServerOptions, type AcceptHandler } from './socket/interp.js';
export { Channel, type Script } from './socket/channel.js';
export { TclError } from './socket/tcl-error.js';

// ---- real tclsh --------------------------------------------------------------------------------
export {
  runScenarioInTclsh,
  runRenderedTcl,
  tclshEnvironment,
  type TclshRun,
  type TclshEnvironment,
} from './scenario/tclsh-runner.js';
export { nodeBackend } from './scenario/node-backend.js';
