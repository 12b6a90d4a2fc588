/**
 * Random event-loop programs for the loop property suites, one interpreter that runs a program
 * against any `LoopApi`, and `TclModel`: a direct, clock-free transcription of Tcl 8.6's
 * Tcl_DoOneEvent / TimerHandlerEventProc / TclServiceIdle / vwait (tclNotify.c, tclTimer.c,
 * tclEvent.c) to check `EventLoop` against.
 *
 * A program is a list of top-level actions; handlers are a fixed table whose bodies are action
 * lists too. Handler h may only schedule handlers with a higher index, so every program ends.
 * `sleep` stands for a blocking operation: time passes and nothing is serviced.
 */
import fc from 'fast-check';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { EventLoop, VwaitBudgetError, WouldWaitForeverError } from '../../src/loop/event-loop.js';
import type { Trace } from '../../src/trace/trace.js';
import type { NotifierOptions } from '../../src/loop/notifier.js';
import type { Rng } from '../../src/random/rng.js';

export const HANDLERS = 5;
export const VARS = 3;

export type Action =
  | { readonly op: 'after'; readonly ms: number; readonly h: number }
  | { readonly op: 'idle'; readonly h: number }
  | { readonly op: 'cancel'; readonly ref: number }
  | { readonly op: 'set'; readonly v: number }
  | { readonly op: 'update' }
  | { readonly op: 'sleep'; readonly ms: number }
  | { readonly op: 'vwait'; readonly v: number; readonly budget: number | null };

export interface Handler {
  readonly actions: readonly Action[];
  readonly throws: boolean;
}

export interface Program {
  readonly handlers: readonly Handler[];
  readonly main: readonly Action[];
}

/** Readable form of an action, so a shrunk counterexample reads like a Tcl script. */
export function show(a: Action): string {
  switch (a.op) {
    case 'after':
      return `after ${a.ms} h${a.h}`;
    case 'idle':
      return `after idle h${a.h}`;
    case 'cancel':
      return `after cancel #${a.ref}`;
    case 'set':
      return `set v${a.v}`;
    case 'update':
      return 'update';
    case 'sleep':
      return `after ${a.ms} (sleep)`;
    case 'vwait':
      return a.budget === null ? `vwait v${a.v}` : `vwait v${a.v} budget ${a.budget}`;
  }
}

function actionArb(firstSchedulable: number): fc.Arbitrary<Action> {
  const common: fc.Arbitrary<Action>[] = [
    fc.record({ op: fc.constant('cancel' as const), ref: fc.nat(20) }),
    fc.record({ op: fc.constant('set' as const), v: fc.nat(VARS - 1) }),
    fc.constant({ op: 'update' as const }),
    fc.record({ op: fc.constant('sleep' as const), ms: fc.nat(15) }),
    fc.record({ op: fc.constant('vwait' as const), v: fc.nat(VARS - 1), budget: fc.option(fc.nat(30), { nil: null }) }),
  ];
  if (firstSchedulable >= HANDLERS) return fc.oneof(...common);
  const h = fc.integer({ min: firstSchedulable, max: HANDLERS - 1 });
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ op: fc.constant('after' as const), ms: fc.nat(20), h }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('idle' as const), h }) },
    ...common.map((arbitrary) => ({ weight: 1, arbitrary })),
  );
}

/** Programs: a handler table (bodies of up to 3 actions) and up to 12 top-level actions. */
export const programArb: fc.Arbitrary<Program> = fc
  .record({
    handlers: fc.tuple(
      ...Array.from({ length: HANDLERS }, (_, h) =>
        fc.record({ actions: fc.array(actionArb(h + 1), { maxLength: 3 }), throws: fc.boolean() }),
      ),
    ),
    main: fc.array(actionArb(0), { minLength: 1, maxLength: 12 }),
  })
  .map((p) => {
    const program: Program = { handlers: p.handlers, main: p.main };
    return Object.assign(program, {
      toString: () =>
        `main: ${p.main.map(show).join('; ')} | ` +
        p.handlers.map((h, i) => `h${i}: {${h.actions.map(show).join('; ')}}${h.throws ? ' throws' : ''}`).join(' '),
    });
  });

/** What the interpreter needs from an event loop. */
export interface LoopApi {
  now(): number;
  after(ms: number, fn: () => void, label: string): string;
  idle(fn: () => void, label: string): string;
  cancel(id: string): boolean;
  set(name: string): void;
  update(): void;
  sleep(ms: number): void;
  /** `catch {vwait …}`: the outcome instead of an exception. */
  vwait(name: string, budget: number | null): 'ok' | 'forever' | 'budget';
  /** Called when a top-level vwait would wait forever (for extra checks). */
  onForever?(): void;
}

