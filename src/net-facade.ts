/**
 * `detnet/net`: Node's `net` API on a simulated host, driven by the modelled Node connect
 * machine, with virtual timers for user code and `runAsync` to run a world under async code.
 * This subpath loads `node:stream` and `node:events` (a `Socket` is a real `stream.Duplex`),
 * never `node:net`. Plug points are described in docs/node-net.md. The connect policies of
 * `detnet policies` (Tcl, Node, RFC 8305, curl, Go side by side) are here too.
 */
export { createNet, type CreateNetOptions, type SimNet } from './net-facade/net-module.js';
export { SimNetSocket, type SocketConnectOptions, type SocketOptions } from './net-facade/net-socket.js';
export { SimNetServer, type ListenOptions, type ServerOptions } from './net-facade/net-server.js';
export type { LookupFunction } from './net-facade/connect-driver.js';
export { VirtualTimers, VirtualTimeout } from './net-facade/virtual-timers.js';
export { runAsync, runAllAsync, type RunAsyncOptions } from './net-facade/run-async.js';
export { listNodeProfiles, nodeProfile, withNodeBugs, NODE_BUG_IDS, type NodeProfile, type NodeBugId } from './socket/node-profiles.js';
export {
  comparePolicies,
  DEFAULT_TOPOLOGIES,
  formatResult,
  policiesTable,
  POLICY_NAMES,
  runPolicy,
  type AddressFate,
  type PolicyName,
  type PolicyResult,
  type PolicyTopology,
} from './net-facade/connect-policies.js';
