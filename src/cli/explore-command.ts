/**
 * `detnet explore SCENARIO [--strategy random|pct|exhaustive] [--runs N] [--seed S] [--swarm]
 * [--profile P] [--bugs …] [--latency MS] [--out FILE]`: searches the scenario's schedules
 * (and, with `--swarm`, fault mixes) for a run that breaks the property of
 * scenario-explorer.ts, and on a failure prints the shrunk case so that `detnet replay`
 * reproduces it.
 *
 * Owns: the options, the progress line (stderr; rewritten in place on a terminal, a plain line
 * every tenth of the way otherwise, so logs stay short), the report, writing the minimal
 * scenario file (`--out`, default `explore-<name>.json` in the current directory), the note
 * when no run met a tie (then no schedule could differ from FIFO, and a same-instant race is
 * invisible: the scenario's latency keeps events apart), and the exit code: 0 nothing failed,
 * 1 a failure was found, 2 a usage or scenario-file mistake.
 *
 * Does not: run or shrink anything itself (scenario-explorer.ts).
 */
import { writeFileSync } from 'node:fs';
import { describeExhaustive, EXHAUSTIVE_DEFAULTS } from '../clock/exhaustive.js';
import { formatMix } from '../scenario/swarm.js';
import { parseArgs, type OptionSpec } from './args.js';
import { EXIT, UsageError, type Command, type Output, type Streams } from './command.js';
import { PLAY_HELP, PLAY_OPTIONS, playSettings, replayCommand, scheduleWord, tieLines } from './explore-options.js';
import { DEFAULT_SCENARIO, loadScenario, resolveScenarioFile } from './scenario-files.js';
import { explore as exploreScenario, STRATEGIES, type Progress, type Strategy } from './scenario-explorer.js';
import { timelineReport } from './timeline-report.js';

const OPTIONS: Readonly<Record<string, OptionSpec>> = {
  ...PLAY_OPTIONS,
  strategy: { choices: STRATEGIES },
  runs: { integer: { min: 1, max: 10_000_000 } },
  seed: { integer: { min: 0, max: 2 ** 32 - 1 } },
  swarm: { flag: true },
  out: { text: true },
};

/** Runs of random and PCT exploration when `--runs` is not given. */
export const DEFAULT_RUNS = 1000;

/** The options of `explore`, as `--help` documents them. */
export const EXPLORE_HELP: readonly string[] = [
  'detnet explore [scenario] [options]',
  '  --strategy S        random (default: seeded random ties), pct (random priorities with',
  '                      change points), exhaustive (every schedule, a bounded proof)',
  `  --runs N            runs to try (default ${DEFAULT_RUNS}; exhaustive: the schedule bound, ${EXHAUSTIVE_DEFAULTS.maxSchedules})`,
  '  --seed S            seed of the exploration: each run draws its world seed and schedule from it',
  '  --swarm             each run draws its own fault mix (drop, delay, refuse, reset, each on or',
  '                      off, at its own rate); the expectations are then not checked, only that',
  '                      the run completes (no endless vwait, runaway or background error)',
  ...PLAY_HELP,
  '  --out FILE          where to write the failing case\'s scenario (default explore-<name>.json)',
  'Exit status: 0 no failure found, 1 a failure (shrunk, with its replay command), 2 bad usage.',
];

/** A progress line on `err`: in place on a terminal, every tenth of the way otherwise. */
function progressLine(err: Output): { update(p: Progress): void; clear(): void } {
  const tty = (err as { isTTY?: unknown }).isTTY === true;
  let shown = false;
  return {
    update({ phase, done, of }: Progress): void {
      const step = Math.max(1, Math.floor(of / (tty ? 100 : 10)));
      if (done % step !== 0 && done !== of && done !== 1) return;
      const text = `${phase === 'explore' ? 'exploring' : 'shrinking'}: ${done}/${of}`;
      if (tty) {
        err.write(`\r${text}\x1b[K`);
        shown = true;
      } else {
        err.write(`${text}\n`);
      }
    },
    clear(): void {
      if (shown) err.write('\r\x1b[K');
    },
  };
}

