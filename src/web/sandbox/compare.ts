/**
 * What the sandbox computes besides one run: the profile name for chosen bug switches, the
 * first divergence between two runs (a fixed and a buggy Tcl side by side), and a seed
 * exploration that lists which seeds fail.
 *
 * Owns: these three pure functions. Does not: touch the DOM (app.ts) or render (../report.ts).
 * Runs in the browser and under the test runner alike.
 */
import type { Scenario } from '../../scenario/scenario.js';
import type { BugId } from '../../socket/profiles.js';
import type { TraceEntry } from '../../trace/trace.js';
import { entryFields } from '../diagram.js';
import { reportScenario } from '../scenario-report.js';

/** `base+bug+…`, the profile name `profile()` reads back (just `base` without bugs). */
export function profileName(base: string, bugs: readonly BugId[]): string {
  return bugs.length === 0 ? base : `${base}+${bugs.join('+')}`;
}

/** A row as comparable text: time, kind and fields. */
function rowKey(e: TraceEntry): string {
  return `${e.t} ${e.kind} ${entryFields(e)}`;
}

/** Index of the first row where `a` and `b` differ (one ending early counts), or null if equal. */
export function firstDivergence(a: readonly TraceEntry[], b: readonly TraceEntry[]): number | null {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (rowKey(a[i] as TraceEntry) !== rowKey(b[i] as TraceEntry)) return i;
  return a.length === b.length ? null : n;
}

/** One explored seed. */
export interface SeedResult {
  readonly seed: number;
  readonly failed: boolean;
  readonly outcome: string;
}

/** Runs `scenario` with seeds `1..count` under `profile` and `ties`; every result, in seed order. */
export async function exploreSeeds(scenario: Scenario, options: { readonly profile: string; readonly ties: 'fifo' | 'seeded'; readonly count: number }): Promise<SeedResult[]> {
  const out: SeedResult[] = [];
  for (let seed = 1; seed <= options.count; seed++) {
    const { report } = await reportScenario(scenario, { profile: options.profile, seed, ties: options.ties });
    out.push({ seed, failed: report.failed, outcome: report.outcome });
  }
  return out;
}
