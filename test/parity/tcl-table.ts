/**
 * The Tcl parity table: every script under scenarios/parity-tcl, with the world it runs on and
 * the backends it must agree on. A script `<name>.tcl` runs on the world of
 * `parity-tcl/<name>.json` when there is one (a scenario whose client is that file), else on
 * the world of the step scenario `parity/<name>.json` (its Tcl twin), else on the default
 * loopback world of `detnet run FILE.tcl`. A backend difference the step scenario declares
 * (with its reason) leaves that backend out for its twin too.
 *
 * What the three runs must share is the script's stdout, after `normaliseStdout`: channel
 * names (`sock1` here, `sock55d0c3a1e2f0` in tclsh) become `<chanN>` in order of appearance,
 * and port numbers (a free port differs per run) become `<port>`; in `-sockname`/`-peername`
 * triples the host name becomes the address (tclsh looks the name up, detnet does not), as the
 * step table's normalisation does.
 */

/**
 * Differences of detnet's Tcl interpreter on one backend that the step twin does not have,
 * each with its reason (found by this table; the interpreter's, left for src/tcl/).
 */
const TCL_DIFFERENCES: Readonly<Record<string, Partial<Record<Backend, string>>>> = {
  'after-idle-order.tcl': {
    node: 'On the Node driver an "after 0" timer is not yet due when the update right after it runs (the real clock has not moved), so update runs the writable event and the idle callback only; tclsh counts it due at once.',
  },
  'refused-blocking-event-not-inside-op.tcl': {
    node: 'On the Node driver the writable handler W, run by update after a failed blocking read, is fired again and again until the loop limit: an issue of the Tcl interpreter on Node (src/tcl/commands/channels.ts), not of the script.',
  },
  'refused-nonblocking-poll-then-idle-vwait.tcl': {
    node: 'On the Node driver the writable handler runs after the polling loop, not inside its first -connecting query as in tclsh: the interpreter\'s fconfigure on Node does not step the connect machine inline.',
  },
};
const NODE_HANDLER_INTERLEAVES =
  'On the Node driver a handler runs as its own async task: each of its channel commands awaits, so the main script (after `update` or `vwait` returns) and the handler interleave, where tclsh runs the handler to completion inside the command that delivered it. Same stdout, a different order of observation lines. An issue of the Tcl interpreter\'s async mode (src/tcl/tcl-interp.ts runHandler), not of the script. (A handler\'s own event is no longer delivered again while its task waits: Script.busy.)';

/**
 * Where a backend's normalised observation trace (`--format obs`) differs from tclsh's though
 * its stdout agrees, each with its reason; a backend left out of the stdout comparison (above,
 * or by the step twin) is left out of this one too.
 */
export const TCL_OBS_DIFFERENCES: Readonly<Record<string, Partial<Record<Backend, string>>>> = {
  'after-cancel-before-fire.tcl': { node: NODE_HANDLER_INTERLEAVES },
  'bgerror-from-handler.tcl': { node: NODE_HANDLER_INTERLEAVES },
  'first-port-that-answers.tcl': { node: NODE_HANDLER_INTERLEAVES },
  'loop-stops-early.tcl': { node: NODE_HANDLER_INTERLEAVES },
  'server-in-script-echo.tcl': { node: NODE_HANDLER_INTERLEAVES },
  'switch-on-outcome.tcl': { node: NODE_HANDLER_INTERLEAVES },
  'listen-child-nonblocking-gets-poll.tcl': {
    sim: 'How many non-blocking gets return "" before the child\'s line arrives depends on real timing in tclsh (the script prints only the line, so stdout agrees); the simulated world delivers it before the first poll.',
    node: 'How many non-blocking gets return "" before the child\'s line arrives depends on real timing, on Node as in tclsh.',
  },
};

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scriptScenario } from '../../src/cli/tcl-run.js';
import { loadScenario } from '../../src/cli/scenario-files.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import type { Backend } from './table.js';

/** Folder of the Tcl parity scripts. */
export const TCL_PARITY_DIR = fileURLToPath(new URL('../../scenarios/parity-tcl/', import.meta.url));
const STEP_PARITY_DIR = fileURLToPath(new URL('../../scenarios/parity/', import.meta.url));

/** One row: a script, its scenario (world + the script as client), and the backends left out. */
export interface TclParityCase {
  readonly file: string;
  readonly scenario: Scenario;
  /** Why `backend` does not run this script (a declared difference of its step twin), if so. */
  skip(backend: Backend): string | undefined;
  /** Whether it is the twin of a step scenario (false: a script of its own). */
  readonly twin: boolean;
}

/** Loads every script in file-name order. */
export function loadTclParityTable(): TclParityCase[] {
  return readdirSync(TCL_PARITY_DIR)
    .filter((f) => f.endsWith('.tcl'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.tcl'.length);
      const own = `${TCL_PARITY_DIR}${name}.json`;
      const twinFile = `${STEP_PARITY_DIR}${name}.json`;
      const twin = existsSync(twinFile);
      const scenario = existsSync(own)
        ? loadScenario(own, { strict: true })
        : scriptScenario(`${TCL_PARITY_DIR}${file}`, twin ? loadScenario(twinFile, { strict: true }) : null);
      const differences = twin ? (JSON.parse(readFileSync(twinFile, 'utf8')) as Scenario).differences ?? [] : [];
      return { file, scenario, twin, skip: (b: Backend) => TCL_DIFFERENCES[file]?.[b] ?? differences.find((d) => d.backend === b)?.reason };
    });
}

/** Channel names and port numbers made comparable across runs (see the module header). */
export function normaliseStdout(lines: readonly string[]): string[] {
  const chans = new Map<string, string>();
  return lines.map((line) =>
    line
      .replace(/\bsock[0-9a-f]+\b/g, (name) => {
        let n = chans.get(name);
        if (n === undefined) chans.set(name, (n = `<chan${chans.size + 1}>`));
        return n;
      })
      .replace(/\b\d{4,5}\b/g, (p) => (Number(p) >= 1024 && Number(p) <= 65535 ? '<port>' : p))
      // -sockname/-peername: tclsh names the host by a reverse lookup (127.0.0.1 → localhost), detnet repeats the address.
      .replace(/(\d+\.\d+\.\d+\.\d+|[0-9a-f]*:[0-9a-f:]+) \S+ <port>/g, '$1 $1 <port>'),
  );
}
