/**
 * A small command-line option parser for the subcommands: `--name value` and `--name=value`
 * options declared in a table, positional arguments, `--` to end options, and `-h`/`--help`.
 *
 * Owns: recognising options and checking their values against the table (a fixed set of
 * choices, or an integer range); every mistake is a `UsageError` naming the option, so the
 * process exits 2 with the usage text.
 *
 * Does not: know what any option means (the commands do), or accept short options other
 * than `-h`, values for switches, or options given twice (the second would silently win).
 */
import { UsageError } from './command.js';

/** How one option's value is checked. */
export type OptionSpec =
  /** One of a fixed set of words. */
  | { readonly choices: readonly string[] }
  /** An integer in `min..max`. */
  | { readonly integer: { readonly min: number; readonly max: number } }
  /** Any non-empty text. */
  | { readonly text: true }
  /** A switch without a value (`--strict`); present means on, stored as `"true"`. */
  | { readonly flag: true };

/** What `parseArgs` found. */
export interface ParsedArgs {
  readonly positionals: readonly string[];
  /** Option values by name (without the dashes), as typed. */
  readonly options: ReadonlyMap<string, string>;
  /** Whether `-h` or `--help` was given. */
  readonly help: boolean;
}

function checkValue(name: string, value: string, spec: OptionSpec): void {
  if ('choices' in spec) {
    if (!spec.choices.includes(value)) throw new UsageError(`--${name} expects one of ${spec.choices.join(', ')}, got "${value}"`);
  } else if ('integer' in spec) {
    const { min, max } = spec.integer;
    const n = /^[0-9]+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${name} expects an integer in ${min}..${max}, got "${value}"`);
  } else if ('text' in spec && value === '') {
    throw new UsageError(`--${name} expects a value`);
  }
}

/**
 * Parses `args` against `specs` (option name without dashes → spec). Throws `UsageError`
 * (with the usage text) for an unknown option, a missing or bad value, or a repeated option.
 */
export function parseArgs(args: readonly string[], specs: Readonly<Record<string, OptionSpec>>): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string>();
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const m = /^--([a-z][a-z-]*)(?:=(.*))?$/s.exec(arg);
    const name = m?.[1];
    // Own properties only: `--constructor` must not find Object.prototype.constructor.
    const spec = name === undefined || !Object.hasOwn(specs, name) ? undefined : specs[name];
    if (m === null || name === undefined || spec === undefined) throw new UsageError(`unknown option "${arg}"`, { showUsage: true });
    let value = m[2];
    if ('flag' in spec) {
      if (value !== undefined) throw new UsageError(`--${name} is a switch and takes no value`);
      if (options.has(name)) throw new UsageError(`--${name} is given twice`);
      options.set(name, 'true');
      continue;
    }
    if (value === undefined) {
      value = args[i + 1];
      if (value === undefined) throw new UsageError(`--${name} expects a value`, { showUsage: true });
      i++;
    }
    if (options.has(name)) throw new UsageError(`--${name} is given twice`);
    checkValue(name, value, spec);
    options.set(name, value);
  }
  return { positionals, options, help };
}
