/**
 * The engine behind `detnet explore` and `detnet replay`: runs a scenario on the simulated
 * world under many schedules (and, in swarm mode, many fault mixes), judges each run, and
 * shrinks the first failure to a small schedule and mix that replay exactly.
 *
 * Owns: the property a run must satisfy, the strategies' per-run settings, shrinking, and
 * the one function both commands use to play a case (`playCase`), so that explore's final,
 * shrunk run and `detnet replay` of it are the same run and give byte-identical traces.
 *
 * The property (`judge`): the run must complete — no runaway handler, no loop or trace limit,
 * no handler background error (each of which already stops a scenario run,
 * `ScenarioRunError`) — and no `vwait` may end by its guard (a scenario's `vwait` always has
 * one, so that is how "vwait would wait forever" shows) unless the expectations contain such a
 * timeout (or, in swarm mode, the faults hit a packet); outside swarm mode its trace must also equal the scenario's expectations. In swarm
 * mode the expectations are not checked: they describe the fault-free run, and a refused or
 * reset connection legitimately changes the trace; only the generic invariants are.
 *
 * Strategies: `random` and `pct` give run i its own world seed and schedule source, drawn
 * from the explore seed's fork `run/i` (so run i is the same whatever `--runs` says);
 * `exhaustive` keeps the scenario's seed and enumerates every schedule with the async walk of
 * src/clock/exhaustive.ts (`runScenario` is async even on the simulated world, whose blocking
 * driver never actually waits; an async walk was the smaller change than a second,
 * synchronous scenario runner that would have to be kept in step with the first).
 *
 * Shrinking, greedy to a fixed point within `SHRINK_BUDGET` runs, accepting any failure:
 * first the fault mix (one kind off, one probability halved), then the schedule (shorter
 * prefixes, single choices zeroed or lowered, single choices removed); a schedule is replayed
 * by `ReplaySource`, FIFO past its end, so trailing zeros are dropped and `""` means FIFO.
 *
 * Does not: parse command lines or print (explore-command.ts, replay-command.ts).
 */
import { exploreExhaustiveAsync, type ExhaustiveReport } from '../clock/exhaustive.js';
import { PctSource } from '../clock/pct-source.js';
import { ReplaySource } from '../clock/replay-source.js';
import { formatSchedule } from '../clock/schedule-encoding.js';
import type { ScheduleSource } from '../clock/schedule-source.js';
import { SeededSource } from '../clock/seeded-source.js';
import { Rng } from '../random/rng.js';
import type { Scenario } from '../scenario/scenario.js';
import { drawMix, installMix, smallerMixes, type FaultMix, type MixHits } from '../scenario/swarm.js';
import type { LatencyModel } from '../sim/latency.js';
import { tracedSimRun, type TracedRun } from './traced-run.js';
import { expectationFor, verdict } from './verdict.js';

/** The strategies of `detnet explore --strategy`. */
export const STRATEGIES = ['random', 'pct', 'exhaustive'] as const;
/** One of `STRATEGIES`. */
export type Strategy = (typeof STRATEGIES)[number];

/** Most runs one shrink may spend. */
export const SHRINK_BUDGET = 500;

/** One case: a scenario (its seed is the world seed), a fault mix, and how to break ties. */
export interface CaseSettings {
  readonly scenario: Scenario;
  readonly mix: FaultMix;
  /** Every link's latency, replacing the file's (`--latency`); undefined: the file's. */
  readonly latency: LatencyModel | undefined;
  /** Whether the scenario's expectations are part of the property (not in swarm mode). */
  readonly checkExpectations: boolean;
}

/** One played case and its verdict. */
export interface PlayedCase {
  readonly run: TracedRun;
  /** Why the run fails the property, or null when it passes. */
  readonly problem: string | null;
  /** Ties the run met (its `clock.tie` entries). */
  readonly ties: number;
}

/** Whether the scenario's expectations include a `vwait` ended by its guard. */
function expectsTimeout(settings: CaseSettings): boolean {
  const expectation = expectationFor(settings.scenario, 'sim');
  return expectation !== null && !('notRunnable' in expectation) && expectation.lines.some((l) => 'note' in l && l.note === 'vwait-timeout');
}

