// The README's "Tcl scripts" snippet, run against the sources: the same calls, the same output.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { World } from '../../../src/sim/world.js';
import { SimDriver } from '../../../src/socket/sim-driver.js';
import { Interp } from '../../../src/socket/interp.js';
import { TclInterp } from '../../../src/tcl/index.js';

it('the README snippet prints what the README says', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Tcl scripts'));
  const script = /tcl\.eval\(`([\s\S]*?)`\);/.exec(section)?.[1];
  expect(script).toBeDefined();
  const promised = /prints `([^`]+)`/.exec(section)?.[1];
  const world = new World({ seed: 1 });
  world.addHost('box', { addresses: ['10.0.0.5'] });
  const lines: string[] = [];
  const tcl = new TclInterp(new Interp(new SimDriver(world, 'box'), { trace: world.trace }), { onStdout: (l) => lines.push(l) });
  tcl.eval(script ?? '');
  expect(lines).toEqual([promised]);
});
