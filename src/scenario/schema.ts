/**
 * The one definition of a scenario file's shape, written with TypeBox: the TypeScript types of
 * scenario.ts are `Static` of these schemas, and the JSON Schema shipped in the package
 * (`schema/scenario.schema.json`, written by `scenarioJsonSchema()`) is these same objects, so
 * the types, the editor's completion and the structural check can never disagree.
 *
 * Why TypeBox (`@sinclair/typebox`): a schema built from it *is* a JSON Schema object and its
 * static type at once, with no code generation step and no runtime dependencies; its `Value`
 * module lists every structural error with a JSON pointer, which the validator turns into our
 * paths. valibot and zod need a converter to emit JSON Schema; ajv validates but needs the
 * schema written by hand next to the types.
 *
 * Owns: field names, types, enumerations, numeric ranges and descriptions (shown by editors).
 * Does not: cross-reference checks (a channel created before use, a role some listener
 * provides, a host the world has): those are validate.ts's and world-check.ts's.
 *
 * About 450 lines: the whole file format, read top to bottom in one place.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { ObservationLine } from '../trace/observation.js';

/** Makes every property and array of `T` read-only, deeply (scenario data is never mutated). */
export type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** Longest virtual wait a scenario may name (24 h): see `MAX_WAIT_MS` in scenario.ts. */
const DAY_MS = 24 * 60 * 60 * 1000;
/** Latest virtual time a fault timeline may name (about 11.6 days). */
const TIMELINE_MAX_MS = 1e9;

const lit = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const ms = (description: string, max = TIMELINE_MAX_MS) => Type.Integer({ minimum: 0, maximum: max, description });

const PortRoleSchema = lit(['port', 'port6', 'rport', 'lport'] as const);

/** A port reference: a role (`port`, `port6`, `rport`, `lport`) or a literal number. */
export const PortRefSchema = Type.Union([PortRoleSchema, Type.Integer({ minimum: 1, maximum: 65535 })], {
  description: 'A port: a role ("port", "port6", "rport", "lport") or a number 1..65535',
});

const ChanSchema = Type.TemplateLiteral('c${number}', { description: 'A client channel: c1, c2, … in creation order' });

// ---- the client script ---------------------------------------------------------------------------

