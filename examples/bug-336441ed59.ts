/**
 * Bug 336441ed59 (Windows Tcl 8.5.15 / 8.6.1): "When a connect terminates too quickly so the
 * notifier is not ready yet, the connect is ignored and thus it waits forever for it."
 *
 * On a loopback with zero latency the connect completes at the same virtual instant as the
 * socket's registration with the notifier (under the bug profile a new watch takes effect one
 * clock event late: `Profile.notifier`); the world's seeded tie-breaker decides which runs
 * first. Under a profile with the bug, every seed where the completion wins loses the
 * notification and `vwait` fails with "would wait forever" — detnet's way of showing a hang.
 * Under the default profile no seed hangs. This is race exploration in miniature: the
 * outcome is a pure function of the seed, so every hanging seed replays exactly.
 */
import { World } from '../src/sim/world.js';
import { DEFAULT_PROFILE, withBugs } from '../src/socket/profiles.js';
import { WouldWaitForeverError } from '../src/loop/event-loop.js';
import { app, interpOn, main, script, timeline, type ExampleRun } from './support.js';

export interface RaceOutcome {
  readonly profile: string;
  readonly seeds: number;
  readonly hung: readonly number[];
}

/** One run with `seed`: returns true if the connect was reported, false if vwait would hang. */
export function attempt(seed: number, buggy: boolean): { reported: boolean; world: World } {
  const world = new World({ seed, tieBreaker: 'seeded' });
  const host = world.addHost('box', { addresses: ['10.0.0.5'] });
  app(host, 9000, { kind: 'reply', line: 'ok', then: 'keep-open' }, '127.0.0.1');
  const profile = buggy ? withBugs(DEFAULT_PROFILE, ['336441ed59']) : DEFAULT_PROFILE;
  const tcl = interpOn(world, 'box', profile);
  const h = tcl.socket('127.0.0.1', 9000, { async: true });
  h.fileevent('writable', script('Connected', () => {
    h.fileevent('writable', null);
    tcl.set('done');
  }));
  try {
    tcl.vwait('done');
    return { reported: true, world };
  } catch (err) {
    if (err instanceof WouldWaitForeverError) return { reported: false, world };
    throw err;
  }
}

export function run(options: { buggy?: boolean; seeds?: number } = {}): ExampleRun<RaceOutcome> {
  const buggy = options.buggy ?? true;
  const seeds = options.seeds ?? 20;
  const hung: number[] = [];
  let shown: World | undefined;
  for (let seed = 1; seed <= seeds; seed++) {
    const r = attempt(seed, buggy);
    if (!r.reported) hung.push(seed);
    if (!r.reported && shown === undefined) shown = r.world;
  }
  const lines = shown === undefined ? ['(no seed hung)'] : [`timeline of seed ${hung[0]}:`, ...timeline(shown, 'all')];
  return { outcome: { profile: buggy ? 'default+336441ed59' : 'default', seeds, hung }, timeline: lines };
}

main(import.meta.url, 'Bug 336441ed59: a quick connect is lost and vwait waits forever', () => {
  const buggy = run({ buggy: true });
  const fixed = run({ buggy: false });
  return { outcome: [buggy.outcome, fixed.outcome], timeline: buggy.timeline };
});
