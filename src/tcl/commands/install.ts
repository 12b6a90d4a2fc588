/**
 * The built-in command set of a `TclContext`: installs every command family.
 *
 * Owns: which families exist. Each family module owns its commands' forms and errors.
 */
import type { TclContext } from '../context.js';
import { install as channels } from './channels.js';
import { install as control } from './control.js';
import { install as data } from './data.js';
import { install as events } from './events.js';
import { install as lists } from './lists.js';
import { install as meta } from './meta.js';
import { install as procs } from './procs.js';
import { install as regexp } from './regexp.js';
import { install as strings } from './strings.js';

/** Installs the built-in commands into `ti`. */
export function installCommands(ti: TclContext): void {
  control(ti);
  procs(ti);
  data(ti);
  lists(ti);
  strings(ti);
  channels(ti);
  events(ti);
  meta(ti);
  regexp(ti);
}