/** Runs `program` on `api`; returns the log (handler runs, cancels, vwait outcomes). */
export function interpret(api: LoopApi, program: Program, log: string[]): void {
  const ids: string[] = [];
  const body = (h: number, kind: string) => () => {
    log.push(`${kind} h${h}@${api.now()}`);
    for (const a of (program.handlers[h] as Handler).actions) exec(a, false);
    if ((program.handlers[h] as Handler).throws) throw new Error(`h${h} failed`);
  };
  const exec = (a: Action, top: boolean): void => {
    switch (a.op) {
      case 'after':
        ids.push(api.after(a.ms, body(a.h, 'timer'), `h${a.h}`));
        return;
      case 'idle':
        ids.push(api.idle(body(a.h, 'idle'), `h${a.h}`));
        return;
      case 'cancel': {
        const id = ids[a.ref % Math.max(1, ids.length)];
        if (id !== undefined) log.push(`cancel ${id} ${api.cancel(id)}@${api.now()}`);
        return;
      }
      case 'set':
        api.set(`v${a.v}`);
        return;
      case 'update':
        api.update();
        return;
      case 'sleep':
        api.sleep(a.ms);
        return;
      case 'vwait': {
        const outcome = api.vwait(`v${a.v}`, a.budget);
        log.push(`vwait v${a.v} ${outcome}@${api.now()}`);
        if (outcome === 'forever' && top) api.onForever?.();
        return;
      }
    }
  };
  for (const a of program.main) exec(a, true);
}

/**
 * A program drawn from `rng` instead of fast-check (same shape as `programArb`), for suites
 * whose point is "the same seed gives the same run".
 */
export function programFromSeed(rng: Rng): Program {
  const action = (firstSchedulable: number): Action => {
    const canSchedule = firstSchedulable < HANDLERS;
    const h = () => rng.int(firstSchedulable, HANDLERS - 1);
    switch (rng.index(canSchedule ? 9 : 5)) {
      case 0:
        return { op: 'cancel', ref: rng.int(0, 20) };
      case 1:
        return { op: 'set', v: rng.index(VARS) };
      case 2:
        return { op: 'update' };
      case 3:
        return { op: 'sleep', ms: rng.int(0, 15) };
      case 4:
        return { op: 'vwait', v: rng.index(VARS), budget: rng.index(3) === 0 ? null : rng.int(0, 30) };
      case 5:
        return { op: 'idle', h: h() };
      default:
        return { op: 'after', ms: rng.int(0, 20), h: h() };
    }
  };
  const handlers: Handler[] = [];
  for (let i = 0; i < HANDLERS; i++) {
    const actions: Action[] = [];
    for (let n = rng.int(0, 3); n > 0; n--) actions.push(action(i + 1));
    handlers.push({ actions, throws: rng.index(4) === 0 });
  }
  const main: Action[] = [];
  for (let n = rng.int(1, 12); n > 0; n--) main.push(action(0));
  return { handlers, main };
}

export interface LoopApiOptions {
  readonly trace?: Trace;
  readonly clock?: VirtualClock;
  readonly notifier?: NotifierOptions;
}

/** The implementation under test behind the interpreter's API. */
export function loopApi(log: string[], options: LoopApiOptions = {}): { api: LoopApi; loop: EventLoop; clock: VirtualClock } {
  const clock = options.clock ?? new VirtualClock();
  const loop = new EventLoop(clock, {
    ...(options.trace === undefined ? {} : { trace: options.trace }),
    ...(options.notifier === undefined ? {} : { notifier: options.notifier }),
    onBackgroundError: (e) => log.push(`bgerror ${e.handler}@${e.at}`),
  });
  const api: LoopApi = {
    now: () => clock.now(),
    after: (ms, fn, label) => loop.after(ms, fn, label),
    idle: (fn, label) => loop.afterIdle(fn, label),
    cancel: (id) => loop.cancel(id),
    set: (name) => loop.set(name),
    update: () => void loop.update(),
    sleep: (ms) => clock.advance(ms),
    vwait: (name, budget) => {
      try {
        loop.vwait(name, budget === null ? {} : { budgetMs: budget });
        return 'ok';
      } catch (err) {
        if (err instanceof WouldWaitForeverError) return 'forever';
        if (err instanceof VwaitBudgetError) return 'budget';
        throw err;
      }
    },
  };
  return { api, loop, clock };
}

