/**
 * The loopback rule of the real backends, as pure address logic: whether a piece of text is a
 * loopback address, and whether a host name would be read as a number by the system resolver.
 *
 * Owns: what counts as loopback — 127.0.0.0/8, `::1`, and IPv4-mapped loopback
 * (`::ffff:127.x.y.z`) — judged on the bytes the strict parser of address.ts gives, so every
 * spelling of one address gets one answer (`0:0:0:0:0:0:0:1` and `::ffff:7f00:1` are
 * loopback). Text that parser does not accept is never guessed at: legacy `inet_aton` forms
 * (`127.1`, `0x7f.1`, `2130706433`, `0177.0.0.1`), brackets, zone ids and padding are refused
 * as "not written strictly", even where they would happen to mean a loopback address.
 *
 * Does not: resolve names, know about scenarios (src/scenario/loopback-guard.ts) or drivers
 * (the Node driver calls `checkLoopbackLiteral` on every destination it is given).
 *
 * Departs from reality: stricter than the kernel. `0.0.0.0` and `::` as a destination reach
 * the local host on Linux, and the IPv4-compatible `::127.0.0.1` is routed as IPv6; all three
 * are refused here, being neither loopback nor needed by any scenario.
 */
import { tryParseAddress } from './address.js';

/** The verdict on one address text: its canonical loopback form, or why it is refused. */
export type LoopbackVerdict = { readonly ok: true; readonly address: string } | { readonly ok: false; readonly why: string };

/** Whether `bytes` (4 or 16, network order) is 127.0.0.0/8, `::1` or `::ffff:127.0.0.0/104`. */
export function isLoopbackBytes(bytes: Uint8Array): boolean {
  if (bytes.length === 4) return bytes[0] === 127;
  if (bytes.length !== 16) return false;
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  if (bytes[10] === 0xff && bytes[11] === 0xff) return bytes[12] === 127;
  for (let i = 10; i < 15; i++) if (bytes[i] !== 0) return false;
  return bytes[15] === 1;
}

/**
 * Checks `text` as a loopback address literal: `{ ok: true, address }` with its canonical text,
 * or `{ ok: false, why }` (`"192.0.2.1 is not a loopback address"`, or that it is not an IP
 * address written strictly).
 */
export function checkLoopbackLiteral(text: string): LoopbackVerdict {
  const parsed = typeof text === 'string' ? tryParseAddress(text) : null;
  if (parsed === null) return { ok: false, why: `${JSON.stringify(String(text))} is not an IP address written strictly (dotted quad or IPv6)` };
  if (!isLoopbackBytes(parsed.bytes)) return { ok: false, why: `${parsed.address} is not a loopback address` };
  return { ok: true, address: parsed.address };
}

/** One label `inet_aton` reads as a number: decimal, octal (leading 0) or hex (`0x`). */
const NUMERIC_LABEL = /^(?:0[xX][0-9a-fA-F]*|[0-9]+)$/;

/**
 * Whether the system resolver (glibc's `getaddrinfo`, which tries `inet_aton` before any name
 * service) would read `name` as a numeric IPv4 address instead of looking it up: every
 * dot-separated label is a number (`2130706433`, `127.1`, `0x7f.1`). Such a name in a hosts
 * table proves nothing about where a real connect goes. Over-inclusive on purpose (`1.2.3.4.5`
 * counts, though `inet_aton` rejects it).
 */
export function looksNumeric(name: string): boolean {
  return name.split('.').every((label) => NUMERIC_LABEL.test(label));
}
