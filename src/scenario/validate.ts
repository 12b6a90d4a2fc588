/**
 * Validation of scenario data: turns untrusted JSON into a `Scenario` or throws a
 * `ScenarioInvalidError` (`ERR_SCENARIO_INVALID`) listing every error, one line each naming the
 * scenario and the exact path of the bad value, e.g. `scenario "refused-poll": client[2].chan:
 * channel c2 is used before a socket step creates it`. Warnings (world-check.ts) are errors
 * only when validating strictly.
 *
 * Why hand-written and not a schema validator: the TypeBox schema (schema.ts) defines the
 * shapes and the types, and a test holds every shipped file to its JSON Schema; the checks
 * here add what a schema cannot say (cross references, Tcl-safe text, work bounds) and the
 * messages users act on ("channel c2 is used before a socket step creates it" rather than
 * "must match one of the union's schemas"). `checkScenario` then confirms with TypeBox that
 * what passed also matches the schema, so the two can never drift apart silently.
 *
 * Owns: every rule a scenario must satisfy to mean one thing on every backend: field types and
 * unknown fields, channel ids created in order by top-level `socket` steps, port roles that
 * some listener (or `refusedPort`) provides, host names that `hosts` answers, handlers that
 * exist, child-only listener behaviours, strings the Tcl side can carry unchanged.
 *
 * Does not: decide whether a backend can express the scenario (the Tcl renderer rejects
 * faults, for instance) or run anything.
 *
 * About 450 lines: one rule per field of the model, kept in one place so the whole contract of
 * a scenario file can be read top to bottom.
 */
import { Value } from '@sinclair/typebox/value';
import { DetnetError } from '../errors.js';
import { ScenarioSchema } from './schema.js';
import { tryParseAddress } from '../net/address.js';
import { PORT_ROLES, toObservationLine, type ObservationLine } from '../trace/observation.js';
import { profile as lookupProfile } from '../socket/profiles.js';
import { MAX_WAIT_MS, type ListenerSpec, type Scenario, type Step } from './scenario.js';
import { Checker, fieldPath, show, type ScenarioIssue } from './checker.js';
import { checkWorld } from './world-check.js';
import { checkTclClient, stepsWithPaths } from './client-kind.js';
type Obj = Record<string, unknown>;

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
      // Created even if a later field is wrong, so later steps are not blamed for it.
      ctx.chans.add(id);
      c.attempt(() => {
        const host = c.text(s['host'], `${path}.host`);
        if (tryParseAddress(host) === null && !ctx.hosts.has(host)) c.fail(`${path}.host`, `host ${show(host)} is neither an IP literal nor listed in "hosts" or "dns"`);
      });
      c.attempt(() => checkPort(ctx, s['port'], `${path}.port`));
      if (s['async'] !== undefined) c.attempt(() => c.bool(s['async'], `${path}.async`));
      if (s['myaddr'] !== undefined) c.attempt(() => tryParseAddress(c.str(s['myaddr'], `${path}.myaddr`)) === null && c.fail(`${path}.myaddr`, 'expected an IP literal'));
      if (s['myport'] !== undefined) c.attempt(() => checkPort(ctx, s['myport'], `${path}.myport`));
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
      c.int(s['ms'], `${path}.ms`, 0, MAX_WAIT_MS);
      return;
    case 'update':
      return;
    case 'vwait':
      if (place !== 'client') c.fail(path, 'vwait is allowed only at the top level of the client script (no nested event loops)');
      c.ident(s['var'], `${path}.var`);
      c.int(s['timeoutMs'], `${path}.timeoutMs`, 1, MAX_WAIT_MS);
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
  const l = c.obj(v, path, ['role', 'on', 'behaviour', 'process', 'port', 'acceptDelayMs', 'signal']);
  c.oneOf(l['role'], `${path}.role`, ['port', 'port6'] as const);
  // Loopback (or both) everywhere; any other address must belong to a machine of "world" (world-check.ts).
  const on = c.str(l['on'], `${path}.on`);
  if (on !== 'both' && tryParseAddress(on) === null) c.fail(`${path}.on`, `expected 127.0.0.1, ::1, both or an IP address of a machine of "world", got ${show(on)}`);
  if (l['port'] !== undefined) c.int(l['port'], `${path}.port`, 1, 65535);
  const process = c.oneOf(l['process'], `${path}.process`, ['in-process', 'child'] as const);
  const b = c.obj(l['behaviour'], `${path}.behaviour`, ['kind', 'line', 'accept']);
  const kind = c.oneOf(b['kind'], `${path}.behaviour.kind`, ['reply-close', 'reply-open', 'echo', 'receive', 'close', 'never-accept', 'tcl'] as const);
  if (kind === 'tcl') {
    if (c.str(b['accept'], `${path}.behaviour.accept`) === '') c.fail(`${path}.behaviour.accept`, 'expected the Tcl body of the accept callback');
    if (process !== 'in-process') c.fail(`${path}.behaviour.kind`, 'tcl needs "process": "in-process" (it runs in the client\'s interpreter)');
  } else if (b['accept'] !== undefined) c.fail(`${path}.behaviour.accept`, `behaviour ${kind} takes no accept script`);
  if (kind === 'reply-close' || kind === 'reply-open') c.text(b['line'], `${path}.behaviour.line`);
  else if (b['line'] !== undefined) c.fail(`${path}.behaviour.line`, `behaviour ${kind} takes no line`);
  if (process === 'in-process' && (kind === 'echo' || kind === 'receive' || kind === 'never-accept')) {
    c.fail(`${path}.behaviour.kind`, `${kind} needs "process": "child" (an in-process listener acts only while the client services its event loop)`);
  }
  if (l['acceptDelayMs'] !== undefined) {
    if (process !== 'child') c.fail(`${path}.acceptDelayMs`, 'accepting late needs "process": "child"');
    c.int(l['acceptDelayMs'], `${path}.acceptDelayMs`, 0, MAX_WAIT_MS);
  }
  if (l['signal'] !== undefined) {
    if (process !== 'in-process') c.fail(`${path}.signal`, 'a signal variable is set in the client interpreter, so only in-process listeners have one');
    c.ident(l['signal'], `${path}.signal`);
  }
  return l as unknown as ListenerSpec;
}

