/**
 * The seed page's use cases as Tcl scripts (examples/tcl/*.tcl, shipped in the package): each
 * runs on the default scenario world (scenarios/default.json: localhost is ::1, refused, then
 * 127.0.0.1, where a server answers a line after 50 ms) on detnet's simulated world, on real
 * Node sockets and in real tclsh, and all three print the same lines, ending with the server's
 * reply.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from '../unit/cli/helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPTS = readdirSync(join(ROOT, 'examples', 'tcl')).filter((f) => f.endsWith('.tcl')).sort();
const WORLD = join(ROOT, 'scenarios', 'default.json');
/** The line the default world's server sends, read from the world file itself. */
const REPLY = (JSON.parse(readFileSync(WORLD, 'utf8')) as { listeners: { behaviour: { line: string } }[] }).listeners[0]!.behaviour.line;

describe('the seed page runs as written', () => {
  it('has an example for each of the four use cases', () => {
    expect(SCRIPTS).toEqual(['async-then-blocking.tcl', 'background-connect.tcl', 'no-event-queue.tcl', 'readable-only.tcl']);
  });

  it.each(SCRIPTS)('%s prints the reply on the sim, on Node and in tclsh, the same lines each time', async (file) => {
    const outputs: string[] = [];
    for (const backend of ['sim', 'node', 'tclsh']) {
      const r = await cli(['run', join(ROOT, 'examples', 'tcl', file), '--world', WORLD, '--format', 'stdout', '--backend', backend]);
      expect(r.code, `${backend}: ${r.err}`).toBe(0);
      outputs.push(r.out);
    }
    expect(outputs[0]).toContain(`reply: ${REPLY}\n`);
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
  }, 30_000);
});
