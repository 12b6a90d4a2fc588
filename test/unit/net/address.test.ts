// Address parsing and canonical forms. The expected canonical strings are what glibc's
// inet_ntop prints (checked by hand against RFC 5952 and the glibc rules: first longest zero
// run of 2+ groups compressed, dotted quad for v4-mapped / v4-compatible).
import { describe, expect, test } from 'vitest';
import {
  addressFamily,
  canonicalAddress,
  isLoopback,
  isWildcard,
  parseAddress,
  parsePort,
  parsePrefix,
  prefixContains,
  tryParseAddress,
  unmapV4,
  v4Mapped,
} from '../../../src/net/address.js';
import { DetnetError } from '../../../src/errors.js';
import { caught } from '../sim/fixtures.js';

describe('IPv4', () => {
  test('a dotted quad parses to its bytes and family inet', () => {
    const p = parseAddress('192.168.1.20');
    expect(p.family).toBe('inet');
    expect([...p.bytes]).toEqual([192, 168, 1, 20]);
    expect(p.address).toBe('192.168.1.20');
  });

  test.each([
    ['1.2.3', 'four dotted parts'],
    ['1.2.3.4.5', 'four dotted parts'],
    ['256.1.1.1', 'above 255'],
    ['01.2.3.4', 'leading zero'],
    ['1.2.3.x', 'not a decimal'],
    ['', 'empty'],
    [' 1.2.3.4', 'not a decimal'],
  ])('%j is rejected with ERR_INVALID_ADDRESS naming the input (%s)', (text, why) => {
    const err = caught(() => parseAddress(text));
    expect(err).toBeInstanceOf(DetnetError);
    expect(err.code).toBe('ERR_INVALID_ADDRESS');
    expect(err.message).toContain(`"${text}"`);
    expect(err.message).toContain(why);
  });
});

describe('IPv6 canonical form', () => {
  test.each([
    ['::1', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['::', '::'],
    ['FD00:0000:0000:0000:0000:0000:0000:0002', 'fd00::2'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first of two equal runs
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group is not compressed
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // the longer run wins
    ['1::', '1::'],
    ['::ffff:10.0.0.1', '::ffff:10.0.0.1'],
    ['::FFFF:0a00:0001', '::ffff:10.0.0.1'],
    ['::102:304', '::1.2.3.4'], // v4-compatible, as glibc prints it
    ['fe80::1:2', 'fe80::1:2'],
  ])('%s is written %s', (input, canonical) => {
    expect(canonicalAddress(input)).toBe(canonical);
    expect(addressFamily(input)).toBe('inet6');
  });

  test.each([':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '12345::', 'g::1', '::1.2.3', 'fe80::1%eth0', '1.2.3.4::'])(
    '%j is not an IPv6 address',
    (text) => {
      expect(tryParseAddress(text)).toBeNull();
      expect(() => parseAddress(text)).toThrow(/invalid IP address/);
    },
  );

  test('parsing the canonical text again gives the same text and bytes', () => {
    for (const text of ['2001:db8::1:0:0:1', '::ffff:1.2.3.4', '::', '1::', 'a:b:c:d:e:f:1:2']) {
      const once = parseAddress(text);
      const twice = parseAddress(once.address);
      expect(twice.address).toBe(once.address);
      expect([...twice.bytes]).toEqual([...once.bytes]);
    }
  });
});

describe('special addresses', () => {
  test('wildcards and loopbacks of both families are recognised', () => {
    expect(isWildcard('0.0.0.0')).toBe(true);
    expect(isWildcard('::')).toBe(true);
    expect(isWildcard('::1')).toBe(false);
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('127.45.0.9')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('10.0.0.1')).toBe(false);
  });

  test('v4-mapped addresses round-trip', () => {
    expect(v4Mapped('10.1.2.3')).toBe('::ffff:10.1.2.3');
    expect(unmapV4('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(unmapV4('::1')).toBeNull();
  });
});

describe('prefixes', () => {
  test('host bits are cleared and containment follows the prefix length', () => {
    const p = parsePrefix('10.1.2.3/8');
    expect(p.text).toBe('10.0.0.0/8');
    expect(prefixContains(p, parseAddress('10.200.0.1').bytes)).toBe(true);
    expect(prefixContains(p, parseAddress('11.0.0.1').bytes)).toBe(false);
    const q = parsePrefix('fd00:1::/33');
    expect(prefixContains(q, parseAddress('fd00:1:7fff::1').bytes)).toBe(true);
    expect(prefixContains(q, parseAddress('fd00:1:8000::1').bytes)).toBe(false);
    expect(prefixContains(q, parseAddress('10.0.0.1').bytes)).toBe(false);
  });

  test('a bare address is a host prefix and a bad length is rejected', () => {
    expect(parsePrefix('::1').length).toBe(128);
    expect(parsePrefix('1.2.3.4').length).toBe(32);
    expect(() => parsePrefix('1.2.3.4/33')).toThrow(/prefix length/);
    expect(() => parsePrefix('::/x')).toThrow(/prefix length/);
  });
});

describe('ports', () => {
  test('0 to 65535 are valid, from numbers or digit strings', () => {
    expect(parsePort(0)).toBe(0);
    expect(parsePort(65535)).toBe(65535);
    expect(parsePort('8080')).toBe(8080);
  });

  test("above 65535 is Tcl's 'port number too high'", () => {
    expect(() => parsePort(65536)).toThrow('port number too high');
    expect(caught(() => parsePort('70000')).code).toBe('ERR_PORT_TOO_HIGH');
  });

  test('negative, fractional or non-numeric ports are ERR_INVALID_PORT', () => {
    for (const bad of [-1, 1.5, 'http', '']) {
      const err = caught(() => parsePort(bad));
      expect(err).toBeInstanceOf(DetnetError);
      expect(err.code).toBe('ERR_INVALID_PORT');
    }
  });
});
