/**
 * What every `detnet` subcommand is: its output port, its shape, and the usage error that
 * makes the process exit with status 2.
 *
 * Owns: the `Output` and `Command` interfaces, the exit codes, and `UsageError`. A command
 * returns its exit code; it throws `UsageError` for anything the user typed wrong (an unknown
 * option, a bad value, a scenario file that does not validate), and `main` (src/cli.ts) turns
 * that into one `detnet: …` line, the usage text when it helps, and exit code 2.
 *
 * Does not: parse arguments (args.ts) or write anything itself.
 */

/** Where a command writes: `process.stdout`/`process.stderr` or a test's collector. */
export interface Output {
  write(text: string): unknown;
}

/** Exit codes of the command line. */
export const EXIT = {
  /** Everything ran, and every expectation held. */
  ok: 0,
  /** A scenario ran but its expectations failed, or the run itself failed. */
  failed: 1,
  /** The command line or a scenario file is wrong: nothing was run. */
  usage: 2,
} as const;

/** The streams a command writes to: results to `out`, diagnostics to `err`. */
export interface Streams {
  readonly out: Output;
  readonly err: Output;
}

/** A subcommand: gets the arguments after its name; returns the process exit code. */
export interface Command {
  /** One line for the command list of `--help`. */
  readonly summary: string;
  /** Lines describing the command's arguments and options, shown by `--help` under the list. */
  readonly help?: readonly string[];
  run(args: readonly string[], streams: Streams): number | Promise<number>;
}

/**
 * A mistake on the command line or in a scenario file: `main` prints `detnet: <message>`
 * and exits with status 2. `showUsage` adds the usage text (for unknown commands and options,
 * where the list of what exists is the answer).
 */
export class UsageError extends Error {
  readonly showUsage: boolean;
  constructor(message: string, options: { readonly showUsage?: boolean } = {}) {
    super(message);
    this.name = 'UsageError';
    this.showUsage = options.showUsage ?? false;
  }
}
