/**
 * `detnet explore SCENARIO [--strategy random|pct|exhaustive] [--runs N] [--seed S] [--swarm]
 * [--profile P] [--bugs …] [--latency MS] [--out FILE]`: searches the scenario's schedules
 * (and, with `--swarm`, fault mixes) for a run that breaks the property of
 * scenario-explorer.ts, and on a failure prints the shrunk case so that `detnet replay`
 * reproduces it.
 *
 * Owns: the options, the progress line (stderr; rewritten in place on a terminal, a plain line
 * every tenth of the way otherwise, so logs stay short), the report, writing the minimal
 * scenario file (`--out`, default `explore-<name>.json` in the current directory), the notes
 * on a clean exploration that say what it could not see (no run met a tie, so every schedule
 * was FIFO; the world's latency kept packet exchanges apart, so races needing one instant
 * were invisible), and
 * the exit code: 0 nothing failed,
 * 1 a failure was found, 2 a usage or scenario-file mistake.
 *
 * Does not: run or shrink anything itself (scenario-explorer.ts).
 */
import { writeFileSync } from 'node:fs';
import { describeExhaustive, EXHAUSTIVE_DEFAULTS } from '../clock/exhaustive.js';
import type { LatencySpec, Scenario } from '../scenario/scenario.js';
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

/** A latency model that can delay a packet, described; null for one that never does. */
function delays(spec: LatencySpec | undefined, fallback: string | null): string | null {
  if (spec === undefined) return fallback;
  if (spec.kind === 'fixed') return spec.ms === 0 ? null : `${spec.ms} ms`;
  if (spec.kind === 'scripted') return spec.delaysMs.some((d) => d > 0) ? 'scripted delays' : null;
  return spec.kind;
}

/**
 * What in the scenario's world keeps a packet exchange from happening at one instant, or null:
 * the simulator's defaults are 0 ms on loopback and 1 ms between machines, so a file without
 * `world` (loopback only) is instant.
 */
function slowLinks(scenario: Scenario): string | null {
  const w = scenario.world;
  if (w === undefined) return null;
  const between = w.hosts.length > 1 ? delays(w.latency?.default, '1 ms (the default)') : null;
  const links = (w.latency?.links ?? []).map((l) => delays(l.model, null)).find((d) => d !== null) ?? null;
  const loop = delays(w.latency?.loopback, null);
  const parts = [...(between === null ? [] : [`links between machines take ${between}`]), ...(links === null ? [] : [`some links take ${links}`]), ...(loop === null ? [] : [`loopback takes ${loop}`])];
  return parts.length === 0 ? null : `the scenario's latency applied (${parts.join('; ')})`;
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
  const f = report.failure;
  if (f === undefined && report.ties === 0) {
    lines.push('note: no run met two events due at the same instant, so every schedule was FIFO: there was no order to explore.');
  }
  const slow = play.latencyMs === undefined ? slowLinks(play.scenario) : null;
  if (f === undefined && slow !== null) {
    lines.push(
      `note: ${slow}, so a connect never completes in the instant it starts: a race that needs that, such as 336441ed59's (a connect completing as its watch is registered), cannot show here. --latency 0 puts a whole packet exchange at one instant.`,
    );
  }
  if (f === undefined) {
    lines.unshift(report.exhaustive === undefined ? `✓ all ${report.runs} runs pass (${what}; ${report.ties} ties met)` : `✓ ${describeExhaustive(report.exhaustive)} (${what})`);
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
