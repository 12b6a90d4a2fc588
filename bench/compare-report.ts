/**
 * The pure half of `npm run bench -- compare`: its options, and turning the figures of many
 * measurement processes into result rows and verdicts.
 *
 * Owns: reading `DETNET_COMPARE_AGAINST`, `DETNET_COMPARE_ROUNDS` and `DETNET_COMPARE_NODE_FLAGS`
 * (typed `ERR_INVALID_ARG_VALUE` errors for bad values); per side of a workload, the median over
 * processes, the best process and how many processes ran in the slow mode (below SLOW_FRACTION
 * of that side's best); the ratios new/old; the `BenchResult` rows and the one-line verdicts.
 * Does not own: building, spawning or timing anything (bench/compare.ts, bench/compare-child.ts).
 *
 * Why both a median and a best: process figures are bimodal (V8 sometimes pretenures the sim's
 * short-lived packets and that process runs at about half speed, on either commit), so the
 * median says what a run typically gets and the best says what the code can do once the lottery
 * is set aside; the slow-mode counts show how the lottery fell.
 */
import { DetnetError } from '../src/errors.js';
import { median, type BenchResult } from './harness.js';

/** The commit compared against by default: the one before the per-host kernel split. */
export const DEFAULT_AGAINST = '470965e';
/** Rounds by default; each round runs one process per side and workload. */
export const DEFAULT_ROUNDS = 7;
/** Most rounds accepted (a guard against a typo that would run for hours). */
export const MAX_ROUNDS = 1000;
/** A process below this fraction of its side's best counts as a slow-mode run. */
export const SLOW_FRACTION = 0.7;
/** Issue 8's bar: the new median at least this fraction of the old one ("within 10%"). */
export const WITHIN = 0.9;

/** What a compare run does, from the environment. */
export interface CompareOptions {
  /** Git revision of the baseline, as given. */
  readonly against: string;
  readonly rounds: number;
  /** Extra flags for every measurement process's `node` (none by default). */
  readonly nodeFlags: readonly string[];
}

function invalid(name: string, expected: string, value: string): DetnetError {
  return new DetnetError('ERR_INVALID_ARG_VALUE', `${name} must be ${expected}, got ${JSON.stringify(value)}`);
}

/**
 * Reads the compare options from `env`; an unset or empty variable takes its default. Throws a
 * `DetnetError` (`ERR_INVALID_ARG_VALUE`) for a rounds value that is not a whole number from 1
 * to MAX_ROUNDS, a revision that starts with `-` (git would read it as an option), or a node
 * flag that does not start with `-`.
 */
export function parseCompareOptions(env: Readonly<Record<string, string | undefined>>): CompareOptions {
  const against = (env['DETNET_COMPARE_AGAINST'] ?? '').trim() || DEFAULT_AGAINST;
  if (against.startsWith('-') || /\s/.test(against)) {
    throw invalid('DETNET_COMPARE_AGAINST', 'a git revision (not starting with "-", no spaces)', against);
  }
  const roundsText = (env['DETNET_COMPARE_ROUNDS'] ?? '').trim();
  let rounds = DEFAULT_ROUNDS;
  if (roundsText !== '') {
    // Digits only: Number() alone would take "1e3", "0x7" and " 7 " as well.
    rounds = Number(roundsText);
    if (!/^\d+$/.test(roundsText) || rounds < 1 || rounds > MAX_ROUNDS) {
      throw invalid('DETNET_COMPARE_ROUNDS', `a whole number from 1 to ${MAX_ROUNDS}`, roundsText);
    }
  }
  const nodeFlags = (env['DETNET_COMPARE_NODE_FLAGS'] ?? '').split(/\s+/).filter((f) => f !== '');
  for (const flag of nodeFlags) {
    if (!flag.startsWith('-')) throw invalid('DETNET_COMPARE_NODE_FLAGS', 'node options, each starting with "-"', flag);
  }
  return { against, rounds, nodeFlags };
}

/** One side's figures over its processes. */
export interface SideSummary {
  /** How many processes measured this side. */
  readonly processes: number;
  /** Median of the process figures. */
  readonly median: number;
  /** The fastest process. */
  readonly best: number;
  /** Processes below SLOW_FRACTION × best: the slow-mode runs. */
  readonly slow: number;
}

/** Summarises one side's process figures (each a rate; higher is faster). */
export function summarize(rates: readonly number[]): SideSummary {
  if (rates.length === 0) throw new RangeError('compare: a side with no processes');
  const best = Math.max(...rates);
  return { processes: rates.length, median: median(rates), best, slow: rates.filter((r) => r < SLOW_FRACTION * best).length };
}

/** Both sides of one workload, compared. */
export interface Comparison {
  readonly old: SideSummary;
  readonly new: SideSummary;
  /** new median / old median. */
  readonly ratioMedian: number;
  /** new best / old best. */
  readonly ratioBest: number;
  /** Whether the new median is within 10% of the old (ratioMedian ≥ WITHIN). */
  readonly within: boolean;
}

/** Compares the process figures of the baseline (`oldRates`) and the current tree (`newRates`). */
export function compareSides(oldRates: readonly number[], newRates: readonly number[]): Comparison {
  const o = summarize(oldRates);
  const n = summarize(newRates);
  const ratioMedian = n.median / o.median;
  return { old: o, new: n, ratioMedian, ratioBest: n.best / o.best, within: ratioMedian >= WITHIN };
}

/** What a workload is, for its rows. */
export interface RowSubject {
  readonly name: string;
  readonly unit: string;
  readonly params: Readonly<Record<string, number | string>>;
}

/** The baseline's identity, for the rows: the revision as given and the commit it names. */
export interface Baseline {
  readonly against: string;
  readonly commit: string;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * The two result rows of one workload: the medians over processes, then the best processes.
 * `detnet` is the current tree, `baseline` the other commit; params carry the rounds, the
 * commit and each side's slow-mode count.
 */
export function comparisonRows(subject: RowSubject, c: Comparison, baseline: Baseline, rounds: number): BenchResult[] {
  const common = { ...subject.params, rounds, against: baseline.commit, slowOld: c.old.slow, slowNew: c.new.slow };
  const row = (figure: 'median' | 'best', detnet: number, old: number, ratio: number, label: string): BenchResult => ({
    benchmark: subject.name,
    params: { figure, ...common },
    unit: subject.unit,
    detnet: Math.round(detnet),
    baseline: Math.round(old),
    baselineName: `${baseline.against} (${label} of ${c.old.processes} process${c.old.processes === 1 ? '' : 'es'})`,
    ratio: round2(ratio),
  });
  return [row('median', c.new.median, c.old.median, c.ratioMedian, 'median'), row('best', c.new.best, c.old.best, c.ratioBest, 'best')];
}

/** The one-line verdict of a workload against issue 8's "within 10%". */
export function verdict(name: string, c: Comparison, against: string): string {
  const pct = ((c.ratioMedian - 1) * 100).toFixed(1);
  const slow = `slow-mode processes: old ${c.old.slow}/${c.old.processes}, new ${c.new.slow}/${c.new.processes}`;
  return (
    `${name}: ${c.within ? 'within 10%' : 'NOT within 10%'} of ${against} ` +
    `(median ratio ${c.ratioMedian.toFixed(3)}, ${pct.startsWith('-') ? '' : '+'}${pct}%; best ratio ${c.ratioBest.toFixed(3)}; ${slow})`
  );
}
