/**
 * Validation of scenario data: turns untrusted JSON into a `Scenario` or throws a
 * `DetnetError` (`ERR_SCENARIO_INVALID`) whose message names the scenario and the exact path
 * of the first bad value, e.g. `scenario "refused-poll": client[2].chan: channel c2 is used
 * before a socket step creates it`.
 *
 * Owns: every rule a scenario must satisfy to mean one thing on every backend: field types and
 * unknown fields, channel ids created in order by top-level `socket` steps, port roles that
 * some listener (or `refusedPort`) provides, host names that `hosts` answers, handlers that
 * exist, child-only listener behaviours, strings the Tcl side can carry unchanged.
 *
 * Does not: decide whether a backend can express the scenario (the Tcl renderer rejects
 * faults, for instance) or run anything.
 *
 * About 350 lines: one rule per field of the model, kept in one place so the whole contract of
 * a scenario file can be read top to bottom.
 */
import { DetnetError } from '../errors.js';
import { tryParseAddress } from '../net/address.js';
import { PORT_ROLES, toObservationLine, type ObservationLine } from '../trace/observation.js';
import { showValue } from '../trace/show-value.js';
import { profile as lookupProfile } from '../socket/profiles.js';
import type { HandlerSpec, ListenerSpec, Scenario, Step } from './scenario.js';
import { variableNameProblem } from './variable-name.js';

type Obj = Record<string, unknown>;

class Checker {
  constructor(private readonly scenario: string) {}

  fail(path: string, message: string): never {
    throw new DetnetError('ERR_SCENARIO_INVALID', `scenario ${this.scenario}: ${path}: ${message}`);
  }

  /** An object (not an array) whose own keys are all in `allowed`, when given. */
  obj(v: unknown, path: string, allowed?: readonly string[]): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, `expected an object, got ${show(v)}`);
    if (allowed !== undefined) {
      for (const k of Object.keys(v)) if (!allowed.includes(k)) this.fail(`${path}${fieldPath(k)}`, `unknown field (allowed: ${allowed.join(', ')})`);
    }
    return v as Obj;
  }

  /** An array without holes: a sparse array would pass `forEach` and crash the run later. */
  arr(v: unknown, path: string): readonly unknown[] {
    if (!Array.isArray(v)) this.fail(path, `expected an array, got ${show(v)}`);
    for (let i = 0; i < v.length; i++) if (!Object.hasOwn(v, i)) this.fail(`${path}[${i}]`, 'expected a value, got a hole in a sparse array');
    return v;
  }

  str(v: unknown, path: string): string {
    if (typeof v !== 'string') this.fail(path, `expected a string, got ${show(v)}`);
    return v;
  }

  /** A string the Tcl script and the trace carry unchanged: no placeholder brackets. */
  text(v: unknown, path: string): string {
    const s = this.str(v, path);
    if (/[<>]/.test(s)) this.fail(path, `"<" and ">" are reserved for trace placeholders`);
    if (/[\uD800-\uDFFF]/.test(s)) this.fail(path, 'characters outside the Basic Multilingual Plane are not carried by Tcl 8.6');
    return s;
  }

  /** A scenario variable name (the rule is variable-name.ts's). */
  ident(v: unknown, path: string): string {
    const s = this.str(v, path);
    const problem = variableNameProblem(s);
    if (problem !== null) this.fail(path, `${problem}: got ${show(s)}`);
    return s;
  }

  int(v: unknown, path: string, min: number, max: number): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) this.fail(path, `expected an integer in ${min}..${max}, got ${show(v)}`);
    return v;
  }

  bool(v: unknown, path: string): boolean {
    if (typeof v !== 'boolean') this.fail(path, `expected true or false, got ${show(v)}`);
    return v;
  }

  oneOf<T extends string>(v: unknown, path: string, options: readonly T[]): T {
    if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) this.fail(path, `expected one of ${options.join(', ')}, got ${show(v)}`);
    return v as T;
  }
}

