/**
 * `detnet html [scenario] -o FILE [options]`: run a scenario on the simulated world and write
 * one self-contained HTML report — a sequence diagram with a state panel per event — that
 * opens offline in any browser.
 *
 * Owns: the options (`-o`/`--out`, `--profile` with `+bug` switches, `--seed`, `--ties`), where
 * a scenario is found (a path, a built-in id, or a file under the package's scenarios/
 * directory such as `lessons/bug-336441ed59`), and the exit code: 2 for a usage or file
 * mistake, 1 when the run stopped early or failed its expectations (the report is written
 * anyway: a failing run is what one wants to look at), 0 otherwise.
 *
 * Does not: run or render anything itself (src/web/scenario-report.ts, src/web/report.ts).
 */
import { statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { profileOption } from './profile-option.js';
import { renderReport } from '../web/report.js';
import { reportScenario } from '../web/scenario-report.js';
import { parseArgs, type OptionSpec } from './args.js';
import { EXIT, UsageError, type Command, type Streams } from './command.js';
import { DEFAULT_SCENARIO, displayPath, loadScenario, resolveScenarioFile, scenariosDir } from './scenario-files.js';
import { isTclClient } from '../scenario/client-kind.js';

const OPTIONS: Readonly<Record<string, OptionSpec>> = {
  out: { text: true },
  profile: { text: true },
  seed: { integer: { min: 0, max: 2 ** 32 - 1 } },
  ties: { choices: ['fifo', 'seeded'] },
};

/** The options of `html`, as `--help` documents them. */
export const HTML_HELP: readonly string[] = [
  'detnet html [scenario] -o FILE [options]',
  '  scenario            a file, a built-in (default, parity/<name>) or lessons/<name>',
  '  -o, --out FILE      where to write the report (default: stdout)',
  '  --profile NAME      Tcl profile, with bug switches: default+336441ed59',
  '  --seed N            world seed (default: the scenario\'s, else 1)',
  '  --ties T            fifo (default, as detnet run) or seeded: same-instant events in a',
  '                      seeded random order, which makes connect races visible',
];

/** `lessons/x` → the package's scenarios/lessons/x.json; anything else as `detnet run` finds it. */
export function resolveReportScenario(arg: string): string {
  const inPackage = join(scenariosDir(), arg.endsWith('.json') ? arg : `${arg}.json`);
  if (!statSync(resolve(arg), { throwIfNoEntry: false })?.isFile() && statSync(inPackage, { throwIfNoEntry: false })?.isFile()) return inPackage;
  return resolveScenarioFile(arg);
}

/** Runs `detnet html` with `args`; returns the exit code. */
export async function htmlCommand(args: readonly string[], { out, err }: Streams): Promise<number> {
  // `-o FILE` is the short form of `--out FILE` (args.ts knows long options only).
  const parsed = parseArgs(args.map((a) => (a === '-o' ? '--out' : a)), OPTIONS);
  if (parsed.help) {
    out.write(`${HTML_HELP.join('\n')}\n`);
    return EXIT.ok;
  }
  if (parsed.positionals.length > 1) throw new UsageError(`html takes one scenario, got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}`, { showUsage: true });
  const o = parsed.options;
  const profile = o.get('profile');
  if (profile !== undefined) profileOption(profile);
  const arg = parsed.positionals[0] ?? DEFAULT_SCENARIO;
  const scenario = loadScenario(resolveReportScenario(arg));
  // The diagram is drawn from a step run; a Tcl client has its timeline in `detnet run FILE`.
  if (isTclClient(scenario)) throw new UsageError(`${arg}: its client is Tcl; html draws step scenarios (see its timeline with: detnet run ${arg})`);
  const seed = o.get('seed');
  const { report, failure } = await reportScenario(scenario, {
    source: arg,
    ties: (o.get('ties') ?? 'fifo') as 'fifo' | 'seeded',
    ...(profile === undefined ? {} : { profile }),
    ...(seed === undefined ? {} : { seed: Number(seed) }),
  });
  const html = renderReport(report);
  const file = o.get('out');
  if (file === undefined) out.write(html);
  else {
    try {
      writeFileSync(file, html);
    } catch (e) {
      throw new UsageError(`cannot write ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
    out.write(`wrote ${displayPath(resolve(file))}: ${report.rows.length} events, profile ${report.profile}, seed ${report.seed}\n${report.outcome}\n`);
  }
  if (failure !== null) err.write(`detnet: the run stopped early: ${failure}\n`);
  return report.failed ? EXIT.failed : EXIT.ok;
}

/** The `html` command. */
export const html: Command = {
  summary: 'run a scenario and write a self-contained HTML sequence diagram of it',
  help: HTML_HELP,
  run: htmlCommand,
};
