/**
 * A scenario whose writable handler does a blocking `gets` on a connection that never sends
 * (the listener never accepts): on the simulated world that gets can never end, so the run
 * stops with a background error. Shared by the runner and CLI tests of how a failed run is
 * reported.
 */
import type { Scenario } from '../../src/scenario/scenario.js';

export const STUCK_HANDLER: Scenario = {
  name: 'stuck-handler',
  description: 'a blocking gets in a handler on a connection that never sends',
  listeners: [{ role: 'port', on: '127.0.0.1', behaviour: { kind: 'never-accept' }, process: 'child' }],
  handlers: [{ name: 'W', steps: [{ op: 'fileevent', chan: 'c1', event: 'writable', handler: null }, { op: 'gets', chan: 'c1' }] }],
  client: [
    { op: 'socket', chan: 'c1', host: '127.0.0.1', port: 'port' },
    { op: 'fileevent', chan: 'c1', event: 'writable', handler: 'W' },
    { op: 'update' },
  ],
};
