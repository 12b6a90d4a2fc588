// Random topologies through detnet/net: a name with one to four addresses of both families,
// each accepting (after an extra handshake delay), refusing or blackholed. Two invariants a
// Node user relies on:
//   - the connect ends: 'connect' or 'error', never silence (within 200 s of world time);
//   - if the last address of the walk accepts, the socket connects (the last attempt is never
//     cut short by the attempt timer).
// Both hold on node-current over every generated topology; switching on nodejs/node#47822 (the
// last attempt timed too) or npm/cli#6409 (switch 48464: a stale timeout flag drops the
// attempt that succeeds) makes fast-check find a counterexample, printed as a story.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { World, blackhole, fixed, refusePort, slow } from '../../src/index.js';
import { createNet, nodeProfile, withNodeBugs, type NodeProfile } from '../../src/net-facade.js';
import { planAttempts } from '../../src/socket/node-connect-plan.js';
import { propertyParams } from '../helpers/property.js';

type Fate = { readonly kind: 'accept'; readonly extraMs: number } | { readonly kind: 'refuse' } | { readonly kind: 'blackhole' };

interface Topology {
  /** Server addresses in DNS order, each with its fate. */
  readonly entries: readonly { readonly address: string; readonly fate: Fate }[];
}

const V4 = ['10.0.0.2', '10.0.0.3'];
const V6 = ['fd00::2', 'fd00::3'];

const fateArb: fc.Arbitrary<Fate> = fc.oneof(
  fc.record({ kind: fc.constant('accept' as const), extraMs: fc.integer({ min: 0, max: 1500 }) }),
  fc.constant({ kind: 'refuse' as const }),
  fc.constant({ kind: 'blackhole' as const }),
);

const topologyArb: fc.Arbitrary<Topology> = fc
  .subarray([...V6, ...V4], { minLength: 1 })
  .chain((addresses) => fc.shuffledSubarray(addresses, { minLength: addresses.length, maxLength: addresses.length }))
  .chain((addresses) => fc.tuple(...addresses.map((address) => fateArb.map((fate) => ({ address, fate })))))
  .map((entries) => ({ entries }));

function story(t: Topology): string {
  return t.entries.map((e) => `${e.address} ${e.fate.kind === 'accept' ? `accepts (+${e.fate.extraMs} ms)` : e.fate.kind === 'refuse' ? 'refuses' : 'is blackholed'}`).join(', ');
}

interface Outcome {
  readonly result: 'connect' | 'error' | 'silent';
  readonly at: number;
}

function connectOn(t: Topology, profile: NodeProfile): Outcome {
  const world = new World({ seed: 1, trace: { enabled: false } });
  world.addHost('client', { addresses: ['10.0.0.1', 'fd00::1'] });
  world.addHost('server', { addresses: [...V4, ...V6] });
  world.dns.set('svc', t.entries.map((e) => e.address));
  const rng = world.rng.fork('slow');
  for (const { address, fate } of t.entries) {
    if (fate.kind === 'refuse') world.faults.install(refusePort(address, 80));
    if (fate.kind === 'blackhole') world.faults.install(blackhole(address));
    if (fate.kind === 'accept' && fate.extraMs > 0) world.faults.install(slow(fixed(fate.extraMs), rng, { to: address }));
  }
  createNet(world, 'server').createServer((s) => s.destroy()).listen(80);
  const socket = createNet(world, 'client', { profile }).connect(80, 'svc');
  let outcome: Outcome | null = null;
  socket.on('connect', () => {
    outcome = { result: 'connect', at: world.clock.now() };
    socket.destroy();
  });
  socket.on('error', () => void (outcome ??= { result: 'error', at: world.clock.now() }));
  world.runUntil(() => outcome !== null, { budgetMs: 200_000 });
  return outcome ?? { result: 'silent', at: world.clock.now() };
}

/** The invariants; returns a violation as a sentence, or null. */
function violation(t: Topology, profile: NodeProfile): string | null {
  const out = connectOn(t, profile);
  if (out.result === 'silent') return `${story(t)}: neither 'connect' nor 'error' within 200 s`;
  const plan = planAttempts(t.entries.map((e) => ({ address: e.address, family: e.address.includes(':') ? 6 : 4 })), 'svc', 80);
  const order = plan.kind === 'walk' ? plan.candidates : plan.kind === 'single' ? [plan.candidate] : [];
  const last = order[order.length - 1];
  const lastFate = t.entries.find((e) => e.address === last?.address)?.fate;
  if (lastFate?.kind === 'accept' && out.result !== 'connect') return `${story(t)}: the last address accepts, yet the connect failed at ${out.at} ms`;
  return null;
}

const FILE = 'test/property/net-facade-bugs.test.ts';

describe('detnet/net over random topologies', () => {
  it('on node-current, every connect ends, and ends connected whenever the last address accepts', async () => {
    const current = nodeProfile('node-current');
    let lastAccepts = 0;
    fc.assert(
      fc.property(topologyArb, (t) => {
        if (t.entries[t.entries.length - 1]?.fate.kind === 'accept') lastAccepts++;
        expect(violation(t, current)).toBeNull();
      }),
      propertyParams('net facade: node-current keeps both invariants', FILE),
    );
    // Guard against a vacuous pass: many generated topologies exercise the second invariant.
    expect(lastAccepts).toBeGreaterThan(50);
  });

  for (const [bug, what] of [
    ['47822', 'the last attempt timed out though its address accepts'],
    ['48464', 'the successful attempt after a timeout is dropped'],
  ] as const) {
    it(`finds nodejs/node#${bug === '47822' ? '47822' : '48464 (npm/cli#6409)'} when its switch is on: ${what}`, () => {
      const buggy = withNodeBugs(nodeProfile('node-current'), [bug]);
      const result = fc.check(
        fc.property(topologyArb, (t) => violation(t, buggy) === null),
        propertyParams(`net facade: finds ${bug}`, FILE, 300),
      );
      expect(result.failed).toBe(true);
      const counterexample = result.counterexample?.[0];
      if (counterexample !== undefined) console.log(`[property] ${bug}: ${violation(counterexample, buggy) ?? '(no violation on replay)'}`);
      // The shrunk counterexample still breaks the invariant when replayed.
      expect(counterexample === undefined ? null : violation(counterexample, buggy)).not.toBeNull();
    });
  }
});
