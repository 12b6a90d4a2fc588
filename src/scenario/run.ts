/**
 * One run of a scenario's client script on detnet's `Interp`: the step executor behind
 * `runScenario` (runner.ts).
 *
 * Owns: running every step with the interpreter's commands (sync forms on a driver that can
 * block, Promise forms otherwise), handlers as scripts, polling loops, guarded `vwait`s, the
 * teardown the Tcl script also does, and which trace lines the result keeps. Each step is
 * wrapped as the Tcl script wraps it in `catch`: a `TclError` is an observation (the
 * interpreter has recorded it) and the script goes on; any other error fails the run.
 *
 * The interpreter traces everything, setup and teardown included; the run drops exactly the
 * lines the Tcl script never prints: setup and teardown entirely, and the op lines of polling
 * iterations (their events and the loop's note stay). It inserts a `chan` declaration before
 * each `socket` line, as the Tcl script does, so normalisation names channels by their
 * scenario id even when an earlier `socket` failed.
 *
 * Does not: build worlds or drivers, or compare traces.
 *
 * Departs from reality: nothing of its own; on real sockets see `Driver.settleAsync`.
 */
import { VirtualClock } from '../clock/virtual-clock.js';
import { DetnetError } from '../errors.js';
import { VwaitBudgetError, WouldWaitForeverError } from '../loop/event-loop.js';
import { isBlockingDriver, type BlockingDriver, type Driver } from '../socket/driver.js';
import { Interp, type Channel, type InterpOptions, type Script, type SocketOptions } from '../socket/interp.js';
import { TclError } from '../socket/tcl-error.js';
import { collapseChanges, collapseRuns, type MetaLine, type NoteLine, type ObservationLine } from '../trace/observation.js';
import type { TraceEntry } from '../trace/trace.js';
import type { FixtureListener } from './fixture-server.js';
import { opText, tclQuote } from './op-text.js';
import type { ScenarioBackend } from './backend.js';
import type { PollStep, PortRef, Scenario, Step } from './scenario.js';
import { childListener, inProcessListener, refusedPort, tclCatch } from './topology.js';

/** Swallows a `TclError` of an awaited command, as `catch` does in the Tcl script. */
async function tcl(fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof TclError)) throw err;
  }
}

/** One run of one scenario on one backend: its interpreter, ports, channels and kept lines. */
export class Run {
  readonly driver: Driver;
  readonly interp: Interp<Driver>;
  readonly blocking: boolean;
  readonly ports = new Map<string, number>();
  readonly chans = new Map<string, Channel>();
  readonly fixtures: FixtureListener[] = [];
  /** Trace entries left out of the result; metas inserted before entries. */
  readonly excluded = new Set<TraceEntry>();
  readonly inserts = new Map<TraceEntry, MetaLine>();
  /**
   * Called before every top-level step and every step of a polling loop; throws to stop the run
   * (the runner's work budget).
   */
  beforeStep: (() => void) | undefined;

  constructor(readonly scenario: Scenario, readonly backend: ScenarioBackend, interpOptions: InterpOptions = {}) {
    this.driver = backend.driver;
    this.interp = new Interp(this.driver, { ...interpOptions, ...(scenario.profile === undefined ? {} : { profile: scenario.profile }) });
    this.blocking = isBlockingDriver(backend.driver);
  }

  /**
   * The interpreter as the synchronous forms need it. Only a blocking run (or a handler step)
   * uses it; on a driver that cannot block the interpreter's own check fails the command with
   * `ERR_SYNC_ON_REAL_DRIVER`, as it always did.
   */
  private get syncInterp(): Interp<BlockingDriver> {
    return this.interp as Interp<BlockingDriver>;
  }

  private get entries(): readonly TraceEntry[] {
    return this.interp.trace.entries;
  }

  /** Excludes what `fn` records: everything, or only op lines (polling keeps events). */
  private async window(fn: () => Promise<void>, what: 'all' | 'ops'): Promise<void> {
    const start = this.entries.length;
    try {
      await fn();
    } finally {
      for (const e of this.entries.slice(start)) if (what === 'all' || (e.kind === 'obs' && 'op' in e)) this.excluded.add(e);
    }
  }

  // ---- topology ----

  /**
   * Builds listeners and the refused port (left out of the result); returns the port
   * declarations. The runner then calls the backend's `prepare` (the fault timeline), whose
   * entries belong to the script's timeline.
   */
  async setup(): Promise<MetaLine[]> {
    await this.window(async () => {
      for (const l of this.scenario.listeners ?? []) {
        if (l.process === 'child') {
          const f = await childListener(this.backend.driverFor?.(l.on) ?? this.driver, l);
          this.fixtures.push(f);
          this.ports.set(l.role, f.port);
        } else {
          this.ports.set(l.role, await inProcessListener(this.interp, l));
        }
      }
      if (this.scenario.refusedPort === true) this.ports.set('rport', await refusedPort(this.driver));
    }, 'all');
    return [...this.ports].map(([role, port]) => ({ meta: 'port', role, value: String(port) }));
  }

