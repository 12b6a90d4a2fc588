/**
 * Bounded exhaustive enumeration of same-instant choices: `exploreExhaustive(run, options)`.
 *
 * Owns: the depth-first walk over the tree of tie choices. Each node is a tie with n
 * candidates and n children. The driver calls the user's `run(source)` once per schedule: the
 * source replays a prefix of choices, then takes the first candidate (FIFO) at every new tie
 * while noting how many candidates it had; afterwards the deepest choice with an untried
 * sibling is advanced and everything below it is dropped. This is stateless model checking
 * (as in VeriSoft and CHESS): nothing is saved between runs except the path, and each run
 * rebuilds its world from scratch, which detnet's determinism makes exact.
 *
 * Every distinct schedule is run exactly once; the runs are in lexicographic order of their
 * choice lists. Two bounds keep it finite: `maxSchedules` (runs) and `maxDepth` (ties per run
 * that branch; later ties take FIFO). The report says whether either was hit, because only a
 * walk that hit neither covered every schedule: "all 1,296 schedules pass" is then a proof
 * for that program and seed, and a bounded check otherwise.
 *
 * No reduction: two candidates that look alike (same label, same connection) can still have
 * different effects, and we have no independence relation between timers to prune soundly
 * (as sleep sets or DPOR would), so every ordering counts.
 *
 * Nondeterminism is misuse: if a replayed prefix meets a tie with other candidates than the
 * run that discovered it, the walk stops with `ERR_NONDETERMINISTIC_RUN` (the run read
 * something besides its schedule, e.g. a global RNG or a shared object).
 *
 * Does not own: what a run does or what counts as failure beyond `run` returning `false` or
 * throwing.
 */
import { DetnetError } from '../errors.js';
import { RecordingSource, type RecordedChoice, type ScheduleSource, type TieCandidate } from './schedule-source.js';

/** Options of `exploreExhaustive`. */
export interface ExhaustiveOptions {
  /** Most schedules (runs) to try (positive integer, default 10,000). */
  readonly maxSchedules?: number;
  /** Most ties per run that branch; later ties take the first candidate (default 64). */
  readonly maxDepth?: number;
  /** Called after each run with the number of schedules run so far (for a progress line). */
  readonly onProgress?: (schedules: number) => void;
}

/** The first failing schedule found. */
export interface ExhaustiveFailure {
  /** 1-based number of the failing run. */
  readonly run: number;
  readonly choices: readonly number[];
  /** `choices` in the command-line encoding. */
  readonly schedule: string;
  readonly decisions: readonly RecordedChoice[];
  /** What `run` threw, if it threw (undefined when it returned false). */
  readonly error: unknown;
}

/** What `exploreExhaustive` found. */
export interface ExhaustiveReport {
  /** Schedules run (including a failing one). */
  readonly schedules: number;
  /** Stopped with schedules left untried because of `maxSchedules`. */
  readonly hitScheduleBound: boolean;
  /** Some run met a tie beyond `maxDepth`, whose other choices were never tried. */
  readonly hitDepthBound: boolean;
  /** Every schedule was run and passed: no failure and neither bound hit. */
  readonly complete: boolean;
  /** Most ties met by one run. */
  readonly deepest: number;
  readonly failure?: ExhaustiveFailure;
}

/** The bounds in force, resolved. */
export const EXHAUSTIVE_DEFAULTS = { maxSchedules: 10_000, maxDepth: 64 } as const;

/** A node of the current path: how many candidates its tie had, and their labels. */
interface Node {
  readonly count: number;
  readonly labels: readonly string[];
}

/** Replays `prefix`, then FIFO; notes every tie's candidates. One per run. */
class PrefixSource extends RecordingSource {
  readonly name = 'exhaustive';
  readonly nodes: Node[] = [];
  divergence: string | undefined;

  constructor(
    private readonly prefix: readonly number[],
    private readonly expected: readonly Node[],
  ) {
    super();
  }

  protected pick(candidates: readonly TieCandidate[], _now: number, step: number): number {
    const labels = candidates.map((c) => c.label);
    this.nodes.push({ count: candidates.length, labels });
    if (step >= this.prefix.length) return 0;
    const want = this.expected[step] as Node;
    if (this.divergence === undefined && (want.count !== labels.length || want.labels.some((l, i) => l !== labels[i]))) {
      this.divergence = `tie ${step} offered [${labels.join(', ')}], an earlier run with the same choices offered [${want.labels.join(', ')}]`;
    }
    // Beyond a divergence nothing is meaningful; stay in range so the run can finish.
    return Math.min(this.prefix[step] as number, candidates.length - 1);
  }
}

function positiveInteger(value: number | undefined, fallback: number, what: string): number {
  const v = value ?? fallback;
  if (!(Number.isSafeInteger(v) && v >= 1)) {
    throw new DetnetError('ERR_INVALID_EXHAUSTIVE_OPTIONS', `${what} must be a positive integer, got ${String(v)}`);
  }
  return v;
}

/** One run's verdict: what `run` returned or threw. */
interface Outcome {
  readonly passed: boolean;
  readonly error: unknown;
}

/**
 * The walk's state between runs, shared by the synchronous and the async drivers: `next()`
 * gives the source of the next schedule, `record()` judges the run it was given to and
 * returns the report once the walk is over (else undefined).
 */
class Walk {
  private prefix: number[] = [];
  private expected: readonly Node[] = [];
  private schedules = 0;
  private hitDepthBound = false;
  private deepest = 0;
  private readonly maxSchedules: number;
  private readonly maxDepth: number;

