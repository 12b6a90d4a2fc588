// What net.connect decides before its first attempt: option checks, the lookup request and the
// order of the walk. Expected values come from lib/net.js as read (lookupAndConnect,
// lookupAndConnectMultiple) and from runs of Node 20.20 noted beside them.
import { describe, expect, it } from 'vitest';
import { AI_ADDRCONFIG, ipFamily, planAttempts, planSingle, resolveConnectOptions } from '../../../src/socket/node-connect-plan.js';

const DEFAULTS = { autoSelectFamily: true, attemptTimeoutMs: 500 };

describe('resolveConnectOptions', () => {
  it('walks all addresses by default, asking lookup for every address with AI_ADDRCONFIG', () => {
    const r = resolveConnectOptions({ host: 'db.test', port: 5432 }, DEFAULTS);
    // Node 20.20 passes { hints: 32, all: true } to a custom lookup (family left undefined).
    expect(r.mode).toBe('walk');
    expect(r.lookup).toEqual({ host: 'db.test', hints: AI_ADDRCONFIG, all: true });
    expect(r.attemptTimeoutMs).toBe(500);
    expect(r.literal).toBe(0);
  });

  it('takes the single-address path when autoSelectFamily is false, asking for one address', () => {
    const r = resolveConnectOptions({ host: 'db.test', port: 1, autoSelectFamily: false }, DEFAULTS);
    expect(r.mode).toBe('single');
    expect(r.lookup).toEqual({ host: 'db.test', hints: AI_ADDRCONFIG, all: false });
  });

  it('takes the single-address path when a family is forced, and then adds no hints', () => {
    // Node 20.20 passes { family: 4, hints: 0 } for family: 4.
    const r = resolveConnectOptions({ host: 'db.test', port: 1, family: 'IPv4' }, DEFAULTS);
    expect(r.mode).toBe('single');
    expect(r.lookup).toEqual({ host: 'db.test', family: 4, hints: 0, all: false });
  });

  it('raises an attempt timeout below 10 ms to 10 ms and keeps larger ones', () => {
    expect(resolveConnectOptions({ port: 1, autoSelectFamilyAttemptTimeout: 1 }, DEFAULTS).attemptTimeoutMs).toBe(10);
    expect(resolveConnectOptions({ port: 1, autoSelectFamilyAttemptTimeout: 1234 }, DEFAULTS).attemptTimeoutMs).toBe(1234);
  });

  it('defaults the host to localhost and recognises IP literals, which need no lookup', () => {
    expect(resolveConnectOptions({ port: 1 }, DEFAULTS).host).toBe('localhost');
    expect(resolveConnectOptions({ host: '::1', port: 1 }, DEFAULTS).literal).toBe(6);
    expect(resolveConnectOptions({ host: '127.0.0.1', port: '80' }, DEFAULTS)).toMatchObject({ literal: 4, port: 80 });
  });

  it('refuses bad options with the codes Node uses', () => {
    const code = (f: () => unknown): unknown => {
      try {
        f();
      } catch (e) {
        return (e as { code?: unknown }).code;
      }
      return 'no error';
    };
    expect(code(() => resolveConnectOptions({ port: 70000 }, DEFAULTS))).toBe('ERR_SOCKET_BAD_PORT');
    expect(code(() => resolveConnectOptions({ port: 1, autoSelectFamilyAttemptTimeout: 0 }, DEFAULTS))).toBe('ERR_OUT_OF_RANGE');
    expect(code(() => resolveConnectOptions({ port: 1, autoSelectFamilyAttemptTimeout: 2.5 }, DEFAULTS))).toBe('ERR_OUT_OF_RANGE');
    expect(code(() => resolveConnectOptions({ port: 1, autoSelectFamilyAttemptTimeout: '5' as unknown as number }, DEFAULTS))).toBe('ERR_INVALID_ARG_TYPE');
    expect(code(() => resolveConnectOptions({ port: 1, autoSelectFamily: 1 as unknown as boolean }, DEFAULTS))).toBe('ERR_INVALID_ARG_TYPE');
    expect(code(() => resolveConnectOptions({ port: 1, family: 5 }, DEFAULTS))).toBe('ERR_INVALID_ARG_VALUE');
  });
});

