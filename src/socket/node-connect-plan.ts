/**
 * What Node's `net.connect` decides before its first attempt: option checks and defaults, the
 * lookup it asks for, whether it walks several addresses or dials one, and the order of the
 * walk.
 *
 * Owns: `resolveConnectOptions` (validation, the 10 ms floor of the attempt timeout, the
 * profile's defaults), `lookupRequest` (the `family`/`hints`/`all` Node passes to `lookup`) and
 * `planAttempts` (filtering a lookup answer to IP literals of family 4/6, dropping repeats,
 * interleaving the families starting with the family of the first usable address). All pure.
 *
 * Does not: run the walk (src/socket/node-connect-machine.ts) or resolve names.
 *
 * Departs from reality: `localAddress`/`localPort` (and their bind errors) are not modelled; an
 * IPv6 literal with a zone id (`fe80::1%eth0`) counts as a host name, not a literal; an empty
 * lookup answer, which makes real Node throw a TypeError inside the lookup callback, is reported
 * as ERR_INVALID_IP_ADDRESS for `undefined`. `hints` defaults to AI_ADDRCONFIG with Linux's value
 * (32), as Node does off Windows.
 */
import { DetnetError } from '../errors.js';
import { tryParseAddress } from '../net/address.js';
import { invalidFamilyError, invalidIpError, type CodedErrorInfo } from './node-connect-errors.js';

/** The options of `net.connect` this model understands. */
export interface NodeConnectOptions {
  /** Host name or IP literal (default `localhost`). */
  readonly host?: string;
  readonly port: number | string;
  /** 0, 4, 6, `'IPv4'` or `'IPv6'`; 4 or 6 forces one family (and the single-address path). */
  readonly family?: number | string;
  /** getaddrinfo hints; 0 (the default) becomes AI_ADDRCONFIG when no family is forced. */
  readonly hints?: number;
  /** false: dial the first address only (`net.connect` before Node 20). Default: the profile's. */
  readonly autoSelectFamily?: boolean;
  /** Per-attempt timeout of the walk in ms: an int32 ≥ 1, raised to 10. Default: the profile's. */
  readonly autoSelectFamilyAttemptTimeout?: number;
}

/** The defaults a Node version supplies (`net.getDefaultAutoSelectFamily*()`). */
export interface ConnectDefaults {
  readonly autoSelectFamily: boolean;
  readonly attemptTimeoutMs: number;
}

/** What `lookup(host, options, cb)` is asked. */
export interface LookupRequest {
  readonly host: string;
  /** Absent unless a family was forced (Node passes `undefined`). */
  readonly family?: 4 | 6;
  readonly hints: number;
  /** true: the walk asks for every address; false: the single path asks for one. */
  readonly all: boolean;
}

/** Validated options: where to connect, and how. */
export interface ResolvedConnect {
  readonly host: string;
  readonly port: number;
  /** The family of `host` when it is an IP literal (no lookup happens), else 0. */
  readonly literal: 0 | 4 | 6;
  /** 'walk': lookupAndConnectMultiple (several addresses, attempt timer); 'single': one address. */
  readonly mode: 'walk' | 'single';
  readonly lookup: LookupRequest;
  readonly attemptTimeoutMs: number;
}

/** The smallest attempt timeout Node accepts; smaller values are raised to it. */
export const MIN_ATTEMPT_TIMEOUT_MS = 10;
/** AI_ADDRCONFIG on Linux. */
export const AI_ADDRCONFIG = 32;
const INT32_MAX = 2 ** 31 - 1;

/** Node's `isIP`: 4, 6 or 0 (not an IP literal). */
export function ipFamily(text: unknown): 0 | 4 | 6 {
  if (typeof text !== 'string') return 0;
  const parsed = tryParseAddress(text);
  if (parsed === null) return 0;
  return parsed.family === 'inet' ? 4 : 6;
}

function forcedFamily(family: number | string | undefined): 0 | 4 | 6 {
  switch (family) {
    case undefined:
    case 0:
      return 0;
    case 4:
    case 'IPv4':
      return 4;
    case 6:
    case 'IPv6':
      return 6;
    default:
      throw new DetnetError('ERR_INVALID_ARG_VALUE', `The property 'options.family' must be one of: 0, 4, 6, 'IPv4', 'IPv6'. Received ${JSON.stringify(family)}`);
  }
}

function port(value: number | string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 65535) {
    throw new DetnetError('ERR_SOCKET_BAD_PORT', `Port should be >= 0 and < 65536. Received ${JSON.stringify(value)}.`);
  }
  return n;
}

/**
 * Checks `options` as `net.connect` does and fills in `defaults`. Misuse throws a
 * `DetnetError` with Node's code: ERR_SOCKET_BAD_PORT, ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE,
 * ERR_INVALID_ARG_VALUE.
 */
