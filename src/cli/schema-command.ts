/**
 * `detnet schema`: prints the JSON Schema of scenario files (the one shipped as
 * `schema/scenario.schema.json`), for editors and other tools: `detnet schema > s.json`.
 *
 * Owns: nothing but printing; the schema is src/scenario/schema.ts's.
 */
import { scenarioJsonSchema } from '../scenario/schema.js';
import { parseArgs } from './args.js';
import { EXIT, UsageError, type Command, type Streams } from './command.js';

/** The schema exactly as the shipped file holds it (two-space indent, final newline). */
export function schemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

/** The `schema` command. */
export const schema: Command = {
  summary: 'print the JSON Schema of scenario files (shipped as schema/scenario.schema.json)',
  run(args: readonly string[], { out }: Streams): number {
    const parsed = parseArgs(args, {});
    if (parsed.help) {
      out.write(`detnet schema: ${this.summary}\n`);
      return EXIT.ok;
    }
    if (parsed.positionals.length > 0) throw new UsageError(`schema takes no arguments, got ${parsed.positionals.join(' ')}`, { showUsage: true });
    out.write(schemaText());
    return EXIT.ok;
  },
};