/** Whether `run` satisfies the property (module header); the reason when it does not. */
function judge(settings: CaseSettings, run: TracedRun, faultHits: number): string | null {
  if (run.failure !== null) return `the run stopped early: ${run.failure}`;
  const expectation = expectationFor(settings.scenario, 'sim');
  const checked = settings.checkExpectations && expectation !== null && !('notRunnable' in expectation);
  if (checked) {
    const v = verdict(expectation, run.lines, 'sim');
    if (!v.ok) return v.text;
  }
  // A guarded vwait that timed out is what "waits forever" looks like in a scenario. Not when
  // the swarm's faults hit a packet: a dropped RST leaves an attempt to its SYN timeouts
  // (127 s on Linux's schedule), a long wait that is no bug of the program.
  const timedOut = run.lines.find((l) => 'note' in l && l.note === 'vwait-timeout');
  if (timedOut !== undefined && faultHits === 0 && !expectsTimeout(settings)) {
    return `vwait ${String((timedOut as { value?: unknown }).value)} ended only by its guard: it would wait forever (the scenario's expectations never time out)`;
  }
  return null;
}

/** Plays one case with `ties` breaking its ties, and judges it. */
export async function playCase(settings: CaseSettings, ties: ScheduleSource): Promise<PlayedCase> {
  let mix: MixHits = { hits: 0 };
  const run = await tracedSimRun(settings.scenario, { tieBreaker: ties, ...(settings.latency === undefined ? {} : { latency: settings.latency }) }, (world) => {
    mix = installMix(world, settings.mix);
  });
  return { run, problem: judge(settings, run, mix.hits), ties: run.entries.filter((e) => e.kind === 'clock.tie').length };
}

/** What `explore` was asked to do. */
export interface ExploreSettings {
  readonly scenario: Scenario;
  readonly strategy: Strategy;
  readonly runs: number;
  readonly seed: number;
  readonly swarm: boolean;
  readonly latency: LatencyModel | undefined;
  /** Called after every run (exploring and shrinking) for a progress line. */
  readonly onProgress?: (progress: Progress) => void;
}

/** Where an exploration is. */
export interface Progress {
  readonly phase: 'explore' | 'shrink';
  /** Runs done in this phase. */
  readonly done: number;
  /** Runs this phase may take at most. */
  readonly of: number;
}

/** A failing case, shrunk. */
export interface ExploreFailure {
  /** 1-based number of the exploring run that failed first. */
  readonly foundAt: number;
  /** The scenario with the failing run's world seed: the minimal scenario file. */
  readonly scenario: Scenario;
  readonly mix: FaultMix;
  readonly choices: readonly number[];
  /** `choices` in the `parseSchedule` form (`""` for FIFO). */
  readonly schedule: string;
  /** Shrinking steps that kept the failure. */
  readonly shrinks: number;
  /** The shrunk case played: what `detnet replay` gives again, byte for byte. */
  readonly played: PlayedCase;
}

/** What `explore` found. */
export interface ExploreReport {
  readonly runs: number;
  /** Ties met over all exploring runs: 0 means no schedule could differ from FIFO. */
  readonly ties: number;
  /** The exhaustive walk's report (strategy `exhaustive` only). */
  readonly exhaustive?: ExhaustiveReport;
  readonly failure?: ExploreFailure;
}

/** Drops trailing zeros: a replay takes the first candidate past its list's end anyway. */
function trimmed(choices: readonly number[]): number[] {
  let end = choices.length;
  while (end > 0 && choices[end - 1] === 0) end--;
  return choices.slice(0, end);
}