export function resolveConnectOptions(options: NodeConnectOptions, defaults: ConnectDefaults): ResolvedConnect {
  const host = options.host === undefined || options.host === '' ? 'localhost' : options.host;
  const p = port(options.port);
  const { autoSelectFamily = defaults.autoSelectFamily } = options;
  if (typeof autoSelectFamily !== 'boolean') {
    throw new DetnetError('ERR_INVALID_ARG_TYPE', `The "options.autoSelectFamily" property must be of type boolean. Received ${typeof autoSelectFamily}`);
  }
  let timeout = options.autoSelectFamilyAttemptTimeout ?? defaults.attemptTimeoutMs;
  if (typeof timeout !== 'number') {
    throw new DetnetError('ERR_INVALID_ARG_TYPE', `The "options.autoSelectFamilyAttemptTimeout" property must be of type number. Received ${typeof timeout}`);
  }
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > INT32_MAX) {
    throw new DetnetError('ERR_OUT_OF_RANGE', `The value of "options.autoSelectFamilyAttemptTimeout" is out of range. It must be an integer >= 1 && <= ${INT32_MAX}. Received ${timeout}`);
  }
  // Node raises anything below the floor instead of refusing it.
  timeout = Math.max(timeout, MIN_ATTEMPT_TIMEOUT_MS);
  const family = forcedFamily(options.family);
  const hints = options.hints ?? 0;
  if (!Number.isInteger(hints) || hints < 0) {
    throw new DetnetError('ERR_INVALID_ARG_VALUE', `The argument 'hints' is invalid. Received ${JSON.stringify(hints)}`);
  }
  const walk = family === 0 && autoSelectFamily;
  const lookup: LookupRequest = {
    host,
    ...(family === 0 ? {} : { family }),
    // With no family forced and no hints given, Node asks for configured families only.
    hints: family === 0 && hints === 0 ? AI_ADDRCONFIG : hints,
    all: walk,
  };
  return { host, port: p, literal: ipFamily(host), mode: walk ? 'walk' : 'single', lookup, attemptTimeoutMs: timeout };
}

/** One address the walk may try. */
export interface Candidate {
  readonly address: string;
  readonly family: 4 | 6;
}

/** One entry of a lookup answer, as `lookup` returns it. */
export interface LookupAnswer {
  readonly address: string;
  readonly family: number;
}

/** What a lookup answer leads to. */
export type AttemptPlan =
  | { readonly kind: 'walk'; readonly candidates: readonly Candidate[] }
  | { readonly kind: 'single'; readonly candidate: Candidate }
  | { readonly kind: 'invalid'; readonly error: CodedErrorInfo };

/** Why the first entry of an answer is unusable (Node reports on the first entry only). */
function firstEntryError(answers: readonly LookupAnswer[], host: string, port: number): CodedErrorInfo {
  const first = answers[0];
  if (first === undefined) return invalidIpError('undefined');
  if (ipFamily(first.address) === 0) return invalidIpError(first.address);
  return invalidFamilyError(first.family, host, port);
}

function usable(a: LookupAnswer): a is Candidate {
  return ipFamily(a.address) !== 0 && (a.family === 4 || a.family === 6);
}

/**
 * The walk over a full lookup answer (`mode: 'walk'`): entries that are not IP literals of
 * family 4 or 6 are dropped, repeats are dropped, and the two families alternate, starting with
 * the family of the first usable entry. One candidate left means the single path. Note that
 * Node checks the entry's `family` field, not the literal: `::1` labelled 4 is kept.
 */
export function planAttempts(answers: readonly LookupAnswer[], host: string, port: number): AttemptPlan {
  const groups: [Candidate[], Candidate[]] = [[], []];
  let firstFamily: 4 | 6 | null = null;
  for (const a of answers) {
    if (!usable(a)) continue;
    firstFamily ??= a.family;
    const group = groups[a.family === firstFamily ? 0 : 1];
    if (!group.some((c) => c.address === a.address)) group.push({ address: a.address, family: a.family });
  }
  const [preferred, other] = groups;
  if (preferred.length === 0) return { kind: 'invalid', error: firstEntryError(answers, host, port) };
  const candidates: Candidate[] = [];
  for (let i = 0; i < Math.max(preferred.length, other.length); i++) {
    const p = preferred[i];
    const o = other[i];
    if (p !== undefined) candidates.push(p);
    if (o !== undefined) candidates.push(o);
  }
  const only = candidates[0];
  if (candidates.length === 1 && only !== undefined) return { kind: 'single', candidate: only };
  return { kind: 'walk', candidates };
}

/** The single path's use of an answer: its first entry only, which must be usable. */
export function planSingle(answers: readonly LookupAnswer[], host: string, port: number): AttemptPlan {
  const first = answers[0];
  if (first !== undefined && usable(first)) return { kind: 'single', candidate: { address: first.address, family: first.family } };
  return { kind: 'invalid', error: firstEntryError(answers, host, port) };
}
