#!/usr/bin/env node
/**
 * The `detnet` command line: the entry point of `npm start` and of the `detnet` bin.
 *
 * Owns: dispatch to the subcommands of src/cli/ (`run`, `scenarios`, `profiles`, `demo`), the
 * usage text, and exit codes: a command returns its own (0 ok, 1 failed), a `UsageError`
 * becomes `detnet: <message>` on stderr and exit 2. `main(argv, out, err)` takes its writers
 * as parameters so tests run the whole command line in-process. With no command it runs
 * `DEFAULT_COMMAND`, `run`, whose default scenario is scenarios/default.json.
 *
 * Does not: do any command's work; each lives in its own file under src/cli/.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EXIT, UsageError, type Command, type Output } from './cli/command.js';
import { demo } from './cli/demo.js';
import { profiles } from './cli/profiles-command.js';
import { run } from './cli/run-command.js';
import { scenarios } from './cli/scenarios-command.js';

export type { Command, Output, Streams } from './cli/command.js';

/** The command `detnet` runs when given none (`npm start`). */
export const DEFAULT_COMMAND = 'run';

/** Subcommands by name, in the order `--help` lists them. */
export const commands: ReadonlyMap<string, Command> = new Map<string, Command>([
  ['run', run],
  ['scenarios', scenarios],
  ['profiles', profiles],
  ['demo', demo],
]);

/** The usage text: every command with its summary, then the options of those that have any. */
export function usage(): string {
  const width = Math.max(...[...commands.keys()].map((n) => n.length));
  const lines = [
    "detnet — a deterministic simulated network stack running Tcl 8.6's socket -async state machine",
    '',
    'Usage:',
    `  detnet [command] [arguments]    (no command: detnet ${DEFAULT_COMMAND}, on the default scenario)`,
    '  detnet --help',
    '',
    'Commands:',
    ...[...commands].map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
  ];
  for (const c of commands.values()) if (c.help !== undefined) lines.push('', ...c.help);
  lines.push(
    '',
    'Examples:',
    '  detnet                                      the default scenario on the simulated world',
    '  detnet run --profile tcl-8.5.15-unix        the same under Tcl 8.5, which tries one address',
    '  detnet run --backend tclsh                  the same in real tclsh, checked against the same trace',
    '  detnet run parity/dual-v4only-event --level all',
    '  detnet run my-scenario.json --format obs    normalised observation lines, for diffing',
  );
  return `${lines.join('\n')}\n`;
}

/**
 * Runs the command line `argv` (without `node` and the script path), writing results to
 * `out` and diagnostics to `err`. Returns the exit code: 0 success, 1 a scenario failed or
 * stopped early, 2 a usage or scenario-file error. Other errors (bugs) propagate.
 */
export async function main(argv: readonly string[], out: Output, err: Output = out): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') {
    out.write(usage());
    return EXIT.ok;
  }
  // Options without a command belong to the default command: `detnet --seed 7`.
  const [name, args] = first === undefined || first.startsWith('-') ? [DEFAULT_COMMAND, argv] : [first, rest];
  const command = commands.get(name);
  try {
    if (command === undefined) throw new UsageError(`unknown command "${name}"`, { showUsage: true });
    return await command.run(args, { out, err });
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err.write(`detnet: ${e.message}\n`);
    if (e.showUsage) err.write(`\n${usage()}`);
    return EXIT.usage;
  }
}

/** Whether this module is the process's entry point (also through npm's bin symlink). */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2), process.stdout, process.stderr).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`detnet: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