const plain = {
  socket: Type.Object(
    {
      op: Type.Literal('socket'),
      chan: ChanSchema,
      host: Type.String({ description: 'An IP literal or a name answered by "hosts" or "dns"' }),
      port: PortRefSchema,
      async: Type.Optional(Type.Boolean({ description: '-async (default true)' })),
      myaddr: Type.Optional(Type.String({ description: '-myaddr: a local IP literal' })),
      myport: Type.Optional(PortRefSchema),
    },
    { additionalProperties: false, description: 'socket ?-async? ?-myaddr a? ?-myport p? host port' },
  ),
  fconfigure: Type.Object(
    {
      op: Type.Literal('fconfigure'),
      chan: ChanSchema,
      get: Type.Optional(Type.String({ description: 'One option to read, e.g. -error' })),
      set: Type.Optional(Type.Array(Type.String(), { description: 'Option/value pairs: ["-blocking", "0"]' })),
    },
    { additionalProperties: false },
  ),
  fileevent: Type.Object(
    {
      op: Type.Literal('fileevent'),
      chan: ChanSchema,
      event: lit(['readable', 'writable'] as const),
      handler: Type.Union([Type.String(), Type.Null()], { description: 'A handler name, or null to remove ({})' }),
    },
    { additionalProperties: false },
  ),
  puts: Type.Object({ op: Type.Literal('puts'), chan: ChanSchema, text: Type.String(), nonewline: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
  gets: Type.Object({ op: Type.Literal('gets'), chan: ChanSchema, var: Type.Optional(Type.String()) }, { additionalProperties: false }),
  read: Type.Object({ op: Type.Literal('read'), chan: ChanSchema, count: Type.Optional(Type.Integer({ minimum: 1, maximum: 1 << 20 })) }, { additionalProperties: false }),
  chanOnly: Type.Object({ op: lit(['flush', 'close', 'eof', 'fblocked'] as const), chan: ChanSchema }, { additionalProperties: false }),
  after: Type.Object({ op: Type.Literal('after'), ms: ms('Sleep without servicing events (ms)', DAY_MS) }, { additionalProperties: false }),
  update: Type.Object({ op: Type.Literal('update') }, { additionalProperties: false }),
  vwait: Type.Object(
    {
      op: Type.Literal('vwait'),
      var: Type.String(),
      timeoutMs: Type.Integer({ minimum: 1, maximum: DAY_MS, description: 'The guard: after this long the wait ends with a vwait-timeout note' }),
    },
    { additionalProperties: false },
  ),
  set: Type.Object({ op: Type.Literal('set'), var: Type.String(), value: Type.String() }, { additionalProperties: false }),
};

/** One command of the client script (a polling loop contains one more). */
export const StepSchema = Type.Recursive(
  (Self) =>
    Type.Union([
      ...Object.values(plain),
      Type.Object(
        {
          op: Type.Literal('poll'),
          step: Self,
          until: Type.Union([Type.Object({ equals: Type.String() }, { additionalProperties: false }), Type.Object({ differs: Type.String() }, { additionalProperties: false })]),
          max: Type.Integer({ minimum: 1, maximum: 10_000 }),
          between: Type.Optional(Type.Array(Self)),
          record: lit(['runs', 'changes', 'last'] as const),
          note: Type.String(),
        },
        { additionalProperties: false, description: 'Repeat one command until its result meets "until"' },
      ),
    ]),
  { $id: 'Step' },
);

/**
 * A client written in Tcl: its source inline, or a `.tcl` file beside the scenario file (read by
 * the loader, src/cli/scenario-files.ts, which puts the text inline). The same text runs on
 * detnet's interpreter and, unchanged, in tclsh.
 */
export const TclClientSchema = Type.Union([
  Type.Object({ tcl: Type.String({ minLength: 1, description: 'The Tcl script, as written' }) }, { additionalProperties: false }),
  Type.Object(
    { file: Type.String({ pattern: '^[A-Za-z0-9_.-]+\\.tcl$', description: 'A .tcl file in the same folder as this scenario file' }) },
    { additionalProperties: false },
  ),
]);

// ---- listeners -----------------------------------------------------------------------------------

/** What a listener does with each connection it accepts. */
export const ListenerBehaviourSchema = Type.Union([
  Type.Object({ kind: Type.Literal('reply-close'), line: Type.String() }, { additionalProperties: false, description: 'Send a line, then close' }),
  Type.Object({ kind: Type.Literal('reply-open'), line: Type.String() }, { additionalProperties: false, description: 'Send a line, keep the connection open' }),
  Type.Object({ kind: Type.Literal('echo') }, { additionalProperties: false, description: 'Echo every line (child only)' }),
  Type.Object({ kind: Type.Literal('receive') }, { additionalProperties: false, description: 'Read lines until EOF, report them (child only)' }),
  Type.Object({ kind: Type.Literal('close') }, { additionalProperties: false, description: 'Close right after accepting' }),
  Type.Object({ kind: Type.Literal('never-accept') }, { additionalProperties: false, description: 'Listen, never accept (child only)' }),
  Type.Object(
    {
      kind: Type.Literal('tcl'),
      accept: Type.String({ minLength: 1, description: 'Tcl body of the accept callback: a proc of {chan addr port}' }),
    },
    { additionalProperties: false, description: 'In-process only, with a Tcl client: the accept callback written in Tcl' },
  ),
]);

/** A listener: in the client's interpreter (`in-process`) or running on its own (`child`). */
export const ListenerSchema = Type.Object(
  {
    role: lit(['port', 'port6'] as const),
    on: Type.String({
      description: '"127.0.0.1", "::1", "both" (one port on both loopback addresses), or any address of a host of "world" (child listeners on other hosts: simulated world only)',
    }),
    behaviour: ListenerBehaviourSchema,
    process: lit(['in-process', 'child'] as const),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'A fixed port (simulated world only; default: a free port)' })),
    acceptDelayMs: Type.Optional(ms('Child only: accept nothing before this long', DAY_MS)),
    signal: Type.Optional(Type.String({ description: 'In-process only: a variable set to the accept count' })),
  },
  { additionalProperties: false },
);

