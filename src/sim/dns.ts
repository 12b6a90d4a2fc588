/**
 * DNS of a simulated world: names → ordered address lists, lookup delays, failures.
 *
 * Owns: the world's records (kept in exactly the order given: Tcl does not re-sort, and glibc's
 * RFC 6724 sorting is modelled by simply writing the order you want), per-name lookup delays,
 * DNS faults (a name, or every name, fails as "not found", "no data", "timeout" or "server
 * failure" for a while), and what a host sees when it resolves a name: IP literals pass
 * through and hosts-file entries (including `localhost`, see host.ts) answer at once without
 * touching the clock; everything else is answered on the world clock after the delay.
 *
 * Failures carry glibc's `gai_strerror` text, which Tcl puts after "couldn't open socket: ":
 * - unknown name → ENOTFOUND "Name or service not known" (EAI_NONAME);
 * - a name with no addresses → ENOTFOUND "No address associated with hostname" (EAI_NODATA);
 * - timeout → EAI_AGAIN "Temporary failure in name resolution", after `timeoutMs`
 *   (default 10 s: glibc's 5 s timeout × 2 attempts);
 * - server failure → EAI_AGAIN, same text, after the lookup delay.
 *
 * Departs from reality: one resolver for the whole world, no caching, no search domains, no
 * A/AAAA split (a lookup returns all addresses of both families in the stored order).
 */
import type { Clock } from '../clock/clock.js';
import { parseAddress, tryParseAddress } from '../net/address.js';
import { NetError } from '../net/net-error.js';
import type { HostAddr } from '../net/sock-addr.js';
import type { Trace } from '../trace/trace.js';
import { DetnetError, invalidArgType } from '../errors.js';
import type { FaultRules, RuleHandle } from './fault-rules.js';

/** What the resolver needs of the world: time, the trace, and the fault timeline. */
export interface DnsContext {
  readonly clock: Clock;
  readonly trace: Trace;
  readonly faults: FaultRules;
}

/** What the resolver needs of the host asking: its name (for traces) and its hosts file. */
export interface Resolving {
  readonly name: string;
  hostsEntry(name: string): readonly string[] | undefined;
}

/** Ways a lookup can fail. */
export type DnsFailure = 'notfound' | 'nodata' | 'timeout' | 'servfail';

/** Resolver settings. */
export interface DnsOptions {
  /** Lookup delay of names without their own (default 0 ms: answered in the next clock event). */
  readonly defaultDelayMs?: number;
  /** How long a timing-out lookup takes to fail (default 10,000 ms). */
  readonly timeoutMs?: number;
}

/** The answer to a lookup: addresses in resolver order, or the resolver's error. */
export type LookupResult = readonly HostAddr[] | NetError;

interface DnsRecord {
  readonly addresses: readonly HostAddr[];
  readonly delayMs: number | undefined;
}

interface DnsFault {
  readonly name: string;
  readonly failure: DnsFailure;
}

const MESSAGES = {
  notfound: 'Name or service not known',
  nodata: 'No address associated with hostname',
  again: 'Temporary failure in name resolution',
} as const;

