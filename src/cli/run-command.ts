/**
 * `detnet run [scenario] [options]`: load a scenario, run it on one backend, print what
 * happened, and check its expectations.
 *
 * Owns: the options (`--backend`, `--seed`, `--profile`, `--format`, `--level`) and which
 * combinations make sense, the three output formats — the readable timeline (default), the
 * normalised §13 JSON lines (`obs`, byte for byte what `runScenario` gives) and the raw trace
 * JSON lines (`jsonl`) — and the exit code: 2 for a usage or scenario-file mistake (nothing
 * runs), 1 when the run stops early or its expectations fail, 0 otherwise.
 *
 * The verdict goes to stdout after a timeline, and to stderr with the JSON formats so that
 * stdout stays pure JSON lines.
 *
 * A Tcl client (a `.tcl` file, with `--world`, or a scenario whose client is Tcl) is handed to
 * tcl-run.ts once the options are read: its formats are `stdout`, `timeline`, `jsonl` and `obs`
 * (the same normalised lines on every backend, tclsh included).
 *
 * Does not: run anything itself (traced-run.ts, tcl-run.ts), format timelines
 * (timeline-report.ts) or compare traces (verdict.ts).
 */
import type { Scenario } from '../scenario/scenario.js';
import { DEFAULT_PROFILE } from '../socket/profiles.js';
import { profileOption } from './profile-option.js';
import { toJSONL } from '../trace/observation.js';
import type { TimelineLevel } from '../trace/timeline.js';
import { parseArgs, type OptionSpec } from './args.js';
import { EXIT, UsageError, type Command, type Streams } from './command.js';
import { DEFAULT_SCENARIO, loadScenario, resolveScenarioFile } from './scenario-files.js';
import { timelineReport } from './timeline-report.js';
import { runTclClient, scriptScenario } from './tcl-run.js';
import { isTclClient } from '../scenario/client-kind.js';
import { BACKENDS, tracedRun, type BackendName, type TracedRun } from './traced-run.js';
import { expectationFor, verdict } from './verdict.js';

const FORMATS = ['timeline', 'jsonl', 'obs', 'stdout'] as const;
type Format = (typeof FORMATS)[number];
const LEVELS = ['obs', 'net', 'all'] as const;

const OPTIONS: Readonly<Record<string, OptionSpec>> = {
  backend: { choices: BACKENDS },
  seed: { integer: { min: 0, max: 2 ** 32 - 1 } },
  profile: { text: true },
  format: { choices: FORMATS },
  level: { choices: LEVELS },
  times: { flag: true },
  strict: { flag: true },
  world: { text: true },
  trace: { choices: ['sockets', 'all'] },
};

/** The options of `run`, as `--help` documents them. */
export const RUN_HELP: readonly string[] = [
  'detnet run [scenario] [options]',
  '  scenario            a file, or a built-in: default (when omitted), parity/<name>, <name>;',
  '                      or a Tcl script FILE.tcl',
  '  --backend B         sim (default: the simulated world), node (real loopback sockets),',
  '                      tclsh (real Tcl 8.6; host names need unshare -rm)',
  '  --seed N            world seed of the sim backend (default: the scenario\'s, else 1)',
  '  --profile NAME      Tcl profile for sim and node (see "detnet profiles")',
  '  --format F          timeline (default): readable, with virtual times;',
  '                      obs: the normalised §13 observation lines (JSON lines);',
  '                      jsonl: the raw trace (JSON lines, every entry)',
  '  --level L           timeline detail: obs (commands and events), net (default: also',
  '                      network, DNS and fault events), all (also the event loop)',
  '  --times             with --format obs: each line starts with its time, "t" (ms)',
  '  --format stdout     a Tcl client: only what the script wrote to stdout (compare it',
  '                      with tclsh FILE.tcl); Tcl clients take stdout, timeline, jsonl,',
  '                      obs (the same normalised lines on sim, node and tclsh)',
  '  --world W.json      with a .tcl file: run it on the world of W.json (default: one',
  '                      loopback machine, localhost = ::1 then 127.0.0.1)',
  '  --trace T           a Tcl client\'s trace: sockets (default: socket and event commands',
  '                      and output), all (also set, incr, lists, strings, procs …)',
  '  --strict            warnings about the file (addresses nothing routes to, listeners',
  '                      no name leads to, rules that never match) are errors',
  'Exit status: 0 ran and met its expectations, 1 failed them or stopped early,',
  '             2 bad command line or scenario file.',
];

/** The run's settings after the options were checked against each other. */
interface Settings {
  readonly file: string;
  readonly backend: BackendName;
  readonly format: Format;
  readonly level: TimelineLevel;
  readonly seed: number | undefined;
  readonly profile: string | undefined;
  readonly times: boolean;
  readonly strict: boolean;
  readonly world: string | undefined;
  readonly traceAll: boolean;
}