// ---- the world (topology v2) ---------------------------------------------------------------------

/** A one-way latency model, in whole virtual ms. */
export const LatencySchema = Type.Union([
  Type.Object({ kind: Type.Literal('fixed'), ms: ms('Every packet takes this long') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('uniform'), minMs: ms('Shortest delay'), maxMs: ms('Longest delay') }, { additionalProperties: false }),
  Type.Object(
    { kind: Type.Literal('exponential'), meanMs: Type.Number({ exclusiveMinimum: 0, maximum: TIMELINE_MAX_MS }), minMs: Type.Optional(ms('Added to every draw')), maxMs: Type.Optional(ms('Cap')) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('scripted'),
      delaysMs: Type.Array(ms('Delay of one packet'), { minItems: 1, maxItems: 10_000, description: 'Per-packet delays in sending order; the last repeats' }),
    },
    { additionalProperties: false, description: 'Scripted per-packet delays, so a property test can shrink timing' },
  ),
]);

const RouteActionSchema = lit(['reachable', 'host-unreachable', 'network-unreachable'] as const);

/** One simulated machine. */
export const WorldHostSchema = Type.Object(
  {
    name: Type.String({ description: 'The machine\'s name (used by "client", links, faults)' }),
    addresses: Type.Array(Type.String(), { maxItems: 64, description: 'Its own IPv4/IPv6 addresses; the first of each family is its source address' }),
    loopback: Type.Optional(
      Type.Object(
        {
          up: Type.Optional(Type.Boolean({ description: 'The lo interface is up (default true); down: local destinations are network-unreachable' })),
          ipv6: Type.Optional(Type.Boolean({ description: '::1 exists (default true); without it localhost is 127.0.0.1 only' })),
        },
        { additionalProperties: false },
      ),
    ),
    routes: Type.Optional(
      Type.Array(Type.Object({ prefix: Type.String({ description: 'e.g. 10.0.0.0/8, ::/0' }), action: RouteActionSchema }, { additionalProperties: false }), {
        maxItems: 64,
        description: 'Route table (default: a reachable default route per family it has an address of)',
      }),
    ),
  },
  { additionalProperties: false },
);

/** TCP settings of the simulated kernel (Linux defaults when absent). */
export const TcpSchema = Type.Object(
  {
    synRetries: Type.Optional(Type.Integer({ minimum: 0, maximum: 12, description: 'SYN retransmissions before ETIMEDOUT (Linux 6)' })),
    synRtoMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 60_000, description: 'First SYN retransmission timeout, doubling (Linux 1000)' })),
    dataRtoMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 60_000, description: 'First data retransmission timeout (Linux 200)' })),
    backlog: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535, description: 'Listen backlog; the accept queue holds backlog + 1 (Linux 4096)' })),
    hostUnreachableDelayMs: Type.Optional(ms('Delay of EHOSTUNREACH from a host-unreachable route (Linux ~3000)', 60_000)),
  },
  { additionalProperties: false },
);

