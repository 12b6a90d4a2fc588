/**
 * The parity table: every scenario file under scenarios/parity, validated strictly (a warning
 * is an error here), with the trace each backend must produce.
 *
 * The expected trace of a scenario (`expect.trace`) is real tclsh 8.6.13's normalised trace,
 * pinned only after it was checked line by line against the reference text
 * (docs/spec.md, the sections each file cites). A backend
 * differs from it only where the scenario says so in `differences`, with the reason; a
 * difference without a trace means that backend does not run the scenario.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Scenario } from '../../src/scenario/scenario.js';
import { validateScenario } from '../../src/scenario/validate.js';
import type { ObservationLine } from '../../src/trace/observation.js';

/** Folder of the parity scenario files. */
export const PARITY_DIR = fileURLToPath(new URL('../../scenarios/parity/', import.meta.url));

export type Backend = 'sim' | 'node' | 'tclsh';

/** One row of the table. */
export interface ParityCase {
  readonly file: string;
  readonly scenario: Scenario;
  /** What `backend` must produce, or null if it does not run this scenario. */
  expected(backend: Backend): readonly ObservationLine[] | null;
  /** The declared reason `backend` differs, if it does. */
  difference(backend: Backend): string | undefined;
}

/** Loads and validates every scenario file, in file-name order. */
export function loadParityTable(): ParityCase[] {
  const files = readdirSync(PARITY_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
  return files.map((file) => {
    const scenario = validateScenario(JSON.parse(readFileSync(`${PARITY_DIR}${file}`, 'utf8')) as unknown, { strict: true });
    const pinned = scenario.expect?.trace;
    if (pinned === undefined) throw new Error(`${file}: a parity scenario needs expect.trace`);
    return {
      file,
      scenario,
      expected(backend) {
        const d = scenario.differences?.find((x) => x.backend === backend);
        if (d === undefined) return pinned;
        return d.trace ?? null;
      },
      difference(backend) {
        return scenario.differences?.find((x) => x.backend === backend)?.reason;
      },
    };
  });
}
