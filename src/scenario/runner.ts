/**
 * The scenario runner: executes a scenario's client script on detnet's `Interp` over any
 * `Driver` (the simulated world or real loopback sockets) and returns its §13 observation
 * trace, raw and normalised — the detnet half of the parity suite.
 *
 * Owns: building the scenario's topology through the driver (in-process listeners are
 * `socket -server` in the interpreter, child listeners are `FixtureListener`s), running every
 * step with the interpreter's commands (sync forms on a driver that can block, Promise forms
 * otherwise), handlers as scripts, polling loops and guarded `vwait`s, and a teardown that
 * mirrors the Tcl renderer's. Each step is wrapped as a Tcl script wraps it in `catch`: a
 * `TclError` is an observation (the interpreter has recorded it) and the script goes on; any
 * other error (a would-block-forever, a background error) fails the run.
 *
 * Setup, polling iterations and teardown are traced by the interpreter like everything else;
 * the runner drops those op lines afterwards, exactly the lines the Tcl script never prints.
 *
 * Does not: create worlds or drivers (sim-backend.ts, node-backend.ts) or compare traces.
 *
 * Departs from reality: nothing of its own; see the interpreter and the drivers.
 */
import { DetnetError } from '../errors.js';
import { VwaitBudgetError, WouldWaitForeverError } from '../loop/event-loop.js';
import type { Driver, DriverListener } from '../socket/driver.js';
import { Interp, type Channel, type Script } from '../socket/interp.js';
import { TclError } from '../socket/tcl-error.js';
import { collapseChanges, collapseRuns, normalise, type MetaLine, type NoteLine, type ObservationLine } from '../trace/observation.js';
import type { TraceEntry } from '../trace/trace.js';
import { FixtureListener, listenReady } from './fixture-server.js';
import { opText, tclQuote } from './op-text.js';
import { DEFAULT_SCENARIO_TIMEOUT_MS, type ListenerSpec, type PollStep, type PortRef, type Scenario, type Step } from './scenario.js';
import { validateScenario } from './validate.js';

/** First port probed for `<rport>`: below Linux's ephemeral range (32768–60999). */
export const REFUSED_PORT_BASE = 20_000;

/** What a backend gives the runner. */
export interface ScenarioBackend {
  readonly name: 'sim' | 'node';
  readonly driver: Driver;
  /** Lets the network run until `done()` or `ms` pass (world time on the sim, real time on node). */
  settle(done: () => boolean, ms: number): Promise<boolean>;
  /**
   * Runs before every top-level command: lets what the network has already done become
   * visible (see the module header). The sim runs the world events due now; node yields one
   * turn of Node's event loop so completed loopback I/O reaches the driver.
   */
  beforeCommand(): Promise<void>;
  /** Called once after setup with the ports by role (the sim installs its fault timeline). */
  prepare?(ports: ReadonlyMap<string, number>): void;
  /** Releases everything the backend created. */
  dispose(): Promise<void>;
}

/** One run of a scenario on a detnet backend. */
export interface ScenarioRun {
  readonly backend: 'sim' | 'node';
  /** Every kept line with real names and ports, `meta` declarations included. */
  readonly raw: readonly ObservationLine[];
  /** Normalised, without `meta`: what parity compares. */
  readonly lines: readonly ObservationLine[];
}

/** A driver that remembers the listeners the interpreter creates (Node binds them asynchronously). */
class ListenerCapture implements Driver {
  last: DriverListener | null = null;
  constructor(private readonly inner: Driver) {}
  get kind(): 'sim' | 'node' { return this.inner.kind; }
  get clock(): Driver['clock'] { return this.inner.clock; }
  get canBlock(): boolean { return this.inner.canBlock; }
  resolve(host: string): ReturnType<Driver['resolve']> { return this.inner.resolve(host); }
  resolveAsync(host: string): ReturnType<Driver['resolveAsync']> { return this.inner.resolveAsync(host); }
  resolvePassive(a: string | undefined): ReturnType<Driver['resolvePassive']> { return this.inner.resolvePassive(a); }
  resolvePassiveAsync(a: string | undefined): ReturnType<Driver['resolvePassiveAsync']> { return this.inner.resolvePassiveAsync(a); }
  openAttempt(...args: Parameters<Driver['openAttempt']>): ReturnType<Driver['openAttempt']> { return this.inner.openAttempt(...args); }
  runUntil(done: () => boolean): boolean { return this.inner.runUntil(done); }
  settle(): void { this.inner.settle(); }
  async listenAsync(...args: Parameters<Driver['listenAsync']>): Promise<DriverListener> {
    this.last = await this.inner.listenAsync(...args);
    return this.last;
  }
  listen(...args: Parameters<Driver['listen']>): DriverListener {
    this.last = this.inner.listen(...args);
    return this.last;
  }
}

/** Swallows a `TclError` (the interpreter has traced it), as `catch` does in the Tcl script. */
async function tcl(fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof TclError)) throw err;
  }
}

function tclSync(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof TclError)) throw err;
  }
}

