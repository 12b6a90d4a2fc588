// The subcommands' option parser: both option spellings, checked values, and every mistake a
// UsageError (exit 2) that names the option.
import { describe, expect, it } from 'vitest';
import { parseArgs, type OptionSpec } from '../../../src/cli/args.js';
import { UsageError } from '../../../src/cli/command.js';

const SPECS: Record<string, OptionSpec> = {
  colour: { choices: ['red', 'blue'] },
  count: { integer: { min: 1, max: 10 } },
  name: { text: true },
};

function usageError(args: string[]): UsageError {
  try {
    parseArgs(args, SPECS);
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error(`parseArgs accepted ${args.join(' ')}`);
}

describe('parseArgs', () => {
  it('reads --name value and --name=value, keeps positionals in order, and stops at --', () => {
    const parsed = parseArgs(['a', '--colour', 'red', 'b', '--count=3', '--', '--name', 'x'], SPECS);
    expect(parsed.positionals).toEqual(['a', 'b', '--name', 'x']);
    expect([...parsed.options]).toEqual([
      ['colour', 'red'],
      ['count', '3'],
    ]);
    expect(parsed.help).toBe(false);
  });

  it('notices -h and --help anywhere', () => {
    expect(parseArgs(['x', '-h'], SPECS).help).toBe(true);
    expect(parseArgs(['--help'], SPECS).help).toBe(true);
  });

  it('treats a lone dash as a positional (a conventional name for stdin)', () => {
    expect(parseArgs(['-'], SPECS).positionals).toEqual(['-']);
  });

  it('rejects unknown options with the usage, and bad values naming the option', () => {
    expect(usageError(['--size', '3'])).toMatchObject({ message: 'unknown option "--size"', showUsage: true });
    expect(usageError(['-x'])).toMatchObject({ message: 'unknown option "-x"', showUsage: true });
    expect(usageError(['--colour', 'green']).message).toBe('--colour expects one of red, blue, got "green"');
    expect(usageError(['--count', '0']).message).toBe('--count expects an integer in 1..10, got "0"');
    expect(usageError(['--count', '11']).message).toBe('--count expects an integer in 1..10, got "11"');
    expect(usageError(['--count', '1e1']).message).toBe('--count expects an integer in 1..10, got "1e1"');
    expect(usageError(['--name=']).message).toBe('--name expects a value');
    expect(usageError(['--name'])).toMatchObject({ message: '--name expects a value', showUsage: true });
    expect(usageError(['--count', '2', '--count=3']).message).toBe('--count is given twice');
  });
});