function checkLines(c: Checker, v: unknown, path: string): ObservationLine[] {
  return c.arr(v, path).flatMap((line, i) => {
    const where = `${path}[${i}]`;
    const checked = c.attempt(() => {
      try {
        return toObservationLine(line, where);
      } catch (err) {
        // Only its own typed errors become a path-naming failure; anything else is a bug.
        if (!(err instanceof DetnetError)) throw err;
        return c.fail(where, err.message.startsWith(`${where}: `) ? err.message.slice(where.length + 2) : err.message);
      }
    });
    return checked === undefined ? [] : [checked];
  });
}

/** What checking a scenario found: every error and every warning, each with its path. */
export interface ScenarioCheck {
  /** `"name"` in quotes, or `(unnamed)`: how messages name the scenario. */
  readonly label: string;
  readonly errors: readonly ScenarioIssue[];
  readonly warnings: readonly ScenarioIssue[];
}

/**
 * `ERR_SCENARIO_INVALID`: a scenario file with errors (or, when checked strictly, warnings).
 * The message has one line per problem, `scenario "<name>": <path>: <problem>`; `issues` has
 * them as data, errors first.
 */
export class ScenarioInvalidError extends DetnetError {
  constructor(
    readonly label: string,
    readonly issues: readonly ScenarioIssue[],
  ) {
    super('ERR_SCENARIO_INVALID', issues.map((i) => `scenario ${label}: ${i.path}: ${i.message}`).join('\n'));
    this.name = 'ScenarioInvalidError';
  }
}

/** How strictly `validateScenario` judges. */
export interface ValidateOptions {
  /** Warnings count as errors (`detnet run --strict`; the test suite runs its scenarios so). */
  readonly strict?: boolean;
}

/**
 * Validates `value` as a scenario and returns it typed. Throws `ScenarioInvalidError`
 * (`ERR_SCENARIO_INVALID`) listing every error (and with `strict`, every warning) with its path.
 */
export function validateScenario(value: unknown, options: ValidateOptions = {}): Scenario {
  const check = checkScenario(value);
  const issues = options.strict === true ? [...check.errors, ...check.warnings.map((w) => ({ path: w.path, message: `${w.message} (warning, an error with --strict)` }))] : check.errors;
  if (issues.length > 0) throw new ScenarioInvalidError(check.label, issues);
  return value as Scenario;
}