/** `.name` for a plain key, `[":"]` (JSON-quoted, cut) for any other, so a path stays readable. */
function fieldPath(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${showValue(key, 40)}]`;
}

/** A user's value in a message: bounded, and safe for cycles, BigInt, Infinity and deep nesting. */
const show = (v: unknown): string => showValue(v);

/**
 * What a scenario may ask a run to do. A scenario file is shared data: without these bounds a
 * 40 KB file could ask for 25 million `update`s (a poll of 10,000 rounds with 2,500 steps
 * between) and end in a V8 heap abort instead of an error.
 * - `steps`: steps written in the file, everywhere (client, handlers, polling parts);
 * - `between`: steps in one polling loop's `between`;
 * - `runSteps`: steps the client script may run, a polling loop counting `max × (1 + between)`.
 * Handlers are bounded by the events that run them (the notifier stops one that keeps firing
 * without progress), and the trace by its own limit.
 */
export const SCENARIO_LIMITS = Object.freeze({ steps: 1000, between: 64, runSteps: 100_000 });

/**
 * Fields of each op. A Map, not an object literal: op names come from the file, and an object
 * would answer `constructor` or `__proto__` from its prototype.
 */
const STEP_FIELDS: ReadonlyMap<string, readonly string[]> = new Map(Object.entries({
  socket: ['op', 'chan', 'host', 'port', 'async', 'myaddr', 'myport'],
  fconfigure: ['op', 'chan', 'get', 'set'],
  fileevent: ['op', 'chan', 'event', 'handler'],
  puts: ['op', 'chan', 'text', 'nonewline'],
  gets: ['op', 'chan', 'var'],
  read: ['op', 'chan', 'count'],
  flush: ['op', 'chan'],
  close: ['op', 'chan'],
  eof: ['op', 'chan'],
  fblocked: ['op', 'chan'],
  after: ['op', 'ms'],
  update: ['op'],
  vwait: ['op', 'var', 'timeoutMs'],
  set: ['op', 'var', 'value'],
  poll: ['op', 'step', 'until', 'max', 'between', 'record', 'note'],
}));

/** Every field some op takes, each once: what a step may carry before its op is known. */
const ANY_STEP_FIELD: readonly string[] = [...new Set([...STEP_FIELDS.values()].flat())];

/** `o[key]` if `o` has it as its own property (never a prototype's). */
function ownField(o: Obj, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

/** Where a step list sits: the client's top level, a handler, or inside a polling loop. */
type Place = 'client' | 'handler' | 'poll';

interface Context {
  readonly c: Checker;
  readonly ports: ReadonlySet<string>;
  readonly hosts: ReadonlySet<string>;
  readonly handlers: ReadonlySet<string>;
  /** Channels created so far (client: in text order; handlers: all channels of the client). */
  readonly chans: Set<string>;
  /** Steps the client script can run, counted as its steps are checked (`SCENARIO_LIMITS.runSteps`). */
  readonly work: { steps: number };
}

function checkPort(ctx: Context, v: unknown, path: string): void {
  if (typeof v === 'number') {
    ctx.c.int(v, path, 1, 65535);
    return;
  }
  const role = ctx.c.oneOf(v, path, PORT_ROLES);
  if (!ctx.ports.has(role)) {
    ctx.c.fail(path, role === 'rport' ? 'port role rport needs "refusedPort": true' : `no listener provides port role ${role}`);
  }
}

function checkChan(ctx: Context, v: unknown, path: string): void {
  const id = ctx.c.str(v, path);
  if (!/^c[1-9][0-9]*$/.test(id)) ctx.c.fail(path, `expected a channel id c1, c2, …, got ${show(id)}`);
  if (!ctx.chans.has(id)) ctx.c.fail(path, `channel ${id} is used before a socket step creates it`);
}

function checkStep(ctx: Context, v: unknown, path: string, place: Place): void {
  const c: Checker = ctx.c;
  // The op first, so that an unknown field is reported against the fields of that op.
  const op = c.str(ownField(c.obj(v, path), 'op'), `${path}.op`);
  const fields = STEP_FIELDS.get(op);
  if (fields === undefined) c.fail(`${path}.op`, `unknown op ${show(op)} (known: ${[...STEP_FIELDS.keys()].join(', ')})`);
  const s = c.obj(v, path, fields);
  switch (op) {
    case 'socket': {
      if (place !== 'client') c.fail(path, 'socket steps are allowed only at the top level of the client script');
      const id = c.str(s['chan'], `${path}.chan`);
      const expected = `c${ctx.chans.size + 1}`;
      if (id !== expected) c.fail(`${path}.chan`, `channels are created in order: expected ${expected}, got ${show(id)}`);
      const host = c.text(s['host'], `${path}.host`);
      if (tryParseAddress(host) === null && !ctx.hosts.has(host)) c.fail(`${path}.host`, `host ${show(host)} is neither an IP literal nor listed in "hosts"`);
      checkPort(ctx, s['port'], `${path}.port`);
      if (s['async'] !== undefined) c.bool(s['async'], `${path}.async`);
      if (s['myaddr'] !== undefined && tryParseAddress(c.str(s['myaddr'], `${path}.myaddr`)) === null) c.fail(`${path}.myaddr`, 'expected an IP literal');
      if (s['myport'] !== undefined) checkPort(ctx, s['myport'], `${path}.myport`);
      ctx.chans.add(id);
      return;
    }
    case 'fconfigure': {
      checkChan(ctx, s['chan'], `${path}.chan`);
      if (s['get'] !== undefined && s['set'] !== undefined) c.fail(path, 'give either "get" or "set", not both');
      if (s['get'] !== undefined && !/^-[a-z]+$/.test(c.str(s['get'], `${path}.get`))) c.fail(`${path}.get`, 'expected an option such as -error');
      if (s['set'] !== undefined) {
        const words = c.arr(s['set'], `${path}.set`);
        if (words.length === 0 || words.length % 2 !== 0) c.fail(`${path}.set`, 'expected option/value pairs: ["-blocking", "0", …]');
        words.forEach((w, i) => {
          const t = c.text(w, `${path}.set[${i}]`);
          if (i % 2 === 0 && !/^-[a-z]+$/.test(t)) c.fail(`${path}.set[${i}]`, `expected an option name, got ${show(t)}`);
        });
      }
      return;
    }
    case 'fileevent': {
      checkChan(ctx, s['chan'], `${path}.chan`);
      c.oneOf(s['event'], `${path}.event`, ['readable', 'writable'] as const);
      if (s['handler'] !== null) {
        const h = c.str(s['handler'], `${path}.handler`);
        if (!ctx.handlers.has(h)) c.fail(`${path}.handler`, `no handler named ${show(h)} (define it in "handlers", or use null to remove)`);
      }
      return;
    }
    case 'puts':
      checkChan(ctx, s['chan'], `${path}.chan`);
      c.text(s['text'], `${path}.text`);
      if (s['nonewline'] !== undefined) c.bool(s['nonewline'], `${path}.nonewline`);
      return;
    case 'gets':
      checkChan(ctx, s['chan'], `${path}.chan`);
      if (s['var'] !== undefined) c.ident(s['var'], `${path}.var`);
      return;
    case 'read':
      checkChan(ctx, s['chan'], `${path}.chan`);
      if (s['count'] !== undefined) c.int(s['count'], `${path}.count`, 1, 1 << 20);
      return;
    case 'flush':
    case 'close':
    case 'eof':
    case 'fblocked':
      checkChan(ctx, s['chan'], `${path}.chan`);
      return;
    case 'after':
      c.int(s['ms'], `${path}.ms`, 0, 60_000);
      return;
    case 'update':
      return;
    case 'vwait':
      if (place !== 'client') c.fail(path, 'vwait is allowed only at the top level of the client script (no nested event loops)');
      c.ident(s['var'], `${path}.var`);
      c.int(s['timeoutMs'], `${path}.timeoutMs`, 1, 60_000);
      return;
    case 'set':
      c.ident(s['var'], `${path}.var`);
      c.text(s['value'], `${path}.value`);
      return;
    case 'poll': {
      if (place !== 'client') c.fail(path, 'polling loops are allowed only at the top level of the client script (handlers run inside the event loop)');
      const inner = c.obj(s['step'], `${path}.step`, ANY_STEP_FIELD);
      if (typeof inner['op'] === 'string' && ['poll', 'socket', 'vwait'].includes(inner['op'])) c.fail(`${path}.step.op`, `a polling loop repeats one plain command, not ${show(inner['op'])}`);
      checkStep(ctx, inner, `${path}.step`, 'poll');
      const until = c.obj(s['until'], `${path}.until`, ['equals', 'differs']);
      const keys = Object.keys(until);
      if (keys.length !== 1) c.fail(`${path}.until`, 'expected exactly one of "equals" or "differs"');
      c.text(until[keys[0] ?? ''], `${path}.until.${keys[0] ?? ''}`);
      const max = c.int(s['max'], `${path}.max`, 1, 10_000);
      const between = s['between'] === undefined ? [] : c.arr(s['between'], `${path}.between`);
      if (between.length > SCENARIO_LIMITS.between) c.fail(`${path}.between`, `at most ${SCENARIO_LIMITS.between} steps, got ${between.length}`);
      between.forEach((b, i) => checkStep(ctx, b, `${path}.between[${i}]`, 'poll'));
      ctx.work.steps += max * (1 + between.length) - 1;
      c.oneOf(s['record'], `${path}.record`, ['runs', 'changes', 'last'] as const);
      if (c.text(s['note'], `${path}.note`) === '') c.fail(`${path}.note`, 'expected a non-empty note name');
      return;
    }
  }
}

function checkListener(c: Checker, v: unknown, path: string): ListenerSpec {
  const l = c.obj(v, path, ['role', 'on', 'behaviour', 'process', 'acceptDelayMs', 'signal']);
  c.oneOf(l['role'], `${path}.role`, ['port', 'port6'] as const);
  c.oneOf(l['on'], `${path}.on`, ['127.0.0.1', '::1', 'both'] as const);
  const process = c.oneOf(l['process'], `${path}.process`, ['in-process', 'child'] as const);
  const b = c.obj(l['behaviour'], `${path}.behaviour`, ['kind', 'line']);
  const kind = c.oneOf(b['kind'], `${path}.behaviour.kind`, ['reply-close', 'reply-open', 'echo', 'receive', 'close', 'never-accept'] as const);
  if (kind === 'reply-close' || kind === 'reply-open') c.text(b['line'], `${path}.behaviour.line`);
  else if (b['line'] !== undefined) c.fail(`${path}.behaviour.line`, `behaviour ${kind} takes no line`);
  if (process === 'in-process' && (kind === 'echo' || kind === 'receive' || kind === 'never-accept')) {
    c.fail(`${path}.behaviour.kind`, `${kind} needs "process": "child" (an in-process listener acts only while the client services its event loop)`);
  }
  if (l['acceptDelayMs'] !== undefined) {
    if (process !== 'child') c.fail(`${path}.acceptDelayMs`, 'accepting late needs "process": "child"');
    c.int(l['acceptDelayMs'], `${path}.acceptDelayMs`, 0, 60_000);
  }
  if (l['signal'] !== undefined) {
    if (process !== 'in-process') c.fail(`${path}.signal`, 'a signal variable is set in the client interpreter, so only in-process listeners have one');
    c.ident(l['signal'], `${path}.signal`);
  }
  return l as unknown as ListenerSpec;
}

function checkLines(c: Checker, v: unknown, path: string): ObservationLine[] {
  return c.arr(v, path).map((line, i) => {
    const where = `${path}[${i}]`;
    try {
      return toObservationLine(line, where);
    } catch (err) {
      // Only its own typed errors become a path-naming failure; anything else is a bug.
      if (!(err instanceof DetnetError)) throw err;
      return c.fail(where, err.message.startsWith(`${where}: `) ? err.message.slice(where.length + 2) : err.message);
    }
  });
}

/**
 * Validates `value` as a scenario and returns it typed. Throws `DetnetError`
 * `ERR_SCENARIO_INVALID` naming the first bad path.
 */
export function validateScenario(value: unknown): Scenario {
  const name = typeof value === 'object' && value !== null && typeof (value as Obj)['name'] === 'string' ? `"${String((value as Obj)['name'])}"` : '(unnamed)';
  const c = new Checker(name);
  const s = c.obj(value, '$', [
    'name', 'description', 'reference', 'hosts', 'listeners', 'refusedPort', 'faults', 'profile',
    'seed', 'handlers', 'client', 'timeoutMs', 'expect', 'differences',
  ]);
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(c.str(s['name'], 'name'))) c.fail('name', 'expected a kebab-case name');
  c.str(s['description'], 'description');
  if (s['reference'] !== undefined) c.arr(s['reference'], 'reference').forEach((r, i) => c.str(r, `reference[${i}]`));

  const hosts = new Set<string>();
  c.arr(s['hosts'] ?? [], 'hosts').forEach((h, i) => {
    const o = c.obj(h, `hosts[${i}]`, ['name', 'addresses']);
    const hn = c.text(o['name'], `hosts[${i}].name`);
    if (!/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(hn) || tryParseAddress(hn) !== null) c.fail(`hosts[${i}].name`, `expected a host name, got ${show(hn)}`);
    if (hosts.has(hn)) c.fail(`hosts[${i}].name`, `host ${hn} is listed twice`);
    hosts.add(hn);
    const addrs = c.arr(o['addresses'], `hosts[${i}].addresses`);
    if (addrs.length === 0) c.fail(`hosts[${i}].addresses`, 'expected at least one address');
    addrs.forEach((a, j) => {
      if (tryParseAddress(c.str(a, `hosts[${i}].addresses[${j}]`)) === null) c.fail(`hosts[${i}].addresses[${j}]`, `not an IP literal: ${show(a)}`);
    });
  });

  const ports = new Set<string>();
  c.arr(s['listeners'] ?? [], 'listeners').forEach((l, i) => {
    const spec = checkListener(c, l, `listeners[${i}]`);
    if (ports.has(spec.role)) c.fail(`listeners[${i}].role`, `port role ${spec.role} is given twice (use "on": "both" for both families)`);
    ports.add(spec.role);
  });
  if (s['refusedPort'] !== undefined && c.bool(s['refusedPort'], 'refusedPort')) ports.add('rport');

  c.arr(s['faults'] ?? [], 'faults').forEach((f, i) => {
    const o = c.obj(f, `faults[${i}]`, ['atMs', 'untilMs', 'to', 'verdict']);
    const at = c.int(o['atMs'], `faults[${i}].atMs`, 0, 1e9);
    if (o['untilMs'] !== undefined && c.int(o['untilMs'], `faults[${i}].untilMs`, 0, 1e9) <= at) c.fail(`faults[${i}].untilMs`, 'must be after atMs');
    if (o['to'] !== undefined) {
      const to = c.obj(o['to'], `faults[${i}].to`, ['address', 'port']);
      if (to['address'] !== undefined && tryParseAddress(c.str(to['address'], `faults[${i}].to.address`)) === null) c.fail(`faults[${i}].to.address`, 'expected an IP literal');
      if (to['port'] !== undefined) c.oneOf(to['port'], `faults[${i}].to.port`, PORT_ROLES);
    }
    if (typeof o['verdict'] === 'object' && o['verdict'] !== null) c.int(c.obj(o['verdict'], `faults[${i}].verdict`, ['delayMs'])['delayMs'], `faults[${i}].verdict.delayMs`, 0, 1e9);
    else c.oneOf(o['verdict'], `faults[${i}].verdict`, ['refuse', 'drop', 'unreachable', 'reset'] as const);
  });
  if (s['profile'] !== undefined) {
    const wanted = c.str(s['profile'], 'profile');
    try {
      lookupProfile(wanted);
    } catch (err) {
      c.fail('profile', err instanceof Error ? err.message : String(err));
    }
  }
  if (s['seed'] !== undefined) c.int(s['seed'], 'seed', 0, 2 ** 32 - 1);
  if (s['timeoutMs'] !== undefined) c.int(s['timeoutMs'], 'timeoutMs', 100, 120_000);

  const handlerNames = new Set<string>();
  const handlerList = c.arr(s['handlers'] ?? [], 'handlers');
  handlerList.forEach((h, i) => {
    const o = c.obj(h, `handlers[${i}]`, ['name', 'steps']);
    const hn = c.str(o['name'], `handlers[${i}].name`);
    if (!/^[A-Z][A-Za-z0-9_]*$/.test(hn)) c.fail(`handlers[${i}].name`, `expected a capitalised name such as W or OnReadable, got ${show(hn)}`);
    if (handlerNames.has(hn)) c.fail(`handlers[${i}].name`, `handler ${hn} is defined twice`);
    handlerNames.add(hn);
  });

  const ctx: Context = { c, ports, hosts, handlers: handlerNames, chans: new Set(), work: { steps: 0 } };
  const client = c.arr(s['client'], 'client');
  if (client.length === 0) c.fail('client', 'expected at least one step');
  client.forEach((step, i) => {
    checkStep(ctx, step, `client[${i}]`, 'client');
    if (++ctx.work.steps > SCENARIO_LIMITS.runSteps) {
      c.fail(`client[${i}]`, `the client script can run ${ctx.work.steps} steps up to here; at most ${SCENARIO_LIMITS.runSteps} are allowed (lower a polling loop's "max" or "between")`);
    }
  });
  // Handlers run after the script created its channels, so they may use any of them.
  handlerList.forEach((h, i) => {
    c.arr((h as HandlerSpec).steps, `handlers[${i}].steps`).forEach((step, j) => checkStep(ctx, step, `handlers[${i}].steps[${j}]`, 'handler'));
  });
  const written = allSteps(value as Scenario).length;
  if (written > SCENARIO_LIMITS.steps) c.fail('client', `the scenario has ${written} steps; at most ${SCENARIO_LIMITS.steps} are allowed (client, handlers and polling parts together)`);

  if (s['expect'] !== undefined) {
    const e = c.obj(s['expect'], 'expect', ['trace']);
    if (e['trace'] !== undefined) checkLines(c, e['trace'], 'expect.trace');
  }
  const backends = new Set<string>();
  c.arr(s['differences'] ?? [], 'differences').forEach((d, i) => {
    const o = c.obj(d, `differences[${i}]`, ['backend', 'reason', 'trace']);
    const b = c.oneOf(o['backend'], `differences[${i}].backend`, ['sim', 'node', 'tclsh'] as const);
    if (backends.has(b)) c.fail(`differences[${i}].backend`, `backend ${b} is listed twice`);
    backends.add(b);
    if (c.str(o['reason'], `differences[${i}].reason`).trim() === '') c.fail(`differences[${i}].reason`, 'a difference needs its reason');
    if (o['trace'] !== undefined) checkLines(c, o['trace'], `differences[${i}].trace`);
  });
  return value as Scenario;
}

/** Steps of the client script and of every handler, depth first (polls included with their parts). */
export function allSteps(scenario: Scenario): Step[] {
  const out: Step[] = [];
  const walk = (steps: readonly Step[]): void => {
    for (const step of steps) {
      out.push(step);
      if (step.op === 'poll') walk([step.step, ...(step.between ?? [])]);
    }
  };
  walk(scenario.client);
  for (const h of scenario.handlers ?? []) walk(h.steps);
  return out;
}
