/**
 * What `detnet explore` and `detnet replay` share: the options that decide how a scenario is
 * played (`--profile`, `--bugs`, `--latency`), applying them to the loaded scenario, and the
 * printed form of a failing case (its schedule's ties, the replay command).
 *
 * Owns: those options and texts only. Does not: run anything (scenario-explorer.ts).
 */
import { formatSchedule } from '../clock/schedule-encoding.js';
import type { Scenario } from '../scenario/scenario.js';
import { formatMix, type FaultMix } from '../scenario/swarm.js';
import type { LatencyModel } from '../sim/latency.js';
import { DEFAULT_PROFILE } from '../socket/profiles.js';
import { profileOption } from './profile-option.js';
import type { OptionSpec } from './args.js';
import type { TracedRun } from './traced-run.js';

/** The options both commands take. */
export const PLAY_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  profile: { text: true },
  bugs: { text: true },
  latency: { integer: { min: 0, max: 60_000 } },
};

/** Help lines of `PLAY_OPTIONS`. */
export const PLAY_HELP: readonly string[] = [
  '  --profile NAME      Tcl profile, bug switches allowed: default+336441ed59',
  '  --bugs A,B          switch these bugs on in the profile (see "detnet profiles")',
  "  --latency MS        every link, loopback included, takes MS ms (replacing the file's):",
  '                      same-instant races need --latency 0',
];

/** How a case is played, from the options. */
export interface PlaySettings {
  /** The scenario with the profile the options name. */
  readonly scenario: Scenario;
  readonly latency: LatencyModel | undefined;
  readonly latencyMs: number | undefined;
}

/** Applies `--profile`, `--bugs` and `--latency` to `loaded`. */
export function playSettings(loaded: Scenario, options: ReadonlyMap<string, string>): PlaySettings {
  let name = options.get('profile') ?? loaded.profile ?? DEFAULT_PROFILE.name;
  const bugs = options.get('bugs');
  if (bugs !== undefined) name = `${name}+${bugs.split(',').map((b) => b.trim()).join('+')}`;
  profileOption(name, bugs === undefined ? '--profile' : '--bugs');
  const ms = options.get('latency');
  const latencyMs = ms === undefined ? undefined : Number(ms);
  return {
    scenario: name === (loaded.profile ?? DEFAULT_PROFILE.name) ? loaded : { ...loaded, profile: name },
    latency: latencyMs === undefined ? undefined : { kind: 'fixed', ms: latencyMs },
    latencyMs,
  };
}

/** A schedule as a command-line word: `parseSchedule`'s form, or `fifo` for none. */
export function scheduleWord(choices: readonly number[]): string {
  return choices.length === 0 ? 'fifo' : formatSchedule(choices);
}

/** The exact `detnet replay` command of a case. */
export function replayCommand(file: string, choices: readonly number[], latencyMs: number | undefined, mix: FaultMix | undefined): string {
  const quoted = /^[A-Za-z0-9_./+-]+$/.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`;
  const parts = ['detnet replay', quoted, '--schedule', scheduleWord(choices)];
  if (latencyMs !== undefined) parts.push('--latency', String(latencyMs));
  if (mix !== undefined) parts.push('--mix', formatMix(mix));
  return parts.join(' ');
}

/** The run's ties, one line each, the chosen candidate in brackets. */
export function tieLines(run: TracedRun): string[] {
  const out: string[] = [];
  for (const e of run.entries) {
    if (e.kind !== 'clock.tie') continue;
    const { t, step, candidates, chose } = e as unknown as { t: number; step: number; candidates: string[]; chose: number };
    const labels = candidates.map((l, i) => (i === chose ? `[${l}]` : l)).join('  ');
    out.push(`  tie ${step} at ${t} ms: ${labels}  → ${chose}`);
  }
  return out;
}
