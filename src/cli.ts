#!/usr/bin/env node
/**
 * The `detnet` command line: the entry point of `npm start` and of the `detnet` bin.
 *
 * Owns: dispatch to the subcommands of src/cli/ (the `commands` table below), the usage text,
 * and exit codes: a command returns its own (0 ok, 1 failed), a `UsageError`
 * becomes `detnet: <message>` on stderr and exit 2. `main(argv, out, err)` takes its writers
 * as parameters so tests run the whole command line in-process. With no command it runs
 * `DEFAULT_COMMAND`, `run`, whose default scenario is scenarios/default.json.
 *
 * `--version` prints `detnet <version>` from package.json.
 *
 * `cliProcess` is the process around `main`: a stdout whose reader went away (`detnet run |
 * head -1`) ends the process quietly with exit 0 — the reader has all it wanted, and an EPIPE
 * stack trace with exit 1 would fail a `set -o pipefail` script for nothing. Any other failure
 * to write stdout is reported on stderr with exit 1.
 *
 * Does not: do any command's work; each lives in its own file under src/cli/.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, UsageError, type Command, type Output } from './cli/command.js';
import { demo } from './cli/demo.js';
import { example } from './cli/example-command.js';
import { explore } from './cli/explore-command.js';
import { html } from './cli/html-command.js';
import { policies } from './cli/policies-command.js';
import { profiles } from './cli/profiles-command.js';
import { replay } from './cli/replay-command.js';
import { run } from './cli/run-command.js';
import { sandbox } from './cli/sandbox-command.js';
import { schema } from './cli/schema-command.js';
import { packageRoot } from './cli/scenario-files.js';
import { scenarios } from './cli/scenarios-command.js';

export type { Command, Output, Streams } from './cli/command.js';

/** The command `detnet` runs when given none (`npm start`). */
export const DEFAULT_COMMAND = 'run';

/** Subcommands by name, in the order `--help` lists them. */
export const commands: ReadonlyMap<string, Command> = new Map<string, Command>([
  ['run', run],
  ['scenarios', scenarios],
  ['example', example],
  ['schema', schema],
  ['profiles', profiles],
  ['policies', policies],
  ['demo', demo],
  ['html', html],
  ['sandbox', sandbox],
  ['explore', explore],
  ['replay', replay],
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
    '  detnet --version',
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
  if (first === '--version') {
    out.write(`detnet ${version()}\n`);
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

/** detnet's version, as its package.json states it. */
export function version(): string {
  const manifest: unknown = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8'));
  const v = (manifest as { version?: unknown }).version;
  return typeof v === 'string' ? v : 'unknown';
}

/** A stream as `cliProcess` uses it: written to, and reporting failures as `error` events. */
export interface ProcessStream extends Output {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** What `cliProcess` needs of the process; tests pass a closed pipe and record the exit. */
export interface ProcessPort {
  readonly stdout: ProcessStream;
  readonly stderr: ProcessStream;
  /** Ends the process now with `code` (`process.exit`). */
  exit(code: number): void;
}

/**
 * Runs the command line as the `detnet` process does: `main` on the port's streams, with a
 * stdout whose reader went away (EPIPE) ending the process quietly with exit 0, and any other
 * stdout failure reported on stderr with exit 1. Resolves to `main`'s exit code.
 */
export async function cliProcess(argv: readonly string[], port: ProcessPort): Promise<number> {
  let closed = false;
  port.stdout.on('error', (error) => {
    if (closed) return;
    closed = true;
    const code = (error as { code?: unknown }).code;
    if (code === 'EPIPE') {
      port.exit(EXIT.ok);
      return;
    }
    port.stderr.write(`detnet: cannot write to stdout: ${error.message}${typeof code === 'string' ? ` (${code})` : ''}\n`);
    port.exit(EXIT.failed);
  });
  // A reader of stderr who has gone cannot be told anything: the exit code still says it all.
  port.stderr.on('error', () => undefined);
  const code = await main(argv, port.stdout, port.stderr);
  return closed ? EXIT.ok : code;
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
  cliProcess(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, exit: (code) => process.exit(code) }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`detnet: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