/** Checks `value` as a scenario without throwing: every error and warning it has. */
export function checkScenario(value: unknown): ScenarioCheck {
  const name = typeof value === 'object' && value !== null && typeof (value as Obj)['name'] === 'string' ? `"${String((value as Obj)['name'])}"` : '(unnamed)';
  const c = new Checker(name);
  c.attempt(() => body(c, value));
  if (c.errors.length === 0 && !Value.Check(ScenarioSchema, value)) {
    // A rule of the schema that the checks above do not have: a bug here, reported as data.
    for (const e of Value.Errors(ScenarioSchema, value)) c.errors.push({ path: pointerPath(e.path), message: `${e.message} (schema)` });
  }
  return { label: name, errors: c.errors, warnings: c.warnings };
}

function body(c: Checker, value: unknown): void {
  const s = c.obj(value, '$');
  for (const k of Object.keys(s)) {
    if (!TOP_FIELDS.includes(k)) c.attempt(() => c.fail(`$${fieldPath(k)}`, `unknown field (allowed: ${TOP_FIELDS.join(', ')})`));
  }
  c.attempt(() => {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(c.str(s['name'], 'name'))) c.fail('name', 'expected a kebab-case name');
  });
  c.attempt(() => c.str(s['description'], 'description'));
  if (s['$schema'] !== undefined) c.attempt(() => c.str(s['$schema'], '$.$schema'));
  if (s['reference'] !== undefined) c.attempt(() => c.arr(s['reference'], 'reference').forEach((r, i) => c.attempt(() => c.str(r, `reference[${i}]`))));

  const hosts = new Set<string>();
  const hostList = c.attempt(() => c.arr(s['hosts'] ?? [], 'hosts')) ?? [];
  hostList.forEach((h, i) =>
    c.attempt(() => {
      const o = c.obj(h, `hosts[${i}]`, ['name', 'addresses']);
      const hn = c.text(o['name'], `hosts[${i}].name`);
      if (!/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(hn) || tryParseAddress(hn) !== null) c.fail(`hosts[${i}].name`, `expected a host name, got ${show(hn)}`);
      if (hosts.has(hn)) c.fail(`hosts[${i}].name`, `host ${hn} is listed twice`);
      hosts.add(hn);
      const addrs = c.arr(o['addresses'], `hosts[${i}].addresses`);
      if (addrs.length === 0) c.fail(`hosts[${i}].addresses`, 'expected at least one address');
      addrs.forEach((a, j) =>
        c.attempt(() => {
          if (tryParseAddress(c.str(a, `hosts[${i}].addresses[${j}]`)) === null) c.fail(`hosts[${i}].addresses[${j}]`, `not an IP literal: ${show(a)}`);
        }),
      );
    }),
  );

  const ports = new Set<string>();
  const listeners: ListenerSpec[] = [];
  const listenerList = c.attempt(() => c.arr(s['listeners'] ?? [], 'listeners')) ?? [];
  listenerList.forEach((l, i) =>
    c.attempt(() => {
      const spec = checkListener(c, l, `listeners[${i}]`);
      if (ports.has(spec.role)) c.fail(`listeners[${i}].role`, `port role ${spec.role} is given twice (use "on": "both" for both families)`);
      ports.add(spec.role);
      listeners.push(spec);
    }),
  );
  if (s['refusedPort'] !== undefined) c.attempt(() => c.bool(s['refusedPort'], 'refusedPort') && ports.add('rport'));

  // The world, DNS answers, listeners' addresses and the fault timeline: world-check.ts.
  const names = checkWorld(c, s, { listeners, listenerList, ports, hosts });
  c.attempt(() => {
    if (s['profile'] === undefined) return;
    const wanted = c.str(s['profile'], 'profile');
    try {
      lookupProfile(wanted);
    } catch (err) {
      c.fail('profile', err instanceof Error ? err.message : String(err));
    }
  });
  if (s['seed'] !== undefined) c.attempt(() => c.int(s['seed'], 'seed', 0, 2 ** 32 - 1));
  if (s['timeoutMs'] !== undefined) c.attempt(() => c.int(s['timeoutMs'], 'timeoutMs', 100, 120_000));

  const handlerNames = new Set<string>();
  const handlerList = c.attempt(() => c.arr(s['handlers'] ?? [], 'handlers')) ?? [];
  const handlerSteps: { readonly i: number; readonly steps: unknown }[] = [];
  handlerList.forEach((h, i) =>
    c.attempt(() => {
      const o = c.obj(h, `handlers[${i}]`, ['name', 'steps']);
      const hn = c.str(o['name'], `handlers[${i}].name`);
      if (!/^[A-Z][A-Za-z0-9_]*$/.test(hn)) c.fail(`handlers[${i}].name`, `expected a capitalised name such as W or OnReadable, got ${show(hn)}`);
      if (handlerNames.has(hn)) c.fail(`handlers[${i}].name`, `handler ${hn} is defined twice`);
      handlerNames.add(hn);
      handlerSteps.push({ i, steps: o['steps'] });
    }),
  );

  const ctx: Context = { c, ports, hosts: names, handlers: handlerNames, chans: new Set(), work: { steps: 0 } };
  const tclClient = typeof s['client'] === 'object' && s['client'] !== null && !Array.isArray(s['client']);
  if (tclClient) c.attempt(() => checkTclClient(c, s));
  else c.attempt(() => {
    if (listeners.some((l) => l.behaviour.kind === 'tcl')) c.fail('listeners', 'a listener with a Tcl accept callback needs a Tcl client (its procs run in the client\'s interpreter)');
    const client = c.arr(s['client'], 'client');
    if (client.length === 0) c.fail('client', 'expected at least one step');
    let over = false;
    client.forEach((step, i) => {
      c.attempt(() => checkStep(ctx, step, `client[${i}]`, 'client'));
      if (++ctx.work.steps > SCENARIO_LIMITS.runSteps && !over) {
        over = true;
        c.attempt(() => c.fail(`client[${i}]`, `the client script can run ${ctx.work.steps} steps up to here; at most ${SCENARIO_LIMITS.runSteps} are allowed (lower a polling loop's "max" or "between")`));
      }
    });
  });
  // Handlers run after the script created its channels, so they may use any of them.
  for (const { i, steps } of handlerSteps) {
    c.attempt(() => c.arr(steps, `handlers[${i}].steps`).forEach((step, j) => c.attempt(() => checkStep(ctx, step, `handlers[${i}].steps[${j}]`, 'handler'))));
  }
  if (c.errors.length === 0) {
    const written = allSteps(value as Scenario).length;
    if (written > SCENARIO_LIMITS.steps) c.attempt(() => c.fail('client', `the scenario has ${written} steps; at most ${SCENARIO_LIMITS.steps} are allowed (client, handlers and polling parts together)`));
  }

  if (s['expect'] !== undefined) {
    c.attempt(() => {
      const e = c.obj(s['expect'], 'expect', ['trace']);
      if (e['trace'] !== undefined) checkLines(c, e['trace'], 'expect.trace');
    });
  }
  const backends = new Set<string>();
  const differences = c.attempt(() => c.arr(s['differences'] ?? [], 'differences')) ?? [];
  differences.forEach((d, i) =>
    c.attempt(() => {
      const o = c.obj(d, `differences[${i}]`, ['backend', 'reason', 'trace']);
      const b = c.oneOf(o['backend'], `differences[${i}].backend`, ['sim', 'node', 'tclsh'] as const);
      if (backends.has(b)) c.fail(`differences[${i}].backend`, `backend ${b} is listed twice`);
      backends.add(b);
      if (c.str(o['reason'], `differences[${i}].reason`).trim() === '') c.fail(`differences[${i}].reason`, 'a difference needs its reason');
      if (o['trace'] !== undefined) checkLines(c, o['trace'], `differences[${i}].trace`);
    }),
  );
}

/** `/client/2/chan` → `client[2].chan`. */
function pointerPath(pointer: string): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return parts.map((p, i) => (/^[0-9]+$/.test(p) ? `[${p}]` : i === 0 ? p : fieldPath(p))).join('') || '$';
}

/** Top-level fields of a scenario file (v1 and v2). */
const TOP_FIELDS: readonly string[] = [
  '$schema', 'name', 'description', 'reference', 'hosts', 'world', 'dns', 'listeners', 'refusedPort', 'faults', 'profile',
  'seed', 'handlers', 'client', 'timeoutMs', 'expect', 'differences',
];

/** Steps of the client script and of every handler, depth first (polls included with their parts). */
export function allSteps(scenario: Scenario): Step[] {
  return stepsWithPaths(scenario).map(([step]) => step);
}