  private port(ref: PortRef): number {
    if (typeof ref === 'number') return ref;
    const p = this.ports.get(ref);
    if (p === undefined) throw new DetnetError('ERR_SCENARIO_INVALID', `no port for role ${ref}`);
    return p;
  }

  // ---- steps ----

  /** The channel of `id`, or a traced "can not find channel" failure like Tcl's for `<cN>`. */
  private chan(step: Step & { chan: string }): Channel {
    const c = this.chans.get(step.chan);
    if (c !== undefined) return c;
    const name = `<${step.chan}>`;
    return this.interp.traced(opText(step), () => {
      throw new TclError(`can not find channel named "${name}"`, 'ERR_TCL_NO_CHANNEL', `TCL LOOKUP CHANNEL ${name}`);
    });
  }

  private script(name: string): Script {
    const handler = (this.scenario.handlers ?? []).find((h) => h.name === name);
    if (handler === undefined) throw new DetnetError('ERR_SCENARIO_INVALID', `no handler named ${name}`);
    return { text: name, run: () => handler.steps.forEach((s) => void this.syncStep(s)) };
  }

  /** The `socket` command's options for a step (`-async` unless the step says otherwise). */
  private socketOptions(step: Extract<Step, { op: 'socket' }>): SocketOptions {
    return {
      async: step.async !== false,
      ...(step.myaddr === undefined ? {} : { myaddr: step.myaddr }),
      ...(step.myport === undefined ? {} : { myport: this.port(step.myport) }),
    };
  }

  /** Runs one step that never waits (or, on a driver that can block, any step) synchronously. */
  syncStep(step: Step): void {
    switch (step.op) {
      case 'socket': {
        const options = this.socketOptions(step);
        tclCatch(() => this.created(step.chan, this.syncInterp.socket(step.host, this.port(step.port), options)));
        return;
      }
      case 'fconfigure':
        return tclCatch(() => {
          const c = this.chan(step);
          if (step.get !== undefined) return c.configure(step.get);
          if (step.set === undefined) return c.configureAll();
          const settings: Record<string, string> = {};
          for (let i = 0; i + 1 < step.set.length; i += 2) settings[step.set[i] ?? ''] = step.set[i + 1] ?? '';
          return c.configure(settings);
        });
      case 'fileevent':
        return tclCatch(() => this.chan(step).fileevent(step.event, step.handler === null ? null : this.script(step.handler)));
      case 'puts':
        return tclCatch(() => this.chan(step).puts(step.text, step.nonewline === true ? { nonewline: true } : {}));
      case 'gets':
        return tclCatch(() => (step.var === undefined ? this.chan(step).gets() : this.chan(step).getsVar(step.var)));
      case 'read':
        return tclCatch(() => this.chan(step).read(step.count));
      case 'flush':
      case 'close':
      case 'eof':
      case 'fblocked':
        return tclCatch(() => this.chan(step)[step.op]());
      case 'after':
        return tclCatch(() => this.syncInterp.after(step.ms));
      case 'update':
        return tclCatch(() => this.interp.update());
      case 'set':
        return tclCatch(() => this.interp.traced(`set ${step.var} ${tclQuote(step.value)}`, () => {
          this.interp.set(step.var, step.value);
          return step.value;
        }));
      case 'vwait':
      case 'poll':
        // Validation keeps both at the top level, where `step` runs them.
        throw new DetnetError('ERR_SCENARIO_INVALID', `${step.op} cannot run inside a handler`);
    }
  }

  private created(id: string, chan: Channel): void {
    this.chans.set(id, chan);
    const entry = this.entries[this.entries.length - 1];
    if (entry !== undefined) this.inserts.set(entry, { meta: 'chan', role: id, name: chan.name });
  }

  /** Runs one top-level step; on a driver that cannot block, waiting commands use Promise forms. */
  async step(step: Step): Promise<void> {
    this.beforeStep?.();
    if (step.op === 'poll') return this.poll(step);
    if (step.op === 'vwait') return this.vwait(step.var, step.timeoutMs);
    if (this.blocking) return this.syncStep(step);
    switch (step.op) {
      case 'socket': {
        const options = this.socketOptions(step);
        return tcl(async () => this.created(step.chan, await this.interp.socketAsync(step.host, this.port(step.port), options)));
      }
      case 'fconfigure':
        if (step.set !== undefined) return this.syncStep(step); // generic options: no driver involved
        return tcl(() => (step.get === undefined ? this.chan(step).configureAllAsync() : this.chan(step).configureAsync(step.get)));
      case 'update':
        return tcl(() => this.interp.updateAsync());
      case 'puts':
        return tcl(() => this.chan(step).putsAsync(step.text, step.nonewline === true ? { nonewline: true } : {}));
      case 'gets':
        return tcl(() => (step.var === undefined ? this.chan(step).getsAsync() : this.chan(step).getsVarAsync(step.var)));
      case 'read':
        return tcl(() => this.chan(step).readAsync(step.count));
      case 'flush':
        return tcl(() => this.chan(step).flushAsync());
      case 'close':
        return tcl(() => this.chan(step).closeAsync());
      case 'after':
        return tcl(() => this.interp.afterAsync(step.ms));
      default:
        return this.syncStep(step);
    }
  }

