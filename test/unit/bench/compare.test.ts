// The pure parts of `npm run bench -- compare` (bench/compare-report.ts) and its workloads run
// once against the current source. No timing is asserted: rates here are made-up lists.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  compareSides,
  comparisonRows,
  DEFAULT_AGAINST,
  DEFAULT_ROUNDS,
  parseCompareOptions,
  summarize,
  verdict,
} from '../../../bench/compare-report.js';
import {
  attemptWorkload,
  buildScale,
  connectWorkload,
  loadModules,
  SCALE_CONNECTIONS,
  SCALE_HOSTS,
  WORKLOADS,
} from '../../../bench/compare-workloads.js';
import { CURRENT_MODULES } from '../../../bench/current-modules.js';
import { DetnetError } from '../../../src/errors.js';

describe('compare options', () => {
  test('an empty environment gives the commit before the kernel split and seven rounds', () => {
    expect(parseCompareOptions({})).toEqual({ against: '470965e', rounds: 7, nodeFlags: [] });
    expect(DEFAULT_AGAINST).toBe('470965e');
    expect(DEFAULT_ROUNDS).toBe(7);
  });

  test('the revision, the rounds and the node flags are read from the environment', () => {
    const o = parseCompareOptions({
      DETNET_COMPARE_AGAINST: 'HEAD~2',
      DETNET_COMPARE_ROUNDS: ' 3 ',
      DETNET_COMPARE_NODE_FLAGS: '--no-allocation-site-pretenuring  --max-semi-space-size=64',
    });
    expect(o).toEqual({ against: 'HEAD~2', rounds: 3, nodeFlags: ['--no-allocation-site-pretenuring', '--max-semi-space-size=64'] });
  });

  test.each(['0', '-1', '2.5', '1e3', '0x7', 'seven', '1001'])('rounds %j is refused with ERR_INVALID_ARG_VALUE naming the variable', (bad) => {
    let caught: unknown;
    try {
      parseCompareOptions({ DETNET_COMPARE_ROUNDS: bad });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DetnetError);
    expect((caught as DetnetError).code).toBe('ERR_INVALID_ARG_VALUE');
    expect((caught as DetnetError).message).toContain('DETNET_COMPARE_ROUNDS');
    expect((caught as DetnetError).message).toContain(JSON.stringify(bad));
  });

  test('a revision git would read as an option, and a node flag that is not one, are refused', () => {
    expect(() => parseCompareOptions({ DETNET_COMPARE_AGAINST: '--output=/tmp/x' })).toThrow(/DETNET_COMPARE_AGAINST/);
    expect(() => parseCompareOptions({ DETNET_COMPARE_NODE_FLAGS: '--expose-gc evil.js' })).toThrow(/"evil\.js"/);
  });
});

