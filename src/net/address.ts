/**
 * IP addresses and ports: parsing, validation, canonical text, prefixes. Shared by both drivers.
 *
 * Owns: what counts as a valid IPv4 / IPv6 literal, the one canonical text of each address
 * (what `getnameinfo(NI_NUMERICHOST)` — glibc's `inet_ntop` — prints, so `-peername` looks like
 * real Tcl), the wildcard and loopback addresses of each family, CIDR prefixes, and port
 * numbers with Tcl's `port number too high` error.
 *
 * Does not: resolve names (src/sim/dns.ts, the Node driver) or know about hosts.
 *
 * Departs from reality: like `inet_pton`, and unlike the legacy `inet_aton`, IPv4 accepts only
 * the dotted quad with decimal, zero-free octets (`010.0.0.1` is invalid, not octal); IPv6 zone
 * ids (`fe80::1%eth0`) are rejected rather than resolved to an interface.
 */
import { DetnetError } from '../errors.js';
import type { Family } from './sock-addr.js';

/** A parsed address: its family, canonical text and raw bytes (4 or 16, network order). */
export interface ParsedAddress {
  readonly family: Family;
  readonly address: string;
  readonly bytes: Uint8Array;
}

/** The wildcard ("any") address of each family: what an unspecified `-myaddr` binds to. */
export const WILDCARD: Readonly<Record<Family, string>> = { inet: '0.0.0.0', inet6: '::' };

/** The loopback address of each family. */
export const LOOPBACK: Readonly<Record<Family, string>> = { inet: '127.0.0.1', inet6: '::1' };

/** Highest valid port number. */
export const MAX_PORT = 65535;

function invalid(text: string, why: string): DetnetError {
  return new DetnetError('ERR_INVALID_ADDRESS', `invalid IP address "${text}": ${why}`);
}

/** Parses a dotted quad into 4 bytes, or returns a reason string. */
function parseV4Bytes(text: string): Uint8Array | string {
  const parts = text.split('.');
  if (parts.length !== 4) return 'an IPv4 address has exactly four dotted parts';
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i] as string;
    if (!/^[0-9]{1,3}$/.test(p)) return `part "${p}" is not a decimal number of 1 to 3 digits`;
    if (p.length > 1 && p.startsWith('0')) return `part "${p}" has a leading zero`;
    const n = Number(p);
    if (n > 255) return `part "${p}" is above 255`;
    out[i] = n;
  }
  return out;
}

/** Parses IPv6 text into 16 bytes, or returns a reason string. */
function parseV6Bytes(text: string): Uint8Array | string {
  if (text.includes('%')) return 'zone ids are not supported';
  const halves = text.split('::');
  if (halves.length > 2) return '"::" may appear only once';
  const words: number[] = [];
  const tail: number[] = [];
  const parseGroups = (part: string, into: number[], mayEndInV4: boolean): string | null => {
    if (part === '') return null;
    const groups = part.split(':');
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i] as string;
      if (mayEndInV4 && i === groups.length - 1 && g.includes('.')) {
        const v4 = parseV4Bytes(g);
        if (typeof v4 === 'string') return `embedded IPv4 "${g}": ${v4}`;
        into.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return `group "${g}" is not 1 to 4 hex digits`;
      into.push(parseInt(g, 16));
    }
    return null;
  };
  if (halves.length === 2) {
    const err = parseGroups(halves[0] as string, words, false) ?? parseGroups(halves[1] as string, tail, true);
    if (err !== null) return err;
    if (words.length + tail.length > 7) return 'too many groups around "::"';
    while (words.length + tail.length < 8) words.push(0);
  } else {
    const err = parseGroups(text, words, true);
    if (err !== null) return err;
    if (words.length !== 8) return 'an IPv6 address without "::" has exactly eight groups';
  }
  words.push(...tail);
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const w = words[i] as number;
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  }
  return out;
}

/** Canonical IPv4 text of 4 bytes. */
function formatV4(bytes: Uint8Array, offset = 0): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/**
 * Canonical IPv6 text of 16 bytes, exactly as glibc's `inet_ntop`: lowercase, no leading zeros,
 * the first longest run of two or more zero groups written `::`, and the last 32 bits as a
 * dotted quad for v4-mapped (`::ffff:1.2.3.4`) and v4-compatible (`::1.2.3.4`) addresses.
 */
function formatV6(bytes: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(((bytes[2 * i] as number) << 8) | (bytes[2 * i + 1] as number));
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestBase = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    // glibc: an encapsulated IPv4 address (6 leading zero words, or 5 and then ffff).
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      out += formatV4(bytes, 12);
      break;
    }
    out += (words[i] as number).toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ':';
  return out;
}

/**
 * Parsed literals by their text. Property tests build worlds by the thousand per second, each
 * parsing the same few literals for its hosts, routes and listeners again; the result is a
 * function of the text alone, so it is parsed once per process. Shared results are frozen and
 * their `bytes` must never be written (nothing in detnet writes them; `parsePrefix` copies).
 * The cache is cleared when full, so it cannot grow without bound.
 */
