/**
 * `detnet example [NAME] [run options]`: the example scenarios shipped in the package
 * (examples/scenarios/*.json): with no name, the list with each one's description; with a
 * name, `detnet run` on that file, taking every option `run` takes.
 *
 * Owns: finding an example by name. Does not: run anything itself (run-command.ts).
 */
import { EXIT, UsageError, type Command, type Streams } from './command.js';
import { runCommand } from './run-command.js';
import { describeFile, displayPath, exampleScenarios, examplesDir } from './scenario-files.js';

/** The listing `detnet example` prints. */
export function examplesListing(): string {
  const all = exampleScenarios();
  const width = Math.max(0, ...all.map((b) => b.id.length));
  const lines = [`Example scenarios (${displayPath(examplesDir())}); run one with "detnet example <name>":`, ...all.map((b) => `  ${b.id.padEnd(width)}  ${describeFile(b.file)}`)];
  return `${lines.join('\n')}\n`;
}

/** The `example` command. */
export const example: Command = {
  summary: 'list the shipped example scenarios, or run one by name (takes the options of run)',
  help: ['detnet example [name] [run options]', '  name                an example (see "detnet example"); options as for "detnet run"'],
  async run(args: readonly string[], streams: Streams): Promise<number> {
    const [name, ...rest] = args;
    if (name === undefined || name === '--help' || name === '-h') {
      streams.out.write(examplesListing());
      return EXIT.ok;
    }
    if (name.startsWith('-')) throw new UsageError(`example takes the example's name first, got ${name}`, { showUsage: true });
    const found = exampleScenarios().find((e) => e.id === name || `${e.id}.json` === name);
    if (found === undefined) throw new UsageError(`no example "${name}" (see "detnet example" for the list)`);
    return runCommand([found.file, ...rest], streams);
  },
};
