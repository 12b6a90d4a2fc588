/**
 * `detnet scenarios`: lists the built-in scenario files — `default`, then every
 * `parity/<name>` — each with its one-line description, as `detnet run` accepts them.
 *
 * Does not: validate the files (a listing shows every file; `detnet run` validates).
 */
import { parseArgs } from './args.js';
import { EXIT, UsageError, type Command, type Streams } from './command.js';
import { builtinScenarios, describeFile, displayPath, scenariosDir } from './scenario-files.js';

/** The listing `detnet scenarios` prints. */
export function scenariosListing(): string {
  const all = builtinScenarios();
  const width = Math.max(...all.map((b) => b.id.length));
  const lines = [
    `Built-in scenarios (${displayPath(scenariosDir())}); run one with "detnet run <name>":`,
    ...all.map((b) => `  ${b.id.padEnd(width)}  ${describeFile(b.file)}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** The `scenarios` command. */
export const scenarios: Command = {
  summary: 'list the built-in scenarios with their descriptions',
  run(args: readonly string[], { out }: Streams): number {
    const parsed = parseArgs(args, {});
    if (parsed.help) {
      out.write(`detnet scenarios: ${this.summary}\n`);
      return EXIT.ok;
    }
    if (parsed.positionals.length > 0) throw new UsageError(`scenarios takes no arguments, got ${parsed.positionals.join(' ')}`, { showUsage: true });
    out.write(scenariosListing());
    return EXIT.ok;
  },
};
