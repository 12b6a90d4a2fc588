/**
 * Fault rules: an ordered list the network asks for a verdict on every packet.
 *
 * Owns: verdicts, rule installation and removal (a handle removes what it installed), the
 * first-non-pass-wins evaluation, and a fault timeline (install or remove rules, or run any
 * action, at virtual times). Ready-made rules are in faults.ts.
 *
 * Evaluation: rules are asked in installation order (or at the front, with `first: true`); the
 * first verdict that is not `pass` decides. So a `drop` rule installed after a `delay` rule
 * that matches the same packets never sees them: install faults that must win with
 * `first: true`, or keep latency in the network's base latency (network.ts), which is not a
 * rule.
 *
 * Departs from reality: a verdict is decided when a packet is sent, not while it travels.
 */
import type { Clock, TimerId } from '../clock/clock.js';
import type { Trace } from '../trace/trace.js';
import { DetnetError } from '../errors.js';
import type { Packet, PacketView } from './packet.js';

/** Packets kept by a `hold` verdict until released. */
export interface HoldQueue {
  push(packet: Packet): void;
}

/**
 * What happens to a packet:
 * - `pass`: not this rule's business (the next rule is asked; if none objects, delivered);
 * - `delay`: delivered `ms` later than the base latency;
 * - `drop`: lost (the sender retransmits per its schedule);
 * - `refuse`: answered with RST as if by the destination (a SYN gets ECONNREFUSED);
 * - `reset`: a SYN is refused; an established connection's packet resets both ends;
 * - `unreachable`: answered with ICMP unreachable after `afterMs` (default: the return latency);
 *   a SYN fails with EHOSTUNREACH, other packets are lost;
 * - `hold`: kept in `queue` until the rule's owner releases it.
 */
export type Verdict =
  | { readonly kind: 'pass' }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'drop' }
  | { readonly kind: 'refuse' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'unreachable'; readonly afterMs?: number }
  | { readonly kind: 'hold'; readonly queue: HoldQueue };

/** Shared verdict objects (verdicts are immutable). */
export const PASS: Verdict = { kind: 'pass' };
/** The `drop` verdict, shared: the packet is lost and its sender retransmits. */
export const DROP: Verdict = { kind: 'drop' };
/** The `refuse` verdict, shared: answered with RST as if by the destination. */
export const REFUSE: Verdict = { kind: 'refuse' };
/** The `reset` verdict, shared: a SYN is refused, an established connection reset at both ends. */
export const RESET: Verdict = { kind: 'reset' };

/** A fault rule. `name` appears in traces (`fault.installed`, `net.drop` ...). */
export interface FaultRule {
  readonly name: string;
  verdict(packet: PacketView): Verdict;
}

/** Removes an installed (or scheduled) rule. */
export interface RuleHandle {
  readonly name: string;
  /** Whether the rule is installed now. */
  readonly active: boolean;
  /** Uninstalls the rule, or cancels its scheduled installation. Idempotent. */
  remove(): void;
}

export interface InstallOptions {
  /** Ask this rule before all installed ones (default: after them). */
  readonly first?: boolean;
  /** Install at this absolute virtual time instead of now. */
  readonly at?: number;
  /** Remove at this absolute virtual time. */
  readonly until?: number;
}

/** What `FaultRules.decide` answers. */
export type Decision = { readonly verdict: Verdict; readonly rule: string | null };
const NO_OBJECTION: Decision = Object.freeze({ verdict: PASS, rule: null });

interface Installed {
  readonly rule: FaultRule;
  readonly id: number;
}

/** The ordered rule list of one world. */
export class FaultRules {
  private rules: Installed[] = [];
  private nextId = 1;

  constructor(
    private readonly clock: Clock,
    private readonly trace: Trace,
  ) {}

  /** Number of rules installed now. */
  get size(): number {
    return this.rules.length;
  }

  /** Names of the installed rules, in evaluation order. */
  names(): string[] {
    return this.rules.map((r) => r.rule.name);
  }

  /** The first non-pass verdict for `packet`, and the rule that gave it. */
  decide(packet: PacketView): Decision {
    for (const { rule } of this.rules) {
      const v = rule.verdict(packet);
      if (v.kind !== 'pass') return { verdict: v, rule: rule.name };
    }
    return NO_OBJECTION; // shared: most packets pass every rule
  }

  /** Installs `rule` (now, or at `options.at`); returns a handle that removes it. */
  install(rule: FaultRule, options: InstallOptions = {}): RuleHandle {
    if (options.until !== undefined && options.until < Math.max(options.at ?? 0, this.clock.now())) {
      throw new DetnetError('ERR_INVALID_TIMELINE', `rule ${rule.name}: until (${options.until}) is before it is installed`);
    }
    const entry: Installed = { rule, id: this.nextId++ };
    let installed = false;
    let cancelled = false;
    let installTimer: TimerId | undefined;
    let removeTimer: TimerId | undefined;
    const doInstall = (): void => {
      installTimer = undefined;
      if (cancelled) return;
      installed = true;
      if (options.first === true) this.rules = [entry, ...this.rules];
      else this.rules = [...this.rules, entry];
      this.trace.record(this.clock.now(), 'fault.installed', { rule: rule.name, id: entry.id });
    };
    const doRemove = (): void => {
      if (cancelled) return;
      cancelled = true;
      if (installTimer !== undefined) this.clock.clearTimer(installTimer);
      if (removeTimer !== undefined) this.clock.clearTimer(removeTimer);
      installTimer = undefined;
      removeTimer = undefined;
      if (!installed) return;
      installed = false;
      this.rules = this.rules.filter((r) => r !== entry);
      this.trace.record(this.clock.now(), 'fault.removed', { rule: rule.name, id: entry.id });
    };
    if (options.at === undefined || options.at <= this.clock.now()) doInstall();
    else installTimer = this.clock.setTimer(options.at - this.clock.now(), doInstall, `fault.install:${rule.name}`);
    if (options.until !== undefined) {
      removeTimer = this.clock.setTimer(
        Math.max(0, options.until - this.clock.now()),
        () => {
          removeTimer = undefined;
          doRemove();
        },
        `fault.remove:${rule.name}`,
      );
    }
    return {
      name: rule.name,
      get active() {
        return installed;
      },
      remove: doRemove,
    };
  }

  /**
   * Runs `action` at absolute virtual time `at` (a step of a fault timeline, e.g. crashing a
   * host); returns a handle whose `remove` cancels it if it has not run.
   */
  at(at: number, label: string, action: () => void): RuleHandle {
    let done = false;
    const run = (): void => {
      done = true;
      this.trace.record(this.clock.now(), 'fault.action', { label });
      action();
    };
    if (at <= this.clock.now()) {
      run();
      return { name: label, active: false, remove: () => undefined };
    }
    const timer = this.clock.setTimer(at - this.clock.now(), run, `fault.at:${label}`);
    return {
      name: label,
      get active() {
        return !done;
      },
      remove: () => {
        if (!done) this.clock.clearTimer(timer);
        done = true;
      },
    };
  }
}