describe('planAttempts', () => {
  it('alternates families starting with the family of the first usable answer', () => {
    // The documented order: first AAAA, first A, second AAAA, … when AAAA comes first.
    const plan = planAttempts(
      [
        { address: '2001:db8::1', family: 6 },
        { address: '2001:db8::2', family: 6 },
        { address: '2001:db8::3', family: 6 },
        { address: '10.0.0.1', family: 4 },
      ],
      'h',
      80,
    );
    expect(plan.kind === 'walk' && plan.candidates.map((c) => c.address)).toEqual(['2001:db8::1', '10.0.0.1', '2001:db8::2', '2001:db8::3']);
  });

  it('tries each address once and skips entries that are not IP literals of family 4 or 6', () => {
    const plan = planAttempts(
      [
        { address: 'junk', family: 4 },
        { address: '10.0.0.1', family: 4 },
        { address: '10.0.0.1', family: 4 },
        { address: '10.0.0.2', family: 5 },
        { address: '::1', family: 6 },
      ],
      'h',
      80,
    );
    expect(plan.kind === 'walk' && plan.candidates).toEqual([
      { address: '10.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
  });

  it('falls back to the single path when one candidate is left after dropping repeats', () => {
    // Node 20.20: two identical A answers give one connectionAttempt and a plain (non-aggregate) error.
    expect(planAttempts([{ address: '127.0.0.1', family: 4 }, { address: '127.0.0.1', family: 4 }], 'h', 1)).toEqual({
      kind: 'single',
      candidate: { address: '127.0.0.1', family: 4 },
    });
  });

  it('reports an unusable answer by its first entry, as Node does', () => {
    const ip = planAttempts([{ address: 'nope', family: 4 }], 'x.test', 1);
    expect(ip).toMatchObject({ kind: 'invalid', error: { code: 'ERR_INVALID_IP_ADDRESS', message: 'Invalid IP address: nope' } });
    const fam = planAttempts([{ address: '127.0.0.1', family: 5 }], 'x.test', 1);
    expect(fam).toMatchObject({ kind: 'invalid', error: { code: 'ERR_INVALID_ADDRESS_FAMILY', message: 'Invalid address family: 5 x.test:1' } });
    expect(planAttempts([], 'x.test', 1)).toMatchObject({ kind: 'invalid', error: { code: 'ERR_INVALID_IP_ADDRESS' } });
  });

  it('keeps an answer whose literal does not match its family label (Node checks the label)', () => {
    const plan = planAttempts([{ address: '::1', family: 4 }, { address: '127.0.0.1', family: 6 }], 'h', 1);
    expect(plan.kind === 'walk' && plan.candidates.map((c) => `${c.address}/${c.family}`)).toEqual(['::1/4', '127.0.0.1/6']);
  });
});

describe('planSingle and ipFamily', () => {
  it('uses only the first entry on the single path', () => {
    expect(planSingle([{ address: '::1', family: 6 }, { address: '127.0.0.1', family: 4 }], 'h', 1)).toEqual({ kind: 'single', candidate: { address: '::1', family: 6 } });
    expect(planSingle([{ address: 'x', family: 4 }, { address: '127.0.0.1', family: 4 }], 'h', 1).kind).toBe('invalid');
  });

  it('recognises IPv4 and IPv6 literals and nothing else', () => {
    expect([ipFamily('127.0.0.1'), ipFamily('::1'), ipFamily('localhost'), ipFamily('010.0.0.1'), ipFamily(4)]).toEqual([4, 6, 0, 0, 0]);
  });
});
