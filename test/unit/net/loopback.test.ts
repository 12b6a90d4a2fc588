/**
 * The loopback rule of the real backends, as pure address logic: which spellings count as
 * loopback. Expected answers come from the address standards (RFC 1122: 127.0.0.0/8; RFC 4291:
 * ::1 and IPv4-mapped ::ffff:0:0/96), not from the code: a spelling is accepted only when the
 * strict parser reads it as a loopback address, so legacy forms that `inet_aton` would read
 * (`127.1`, `0x7f.1`, `2130706433`, leading zeros) are refused rather than guessed at.
 */
import { describe, expect, it } from 'vitest';
import { checkLoopbackLiteral, isLoopbackBytes, looksNumeric } from '../../../src/net/loopback.js';

describe('the loopback rule', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['127.255.255.254', '127.255.255.254'],
    ['127.0.0.2', '127.0.0.2'],
    ['::1', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['0000:0000:0000::0001', '::1'],
    ['::ffff:127.0.0.1', '::ffff:127.0.0.1'],
    ['::ffff:7f00:1', '::ffff:127.0.0.1'],
    ['::FFFF:7F00:0001', '::ffff:127.0.0.1'],
  ])('accepts %s as the loopback address %s', (text, canonical) => {
    expect(checkLoopbackLiteral(text)).toEqual({ ok: true, address: canonical });
  });

  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['2001:db8::1', '2001:db8::1'],
    ['::ffff:192.0.2.7', '::ffff:192.0.2.7'],
    ['0.0.0.0', '0.0.0.0'],
    ['::', '::'],
    ['128.0.0.1', '128.0.0.1'],
    ['126.255.255.255', '126.255.255.255'],
    ['::2', '::2'],
    ['::127.0.0.1', '::127.0.0.1'], // IPv4-compatible, not mapped: an ordinary IPv6 address
    ['64:ff9b::7f00:1', '64:ff9b::7f00:1'], // NAT64 of 127.0.0.1 leaves the host
    ['::ffff:0:7f00:1', '::ffff:0:7f00:1'], // IPv4-translated, not mapped
    ['fe80::1', 'fe80::1'],
  ])('refuses %s: a valid address outside loopback', (text, canonical) => {
    expect(checkLoopbackLiteral(text)).toEqual({ ok: false, why: `${canonical} is not a loopback address` });
  });

  it.each(['0x7f.1', '2130706433', '127.1', '127.0.1', '[::1]', '127.000.000.001', '0177.0.0.1', ' 127.0.0.1', '127.0.0.1 ', '::1%lo', 'localhost', ''])(
    'refuses %j: not a strictly written address, so never guessed to be loopback',
    (text) => {
      const verdict = checkLoopbackLiteral(text);
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) expect(verdict.why).toMatch(/is not an IP address written strictly/);
    },
  );

  it('reads loopback from the address bytes of either family', () => {
    expect(isLoopbackBytes(Uint8Array.from([127, 9, 9, 9]))).toBe(true);
    expect(isLoopbackBytes(Uint8Array.from([10, 0, 0, 1]))).toBe(false);
    const mapped = new Uint8Array(16);
    mapped.set([0xff, 0xff, 127, 0, 0, 1], 10);
    expect(isLoopbackBytes(mapped)).toBe(true);
    mapped[12] = 128;
    expect(isLoopbackBytes(mapped)).toBe(false);
  });

  it.each([
    ['2130706433', true],
    ['3221225985', true],
    ['0x7f.1', true],
    ['127.1', true],
    ['0177.0.0.01', true],
    ['0X7F.0.0.1', true],
    ['localhost', false],
    ['svc1', false],
    ['1a.example', false],
    ['0x7g.1', false],
  ])('says whether the system resolver would read the name %s as a number (%s)', (name, numeric) => {
    expect(looksNumeric(name)).toBe(numeric);
  });
});
