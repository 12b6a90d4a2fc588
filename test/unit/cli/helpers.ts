/**
 * Shared helpers of the CLI tests: run `main` in-process with collecting writers, and read
 * timeline lines back as [time, text] pairs.
 */
import { main } from '../../../src/cli.js';

/** What one in-process run of the command line gave. */
export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `detnet <argv>` in-process. */
export async function cli(argv: readonly string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await main(argv, { write: (s: string) => (out += s) }, { write: (s: string) => (err += s) });
  return { code, out, err };
}

/** Timeline lines (`     250 ms  text`) as [ms, text]; other lines are skipped. */
export function timeline(out: string): [number, string][] {
  return out
    .split('\n')
    .map((line) => /^\s*(\d+(?:\.\d+)?) ms {2}(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [Number(m[1]), m[2] as string]);
}