function settings(args: readonly string[]): Settings | 'help' {
  const parsed = parseArgs(args, OPTIONS);
  if (parsed.help) return 'help';
  if (parsed.positionals.length > 1) throw new UsageError(`run takes one scenario, got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}`, { showUsage: true });
  const o = parsed.options;
  const backend = (o.get('backend') ?? 'sim') as BackendName;
  const format = (o.get('format') ?? 'timeline') as Format;
  if (o.has('level') && format !== 'timeline') throw new UsageError(`--level applies to --format timeline only (got --format ${format})`);
  if (o.has('seed') && backend !== 'sim') throw new UsageError(`--seed applies to the sim backend only: ${backend} is not seeded`);
  const profile = o.get('profile');
  if (profile !== undefined) {
    if (backend === 'tclsh') throw new UsageError('--profile applies to the sim and node backends: tclsh is the real Tcl');
    profileOption(profile);
  }
  const seed = o.get('seed');
  const times = o.has('times');
  if (times && format !== 'obs') throw new UsageError(`--times applies to --format obs only (got --format ${format})`);
  if (times && backend === 'tclsh') throw new UsageError('--times needs a detnet backend: real Tcl has no virtual clock');
  const world = o.get('world');
  const file = resolveScenarioFile(parsed.positionals[0] ?? DEFAULT_SCENARIO);
  if (world !== undefined && !file.endsWith('.tcl')) throw new UsageError('--world goes with a Tcl script (detnet run FILE.tcl --world W.json)');
  return {
    times,
    world: world === undefined ? undefined : resolveScenarioFile(world),
    traceAll: o.get('trace') === 'all',
    strict: o.has('strict'),
    file,
    backend,
    format,
    level: (o.get('level') ?? 'net') as TimelineLevel,
    seed: seed === undefined ? undefined : Number(seed),
    profile,
  };
}

/** Why failed expectations may be expected: they describe the scenario's own profile and seed. */
function overrideNote(loaded: Scenario, s: Settings): string {
  const notes: string[] = [];
  if (s.profile !== undefined) notes.push(`--profile ${s.profile} replaces the scenario's profile (${loaded.profile ?? DEFAULT_PROFILE.name})`);
  if (s.seed !== undefined) notes.push(`--seed ${s.seed} replaces the scenario's seed (${loaded.seed ?? 1})`);
  return notes.length === 0 ? '' : `\nnote: ${notes.join('; ')}, and its expectations describe the scenario as written`;
}

function output(scenario: Scenario, run: TracedRun, s: Settings): string {
  switch (s.format) {
    case 'timeline':
      return timelineReport(scenario, run, s.level);
    case 'obs':
      return s.times ? run.timedLines.map(({ t, line }) => `${JSON.stringify({ t, ...line })}\n`).join('') : toJSONL(run.lines);
    case 'jsonl':
      // tclsh prints only observation lines: they are its raw trace.
      return run.backend === 'tclsh' ? toJSONL(run.raw) : run.entries.map((e) => `${JSON.stringify(e)}\n`).join('');
    case 'stdout':
      return ''; // refused before a step scenario runs
  }
}

/** Runs `detnet run` with `args`; returns the exit code. */
export async function runCommand(args: readonly string[], { out, err }: Streams): Promise<number> {
  const s = settings(args);
  if (s === 'help') {
    out.write(`${RUN_HELP.join('\n')}\n`);
    return EXIT.ok;
  }
  const load = (file: string): Scenario => loadScenario(file, { strict: s.strict, warn: (line) => err.write(`${line}\n`) });
  const loaded = s.file.endsWith('.tcl') ? scriptScenario(s.file, s.world === undefined ? null : load(s.world)) : load(s.file);
  const scenario: Scenario = {
    ...loaded,
    ...(s.seed === undefined ? {} : { seed: s.seed }),
    ...(s.profile === undefined ? {} : { profile: s.profile }),
  };
  if (isTclClient(scenario)) {
    if (s.times) throw new UsageError('--times is for step scenarios: a Tcl client\'s observation lines carry no times');
    return runTclClient(scenario, { backend: s.backend, format: s.format, level: s.level, traceAll: s.traceAll }, { out, err });
  }
  if (s.format === 'stdout') throw new UsageError('--format stdout is for Tcl clients: a step scenario writes no stdout of its own (use --format obs)');
  const expectation = expectationFor(scenario, s.backend);
  if (expectation !== null && 'notRunnable' in expectation) {
    throw new UsageError(`scenario "${scenario.name}" does not run on ${s.backend}: ${expectation.notRunnable}`);
  }
  const run = await tracedRun(scenario, s.backend);
  out.write(output(scenario, run, s));
  // With JSON output, stdout stays JSON lines: the verdict goes to stderr.
  const say = s.format === 'timeline' ? (text: string) => out.write(`\n${text}\n`) : (text: string) => err.write(`${text}\n`);
  if (run.failure !== null) {
    if (s.format !== 'timeline') say(`✗ the run stopped early: ${run.failure}`);
    return EXIT.failed;
  }
  if (expectation === null) {
    if (s.format === 'timeline') say('(the scenario states no expectations: nothing to check)');
    return EXIT.ok;
  }
  const v = verdict(expectation, run.lines, s.backend);
  say(v.ok ? v.text : `${v.text}${overrideNote(loaded, s)}`);
  return v.ok ? EXIT.ok : EXIT.failed;
}

/** The `run` command. */
export const run: Command = {
  summary: 'run a scenario (default: the built-in default) and print its timeline',
  help: RUN_HELP,
  run: runCommand,
};
