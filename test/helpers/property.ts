/**
 * The one place property suites get their seed and run count.
 *
 * CI pins the seed (DETNET_SEED, default 20261124 when CI is set); elsewhere a fresh seed is
 * drawn per run so local runs explore. Every suite prints its seed and the command that replays
 * it; fast-check's own failure report adds the counterexample path (pass it as DETNET_PATH).
 */
import fc from 'fast-check';

const PINNED_CI_SEED = 20261124;

function chooseSeed(): number {
  const fromEnv = process.env['DETNET_SEED'];
  if (fromEnv !== undefined && fromEnv !== '') return Number(fromEnv);
  if (process.env['CI']) return PINNED_CI_SEED;
  return (Date.now() ^ (process.pid << 16)) | 0;
}

/** The seed every property suite of this run uses. */
export const PROPERTY_SEED = chooseSeed();

/** Default number of cases per property (≥ 1,000 as the project requires). */
export const PROPERTY_RUNS = Number(process.env['DETNET_RUNS'] ?? 1000);

/**
 * fast-check parameters for the property `name` in `file`; prints the seed and replay command.
 * `runs` overrides the case count (only for properties whose single case is expensive).
 */
export function propertyParams<T>(name: string, file: string, runs = PROPERTY_RUNS): fc.Parameters<T> {
  const path = process.env['DETNET_PATH'];
  console.log(
    `[property] ${name}: seed=${PROPERTY_SEED} runs=${runs} — replay: DETNET_SEED=${PROPERTY_SEED}` +
      `${path ? ` DETNET_PATH=${path}` : ''} npx vitest run ${file}`,
  );
  return { seed: PROPERTY_SEED, numRuns: runs, ...(path ? { path } : {}), endOnFailure: false };
}
