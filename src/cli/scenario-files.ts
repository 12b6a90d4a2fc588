/**
 * The built-in scenario files and how `detnet run <arg>` finds and loads a scenario.
 *
 * Owns: locating the package root (the nearest directory above this module with detnet's
 * package.json, so it works from `src/` under the test runner and from `dist/src/` after a
 * build, where no JSON is copied), the list of built-in scenarios (`default`, then
 * `parity/<name>` in name order), resolving an argument (a built-in name, a bare parity name,
 * or a path), and loading: read, parse, validate, with every failure a `UsageError` that
 * names the file (and, from `validateScenario`, the bad path inside it).
 *
 * Does not: run anything. Node-only (node:fs).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkScenario, validateScenario } from '../scenario/validate.js';
import type { Scenario } from '../scenario/scenario.js';
import { profile as lookupProfile } from '../socket/profiles.js';
import { UsageError } from './command.js';

/** Name of the built-in scenario `detnet run` runs when given none. */
export const DEFAULT_SCENARIO = 'default';

let root: string | undefined;

/** The package root: the nearest directory above this module holding detnet's package.json. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const name: unknown = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
      if (name === 'detnet') return (root = dir);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new UsageError(`cannot find detnet's package root above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The directory of the built-in scenario files. */
export function scenariosDir(): string {
  return join(packageRoot(), 'scenarios');
}

/** One built-in scenario file. */
export interface BuiltinScenario {
  /** What `detnet run` accepts: `default` or `parity/<name>`. */
  readonly id: string;
  /** Absolute path of the file. */
  readonly file: string;
}

/** The built-in scenarios: `default` first, then `parity/*.json` in name order. */
export function builtinScenarios(): BuiltinScenario[] {
  const dir = scenariosDir();
  const out: BuiltinScenario[] = [{ id: DEFAULT_SCENARIO, file: join(dir, `${DEFAULT_SCENARIO}.json`) }];
  const parity = join(dir, 'parity');
  const files = existsSync(parity) ? readdirSync(parity).filter((f) => f.endsWith('.json')) : [];
  for (const f of files.sort()) out.push({ id: `parity/${f.slice(0, -'.json'.length)}`, file: join(parity, f) });
  return out;
}

/**
 * The file `arg` names: a built-in id (`default`, `parity/<name>`, with or without `.json`),
 * a bare built-in name (`refused-poll-connecting`), or else a path (relative to `cwd`).
 * Throws `UsageError` when none of these exists.
 */
export function resolveScenarioFile(arg: string, cwd: string = process.cwd()): string {
  const id = arg.endsWith('.json') ? arg.slice(0, -'.json'.length) : arg;
  const builtins = builtinScenarios();
  const builtin = builtins.find((b) => b.id === id) ?? builtins.find((b) => b.id === `parity/${id}`);
  const path = resolve(cwd, arg);
  if (isFile(path)) return path;
  if (builtin !== undefined && isFile(builtin.file)) return builtin.file;
  throw new UsageError(`no scenario "${arg}": not a file, nor a built-in scenario (see "detnet scenarios")`);
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

/** How a file is named in messages: relative to `cwd` when it is below it, else absolute. */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith('/') ? rel : file;
}

/** How `loadScenario` judges a file. */
export interface LoadOptions {
  /** Warnings are errors (`--strict`). */
  readonly strict?: boolean;
  /** Receives each warning line (`<file>: warning: scenario "x": <path>: <problem>`) when not strict. */
  readonly warn?: (line: string) => void;
}

/** `line L column C` of offset `at` in `text` (both counted from 1, columns in UTF-16 units). */
export function lineColumn(text: string, at: number): string {
  const before = text.slice(0, Math.max(0, Math.min(at, text.length)));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `line ${line} column ${column}`;
}

/**
 * `JSON.parse` with a syntax error given as line and column: V8 reports a character offset
 * (`… in JSON at position 123`), or nothing for a file cut short, which means its end.
 */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const position = /at position (\d+)/.exec(message)?.[1];
    const at = position === undefined ? text.length : Number(position);
    // V8's own text without its offset (and without the line/column newer versions add).
    const what = message.replace(/\s*in JSON at position \d+( \(line \d+ column \d+\))?/, '').replace(/^Unexpected end of JSON input$/, 'the file ends in the middle of a value');
    throw new SyntaxError(`${lineColumn(text, at)}: ${what}`, { cause: err });
  }
}

/**
 * Reads, parses and validates the scenario in `file`. Throws `UsageError` naming the file:
 * unreadable, not JSON (with line and column), or invalid — every error, one line each, from
 * `validateScenario` (with `strict`, warnings too). Warnings otherwise go to `options.warn`.
 */
export function loadScenario(file: string, options: LoadOptions = {}): Scenario {
  const shown = displayPath(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${shown}: cannot read the file: ${err instanceof Error ? err.message : String(err)}`);
  }
  let data: unknown;
  try {
    data = parseJsonText(text);
  } catch (err) {
    throw new UsageError(`${shown}: not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    const scenario = validateScenario(data, { strict: options.strict === true });
    if (scenario.profile !== undefined) lookupProfile(scenario.profile);
    if (options.strict !== true && options.warn !== undefined) {
      const check = checkScenario(data);
      for (const w of check.warnings) options.warn(`${shown}: warning: scenario ${check.label}: ${w.path}: ${w.message}`);
    }
    return withClientFile(scenario, file);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    // validateScenario's message already reads `scenario "name": path: problem`, one per line.
    throw new UsageError(message.split('\n').map((line) => `${shown}: ${/^scenario /.test(line) ? line : `profile: ${line}`}`).join('\n'));
  }
}

/**
 * `scenario` with a `{file}` client read from the scenario file's folder and put inline
 * (`{tcl}`), so every runner sees the source itself. Throws `UsageError` naming the file.
 */
function withClientFile(scenario: Scenario, file: string): Scenario {
  const c = scenario.client;
  if (Array.isArray(c) || !('file' in c)) return scenario;
  const path = join(dirname(file), c.file);
  let tcl: string;
  try {
    tcl = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`${displayPath(file)}: client.file: cannot read ${displayPath(path)}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { ...scenario, client: { tcl } };
}

/** The directory of the shipped example scenarios (`detnet example NAME`). */
export function examplesDir(): string {
  return join(packageRoot(), 'examples', 'scenarios');
}

/** The shipped examples, by name, in name order. */
export function exampleScenarios(): BuiltinScenario[] {
  const dir = examplesDir();
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  return files.sort().map((f) => ({ id: f.slice(0, -'.json'.length), file: join(dir, f) }));
}

/**
 * The one-line description of a built-in file, without validating it (a listing should show
 * every file, even one that would not load); a file that cannot be read says why.
 */
export function describeFile(file: string): string {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { description?: unknown };
    return typeof data.description === 'string' ? data.description : '(no description)';
  } catch (err) {
    return `(unreadable: ${err instanceof Error ? err.message : String(err)})`;
  }
}