function normalise(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** Could `name` be an IP literal? (Cheap test before parsing: digits and dots, or a colon.) */
function maybeLiteral(name: string): boolean {
  const c = name.charCodeAt(0);
  return name.includes(':') || (c >= 48 && c <= 57);
}

function checkDelay(ms: number, what: string): void {
  if (!(Number.isFinite(ms) && ms >= 0)) throw new DetnetError('ERR_INVALID_DELAY', `${what} must be a finite number >= 0, got ${String(ms)}`);
}

/**
 * A world's DNS: names to ordered address lists (kept exactly as set), answered on the world
 * clock after each name's delay, with the faults set (not found, no data, timeout, server
 * failure); IP literals and hosts-file entries answer at once.
 */
export class Dns {
  private readonly records = new Map<string, DnsRecord>();
  private faults: DnsFault[] = [];
  private readonly literals = new Map<string, readonly HostAddr[] | null>();
  readonly defaultDelayMs: number;
  readonly timeoutMs: number;

  constructor(
    private readonly world: DnsContext,
    options: DnsOptions = {},
  ) {
    this.defaultDelayMs = options.defaultDelayMs ?? 0;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    checkDelay(this.defaultDelayMs, 'defaultDelayMs');
    checkDelay(this.timeoutMs, 'timeoutMs');
  }

  /** Sets `name`'s addresses (in this exact order) and optionally its lookup delay. */
  set(name: string, addresses: readonly string[], options: { readonly delayMs?: number } = {}): void {
    if (typeof name !== 'string') throw invalidArgType('dns.set name', 'a string', name);
    if (!Array.isArray(addresses)) throw invalidArgType(`dns.set addresses of ${name}`, 'an array of address strings', addresses);
    for (const a of addresses as readonly unknown[]) if (typeof a !== 'string') throw invalidArgType(`dns.set address of ${name}`, 'a string', a);
    if (options.delayMs !== undefined) checkDelay(options.delayMs, `lookup delay of ${name}`);
    const list = addresses.map((a) => {
      const p = parseAddress(a);
      return { family: p.family, address: p.address };
    });
    this.records.set(normalise(name), { addresses: list, delayMs: options.delayMs });
  }

  /** Removes `name`; returns whether it existed. */
  delete(name: string): boolean {
    return this.records.delete(normalise(name));
  }

  /** Changes the lookup delay of an existing name. */
  setDelay(name: string, delayMs: number): void {
    checkDelay(delayMs, `lookup delay of ${name}`);
    const key = normalise(name);
    const rec = this.records.get(key);
    if (rec === undefined) throw new DetnetError('ERR_UNKNOWN_NAME', `no DNS record for ${name}`);
    this.records.set(key, { addresses: rec.addresses, delayMs });
  }

  /** The stored addresses of `name`, or undefined. */
  get(name: string): readonly HostAddr[] | undefined {
    return this.records.get(normalise(name))?.addresses;
  }

  /**
   * A DNS fault: lookups of `name` (`'*'`: every name) fail with `failure`, from now (or `at`)
   * until the handle is removed (or `until`). The newest matching fault wins.
   */
  fail(name: string, failure: DnsFailure, options: { readonly at?: number; readonly until?: number } = {}): RuleHandle {
    const fault: DnsFault = { name: name === '*' ? '*' : normalise(name), failure };
    const world = this.world;
    const label = `dns-${failure}:${name}`;
    let active = false;
    const install = (): void => {
      this.faults = [fault, ...this.faults];
      active = true;
      world.trace.record(world.clock.now(), 'fault.installed', { rule: label });
    };
    const remove = (): void => {
      if (!active) return;
      active = false;
      this.faults = this.faults.filter((f) => f !== fault);
      world.trace.record(world.clock.now(), 'fault.removed', { rule: label });
    };
    const start = options.at === undefined ? undefined : world.faults.at(options.at, label, install);
    if (start === undefined) install();
    const stop = options.until === undefined ? undefined : world.faults.at(options.until, `${label}:end`, remove);
    return {
      name: label,
      get active() {
        return active;
      },
      remove: () => {
        start?.remove();
        stop?.remove();
        remove();
      },
    };
  }

  /**
   * Answers without the network if it can: an IP literal, or a hosts-file entry of `host`
   * (including `localhost`). Undefined if the name needs DNS.
   */
  lookupLocal(host: Resolving, name: string): readonly HostAddr[] | undefined {
    const literal = maybeLiteral(name) ? this.literal(name) : null;
    if (literal !== null) return literal;
    const entry = host.hostsEntry(name);
    if (entry === undefined) return undefined;
    return entry.map((a) => ({ family: a.includes(':') ? 'inet6' : 'inet', address: a }));
  }

  /**
   * The answer for an IP literal (null if `name` is not one), cached: a client connecting to the
   * same literal again and again should not parse it every time. Answers are frozen and shared.
   */
  private literal(name: string): readonly HostAddr[] | null {
    let answer = this.literals.get(name);
    if (answer === undefined) {
      const parsed = tryParseAddress(name);
      answer = parsed === null ? null : Object.freeze([Object.freeze({ family: parsed.family, address: parsed.address })]);
      if (this.literals.size >= 4096) this.literals.clear();
      this.literals.set(name, answer);
    }
    return answer;
  }

  /**
   * `getaddrinfo` from `host`: calls `done` with the addresses or a NetError. Local answers
   * (`lookupLocal`) call `done` before returning; DNS answers come on the world clock.
   */
  lookup(host: Resolving, name: string, done: (result: LookupResult) => void): void {
    const local = this.lookupLocal(host, name);
    if (local !== undefined) {
      done(local);
      return;
    }
    const world = this.world;
    const key = normalise(name);
    if (world.trace.enabled) world.trace.record(world.clock.now(), 'dns.query', { host: host.name, name: key });
    const fault = this.faults.find((f) => f.name === key || f.name === '*');
    const rec = this.records.get(key);
    const delay = rec?.delayMs ?? this.defaultDelayMs;
    let result: LookupResult;
    let after = delay;
    const error = (code: 'ENOTFOUND' | 'EAI_AGAIN', message: string): NetError =>
      new NetError(code, { syscall: 'getaddrinfo', address: name, message });
    if (fault !== undefined) {
      if (fault.failure === 'timeout') after = this.timeoutMs;
      result =
        fault.failure === 'notfound'
          ? error('ENOTFOUND', MESSAGES.notfound)
          : fault.failure === 'nodata'
            ? error('ENOTFOUND', MESSAGES.nodata)
            : error('EAI_AGAIN', MESSAGES.again);
    } else if (rec === undefined || key === '') {
      result = error('ENOTFOUND', MESSAGES.notfound);
    } else if (rec.addresses.length === 0) {
      result = error('ENOTFOUND', MESSAGES.nodata);
    } else {
      result = rec.addresses.slice();
    }
    world.clock.setTimer(
      after,
      () => {
        // A disabled trace skips building the entry (the answer's address list in particular).
        if (world.trace.enabled) {
          if (result instanceof NetError) world.trace.record(world.clock.now(), 'dns.fail', { name: key, code: result.code, message: result.message });
          else world.trace.record(world.clock.now(), 'dns.answer', { name: key, addresses: result.map((a) => a.address) });
        }
        done(result);
      },
      'dns:answer',
    );
  }
}
