import { test } from 'vitest';
import { connectCaseArb, explore, runConnectCase, formatFailure } from '../src/fast-check.js';
import { DEFAULT_PROFILE, withBugs } from '../src/socket/profiles.js';
import { checkGenericProperty } from '../examples/generic-property.js';
test('probe', () => {
  const p = withBugs(DEFAULT_PROFILE, ['97069ea11a']);
  for (let seed = 1000; seed < 1020; seed++) {
    const r = explore(connectCaseArb(), (c) => checkGenericProperty(c, runConnectCase(c, p)), { seed, runs: 5000 });
    if (r.failure) { console.log(formatFailure(r.failure, seed).split('\n').filter(l => !l.includes('·')).join('\n')); break; }
  }
});