  constructor(private readonly options: ExhaustiveOptions) {
    this.maxSchedules = positiveInteger(options.maxSchedules, EXHAUSTIVE_DEFAULTS.maxSchedules, 'maxSchedules');
    this.maxDepth = positiveInteger(options.maxDepth, EXHAUSTIVE_DEFAULTS.maxDepth, 'maxDepth');
  }

  next(): PrefixSource {
    this.schedules++;
    return new PrefixSource(this.prefix, this.expected);
  }

  record(source: PrefixSource, { passed, error }: Outcome): ExhaustiveReport | undefined {
    const { schedules, prefix, maxDepth } = this;
    if (source.divergence === undefined && source.nodes.length < prefix.length) {
      source.divergence = `the run met ${source.nodes.length} ties, an earlier run with the same choices met at least ${prefix.length}`;
    }
    if (source.divergence !== undefined) {
      throw new DetnetError('ERR_NONDETERMINISTIC_RUN', `exhaustive run ${schedules} is not a function of its schedule: ${source.divergence}`, {
        cause: error,
      });
    }
    this.options.onProgress?.(schedules);
    this.deepest = Math.max(this.deepest, source.nodes.length);
    if (source.nodes.length > maxDepth) this.hitDepthBound = true;
    const { hitDepthBound, deepest } = this;
    if (!passed) {
      const failure: ExhaustiveFailure = { run: schedules, choices: source.choices, schedule: source.schedule, decisions: source.decisions, error };
      return { schedules, hitScheduleBound: false, hitDepthBound, complete: false, deepest, failure };
    }
    // Backtrack: the deepest branching tie with an untried sibling.
    const choices = source.choices;
    let i = Math.min(choices.length, maxDepth) - 1;
    while (i >= 0 && (choices[i] as number) + 1 >= (source.nodes[i] as Node).count) i--;
    if (i < 0) return { schedules, hitScheduleBound: false, hitDepthBound, complete: !hitDepthBound, deepest };
    if (schedules >= this.maxSchedules) return { schedules, hitScheduleBound: true, hitDepthBound, complete: false, deepest };
    this.prefix = [...choices.slice(0, i), (choices[i] as number) + 1];
    this.expected = source.nodes.slice(0, i + 1);
    return undefined;
  }
}

function checkRun(run: unknown): void {
  if (typeof run !== 'function') throw new DetnetError('ERR_INVALID_EXHAUSTIVE_OPTIONS', 'exploreExhaustive needs a run function');
}

/**
 * Runs `run` once per schedule of its ties, depth first, until every schedule has run, one
 * fails (`run` returns `false` or throws), or a bound is hit; see the module header.
 * `run` must be synchronous, build everything it uses afresh and pass `source` as its
 * tie-breaker (for a world: `new World({ seed, tieBreaker: source })`); a promise is refused
 * with `ERR_ASYNC_RUN` (use `exploreExhaustiveAsync`).
 */
export function exploreExhaustive(run: (source: ScheduleSource) => boolean | undefined | void, options: ExhaustiveOptions = {}): ExhaustiveReport {
  checkRun(run);
  const walk = new Walk(options);
  for (;;) {
    const source = walk.next();
    let outcome: Outcome;
    let result: unknown;
    try {
      result = run(source);
      outcome = { passed: result !== false, error: undefined };
    } catch (err) {
      outcome = { passed: false, error: err };
    }
    if (typeof (result as { then?: unknown } | null)?.then === 'function') {
      // A promise is not a verdict: counting it as a pass would turn a bug into a false proof.
      throw new DetnetError('ERR_ASYNC_RUN', 'exploreExhaustive needs a synchronous run; it returned a promise (use exploreExhaustiveAsync)');
    }
    const report = walk.record(source, outcome);
    if (report !== undefined) return report;
  }
}

/**
 * `exploreExhaustive` for a run that returns a promise (the scenario runner's `runScenario`
 * is async even on the simulated world): the same walk, the same bounds and report, one run
 * awaited at a time. The run must still be a function of its schedule alone; on the simulated
 * world nothing else can reach it between awaits, since every timer is on its own clock.
 */
export async function exploreExhaustiveAsync(
  run: (source: ScheduleSource) => Promise<boolean | undefined | void>,
  options: ExhaustiveOptions = {},
): Promise<ExhaustiveReport> {
  checkRun(run);
  const walk = new Walk(options);
  for (;;) {
    const source = walk.next();
    let outcome: Outcome;
    try {
      outcome = { passed: (await run(source)) !== false, error: undefined };
    } catch (err) {
      outcome = { passed: false, error: err };
    }
    const report = walk.record(source, outcome);
    if (report !== undefined) return report;
  }
}

/** Groups digits by thousands with commas, independent of the locale. */
function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * One line for people: "all 1,296 schedules pass (every schedule covered)", or which bound
 * stopped the walk, or `schedule "0.1.0" fails (2 schedules passed before it)`.
 */
export function describeExhaustive(report: ExhaustiveReport): string {
  const s = (n: number): string => `${count(n)} schedule${n === 1 ? '' : 's'}`;
  if (report.failure !== undefined) {
    const before = report.failure.run - 1;
    return `schedule "${report.failure.schedule}" fails (${s(before)} passed before it)`;
  }
  if (report.complete) return `all ${s(report.schedules)} pass (every schedule covered)`;
  const bounds = [
    ...(report.hitScheduleBound ? ['the schedule bound'] : []),
    ...(report.hitDepthBound ? ['the depth bound'] : []),
  ];
  return `${s(report.schedules)} pass; stopped by ${bounds.join(' and ')}, so not every schedule was covered`;
}