const PARSED = new Map<string, ParsedAddress>();
const PREFIXES = new Map<string, Prefix>();
/** Entries each cache holds before it is cleared. */
const CACHE_LIMIT = 4096;

function remember<T>(cache: Map<string, T>, text: string, value: T): T {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, value);
  return value;
}

/** The parsed literal `text`, or why it is not one. */
function lookup(text: string): ParsedAddress | string {
  const hit = PARSED.get(text);
  if (hit !== undefined) return hit;
  const bytes = text.includes(':') ? parseV6Bytes(text) : parseV4Bytes(text);
  if (typeof bytes === 'string') return bytes;
  const parsed: ParsedAddress = bytes.length === 4 ? { family: 'inet', address: formatV4(bytes), bytes } : { family: 'inet6', address: formatV6(bytes), bytes };
  return remember(PARSED, text, Object.freeze(parsed));
}

/** Parses an IPv4 or IPv6 literal, or returns null if `text` is neither. */
export function tryParseAddress(text: string): ParsedAddress | null {
  if (typeof text !== 'string') return null;
  const parsed = lookup(text);
  return typeof parsed === 'string' ? null : parsed;
}

/**
 * Parses an IPv4 or IPv6 literal. Throws `DetnetError` `ERR_INVALID_ADDRESS` naming the input
 * and what is wrong with it.
 */
export function parseAddress(text: string): ParsedAddress {
  if (typeof text !== 'string') throw invalid(String(text), 'not a string');
  if (text === '') throw invalid(text, 'empty');
  const parsed = lookup(text);
  if (typeof parsed === 'string') throw invalid(text, parsed);
  return parsed;
}

/** The canonical text of an address literal (throws `ERR_INVALID_ADDRESS`). */
export function canonicalAddress(text: string): string {
  return parseAddress(text).address;
}

/** The family of an address literal, or null if `text` is not one. */
export function addressFamily(text: string): Family | null {
  return tryParseAddress(text)?.family ?? null;
}

/** Whether `address` (canonical) is its family's wildcard (`0.0.0.0` or `::`). */
export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

/** Whether `address` (canonical) is a loopback address: `127.0.0.0/8` or `::1`. */
export function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.');
}

/** `::ffff:a.b.c.d` for an IPv4 address (canonical input). */
export function v4Mapped(ipv4: string): string {
  return `::ffff:${ipv4}`;
}

/** The IPv4 address inside a v4-mapped IPv6 address (canonical input), or null. */
export function unmapV4(ipv6: string): string | null {
  return ipv6.startsWith('::ffff:') && ipv6.includes('.') ? ipv6.slice(7) : null;
}

/** A CIDR prefix such as `10.0.0.0/8` or `fd00::/64`. */
export interface Prefix {
  readonly family: Family;
  /** Canonical text, `address/length`, with host bits cleared. */
  readonly text: string;
  readonly bytes: Uint8Array;
  readonly length: number;
}

/**
 * Parses `address/length` (a bare address means a host prefix: /32 or /128). Host bits are
 * cleared. Throws `ERR_INVALID_ADDRESS` for a bad address or length.
 */
export function parsePrefix(text: string): Prefix {
  const hit = PREFIXES.get(text);
  if (hit !== undefined) return hit;
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const parsed = parseAddress(addrText);
  const max = parsed.bytes.length * 8;
  let length = max;
  if (slash >= 0) {
    const lenText = text.slice(slash + 1);
    if (!/^[0-9]{1,3}$/.test(lenText) || Number(lenText) > max) {
      throw invalid(text, `prefix length must be an integer from 0 to ${max}`);
    }
    length = Number(lenText);
  }
  const bytes = Uint8Array.from(parsed.bytes);
  for (let bit = length; bit < max; bit++) bytes[bit >> 3] = (bytes[bit >> 3] as number) & ~(0x80 >> (bit & 7));
  const canonical = bytes.length === 4 ? formatV4(bytes) : formatV6(bytes);
  return remember(PREFIXES, text, Object.freeze({ family: parsed.family, text: `${canonical}/${length}`, bytes, length }));
}

/** Whether `prefix` contains the address whose bytes are `bytes` (families must match). */
export function prefixContains(prefix: Prefix, bytes: Uint8Array): boolean {
  if (bytes.length !== prefix.bytes.length) return false;
  const full = prefix.length >> 3;
  for (let i = 0; i < full; i++) if (bytes[i] !== prefix.bytes[i]) return false;
  const rest = prefix.length & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((bytes[full] as number) & mask) === (prefix.bytes[full] as number);
}

/**
 * Validates a port: an integer 0–65535 (0 = "any", an ephemeral port). Above 65535 throws
 * `ERR_PORT_TOO_HIGH` with Tcl's message `port number too high`; anything else that is not a
 * non-negative integer throws `ERR_INVALID_PORT`.
 */
export function parsePort(value: number | string): number {
  const n = typeof value === 'number' ? value : /^\s*[0-9]+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0) {
    throw new DetnetError('ERR_INVALID_PORT', `expected integer but got "${String(value)}"`);
  }
  if (n > MAX_PORT) throw new DetnetError('ERR_PORT_TOO_HIGH', 'port number too high');
  return n;
}
