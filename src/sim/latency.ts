/**
 * Latency models: how long one packet takes on a link, drawn from the world's RNG.
 *
 * Owns: the shapes a user can ask for (fixed, uniform, exponential, scripted), their
 * validation, and drawing a delay. Delays are whole virtual milliseconds (rounded), so traces
 * stay short and equal-time events are common enough for tie-breaking to matter.
 *
 * Scripted: `scripted([3, 0, 7])` gives the first packet drawn from that model 3 ms, the second
 * 0 ms, the third 7 ms, and every later one `thenMs` (default 0). It draws nothing from the RNG;
 * the position in the list is kept per (model object, generator) pair in a WeakMap below, so
 * each world (each network's own RNG fork) walks the list from its start, and one model object
 * set on several links walks one list in the order packets are sent. A property test draws the
 * list with fast-check, which shrinks it towards fewer, smaller delays: a narrow timing window
 * becomes a short list of small numbers instead of an opaque seed.
 *
 * Departs from reality: no bandwidth, queueing or jitter correlation; each packet's delay is
 * an independent draw (or the next scripted value).
 */
import { DetnetError } from '../errors.js';
import { showValue } from '../show-value.js';
import type { Rng } from '../random/rng.js';

/** A one-way delay distribution, in ms. */
export type LatencyModel =
  | { readonly kind: 'fixed'; readonly ms: number }
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  /** `minMs` plus an exponential draw of mean `meanMs`, capped at `maxMs` (default: none). */
  | { readonly kind: 'exponential'; readonly minMs?: number; readonly meanMs: number; readonly maxMs?: number }
  /** The k-th packet drawn from this model takes `delaysMs[k]`; past the list, `thenMs` (default 0). */
  | { readonly kind: 'scripted'; readonly delaysMs: readonly number[]; readonly thenMs?: number };

/** No delay at all. */
export const ZERO_LATENCY: LatencyModel = { kind: 'fixed', ms: 0 };

/** `fixed(ms)`: every packet takes exactly `ms`. */
export function fixed(ms: number): LatencyModel {
  return checkLatency({ kind: 'fixed', ms });
}

/** `uniform(min, max)`: each packet takes a whole number of ms in [min, max]. */
export function uniform(minMs: number, maxMs: number): LatencyModel {
  return checkLatency({ kind: 'uniform', minMs, maxMs });
}

/** `exponential(mean, { min, max })`: `min` + Exp(mean), rounded, capped at `max`. */
export function exponential(meanMs: number, bounds: { minMs?: number; maxMs?: number } = {}): LatencyModel {
  return checkLatency({ kind: 'exponential', meanMs, ...bounds });
}

/**
 * `scripted(delays, { thenMs })`: per-packet delays in sending order, then `thenMs` (default 0)
 * for every later packet. Nothing is drawn from the RNG.
 */
export function scripted(delaysMs: readonly number[], options: { readonly thenMs?: number } = {}): LatencyModel {
  return checkLatency({ kind: 'scripted', delaysMs: [...delaysMs], ...(options.thenMs === undefined ? {} : { thenMs: options.thenMs }) });
}

function bad(model: LatencyModel, why: string): DetnetError {
  return new DetnetError('ERR_INVALID_LATENCY', `invalid latency ${showValue(model, 120)}: ${why}`);
}

const okMs = (v: number | undefined): boolean => v === undefined || (Number.isFinite(v) && v >= 0);

/** Validates a model (throws `ERR_INVALID_LATENCY`) and returns it. */
export function checkLatency(model: LatencyModel): LatencyModel {
  switch (model.kind) {
    case 'fixed':
      if (!okMs(model.ms)) throw bad(model, 'ms must be a finite number >= 0');
      return model;
    case 'uniform':
      if (!Number.isInteger(model.minMs) || !Number.isInteger(model.maxMs) || model.minMs < 0 || model.maxMs < model.minMs) {
        throw bad(model, 'need integers 0 <= minMs <= maxMs');
      }
      return model;
    case 'exponential':
      if (!(Number.isFinite(model.meanMs) && model.meanMs > 0)) throw bad(model, 'meanMs must be > 0');
      if (!okMs(model.minMs) || !okMs(model.maxMs)) throw bad(model, 'bounds must be finite numbers >= 0');
      if (model.maxMs !== undefined && model.maxMs < (model.minMs ?? 0)) throw bad(model, 'maxMs < minMs');
      return model;
    case 'scripted':
      if (!Array.isArray(model.delaysMs) || !model.delaysMs.every((d) => typeof d === 'number' && okMs(d))) {
        throw bad(model, 'delaysMs must be a list of finite numbers >= 0');
      }
      if (!okMs(model.thenMs)) throw bad(model, 'thenMs must be a finite number >= 0');
      return model;
    default: {
      const never: never = model;
      throw bad(never, 'unknown kind');
    }
  }
}

/** Smallest and largest delay a model can produce (for latency-bound checks). */
export function latencyBounds(model: LatencyModel): { readonly min: number; readonly max: number } {
  switch (model.kind) {
    case 'fixed':
      return { min: Math.round(model.ms), max: Math.round(model.ms) };
    case 'uniform':
      return { min: model.minMs, max: model.maxMs };
    case 'exponential':
      return { min: Math.round(model.minMs ?? 0), max: model.maxMs === undefined ? Infinity : Math.round(model.maxMs) };
    case 'scripted': {
      const all = [...model.delaysMs, model.thenMs ?? 0].map((d) => Math.round(d));
      return { min: Math.min(...all), max: Math.max(...all) };
    }
  }
}

/**
 * How far each generator has walked each scripted model: model → generator → packets drawn.
 * Weak on both keys, so a finished world's positions go with it.
 */
const scriptedPositions = new WeakMap<LatencyModel, WeakMap<Rng, number>>();

function drawScripted(model: Extract<LatencyModel, { kind: 'scripted' }>, rng: Rng): number {
  let byRng = scriptedPositions.get(model);
  if (byRng === undefined) scriptedPositions.set(model, (byRng = new WeakMap()));
  const k = byRng.get(rng) ?? 0;
  byRng.set(rng, k + 1);
  return Math.round(model.delaysMs[k] ?? model.thenMs ?? 0);
}

/** Draws one delay (whole ms). Fixed and scripted models draw nothing from `rng`. */
export function drawLatency(model: LatencyModel, rng: Rng): number {
  switch (model.kind) {
    case 'fixed':
      return Math.round(model.ms);
    case 'uniform':
      return model.minMs === model.maxMs ? model.minMs : rng.int(model.minMs, model.maxMs);
    case 'exponential': {
      const v = Math.round((model.minMs ?? 0) + rng.exponential(model.meanMs));
      return model.maxMs === undefined ? v : Math.min(v, Math.round(model.maxMs));
    }
    case 'scripted':
      return drawScripted(model, rng);
  }
}