interface ModelTimer {
  readonly id: string;
  readonly n: number;
  readonly due: number;
  readonly fn: () => void;
  readonly label: string;
}
interface ModelIdle {
  readonly id: string;
  readonly generation: number;
  readonly fn: () => void;
  readonly label: string;
}

/** Tcl 8.6's event loop, literally: one sorted timer list, one idle list, one event queue. */
export class TclModel implements LoopApi {
  private time = 0;
  private afterId = 0;
  private timers: ModelTimer[] = [];
  private idles: ModelIdle[] = [];
  private idleGeneration = 0;
  private timerPending = false;
  private queue: 'timer'[] = [];
  private writes = new Map<string, number>();
  onForever?: () => void;
  constructor(private readonly log: string[]) {}

  /** Nothing could ever wake a vwait (the model's own "would wait forever" condition). */
  get dry(): boolean {
    return this.timers.length === 0 && this.idles.length === 0 && this.queue.length === 0;
  }
  now(): number {
    return this.time;
  }
  after(ms: number, fn: () => void, label: string): string {
    const n = this.afterId++;
    const t: ModelTimer = { id: `after#${n}`, n, due: this.time + ms, fn, label };
    // Tcl inserts before the first timer that is strictly later.
    const i = this.timers.findIndex((x) => x.due > t.due);
    this.timers.splice(i < 0 ? this.timers.length : i, 0, t);
    return t.id;
  }
  idle(fn: () => void, label: string): string {
    const id = `after#${this.afterId++}`;
    this.idles.push({ id, generation: this.idleGeneration, fn, label });
    return id;
  }
  cancel(id: string): boolean {
    const before = this.timers.length + this.idles.length;
    this.timers = this.timers.filter((t) => t.id !== id);
    this.idles = this.idles.filter((t) => t.id !== id);
    return this.timers.length + this.idles.length !== before;
  }
  set(name: string): void {
    this.writes.set(name, (this.writes.get(name) ?? 0) + 1);
  }
  sleep(ms: number): void {
    this.time += ms;
  }
  update(): void {
    while (this.doOneEvent()) {
      /* Tcl: while (Tcl_DoOneEvent(TCL_ALL_EVENTS | TCL_DONT_WAIT)) */
    }
  }
  vwait(name: string, budget: number | null): 'ok' | 'forever' | 'budget' {
    const start = this.writes.get(name) ?? 0;
    const deadline = budget === null ? Infinity : this.time + budget;
    while ((this.writes.get(name) ?? 0) === start) {
      if (this.time > deadline) return 'budget';
      if (this.doOneEvent()) continue;
      const next = this.timers[0];
      if (next === undefined) return 'forever';
      if (next.due > deadline) {
        this.time = deadline;
        return 'budget';
      }
      this.time = Math.max(this.time, next.due);
    }
    return 'ok';
  }

  /** Tcl_DoOneEvent(TCL_ALL_EVENTS | TCL_DONT_WAIT). */
  private doOneEvent(): boolean {
    if (this.serviceEvent()) return true;
    // TimerCheckProc: queue one timer event if the first timer has expired.
    const first = this.timers[0];
    if (first !== undefined && first.due <= this.time && !this.timerPending) {
      this.timerPending = true;
      this.queue.push('timer');
    }
    if (this.serviceEvent()) return true;
    return this.serviceIdle();
  }
  private serviceEvent(): boolean {
    if (this.queue.shift() === undefined) return false;
    // TimerHandlerEventProc
    this.timerPending = false;
    const currentTimerId = this.afterId;
    const time = this.time;
    for (;;) {
      const t = this.timers[0];
      if (t === undefined || t.due > time || t.n >= currentTimerId) break;
      this.timers.shift();
      this.call(t.fn, t.label);
    }
    return true;
  }
  private serviceIdle(): boolean {
    if (this.idles.length === 0) return false;
    const oldGeneration = this.idleGeneration++;
    for (let e = this.idles[0]; e !== undefined && e.generation <= oldGeneration; e = this.idles[0]) {
      this.idles.shift();
      this.call(e.fn, e.label);
    }
    return true;
  }
  private call(fn: () => void, label: string): void {
    try {
      fn();
    } catch {
      this.log.push(`bgerror ${label}@${this.time}`);
    }
  }
}
