/**
 * `ChannelScripts`: a channel's fileevent scripts — at most one readable and one writable — and
 * the order Tcl runs them in (its channel-handler list: newest first).
 *
 * Owns: that small table only. The channel decides when scripts run and what the notifier is
 * asked to watch.
 */

/** A fileevent script: `text` is what Tcl shows (`fileevent $c writable` returns it). */
export interface Script {
  readonly text: string;
  readonly run: () => void;
  /**
   * True while an earlier run of this script is still going on (a Tcl handler whose async task
   * awaits inside a command): the delivery is skipped and not traced, as Tcl, blocked inside
   * that command, would not deliver it either.
   */
  readonly busy?: () => boolean;
}

/** The two kinds of fileevent. */
export type Kind = 'readable' | 'writable';

const NO_KINDS: readonly Kind[] = Object.freeze([]);

export class ChannelScripts {
  // Two fields, not a Map: a channel has at most these two.
  private readable: Script | undefined = undefined;
  private writable: Script | undefined = undefined;
  /**
   * Kinds with a script, newest first. Never changed in place, only replaced, so a reference
   * to it is a snapshot that a script may not disturb while the channel iterates it.
   */
  order: readonly Kind[] = NO_KINDS;

  /** The script of `kind`, if any. */
  get(kind: Kind): Script | undefined {
    return kind === 'readable' ? this.readable : this.writable;
  }

  /** Installs (or replaces) the script of `kind`; it becomes the newest. */
  set(kind: Kind, script: Script): void {
    if (kind === 'readable') this.readable = script;
    else this.writable = script;
    this.order = this.order.length === 0 ? [kind] : [kind, ...this.order.filter((k) => k !== kind)];
  }

  /** Removes the script of `kind`. */
  remove(kind: Kind): void {
    if (kind === 'readable') this.readable = undefined;
    else this.writable = undefined;
    this.order = this.order.filter((k) => k !== kind);
  }

  /** Removes both (close). */
  clear(): void {
    this.readable = undefined;
    this.writable = undefined;
    this.order = NO_KINDS;
  }
}
