/**
 * `detnet replay FILE --schedule S [--mix M] [--profile P] [--bugs …] [--latency MS]
 * [--format timeline|jsonl]`: plays one case of `detnet explore` again — the scenario file it
 * wrote, the schedule (`parseSchedule`'s form, `fifo` for none) and, for a swarm case, the
 * fault mix — and judges it by the same property. Same file, schedule, mix and options ⇒ the
 * same trace, byte for byte, as explore's shrunk run.
 *
 * Owns: the options and the output: the timeline at level `all` with the schedule's ties
 * (default) or the raw trace as JSON lines (`jsonl`, for diffing), then the verdict (stdout
 * with the timeline, stderr with JSON lines). Exit 1 when the case fails, 0 when it passes,
 * 2 for a usage mistake.
 *
 * Does not: run anything itself (scenario-explorer.ts's `playCase`).
 */
import { ReplaySource } from '../clock/replay-source.js';
import { parseSchedule } from '../clock/schedule-encoding.js';
import { DetnetError } from '../errors.js';
import { parseMix, type FaultMix } from '../scenario/swarm.js';
import { parseArgs, type OptionSpec } from './args.js';
import { EXIT, UsageError, type Command, type Streams } from './command.js';
import { PLAY_HELP, PLAY_OPTIONS, playSettings, tieLines } from './explore-options.js';
import { loadScenario, resolveScenarioFile } from './scenario-files.js';
import { playCase } from './scenario-explorer.js';
import { timelineReport } from './timeline-report.js';

const OPTIONS: Readonly<Record<string, OptionSpec>> = {
  ...PLAY_OPTIONS,
  schedule: { text: true },
  mix: { text: true },
  format: { choices: ['timeline', 'jsonl'] },
};

/** The options of `replay`, as `--help` documents them. */
export const REPLAY_HELP: readonly string[] = [
  'detnet replay FILE --schedule S [options]',
  '  --schedule S        the tie choices, as explore prints them (0.1.0, 37x0; fifo for none)',
  '  --mix M             a swarm case\'s fault mix (drop=0.05,delay=0.25; none); the',
  '                      expectations are then not checked, as in explore --swarm',
  ...PLAY_HELP,
  '  --format F          timeline (default, level all) or jsonl (the raw trace)',
  'Exit status: 0 the case passes, 1 it fails, 2 bad usage.',
];

/** A `DetnetError` of a bad option value as a usage error naming the option. */
function option<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof DetnetError) throw new UsageError(`--${name}: ${err.message}`);
    throw err;
  }
}

/** Runs `detnet replay` with `args`; returns the exit code. */
export async function replayCommand(args: readonly string[], { out, err }: Streams): Promise<number> {
  const parsed = parseArgs(args, OPTIONS);
  if (parsed.help) {
    out.write(`${REPLAY_HELP.join('\n')}\n`);
    return EXIT.ok;
  }
  if (parsed.positionals.length !== 1) throw new UsageError(`replay takes one scenario file, got ${parsed.positionals.length}`, { showUsage: true });
  const o = parsed.options;
  const text = o.get('schedule');
  if (text === undefined) throw new UsageError('replay needs --schedule (as detnet explore prints it; fifo for none)');
  const choices = text === 'fifo' ? [] : option('schedule', () => parseSchedule(text));
  const mixText = o.get('mix');
  const mix: FaultMix | undefined = mixText === undefined ? undefined : option('mix', () => parseMix(mixText));
  const loaded = loadScenario(resolveScenarioFile(parsed.positionals[0] as string), { warn: (line) => err.write(`${line}\n`) });
  const play = playSettings(loaded, o);
  const played = await playCase({ scenario: play.scenario, mix: mix ?? {}, latency: play.latency, checkExpectations: mix === undefined }, new ReplaySource(choices));
  const verdict = played.problem === null ? '✓ the property holds on this schedule' : `✗ the case fails: ${played.problem}`;
  if (o.get('format') === 'jsonl') {
    out.write(played.run.entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    err.write(`${verdict}\n`);
  } else {
    out.write(`schedule: ${text}\n${tieLines(played.run).join('\n')}\n\n${timelineReport(play.scenario, played.run, 'all')}\n${verdict}\n`);
  }
  return played.problem === null ? EXIT.ok : EXIT.failed;
}

/** The `replay` command. */
export const replay: Command = {
  summary: 'play one case of explore again: a scenario file with its schedule (and fault mix)',
  help: REPLAY_HELP,
  run: replayCommand,
};