describe('compare aggregation', () => {
  test('a side is summarised by its median process, its best process and its slow-mode count', () => {
    // Best 100; 70 is exactly the slow-mode line and does not count, 69 and 50 do.
    expect(summarize([50, 100, 90, 70, 69])).toEqual({ processes: 5, median: 70, best: 100, slow: 2 });
    expect(summarize([10, 30])).toEqual({ processes: 2, median: 20, best: 30, slow: 1 });
    expect(() => summarize([])).toThrow(RangeError);
  });

  test('the ratios are new over old, and the verdict is on the medians at the 10% line', () => {
    const c = compareSides([100, 100, 40], [90, 95, 80]);
    expect(c.ratioMedian).toBeCloseTo(0.9, 10);
    expect(c.ratioBest).toBeCloseTo(0.95, 10);
    expect(c.within).toBe(true);
    expect(c.old.slow).toBe(1);
    expect(c.new.slow).toBe(0);
    expect(compareSides([100], [89]).within).toBe(false);
  });

  test('each workload gives a median row and a best row with the baseline named and the slow counts in params', () => {
    const c = compareSides([200, 100, 180], [150, 160, 170]);
    const subject = { name: 'sim.connect-attempts', unit: 'attempts/s', params: { walks: 2048 } };
    const [med, best] = comparisonRows(subject, c, { against: '470965e', commit: '470965e0aaaa' }, 3);
    expect(med).toEqual({
      benchmark: 'sim.connect-attempts',
      params: { figure: 'median', walks: 2048, rounds: 3, against: '470965e0aaaa', slowOld: 1, slowNew: 0 },
      unit: 'attempts/s',
      detnet: 160,
      baseline: 180,
      baselineName: '470965e (median of 3 processes)',
      ratio: 0.89,
    });
    expect(best).toMatchObject({ params: { figure: 'best' }, detnet: 170, baseline: 200, baselineName: '470965e (best of 3 processes)', ratio: 0.85 });
  });

  test('the verdict line says whether the workload is within 10% and shows the lottery', () => {
    expect(verdict('w', compareSides([100, 100], [95, 95]), 'abc')).toMatch(/^w: within 10% of abc \(median ratio 0\.950, -5\.0%/);
    const line = verdict('w', compareSides([100, 40, 100], [80, 80, 80]), 'abc');
    expect(line).toMatch(/^w: NOT within 10% of abc/);
    expect(line).toContain('slow-mode processes: old 1/3, new 0/3');
  });
});

describe('compare workloads', () => {
  // The current source, shaped as the child loads a built tree (and as bench/sim.ts and
  // bench/connect.ts use it): if the interface drifts from the code, a workload fails here
  // rather than in a long benchmark run.
  const step = (name: string): number => {
    const w = WORKLOADS.find((x) => x.name === name);
    if (w === undefined) throw new Error(`no workload ${name}`);
    return w.build(CURRENT_MODULES)();
  };

  test('the comparison runs the trace-off rows of the sim and connect benchmarks, in that order', () => {
    expect(WORKLOADS.map((w) => [w.name, w.params])).toEqual([
      ['sim.connect-attempts', { walks: 2048, inFlight: 256, trace: 'off' }],
      ['sim.scale.events', { hosts: 10_000, connections: 1000, active: 'all' }],
      ['connect.two-candidates-refused-then-reply', { batch: 500, trace: 'off' }],
    ]);
  });

  test('the connect-attempts step makes two attempts for each of its 2,048 walks', () => {
    expect(step('sim.connect-attempts')).toBe(4096);
  });

  test('the connect step completes a batch of 500 connects, each reading its reply', () => {
    expect(step('connect.two-candidates-refused-then-reply')).toBe(500);
  });

  test('a scale step of 1,000 writes fires at least one timer per write', () => {
    expect(step('sim.scale.events')).toBeGreaterThanOrEqual(1000);
  });

  test('the traced variants the sim and connect benchmarks also run do the same work with the trace on', () => {
    expect(attemptWorkload(CURRENT_MODULES, true)()).toBe(4096);
    expect(connectWorkload(CURRENT_MODULES, true)()).toBe(500);
  });

  test('a scale round on a subset of the connections leaves the world idle, and the same seed fires the same timers', () => {
    const a = buildScale(CURRENT_MODULES, SCALE_HOSTS / 100, SCALE_CONNECTIONS / 10);
    const b = buildScale(CURRENT_MODULES, SCALE_HOSTS / 100, SCALE_CONNECTIONS / 10);
    const firedA = [a.round(10), a.round(100)];
    expect(firedA[0]).toBeGreaterThanOrEqual(1000);
    expect(a.pending()).toBe(0);
    expect([b.round(10), b.round(100)]).toEqual(firedA);
  });

  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  test('loading a tree that lacks an export names the file and the export', async () => {
    const root = mkdtempSync(join(tmpdir(), 'detnet-compare-test-'));
    dirs.push(root);
    mkdirSync(join(root, 'dist', 'src', 'sim'), { recursive: true });
    writeFileSync(join(root, 'package.json'), '{"type":"module"}\n');
    writeFileSync(join(root, 'dist', 'src', 'sim', 'world.js'), 'export const World = 1;\n');
    await expect(loadModules(root)).rejects.toThrow(/world\.js has no exported function World/);
  });
});
