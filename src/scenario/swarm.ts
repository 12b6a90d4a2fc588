/**
 * Swarm testing's fault mix: which fault kinds are on in one run, and how often each hits a
 * packet — drawn afresh for every run of `detnet explore --swarm`, as FoundationDB's BUGGIFY and
 * TigerBeetle's simulator do, so that some runs see only drops, some only delays, some many
 * faults and some none, instead of every run seeing a thin average of everything.
 *
 * Owns: the `FaultMix` value, drawing one from an RNG (`drawMix`), its one-line text form
 * (`formatMix`/`parseMix`: `drop=0.05,delay=0.25`, `none` for no fault; what `detnet replay
 * --mix` takes), and installing it on a world as one fault rule (`installMix`) whose
 * per-packet draws come from the world RNG's `swarm` fork — so a mix, a world seed and a
 * schedule reproduce a run exactly.
 *
 * Does not: decide what a failure is, or shrink (src/cli/scenario-explorer.ts does both).
 *
 * Departs from reality: faults hit packets independently with a fixed probability; real
 * losses come in bursts. `refuse` answers a SYN with RST as a closed port would, `reset` kills
 * an established connection with RST, `delay` adds 1–10 ms to one packet.
 */
import { DetnetError } from '../errors.js';
import type { Rng } from '../random/rng.js';
import { DROP, PASS, REFUSE, RESET, type FaultRule, type Verdict } from '../sim/fault-rules.js';
import type { PacketView } from '../sim/packet.js';
import type { World } from '../sim/world.js';

/** The fault kinds a mix can switch on. */
export const MIX_KINDS = ['drop', 'delay', 'refuse', 'reset'] as const;
/** One of `MIX_KINDS`. */
export type MixKind = (typeof MIX_KINDS)[number];

/** Probabilities a drawn mix uses: rare to frequent. */
const LEVELS = [0.01, 0.05, 0.1, 0.25] as const;

/** Longest extra delay of a `delay` fault, in ms. */
export const MIX_MAX_DELAY_MS = 10;

/** Per kind that is on, the probability that it hits a packet it applies to (0 < p ≤ 1). */
export type FaultMix = Readonly<Partial<Record<MixKind, number>>>;

/** Draws a mix: each kind is on with probability 1/2, at one of four levels. */
export function drawMix(rng: Rng): FaultMix {
  const mix: Partial<Record<MixKind, number>> = {};
  for (const kind of MIX_KINDS) if (rng.chance(0.5)) mix[kind] = rng.pick(LEVELS);
  return mix;
}

/** The mix as `drop=0.05,delay=0.25` in `MIX_KINDS` order, or `none`. */
export function formatMix(mix: FaultMix): string {
  const parts = MIX_KINDS.filter((k) => mix[k] !== undefined).map((k) => `${k}=${String(mix[k])}`);
  return parts.length === 0 ? 'none' : parts.join(',');
}

/** Parses `formatMix`'s text; anything else is `ERR_INVALID_MIX` naming the bad part. */
export function parseMix(text: string): FaultMix {
  const trimmed = text.trim();
  if (trimmed === 'none') return {};
  const mix: Partial<Record<MixKind, number>> = {};
  for (const part of trimmed.split(',')) {
    const m = /^([a-z]+)=([0-9]*\.?[0-9]+)$/.exec(part.trim());
    const kind = m?.[1] as MixKind | undefined;
    const p = Number(m?.[2]);
    if (m === null || kind === undefined || !(MIX_KINDS as readonly string[]).includes(kind)) {
      throw new DetnetError('ERR_INVALID_MIX', `invalid fault mix part "${part}": expected kind=probability with kind one of ${MIX_KINDS.join(', ')}, or "none"`);
    }
    if (!(p > 0 && p <= 1)) throw new DetnetError('ERR_INVALID_MIX', `invalid fault mix part "${part}": the probability must be in (0, 1]`);
    if (mix[kind] !== undefined) throw new DetnetError('ERR_INVALID_MIX', `fault kind ${kind} is given twice`);
    mix[kind] = p;
  }
  return mix;
}

/** The mixes one step smaller than `mix`: one kind off, or one probability halved (≥ 0.01). */
export function smallerMixes(mix: FaultMix): FaultMix[] {
  const out: FaultMix[] = [];
  for (const kind of MIX_KINDS) {
    const p = mix[kind];
    if (p === undefined) continue;
    const { [kind]: _off, ...rest } = mix;
    out.push(rest);
    const half = Math.round((p / 2) * 100) / 100;
    if (half >= 0.01 && half < p) out.push({ ...mix, [kind]: half });
  }
  return out;
}

/** How often an installed mix hit a packet so far. */
export interface MixHits {
  readonly hits: number;
}

/**
 * Installs `mix` on `world` as one fault rule, `swarm`, asked after every rule already
 * installed. Its draws come from the world RNG's `swarm` fork, one per kind that applies to a
 * packet, in `MIX_KINDS` order. Installs nothing for an empty mix. The result counts the
 * packets it hit (a faulty network may legitimately make a wait long; a clean one may not).
 */
export function installMix(world: World, mix: FaultMix): MixHits {
  const counter = { hits: 0 };
  if (MIX_KINDS.every((k) => mix[k] === undefined)) return counter;
  const rng = world.rng.fork('swarm');
  const hit = (kind: MixKind): boolean => {
    const p = mix[kind];
    const yes = p !== undefined && rng.chance(p);
    if (yes) counter.hits++;
    return yes;
  };
  const rule: FaultRule = {
    name: 'swarm',
    verdict: (packet: PacketView): Verdict => {
      if (hit('drop')) return DROP;
      if (hit('delay')) return { kind: 'delay', ms: rng.int(1, MIX_MAX_DELAY_MS) };
      if (packet.kind === 'syn' ? hit('refuse') : packet.kind !== 'rst' && hit('reset')) return packet.kind === 'syn' ? REFUSE : RESET;
      return PASS;
    },
  };
  world.faults.install(rule);
  return counter;
}
