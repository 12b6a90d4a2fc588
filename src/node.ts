/**
 * `detnet/node`: the real-socket half of detnet, on its own subpath so that users of the
 * simulated world never load `node:net` or `node:dns`.
 *
 * Owns: the public surface of the Node driver and the real-backend scenario runners (an
 * explicit export list, no `export *`). Does not: re-export the pure API (that is `detnet`,
 * src/index.ts), except the interpreter names a real-socket program needs.
 *
 * The surface decision follows src/index.ts: what a user needs is exported with TSDoc; classes
 * a user receives but never constructs (`NodeDriver`, `Channel`, `ServerChannel`) are exported
 * as types only; the driver's own socket and listener classes (`NodeSocket`, `NodeListener`)
 * and the resolver's message constants are internals and not exported.
 */

// ---- the Node driver -------------------------------------------------------------------------
export { createNodeDriver, systemLookup, type NodeDriver, type NodeDriverOptions } from './socket/node-driver.js';
export { staticLookup, type NodeLookup } from './socket/node-resolve.js';

// ---- the interpreter over the Node driver ------------------------------------------------------
// `import { createNodeDriver, Interp } from 'detnet/node'` is all a real-socket program needs;
// use the Promise forms (socketAsync, vwaitAsync, getsAsync, ...) on this driver: the driver is
// not a BlockingDriver, so on `new Interp(createNodeDriver())` the synchronous forms that wait
// (socket, server, vwait, after ms) do not compile.
export {
  Interp,
  type ServerChannel,
  type InterpOptions,
  type SocketOptions,
  type ServerOptions,
  type AcceptHandler,
} from './socket/interp.js';
export type { Channel, Script } from './socket/channel.js';
export { TclError } from './socket/tcl-error.js';

// ---- real backends for scenarios: loopback sockets and tclsh -----------------------------------
export {
  runScenarioInTclsh,
  runRenderedTcl,
  tclshEnvironment,
  type TclshRun,
  type TclshEnvironment,
} from './scenario/tclsh-runner.js';
export { nodeBackend } from './scenario/node-backend.js';
export { runTclClientInTclsh, type TclshScriptRun } from './scenario/tclsh-script.js';