/** The simulated world: machines, which one runs the client, latency and TCP settings. */
export const WorldSchema = Type.Object(
  {
    hosts: Type.Array(WorldHostSchema, { minItems: 1, maxItems: 64 }),
    client: Type.Optional(Type.String({ description: 'The machine running the client script (default: the first)' })),
    latency: Type.Optional(
      Type.Object(
        {
          default: Type.Optional(LatencySchema),
          loopback: Type.Optional(LatencySchema),
          links: Type.Optional(
            Type.Array(
              Type.Object(
                {
                  from: Type.Optional(Type.String({ description: 'Sending machine (absent: any)' })),
                  to: Type.Optional(Type.String({ description: 'Receiving machine (absent: any)' })),
                  model: LatencySchema,
                },
                { additionalProperties: false },
              ),
              { maxItems: 256 },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    tcp: Type.Optional(TcpSchema),
    tieBreaker: Type.Optional(
      Type.Union([Type.Literal('fifo'), Type.Literal('seeded'), Type.Literal('pct')], {
        description: 'Order of events due at the same instant: fifo (default), or drawn from the seed (seeded, pct) to explore races',
      }),
    ),
  },
  { additionalProperties: false },
);

/** A name the world's DNS answers (on the clock, after `delayMs`), unlike "hosts" (at once). */
export const DnsAnswerSchema = Type.Object(
  {
    name: Type.String(),
    addresses: Type.Array(Type.String(), { maxItems: 64, description: 'Answers in resolver order; empty: "no address associated with hostname"' }),
    delayMs: Type.Optional(ms('Lookup delay', 60_000)),
  },
  { additionalProperties: false },
);

// ---- the fault timeline --------------------------------------------------------------------------

const EndpointSchema = Type.Object(
  {
    address: Type.Optional(Type.String({ description: 'An IP literal' })),
    host: Type.Optional(Type.String({ description: 'A machine of "world"' })),
    port: Type.Optional(PortRefSchema),
  },
  { additionalProperties: false },
);

const when = {
  atMs: ms('Virtual time (ms) the fault starts'),
  untilMs: Type.Optional(ms('Virtual time (ms) it ends (restart, release, heal); absent: never')),
};

/** A verdict on matching packets. */
export const VerdictSchema = Type.Union([
  lit(['refuse', 'drop', 'unreachable', 'reset', 'hold'] as const),
  Type.Object({ delayMs: ms('Extra delay of each matching packet') }, { additionalProperties: false }),
]);

/** One entry of the fault timeline: exactly one of its kinds. */
export const FaultSchema = Type.Union([
  Type.Object(
    { ...when, to: Type.Optional(EndpointSchema), from: Type.Optional(Type.Omit(EndpointSchema, ['port'])), verdict: VerdictSchema },
    { additionalProperties: false, description: 'A verdict on packets matching from/to (hold: kept until untilMs, then released)' },
  ),
  Type.Object(
    {
      ...when,
      partition: Type.Object(
        { a: Type.Array(Type.String(), { minItems: 1, maxItems: 64 }), b: Type.Array(Type.String(), { minItems: 1, maxItems: 64 }), oneWay: Type.Optional(Type.Boolean({ description: 'Only a → b is cut' })) },
        { additionalProperties: false, description: 'Machines or addresses on each side' },
      ),
    },
    { additionalProperties: false },
  ),
  Type.Object({ ...when, crash: Type.String({ description: 'A machine: crashes at atMs, restarts at untilMs' }) }, { additionalProperties: false }),
  Type.Object(
    {
      ...when,
      interfaceDown: Type.Object(
        { host: Type.String(), name: lit(['lo', 'eth0'] as const) },
        { additionalProperties: false, description: 'lo: loopback down; eth0: every non-local destination network-unreachable and its addresses unreachable' },
      ),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { ...when, route: Type.Object({ host: Type.String(), prefix: Type.String(), action: RouteActionSchema }, { additionalProperties: false, description: 'Set during [atMs, untilMs)' }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { ...when, dnsFailure: Type.Object({ name: Type.String({ description: 'A name, or * for every name' }), failure: lit(['notfound', 'nodata', 'timeout', 'servfail'] as const) }, { additionalProperties: false }) },
    { additionalProperties: false },
  ),
]);

// ---- the scenario --------------------------------------------------------------------------------

const ObservationLineSchema = Type.Unsafe<ObservationLine>(Type.Record(Type.String(), Type.String(), { description: 'A §13 observation line' }));

/** A whole scenario file. */
export const ScenarioSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'The JSON Schema of this file, for editors' })),
    name: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', description: 'Kebab-case identifier' }),
    description: Type.String(),
    reference: Type.Optional(Type.Array(Type.String())),
    hosts: Type.Optional(
      Type.Array(Type.Object({ name: Type.String(), addresses: Type.Array(Type.String(), { minItems: 1 }) }, { additionalProperties: false }), {
        description: "The client machine's hosts file: names answered at once, in this order",
      }),
    ),
    world: Type.Optional(WorldSchema),
    dns: Type.Optional(Type.Array(DnsAnswerSchema, { maxItems: 256, description: 'Names the world\'s DNS answers (simulated world only)' })),
    listeners: Type.Optional(Type.Array(ListenerSchema)),
    refusedPort: Type.Optional(Type.Boolean({ description: 'Provide <rport>: a port with no listener' })),
    faults: Type.Optional(Type.Array(FaultSchema, { maxItems: 1000, description: 'The fault timeline (simulated world only)' })),
    profile: Type.Optional(Type.String()),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 32 - 1 })),
    handlers: Type.Optional(Type.Array(Type.Object({ name: Type.String(), steps: Type.Array(StepSchema) }, { additionalProperties: false }))),
    client: Type.Union([Type.Array(StepSchema, { minItems: 1 }), TclClientSchema], {
      description: 'The client script: steps, or Tcl source ({"tcl": "..."} or {"file": "name.tcl"})',
    }),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 120_000, description: 'Hard real-time limit of a real run' })),
    expect: Type.Optional(Type.Object({ trace: Type.Optional(Type.Array(ObservationLineSchema)) }, { additionalProperties: false })),
    differences: Type.Optional(
      Type.Array(
        Type.Object({ backend: lit(['sim', 'node', 'tclsh'] as const), reason: Type.String(), trace: Type.Optional(Type.Array(ObservationLineSchema)) }, { additionalProperties: false }),
      ),
    ),
  },
  { additionalProperties: false, title: 'detnet scenario' },
);

