/**
 * The `--profile` (and `--bugs`) option of every command that runs the Tcl machine: the name
 * is looked up once here, and an unknown profile or bug is a usage error naming the flag.
 *
 * Owns: turning a profile name from the command line into a `Profile` or a `UsageError`.
 * Does not: decide which backends accept a profile (each command says that itself).
 */
import { profile as lookupProfile, type Profile } from '../socket/profiles.js';
import { UsageError } from './command.js';

/** The profile called `name` (`base+bug+…` allowed), or a `UsageError` that names `flag`. */
export function profileOption(name: string, flag = '--profile'): Profile {
  try {
    return lookupProfile(name);
  } catch (err) {
    throw new UsageError(`${flag}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