  private async vwait(name: string, timeoutMs: number): Promise<void> {
    const guardAt = this.driver.clock.now() + timeoutMs;
    try {
      if (this.blocking) this.syncInterp.vwait(name, { budgetMs: timeoutMs });
      else await this.interp.vwaitAsync(name, { budgetMs: timeoutMs });
    } catch (err) {
      if (!(err instanceof VwaitBudgetError) && !(err instanceof WouldWaitForeverError)) throw err;
      // Nothing was pending, so the loop gave up early; the Tcl script's guard is a timer of its
      // own and fires at `guardAt`, so time moves there (nothing else can happen meanwhile).
      const clock = this.driver.clock;
      if (err instanceof WouldWaitForeverError && clock instanceof VirtualClock && clock.now() < guardAt) clock.advanceTo(guardAt);
      // The Tcl script's guard timer ends the wait: `vwait` returns "" and a note says so. The
      // interpreter's own line for the failed wait is replaced by that.
      const last = this.entries[this.entries.length - 1];
      if (last !== undefined && last.kind === 'obs' && last['op'] === `vwait ${name}` && 'error' in last) this.excluded.add(last);
      this.interp.trace.record(this.driver.clock.now(), 'obs', { op: `vwait ${name}`, result: '' });
      this.interp.note('vwait-timeout', name);
    }
  }

  /** The latest op line recorded since index `from` (the command just run). */
  private lastOp(from: number): { readonly result?: unknown; readonly error?: unknown } {
    for (let i = this.entries.length - 1; i >= from; i--) {
      const e = this.entries[i];
      if (e !== undefined && e.kind === 'obs' && 'op' in e) return { result: e['result'], error: e['error'] };
    }
    throw new DetnetError('ERR_SCENARIO_RUN', 'a polled command recorded no op line');
  }

  private async poll(step: PollStep): Promise<void> {
    const values: string[] = [];
    await this.window(async () => {
      for (let i = 0; i < step.max; i++) {
        const from = this.entries.length;
        await this.step(step.step);
        const line = this.lastOp(from);
        if (line.error !== undefined) {
          values.push(`error: ${String(line.error)}`);
          break;
        }
        const value = String(line.result);
        values.push(value);
        if ('equals' in step.until ? value === step.until.equals : value !== step.until.differs) break;
        for (const b of step.between ?? []) await this.step(b);
      }
    }, 'ops');
    const value = step.record === 'runs' ? collapseRuns(values) : step.record === 'changes' ? collapseChanges(values) : (values[values.length - 1] ?? '');
    this.interp.note(step.note, value);
  }

  // ---- teardown ----

  /** Closes what is open (untraced in the result) and collects the child listeners' reports. */
  async teardown(): Promise<NoteLine[]> {
    await this.window(async () => {
      for (const name of this.interp.channelNames()) {
        let chan: Channel;
        try {
          chan = this.interp.channel(name);
        } catch {
          continue; // a server: closed below
        }
        try {
          if (this.blocking) chan.close();
          else await chan.closeAsync();
        } catch {
          // as `catch {close $c}` in the Tcl teardown
        }
      }
    }, 'all');
    await this.backend.waitFor(() => this.fixtures.every((f) => f.settled), 2000);
    return this.fixtures.flatMap((f) => f.report());
  }

  /** The kept lines in trace order, with the port declarations first and the listeners' notes last. */
  result(metas: readonly MetaLine[], notes: readonly NoteLine[]): ObservationLine[] {
    return this.timedResult(metas, notes, null).map((l) => l.line);
  }

  /**
   * `result` with the virtual (or real) time of each line: its trace entry's time; `null` for
   * the port declarations, and `notesAt` for the listeners' notes (the end of teardown).
   */
  timedResult(metas: readonly MetaLine[], notes: readonly NoteLine[], notesAt: number | null): { readonly t: number | null; readonly line: ObservationLine }[] {
    const out: { t: number | null; line: ObservationLine }[] = metas.map((line) => ({ t: null, line }));
    for (const e of this.entries) {
      const meta = this.inserts.get(e);
      if (meta !== undefined) out.push({ t: null, line: meta });
      if (e.kind !== 'obs' || this.excluded.has(e)) continue;
      const fields: Record<string, string> = {};
      for (const k of Object.keys(e)) if (k !== 't' && k !== 'kind') fields[k] = String(e[k]);
      out.push({ t: e.t, line: fields as unknown as ObservationLine });
    }
    return [...out, ...notes.map((line) => ({ t: notesAt, line }))];
  }

  /** Releases every channel, server and fixture (untraced). */
  close(): void {
    this.interp.close();
    for (const f of this.fixtures) f.close();
  }
}
