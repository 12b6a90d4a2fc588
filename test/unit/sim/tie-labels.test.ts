/**
 * Tie candidates carry readable labels (issue 12, item 2): a packet in flight names its
 * connection, its endpoints and its kind; a Tcl `after` names its id and script; a watch
 * registration names the watch. The labels are built lazily, only when a tie is reported, so
 * these tests read them where a user would: in the `clock.tie` trace entries.
 */
import { describe, expect, it } from 'vitest';
import { SeededSource } from '../../../src/clock/seeded-source.js';
import { Rng } from '../../../src/random/rng.js';
import { World } from '../../../src/sim/world.js';
import { DEFAULT_PROFILE, withBugs } from '../../../src/socket/profiles.js';
import { app, interpOn, script } from '../../../examples/support.js';

/** Every candidate label of every tie of a zero-latency loopback connect with an `after`. */
function tieLabels(seed: number): string[] {
  const world = new World({ seed, tieBreaker: new SeededSource(new Rng(seed)) });
  const host = world.addHost('box', { addresses: ['10.0.0.5'] });
  app(host, 9000, { kind: 'reply', line: 'ok', then: 'keep-open' }, '127.0.0.1');
  const tcl = interpOn(world, 'box', withBugs(DEFAULT_PROFILE, ['336441ed59']));
  const h = tcl.socket('127.0.0.1', 9000, { async: true });
  tcl.afterScript(0, script('Tick', () => undefined));
  h.fileevent('writable', script('Connected', () => h.fileevent('writable', null)));
  tcl.update();
  return world.trace.entriesOf('clock.tie').flatMap((e) => e.candidates);
}

describe('tie candidate labels', () => {
  it('name a packet by connection, source → destination and kind', () => {
    const labels = tieLabels(1);
    expect(labels).toContain('conn1 127.0.0.1:32768→127.0.0.1:9000 syn');
    expect(labels.filter((l) => l.startsWith('conn')).every((l) => /^conn\d+ \S+:\d+→\S+:\d+ (syn|syn-ack|rst|data|fin)$/.test(l))).toBe(true);
  });

  it('name a Tcl after by its id and script, and a watch registration by the watch', () => {
    const labels = tieLabels(1);
    expect(labels).toContain('after#0 Tick');
    expect(labels.some((l) => /^register:connect:sock1$/.test(l))).toBe(true);
  });

  it('are the same text in every run of the same seed', () => {
    expect(tieLabels(3)).toEqual(tieLabels(3));
  });
});
