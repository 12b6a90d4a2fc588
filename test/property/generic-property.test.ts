// The generic user-level property of examples/generic-property.ts holds on the default profile:
// zero false alarms in 10,000 connect cases (the benchmark runs far more, bench/explore.ts).
// Each clause must apply to a fair share of the cases, so a pass is not vacuous.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { connectCaseArb, expectedOutcome, runConnectCase } from '../../src/fast-check.js';
import { DEFAULT_PROFILE } from '../../src/socket/profiles.js';
import { checkGenericProperty } from '../../examples/generic-property.js';
import { propertyParams } from '../helpers/property.js';

describe('the generic user-level property', () => {
  it('raises no false alarm in 10,000 cases on the default profile', () => {
    const params = propertyParams<[fc.Arbitrary<unknown>]>('generic property, default profile', 'test/property/generic-property.test.ts', 10_000);
    let waits = 0;
    let connected = 0;
    let wrote = 0;
    fc.assert(
      fc.property(connectCaseArb(), (c) => {
        const o = runConnectCase(c, DEFAULT_PROFILE);
        checkGenericProperty(c, o);
        if (c.client.writable || c.client.readable || c.client.timeoutMs !== null) waits++;
        if (expectedOutcome(c.topology).kind === 'connected') {
          connected++;
          if (c.client.write !== 'none') wrote++;
        }
      }),
      { ...params, numRuns: 10_000 } as fc.Parameters<[unknown]>,
    );
    expect(waits).toBeGreaterThan(2_000);
    expect(connected).toBeGreaterThan(2_000);
    expect(wrote).toBeGreaterThan(1_000);
  });
});
