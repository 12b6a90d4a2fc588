/**
 * `ChannelCore`: what a channel's input and output halves (channel-input.ts,
 * channel-output.ts) need of the channel that holds them, so that neither imports channel.ts.
 *
 * Owns: nothing but that interface; `Channel` implements it.
 */
import type { Op } from './blocking.js';
import type { Connector } from './connector.js';

/** The channel as its halves see it. */
export interface ChannelCore {
  /** The channel's name, e.g. `sock3` (error messages and wait descriptions). */
  readonly name: string;
  /** `-blocking`. */
  readonly blocking: boolean;
  /** The connect walk. */
  readonly connector: Connector;
  /** First half of moving the walk: lets the world catch up; whether the walk still runs. */
  settleConnect(): boolean;
  /** Second half: moves a running walk as far as a command of `mode` may (§3.4). */
  advance(what: string, mode: 'io' | 'query'): Op<void>;
  /** Checks an input command must make first: the channel is open, no unreported error (§6). */
  beforeInput(): void;
  /** Keeps the notifier watch of the final socket in line with the channel's interest. */
  updateInterest(): void;
}
