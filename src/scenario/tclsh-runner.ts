/**
 * The tclsh leg: runs a rendered scenario in a real `tclsh` 8.6 on loopback and returns its
 * observation trace, raw and normalised.
 *
 * Owns: finding tclsh, probing whether a private hosts file can be installed, running one
 * script with a hard time limit (the process is killed with SIGKILL when it expires; child
 * listeners then see their stdin close and exit on their own), and parsing its JSON lines.
 *
 * Host names: the machine's /etc/hosts may map `localhost` to 127.0.0.1 only, and detnet
 * never changes system files. When a scenario names hosts, tclsh runs inside a private user
 * and mount namespace (`unshare -rm`) where a temporary hosts file is bind-mounted over
 * /etc/hosts: glibc then answers exactly as on a dual-stack machine (reference §2 records
 * that the oracle did the same). Without `unshare` such scenarios cannot run here.
 *
 * Node-only module (child_process, fs, os): not part of the pure public surface. It is
 * synchronous on purpose (spawnSync), so a test can run a scenario without timers of its own.
 *
 * Departs from reality: the locale is forced to C.UTF-8 so `-encoding` reads `utf-8` on
 * every machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DetnetError } from '../errors.js';
import { normalise, parseJSONL, type ObservationLine } from '../trace/observation.js';
import { DEFAULT_SCENARIO_TIMEOUT_MS, type Scenario } from './scenario.js';
import { renderTcl, type RenderedTcl } from './tcl-render.js';

/** What this machine offers the tclsh leg. */
export interface TclshEnvironment {
  /** Path or command name of tclsh, or null when none works. */
  readonly tclsh: string | null;
  /** `info patchlevel`, e.g. `8.6.13`. */
  readonly version: string | null;
  /** Whether a private hosts file can be installed (`unshare -rm` + bind mount). */
  readonly privateHosts: boolean;
  /** Why something is missing, for reports. */
  readonly notes: readonly string[];
}

/** Result of running one script. */
export interface TclshRun {
  readonly stdout: string;
  readonly stderr: string;
  /** Exit status, or null when killed. */
  readonly status: number | null;
  readonly timedOut: boolean;
  /** Parsed stdout (every line, meta included, real names). */
  readonly raw: readonly ObservationLine[];
  /** Normalised trace without meta lines: what parity compares. */
  readonly lines: readonly ObservationLine[];
}

const ENV = { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' };

let cached: TclshEnvironment | undefined;

/** Probes (once per process) for tclsh and for private hosts-file support. */
export function tclshEnvironment(): TclshEnvironment {
  if (cached !== undefined) return cached;
  const notes: string[] = [];
  const candidate = process.env['DETNET_TCLSH'] ?? 'tclsh';
  const probe = spawnSync(candidate, [], { input: 'puts [info patchlevel]\n', encoding: 'utf8', timeout: 10_000, env: ENV });
  const version = probe.status === 0 ? probe.stdout.trim() : null;
  if (version === null) notes.push(`tclsh not usable (${candidate}): ${probe.error?.message ?? probe.stderr.trim()}`);
  else if (!version.startsWith('8.6.')) notes.push(`tclsh is ${version}, the reference describes 8.6.13`);
  let privateHosts: boolean;
  const dir = mkdtempSync(join(tmpdir(), 'detnet-probe-'));
  try {
    const hosts = join(dir, 'hosts');
    writeFileSync(hosts, '::1 detnet-probe\n');
    const r = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount --bind "$1" /etc/hosts && getent hosts detnet-probe', 'sh', hosts], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    privateHosts = r.status === 0 && r.stdout.includes('::1');
    if (!privateHosts) notes.push(`no private hosts file (unshare -rm + mount --bind): ${r.error?.message ?? r.stderr.trim()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  cached = { tclsh: version === null ? null : candidate, version, privateHosts, notes };
  return cached;
}

/** Runs a rendered script; throws `ERR_TCLSH_UNAVAILABLE` when tclsh or a needed namespace is missing. */
export function runRenderedTcl(rendered: RenderedTcl & { readonly files?: Readonly<Record<string, string>> }, timeoutMs: number = DEFAULT_SCENARIO_TIMEOUT_MS): TclshRun {
  const r = runTclshFiles(rendered, timeoutMs);
  const raw = parseJSONL(r.stdout, 'tclsh stdout');
  return { ...r, raw, lines: normalise(raw) };
}

/** What one tclsh process did: its output, exit status, and whether it was killed at its limit. */
export interface TclshProcess {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
  readonly timedOut: boolean;
  /** The text of each file named in `readBack` the script left beside it ("" when it wrote none). */
  readonly readBack: Readonly<Record<string, string>>;
}

/**
 * Runs `rendered.script` in tclsh (inside a private hosts file when `rendered.hosts` is set),
 * with `files` written beside it, and reads back the files named in `readBack` once it has
 * ended; throws `ERR_TCLSH_UNAVAILABLE` when tclsh or a needed namespace is missing.
 */
export function runTclshFiles(
  rendered: RenderedTcl & { readonly files?: Readonly<Record<string, string>>; readonly readBack?: readonly string[] },
  timeoutMs: number = DEFAULT_SCENARIO_TIMEOUT_MS,
): TclshProcess {
  const env = tclshEnvironment();
  if (env.tclsh === null) throw new DetnetError('ERR_TCLSH_UNAVAILABLE', `cannot run the tclsh leg: ${env.notes.join('; ')}`);
  if (rendered.hosts !== null && !env.privateHosts) {
    throw new DetnetError('ERR_TCLSH_UNAVAILABLE', `the scenario needs a private hosts file: ${env.notes.join('; ')}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'detnet-tcl-'));
  try {
    const script = join(dir, 'scenario.tcl');
    writeFileSync(script, rendered.script);
    for (const [name, text] of Object.entries(rendered.files ?? {})) writeFileSync(join(dir, name), text);
    let command = env.tclsh;
    let args = [script];
    if (rendered.hosts !== null) {
      const hosts = join(dir, 'hosts');
      writeFileSync(hosts, rendered.hosts);
      command = 'unshare';
      args = ['-rm', 'sh', '-c', 'mount --bind "$1" /etc/hosts && exec "$2" "$3"', 'sh', hosts, env.tclsh, script];
    }
    const r = spawnSync(command, args, { encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', env: ENV, maxBuffer: 16 << 20 });
    const timedOut = r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
    const readBack: Record<string, string> = {};
    for (const name of rendered.readBack ?? []) readBack[name] = existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '';
    return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status, timedOut, readBack };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Renders and runs `scenario` in tclsh. Throws `ERR_TCLSH_FAILED` (with stderr and the partial
 * trace) when the script was killed, exited non-zero or did not reach its end frame.
 */
export function runScenarioInTclsh(scenario: Scenario): TclshRun {
  const run = runRenderedTcl(renderTcl(scenario), scenario.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS);
  const ended = run.raw.some((l) => 'meta' in l && l.meta === 'end');
  if (run.timedOut || run.status !== 0 || !ended) {
    const why = run.timedOut ? 'was killed after its time limit' : run.status !== 0 ? `exited with status ${String(run.status)}` : 'ended without its end frame';
    throw new DetnetError(
      'ERR_TCLSH_FAILED',
      `scenario "${scenario.name}" in tclsh ${why}\n--- stderr ---\n${run.stderr.trim()}\n--- stdout ---\n${run.stdout.trim()}`,
    );
  }
  return run;
}
