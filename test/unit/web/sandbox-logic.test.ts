// The sandbox's pure parts: profile names for bug switches, the first divergence of two runs,
// seed exploration, and the lessons' catalogue (every lesson's scenario exists and shows its bug).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../../src/scenario/validate.js';
import { BUG_IDS, profile } from '../../../src/socket/profiles.js';
import { exploreSeeds, firstDivergence, profileName } from '../../../src/web/sandbox/compare.js';
import { LESSONS } from '../../../src/web/sandbox/lessons.js';
import { reportScenario } from '../../../src/web/scenario-report.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const scenarioFile = (id: string) => validateScenario(JSON.parse(readFileSync(join(ROOT, 'scenarios', `${id}.json`), 'utf8')));

describe('profileName', () => {
  it('is the base alone without bugs, else base+bug+…, which profile() reads back with those switches', () => {
    expect(profileName('tcl-8.6.13-unix', [])).toBe('tcl-8.6.13-unix');
    const name = profileName('tcl-8.6.13-unix', ['336441ed59', '581937ab1e']);
    expect(profile(name).bugs).toEqual(['336441ed59', '581937ab1e']);
  });
});

describe('firstDivergence', () => {
  const e = (t: number, kind: string, x = 0) => ({ t, kind, x });
  it('is null for equal runs, the first differing row otherwise, and the shorter length when one is a prefix', () => {
    expect(firstDivergence([e(0, 'a'), e(1, 'b')], [e(0, 'a'), e(1, 'b')])).toBeNull();
    expect(firstDivergence([e(0, 'a'), e(1, 'b')], [e(0, 'a'), e(1, 'b', 1)])).toBe(1);
    expect(firstDivergence([e(0, 'a'), e(1, 'b')], [e(0, 'a'), e(2, 'b')])).toBe(1);
    expect(firstDivergence([e(0, 'a')], [e(0, 'a'), e(1, 'b')])).toBe(1);
  });
});

describe('exploreSeeds', () => {
  it('finds failing seeds of the 336441ed59 lesson with the bug and none without it', async () => {
    const scenario = scenarioFile('lessons/bug-336441ed59');
    const buggy = await exploreSeeds(scenario, { profile: 'default+336441ed59', ties: 'seeded', count: 30 });
    const fixed = await exploreSeeds(scenario, { profile: 'default', ties: 'seeded', count: 30 });
    expect(buggy.map((r) => r.seed)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(buggy.filter((r) => r.failed).length).toBeGreaterThan(0);
    expect(fixed.filter((r) => r.failed)).toEqual([]);
  });
});

describe('the lessons', () => {
  it('cover every historical bug numbered in the seed page', () => {
    expect(LESSONS.map((l) => l.bug).sort()).toEqual(BUG_IDS.filter((b) => /^[0-9a-f]{10}$/.test(b)).sort());
  });

  it.each(LESSONS.map((l) => [l.bug, l] as const))('lesson %s: its scenario passes without the bug and fails with it on some explored seed', async (_bug, lesson) => {
    const scenario = scenarioFile(lesson.scenario);
    const fixed = await exploreSeeds(scenario, { profile: 'default', ties: lesson.ties, count: lesson.exploreSeeds });
    const buggy = await exploreSeeds(scenario, { profile: `default+${lesson.bug}`, ties: lesson.ties, count: lesson.exploreSeeds });
    expect(fixed.some((r) => r.failed)).toBe(false);
    expect(buggy.some((r) => r.failed)).toBe(true);
  });

  it('the lesson scenario runs as the replay command says: same settings, same rows', async () => {
    const scenario = scenarioFile('lessons/bug-336441ed59');
    const a = await reportScenario(scenario, { profile: 'default+336441ed59', seed: 5, ties: 'seeded' });
    const b = await reportScenario(scenario, { profile: 'default+336441ed59', seed: 5, ties: 'seeded' });
    expect(JSON.stringify(a.run.entries)).toBe(JSON.stringify(b.run.entries));
  });
});
