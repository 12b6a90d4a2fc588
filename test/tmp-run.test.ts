import { it } from 'vitest';
import { cli } from './unit/cli/helpers.js';
it('x', async () => {
  const r = await cli(process.env['ARGS']!.split(' '));
  console.log(r.out + '\n---ERR\n' + r.err + '\n---CODE ' + r.code);
});