class Run {
  readonly driver: ListenerCapture;
  readonly interp: Interp;
  readonly blocking: boolean;
  readonly ports = new Map<string, number>();
  readonly chans = new Map<string, Channel>();
  readonly fixtures: FixtureListener[] = [];
  /** Trace entries left out of the result; metas inserted before entries. */
  readonly excluded = new Set<TraceEntry>();
  readonly inserts = new Map<TraceEntry, MetaLine>();

  constructor(readonly scenario: Scenario, readonly backend: ScenarioBackend) {
    this.driver = new ListenerCapture(backend.driver);
    this.interp = new Interp(this.driver, scenario.profile === undefined ? {} : { profile: scenario.profile });
    this.blocking = backend.driver.canBlock;
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

  private async inProcess(l: ListenerSpec): Promise<number> {
    let accepted = 0;
    const onAccept = (chan: Channel): void => {
      accepted++;
      const b = l.behaviour;
      if (b.kind === 'reply-close' || b.kind === 'reply-open') tclSync(() => chan.puts(b.line));
      if (b.kind === 'reply-close' || b.kind === 'close') tclSync(() => chan.close());
      if (b.kind === 'reply-open') tclSync(() => chan.flush());
      if (l.signal !== undefined) this.interp.set(l.signal, String(accepted));
    };
    const open = async (address: string, port: number): Promise<number> => {
      const server = this.interp.server(port, onAccept, { myaddr: address });
      const listener = this.driver.last;
      const ready = (listener as { ready?: Promise<void> } | null)?.ready;
      try {
        if (ready !== undefined) await ready;
      } catch (err) {
        server.close();
        throw err;
      }
      return server.port;
    };
    for (let attempt = 0; attempt < 50; attempt++) {
      const port = await open(l.on === '::1' ? '::1' : '127.0.0.1', 0);
      if (l.on !== 'both') return port;
      try {
        return await open('::1', port);
      } catch {
        // That port is taken on ::1; the first server stays (closed at teardown) and we retry.
      }
    }
    throw new DetnetError('ERR_SCENARIO_SETUP', 'no port is free on both loopback addresses');
  }

  /**
   * A port with no listener on either loopback address, probed upwards from
   * `REFUSED_PORT_BASE`, below the ephemeral range: a refused port from that range can be
   * handed to the client's own wildcard bind, and the connect then meets itself (TCP
   * self-connect) instead of being refused. Same rule as the Tcl renderer's.
   */
  private async refusedPort(): Promise<number> {
    for (let port = REFUSED_PORT_BASE; port < REFUSED_PORT_BASE + 200; port++) {
      let l4: DriverListener;
      try {
        l4 = await listenReady(this.driver, { address: '127.0.0.1', port });
      } catch {
        continue;
      }
      try {
        const l6 = await listenReady(this.driver, { address: '::1', port });
        l6.close();
        return port;
      } catch {
        // taken on ::1: try the next one
      } finally {
        l4.close();
      }
    }
    throw new DetnetError('ERR_SCENARIO_SETUP', `no port is free on both loopback addresses in ${REFUSED_PORT_BASE}..${REFUSED_PORT_BASE + 199}`);
  }

  async setup(): Promise<MetaLine[]> {
    await this.window(async () => {
      for (const l of this.scenario.listeners ?? []) {
        if (l.process === 'child') {
          const f = await FixtureListener.start(this.driver, l);
          this.fixtures.push(f);
          this.ports.set(l.role, f.port);
        } else {
          this.ports.set(l.role, await this.inProcess(l));
        }
      }
      if (this.scenario.refusedPort === true) this.ports.set('rport', await this.refusedPort());
    }, 'all');
    this.backend.prepare?.(this.ports);
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

  /** Runs one step that never waits (or, on a driver that can block, any step) synchronously. */
  syncStep(step: Step): void {
    switch (step.op) {
      case 'socket': {
        const options = {
          async: step.async !== false,
          ...(step.myaddr === undefined ? {} : { myaddr: step.myaddr }),
          ...(step.myport === undefined ? {} : { myport: this.port(step.myport) }),
        };
        tclSync(() => this.created(step.chan, this.interp.socket(step.host, this.port(step.port), options)));
        return;
      }
      case 'fconfigure':
        return tclSync(() => {
          const c = this.chan(step);
          if (step.get !== undefined) return c.configure(step.get);
          if (step.set === undefined) return c.configureAll();
          const settings: Record<string, string> = {};
          for (let i = 0; i + 1 < step.set.length; i += 2) settings[step.set[i] ?? ''] = step.set[i + 1] ?? '';
          return c.configure(settings);
        });
      case 'fileevent':
        return tclSync(() => this.chan(step).fileevent(step.event, step.handler === null ? null : this.script(step.handler)));
      case 'puts':
        return tclSync(() => this.chan(step).puts(step.text, step.nonewline === true ? { nonewline: true } : {}));
      case 'gets':
        return tclSync(() => (step.var === undefined ? this.chan(step).gets() : this.chan(step).getsVar()));
      case 'read':
        return tclSync(() => this.chan(step).read(step.count));
      case 'flush':
      case 'close':
      case 'eof':
      case 'fblocked':
        return tclSync(() => this.chan(step)[step.op]());
      case 'after':
        return tclSync(() => this.interp.after(step.ms));
      case 'update':
        return tclSync(() => this.interp.update());
      case 'set':
        return tclSync(() => this.interp.traced(`set ${step.var} ${tclQuote(step.value)}`, () => {
          this.interp.set(step.var, step.value);
          return step.value;
        }));
      case 'vwait':
      case 'poll':
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
    if (step.op === 'poll') return this.poll(step);
    await this.backend.beforeCommand();
    if (step.op === 'vwait') return this.vwait(step.var, step.timeoutMs);
    if (this.blocking) return this.syncStep(step);
    switch (step.op) {
      case 'socket': {
        const options = {
          async: step.async !== false,
          ...(step.myaddr === undefined ? {} : { myaddr: step.myaddr }),
          ...(step.myport === undefined ? {} : { myport: this.port(step.myport) }),
        };
        return tcl(async () => this.created(step.chan, await this.interp.socketAsync(step.host, this.port(step.port), options)));
      }
      case 'fconfigure':
        if (step.get === undefined) return this.syncStep(step);
        return tcl(() => this.chan(step).configureAsync(step.get ?? ''));
      case 'puts':
        return tcl(() => this.chan(step).putsAsync(step.text, step.nonewline === true ? { nonewline: true } : {}));
      case 'gets':
        return tcl(() => (step.var === undefined ? this.chan(step).getsAsync() : this.chan(step).getsVarAsync()));
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
    try {
      if (this.blocking) this.interp.vwait(name, { budgetMs: timeoutMs });
      else await this.interp.vwaitAsync(name, { budgetMs: timeoutMs });
    } catch (err) {
      if (!(err instanceof VwaitBudgetError) && !(err instanceof WouldWaitForeverError)) throw err;
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
    await this.backend.settle(() => this.fixtures.every((f) => f.settled), 2000);
    return this.fixtures.flatMap((f) => f.report());
  }

  result(metas: readonly MetaLine[], notes: readonly NoteLine[]): ObservationLine[] {
    const out: ObservationLine[] = [...metas];
    for (const e of this.entries) {
      const meta = this.inserts.get(e);
      if (meta !== undefined) out.push(meta);
      if (e.kind !== 'obs' || this.excluded.has(e)) continue;
      const fields: Record<string, string> = {};
      for (const k of Object.keys(e)) if (k !== 't' && k !== 'kind') fields[k] = String(e[k]);
      out.push(fields as unknown as ObservationLine);
    }
    return [...out, ...notes];
  }

  close(): void {
    this.interp.close();
    for (const f of this.fixtures) f.close();
  }
}

/**
 * Runs `scenario` on `backend` and returns its observation trace. Throws `ERR_SCENARIO_RUN`
 * (with the trace so far) when a step fails in a way a Tcl script could not catch.
 */
export async function runScenario(input: Scenario, backend: ScenarioBackend): Promise<ScenarioRun> {
  const scenario = validateScenario(input);
  const run = new Run(scenario, backend);
  let metas: MetaLine[] = [];
  const body = async (): Promise<ScenarioRun> => {
    metas = await run.setup();
    for (const step of scenario.client) await run.step(step);
    const notes = await run.teardown();
    const first = run.interp.loop.backgroundErrors[0];
    if (first !== undefined) {
      const message = first.error instanceof Error ? first.error.message : String(first.error);
      throw new DetnetError('ERR_SCENARIO_RUN', `a handler raised a background error: ${first.handler}: ${message}`);
    }
    const raw = run.result(metas, notes);
    return { backend: backend.name, raw, lines: normalise(raw) };
  };
  try {
    // A simulated run is bounded by virtual time and the world's loop limit; a real one by the clock.
    return backend.driver.canBlock ? await body() : await withDeadline(body(), backend, scenario.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS);
  } catch (err) {
    const partial = normalise(run.result(metas, []))
      .map((l) => JSON.stringify(l))
      .join('\n');
    const message = err instanceof Error ? err.message : String(err);
    throw new DetnetError('ERR_SCENARIO_RUN', `scenario "${scenario.name}" failed on ${backend.name}: ${message}\n--- trace so far ---\n${partial}`, { cause: err });
  } finally {
    run.close();
    await backend.dispose();
  }
}

/** `work`, or `ERR_SCENARIO_TIMEOUT` once `ms` of the backend's clock have passed. */
function withDeadline<T>(work: Promise<T>, backend: ScenarioBackend, ms: number): Promise<T> {
  const clock = backend.driver.clock;
  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimer(ms, () => reject(new DetnetError('ERR_SCENARIO_TIMEOUT', `the run passed its time limit of ${ms} ms`)), 'scenario-deadline');
    work.then(
      (value) => {
        clock.clearTimer(timer);
        resolve(value);
      },
      (err: unknown) => {
        clock.clearTimer(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
