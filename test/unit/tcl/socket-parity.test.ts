/**
 * Socket scripts three ways: the simulated world (sync), real Node sockets on loopback (async
 * mode) and tclsh print the same stdout.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeDriver } from '../../../src/node.js';
import { Interp } from '../../../src/socket/interp.js';
import { TclInterp } from '../../../src/tcl/index.js';
import { HAVE_TCLSH, runOurs, runTclsh } from '../../helpers/tcl.js';
import { leakedSince, socketResources } from '../../helpers/real-sockets.js';
import { SOCKET_SCRIPTS } from './socket-table.js';

const theirs = HAVE_TCLSH ? runTclsh(SOCKET_SCRIPTS.map((s) => s.script)) : [];
let baseline: ReturnType<typeof socketResources>;

async function runOnNode(script: string): Promise<string[]> {
  const driver = createNodeDriver();
  const interp = new Interp(driver);
  const tcl = new TclInterp(interp);
  try {
    await tcl.evalAsync(script);
  } catch (err) {
    tcl.flushOutput();
    return [...tcl.stdout, `error: ${(err as Error).message}`];
  } finally {
    interp.close();
    await driver.dispose();
  }
  expect(tcl.internalErrors).toEqual([]);
  return tcl.exitCode === undefined ? [...tcl.stdout] : [...tcl.stdout, `exit ${tcl.exitCode}`];
}

describe('socket scripts print what tclsh prints', () => {
  beforeAll(() => {
    baseline = socketResources();
  });
  for (const [i, entry] of SOCKET_SCRIPTS.entries()) {
    it(`on the simulated world: ${entry.name}`, () => {
      expect(runOurs(entry.script)).toEqual(theirs[i]);
    });
    it(`over Node sockets: ${entry.name}`, async () => {
      expect(await runOnNode(entry.script)).toEqual(theirs[i]);
    });
  }
  // Runs last: every real socket and timer the Node runs opened is gone.
  it('leaves no socket or timer behind on Node', async () => {
    expect(await leakedSince(baseline)).toEqual({});
  });
});