/** Schedules one step smaller than `choices` (trimmed), most reducing first. */
function smallerSchedules(choices: readonly number[]): number[][] {
  const out: number[][] = [];
  for (let k = 0; k < choices.length; k++) out.push(choices.slice(0, k));
  for (let i = 0; i < choices.length; i++) {
    const c = choices[i] as number;
    if (c > 0) out.push(choices.map((x, j) => (j === i ? 0 : x)));
    if (c > 1) out.push(choices.map((x, j) => (j === i ? c - 1 : x)));
  }
  for (let i = 0; i < choices.length; i++) out.push([...choices.slice(0, i), ...choices.slice(i + 1)]);
  const seen = new Set<string>([choices.join('.')]);
  return out.map(trimmed).filter((c) => {
    const key = c.join('.');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Shrinks a failing case (module header); `found` is its first failing run's settings and choices. */
async function shrink(settings: CaseSettings, choices: readonly number[], first: PlayedCase, onProgress: ExploreSettings['onProgress']): Promise<Omit<ExploreFailure, 'foundAt'>> {
  let best = { settings, choices: trimmed(choices), played: first };
  let shrinks = 0;
  let spent = 0;
  // The trimmed schedule is replayed once, so the reported run is a replay run like `detnet replay`'s.
  const attempt = async (s: CaseSettings, c: readonly number[]): Promise<PlayedCase | null> => {
    spent++;
    onProgress?.({ phase: 'shrink', done: spent, of: SHRINK_BUDGET });
    const played = await playCase(s, new ReplaySource(c));
    return played.problem === null ? null : played;
  };
  const again = await attempt(best.settings, best.choices);
  if (again !== null) best = { ...best, played: again };
  const improve = async (candidates: () => readonly { s: CaseSettings; c: number[] }[]): Promise<void> => {
    for (let improved = true; improved && spent < SHRINK_BUDGET; ) {
      improved = false;
      for (const { s, c } of candidates()) {
        if (spent >= SHRINK_BUDGET) break;
        const played = await attempt(s, c);
        if (played === null) continue;
        best = { settings: s, choices: c, played };
        shrinks++;
        improved = true;
        break;
      }
    }
  };
  await improve(() => smallerMixes(best.settings.mix).map((mix) => ({ s: { ...best.settings, mix }, c: best.choices })));
  await improve(() => smallerSchedules(best.choices).map((c) => ({ s: best.settings, c })));
  return { scenario: best.settings.scenario, mix: best.settings.mix, choices: best.choices, schedule: formatSchedule(best.choices), shrinks, played: best.played };
}

/** Explores `settings.scenario` (module header); resolves to the report. */
export async function explore(settings: ExploreSettings): Promise<ExploreReport> {
  const base: CaseSettings = { scenario: settings.scenario, mix: {}, latency: settings.latency, checkExpectations: !settings.swarm };
  let ties = 0;
  if (settings.strategy === 'exhaustive') {
    let failed: { choices: readonly number[]; played: PlayedCase } | undefined;
    const report = await exploreExhaustiveAsync(
      async (source) => {
        const played = await playCase(base, source);
        ties += played.ties;
        if (played.problem !== null) failed = { choices: source.choices, played };
        return played.problem === null;
      },
      { maxSchedules: settings.runs, onProgress: (done) => settings.onProgress?.({ phase: 'explore', done, of: settings.runs }) },
    );
    if (failed === undefined) return { runs: report.schedules, ties, exhaustive: report };
    const shrunk = await shrink(base, failed.choices, failed.played, settings.onProgress);
    return { runs: report.schedules, ties, exhaustive: report, failure: { foundAt: report.schedules, ...shrunk } };
  }
  const root = new Rng(settings.seed);
  for (let i = 0; i < settings.runs; i++) {
    const rng = root.fork(`run/${i}`);
    const scenario: Scenario = { ...settings.scenario, seed: rng.int(0, 2 ** 32 - 1) };
    const mix = settings.swarm ? drawMix(rng.fork('mix')) : {};
    const source = settings.strategy === 'pct' ? new PctSource(rng.fork('ties')) : new SeededSource(rng.fork('ties'));
    const caseSettings: CaseSettings = { ...base, scenario, mix };
    const played = await playCase(caseSettings, source);
    ties += played.ties;
    settings.onProgress?.({ phase: 'explore', done: i + 1, of: settings.runs });
    if (played.problem !== null) {
      const shrunk = await shrink(caseSettings, source.choices, played, settings.onProgress);
      return { runs: i + 1, ties, failure: { foundAt: i + 1, ...shrunk } };
    }
  }
  return { runs: settings.runs, ties };
}

