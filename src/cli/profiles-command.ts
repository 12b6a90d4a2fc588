/**
 * `detnet profiles`: lists the Tcl profiles of src/socket/profiles.ts — name, Tcl version and
 * platform, description, and the bug switches each carries — in `listProfiles()` order.
 */
import { DEFAULT_PROFILE, listProfiles } from '../socket/profiles.js';
import { parseArgs } from './args.js';
import { EXIT, UsageError, type Command, type Streams } from './command.js';

/** The listing `detnet profiles` prints. */
export function profilesListing(): string {
  const lines = ['Tcl profiles (use one with "detnet run --profile NAME"):'];
  for (const p of listProfiles()) {
    const isDefault = p.name === DEFAULT_PROFILE.name ? ', the default' : '';
    lines.push(
      '',
      `  ${p.name}  (Tcl ${p.tclVersion} on ${p.platform}${isDefault})`,
      `    ${p.description}`,
      `    bug switches: ${p.bugs.length === 0 ? 'none' : p.bugs.join(', ')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The `profiles` command. */
export const profiles: Command = {
  summary: 'list the Tcl profiles (versions, platforms) and their bug switches',
  run(args: readonly string[], { out }: Streams): number {
    const parsed = parseArgs(args, {});
    if (parsed.help) {
      out.write(`detnet profiles: ${this.summary}\n`);
      return EXIT.ok;
    }
    if (parsed.positionals.length > 0) throw new UsageError(`profiles takes no arguments, got ${parsed.positionals.join(' ')}`, { showUsage: true });
    out.write(profilesListing());
    return EXIT.ok;
  },
};