/** The static types, read-only. */
export type ScenarioData = DeepReadonly<Static<typeof ScenarioSchema>>;
export type StepData = DeepReadonly<Static<typeof StepSchema>>;
export type TclClientData = DeepReadonly<Static<typeof TclClientSchema>>;
export type FaultData = DeepReadonly<Static<typeof FaultSchema>>;
export type WorldData = DeepReadonly<Static<typeof WorldSchema>>;
export type LatencyData = DeepReadonly<Static<typeof LatencySchema>>;

/**
 * The JSON Schema of a scenario file as shipped in `schema/scenario.schema.json` (draft-07,
 * which editors support best): these schemas as plain JSON, with the recursive step schema
 * (TypeBox writes it inline with a relative `$id`) moved to `definitions` and referred to by
 * JSON pointer, so any validator or editor resolves it without a base URI.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const plainJson = JSON.parse(JSON.stringify(ScenarioSchema)) as Record<string, unknown>;
  const definitions: Record<string, unknown> = {};
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== 'object' || v === null) return v;
    const o = v as Record<string, unknown>;
    if (o['$ref'] === 'Step') return { $ref: '#/definitions/Step' };
    if (o['$id'] === 'Step') {
      if (definitions['Step'] === undefined) {
        const { $id: _id, ...rest } = o;
        definitions['Step'] = {};
        definitions['Step'] = walk(rest);
      }
      return { $ref: '#/definitions/Step' };
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, walk(x)]));
  };
  const body = walk(plainJson) as Record<string, unknown>;
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...body, definitions };
}