/** Runs `detnet explore` with `args`; returns the exit code. */
export async function exploreCommand(args: readonly string[], { out, err }: Streams): Promise<number> {
  const parsed = parseArgs(args, OPTIONS);
  if (parsed.help) {
    out.write(`${EXPLORE_HELP.join('\n')}\n`);
    return EXIT.ok;
  }
  if (parsed.positionals.length > 1) throw new UsageError(`explore takes one scenario, got ${parsed.positionals.length}`, { showUsage: true });
  const o = parsed.options;
  const strategy = (o.get('strategy') ?? 'random') as Strategy;
  const swarm = o.has('swarm');
  if (swarm && strategy === 'exhaustive') throw new UsageError('--swarm draws a fault mix per run: it needs --strategy random or pct, not exhaustive');
  if (o.has('seed') && strategy === 'exhaustive') throw new UsageError('--seed applies to random and pct: exhaustive draws nothing');
  const loaded = loadScenario(resolveScenarioFile(parsed.positionals[0] ?? DEFAULT_SCENARIO), { warn: (line) => err.write(`${line}\n`) });
  const play = playSettings(loaded, o);
  const runs = Number(o.get('runs') ?? (strategy === 'exhaustive' ? EXHAUSTIVE_DEFAULTS.maxSchedules : DEFAULT_RUNS));
  const seed = Number(o.get('seed') ?? 1);
  const progress = progressLine(err);
  const report = await exploreScenario({ scenario: play.scenario, strategy, runs, seed, swarm, latency: play.latency, onProgress: (p) => progress.update(p) });
  progress.clear();
  const what = `${strategy}${strategy === 'exhaustive' ? '' : `, seed ${seed}`}${swarm ? ', swarm' : ''}, profile ${play.scenario.profile ?? 'default'}`;
  const lines: string[] = [];
  if (report.ties === 0) {
    lines.push(
      play.latencyMs === 0
        ? 'note: no run met two events due at the same instant: this scenario has no same-instant choices to explore'
        : 'note: no run met two events due at the same instant, so every schedule was FIFO: with this scenario\'s latency, same-instant races (such as 336441ed59\'s) cannot happen. Try --latency 0.',
    );
  }
  const f = report.failure;
  if (f === undefined) {
    lines.push(report.exhaustive === undefined ? `✓ all ${report.runs} runs pass (${what}; ${report.ties} ties met)` : `✓ ${describeExhaustive(report.exhaustive)} (${what})`);
    out.write(`${lines.join('\n')}\n`);
    return EXIT.ok;
  }
  const file = o.get('out') ?? `explore-${loaded.name.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`;
  const text = `${JSON.stringify(f.scenario, null, 2)}\n`;
  writeFileSync(file, text);
  lines.push(
    `✗ run ${f.foundAt} of ${runs} fails (${what}); shrunk ${f.shrinks} time(s):`,
    f.played.problem ?? '',
    '',
    `minimal scenario file (written to ${file}):`,
    text.trimEnd(),
    '',
    ...(swarm ? [`fault mix: ${formatMix(f.mix)}`] : []),
    `schedule: ${scheduleWord(f.choices)}`,
    ...tieLines(f.played.run),
    '',
    timelineReport(f.scenario, f.played.run, 'all').trimEnd(),
    '',
    `replay: ${replayCommand(file, f.choices, play.latencyMs, swarm ? f.mix : undefined)}`,
  );
  out.write(`${lines.join('\n')}\n`);
  return EXIT.failed;
}

/** The `explore` command. */
export const explore: Command = {
  summary: 'search a scenario\'s schedules (and fault mixes) for a failing run, shrink it, print its replay',
  help: EXPLORE_HELP,
  run: exploreCommand,
};
