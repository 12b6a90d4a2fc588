/**
 * Fuzz inputs for scenario files and the scenario API, and the one judge of what detnet did with
 * each (issue 9, "Keep it so"). Shared by the bounded CI suite
 * (test/property/scenario-fuzz.test.ts) and the long run of `npm run bench -- fuzz`.
 *
 * Inputs, all from fast-check arbitraries so a seed replays them:
 * - mutated files: a built-in scenario with a few structural mutations (a field deleted, a value
 *   replaced by an awkward one, a step copied in from another file, a key Object.prototype has,
 *   a deep nesting, 1e999 …), as JSON.parse would hand them over;
 * - random JSON: any JSON value, and objects with scenario-like keys and random values;
 * - API values: what a caller of `validateScenario` could pass that no JSON file can hold —
 *   BigInt, sparse arrays, cycles, undefined, functions, symbols.
 *
 * The judge (`judge`) validates an input and, if it is valid, runs it on the simulated backend.
 * Acceptable outcomes: `invalid` (ERR_SCENARIO_INVALID whose message has a path), `ran`, or
 * `failed` (a ScenarioRunError, by its cause's code). Anything else — a raw exception, an
 * invalid message without a path, a trace past its bound — is a `defect`.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { builtinScenarios, exampleScenarios } from '../../src/cli/scenario-files.js';
import { runScenario, ScenarioRunError } from '../../src/scenario/runner.js';
import { simBackend } from '../../src/scenario/sim-backend.js';
import { validateScenario } from '../../src/scenario/validate.js';
import { TRACE_LIMIT } from '../../src/trace/trace.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The corpus mutated files start from: every built-in and example scenario, as parsed JSON. */
export function corpus(): readonly Json[] {
  return [...builtinScenarios(), ...exampleScenarios()].map((b) => JSON.parse(readFileSync(b.file, 'utf8')) as Json);
}

/** Every step object in the corpus (client, handlers, polling parts): material for cross-over. */
function corpusSteps(files: readonly Json[]): Json[] {
  const steps: Json[] = [];
  const walk = (v: Json): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      if (typeof v['op'] === 'string') steps.push(v);
      Object.values(v).forEach(walk);
    }
  };
  files.forEach(walk);
  return steps;
}

/** Values that sit on the edges of what the validator checks. */
const AWKWARD: readonly Json[] = [
  0, -1, 1, 2, 65535, 65536, 60_000, 60_001, 2 ** 32, -0, 0.5, 1e21, Infinity as unknown as Json, -Infinity as unknown as Json,
  '', ' ', 'c1', 'c2', 'c0', '<c1>', 'update', 'poll', 'socket', 'vwait', 'port', 'port6', 'rport', '::1', '127.0.0.1', 'localhost',
  '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'W', 'R', 'x'.repeat(5000), '\u{1F600}', 'a\nb', '{', '$x', '[exit]',
  null, true, false, [], {}, [null], { op: 'update' }, { op: 'poll' },
];

/** A deeply nested array, as `[[[…]]]` parses. */
function deep(depth: number): Json {
  let v: Json = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** One structural change; `at` picks a node, the rest says what to do there. */
interface Mutation {
  readonly at: number;
  readonly kind: 'delete' | 'awkward' | 'step' | 'proto-key' | 'deep' | 'wrap' | 'duplicate';
  readonly pick: number;
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  // Weighted towards changes that leave a file runnable more often than not.
  kind: fc.constantFrom('step', 'step', 'step', 'step', 'awkward', 'awkward', 'awkward', 'delete', 'delete', 'duplicate', 'duplicate', 'proto-key', 'deep', 'wrap'),
  pick: fc.nat(),
});

/** How deep `slots` looks: a `deep` mutation nests far below anything worth mutating. */
const SLOT_DEPTH = 16;

/**
 * Places in `root` (a container and a key; arrays by index), root excluded, down to
 * `SLOT_DEPTH`. Iterative and depth-limited: the inputs include 20,000-deep nestings.
 */
function slots(root: Json): { parent: Json[] | Record<string, Json>; key: string | number }[] {
  const out: { parent: Json[] | Record<string, Json>; key: string | number }[] = [];
  const stack: { v: Json; depth: number }[] = [{ v: root, depth: 0 }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { v, depth } = top;
    if (v === null || typeof v !== 'object' || depth >= SLOT_DEPTH) continue;
    const entries: [string | number, Json][] = Array.isArray(v) ? v.map((item, i) => [i, item]) : Object.entries(v);
    for (const [key, item] of entries) {
      out.push({ parent: v, key });
      stack.push({ v: item, depth: depth + 1 });
    }
  }
  return out;
}

/** Whether `v` looks like a step: an object with a string `op`. */
function isStep(v: Json | undefined): boolean {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) && typeof v['op'] === 'string';
}

function mutate(root: Json, m: Mutation, steps: readonly Json[]): Json {
  // A step is swapped for a step: cross-over keeps more mutants runnable.
  const all = m.kind === 'step' ? slots(root).filter(({ parent, key }) => isStep((parent as Record<string | number, Json>)[key])) : slots(root);
  const slot = all[m.at % Math.max(1, all.length)];
  if (slot === undefined) return AWKWARD[m.pick % AWKWARD.length] ?? null;
  const { parent, key } = slot;
  const set = (v: Json): void => {
    // Defined as an own data property even for "__proto__", as JSON.parse does.
    Object.defineProperty(parent, key, { value: v, enumerable: true, writable: true, configurable: true });
  };
  const current = (parent as Record<string | number, Json>)[key] ?? null;
  switch (m.kind) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      break;
    case 'awkward':
      set(AWKWARD[m.pick % AWKWARD.length] ?? null);
      break;
    case 'step':
      set(structuredClone(steps[m.pick % Math.max(1, steps.length)] ?? null));
      break;
    case 'proto-key':
      if (!Array.isArray(parent)) {
        const k = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'][m.pick % 5] as string;
        Object.defineProperty(parent, k, { value: AWKWARD[m.pick % AWKWARD.length] ?? null, enumerable: true, writable: true, configurable: true });
      } else set(['__proto__', 'constructor', 'toString'][m.pick % 3] as string);
      break;
    case 'deep':
      set(deep(100 + (m.pick % 20_000)));
      break;
    case 'wrap':
      set([current]);
      break;
    case 'duplicate':
      // Shared, not cloned: the value may be a 20,000-deep nesting (a DAG, never a cycle).
      if (Array.isArray(parent)) parent.splice(Number(key), 0, current);
      else set([current, current]);
      break;
  }
  return root;
}

/** Mutated built-in scenario files: one to four mutations of one corpus file. */
export function mutatedFileArb(files: readonly Json[] = corpus()): fc.Arbitrary<unknown> {
  const steps = corpusSteps(files);
  return fc
    .record({ base: fc.nat({ max: files.length - 1 }), bare: fc.boolean(), mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }) })
    .map(({ base, bare, mutations }) => {
      const file = structuredClone(files[base] ?? null);
      // Without its expectations half the time, so that mutations land in the script, not in
      // expected trace lines, and more mutants still run.
      if (bare && file !== null && typeof file === 'object' && !Array.isArray(file)) {
        delete file['expect'];
        delete file['differences'];
      }
      return mutations.reduce((v, m) => mutate(v, m, steps), file);
    });
}

const SCENARIO_KEYS = ['name', 'description', 'client', 'handlers', 'listeners', 'hosts', 'faults', 'refusedPort', 'seed', 'profile', 'expect', 'op', 'chan'];

/** Random JSON: any JSON value, or an object with scenario-like keys. */
export const randomJsonArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(fc.constantFrom(...SCENARIO_KEYS), fc.jsonValue(), { maxKeys: 8 }),
  fc.record({ name: fc.constant('fuzz'), description: fc.string(), client: fc.array(fc.dictionary(fc.constantFrom('op', 'chan', 'var', 'ms', 'text'), fc.jsonValue())) }),
);

/** Values only the API can pass: BigInt, holes, cycles, undefined, functions, symbols. */
export function apiValueArb(files: readonly Json[] = corpus()): fc.Arbitrary<unknown> {
  const odd = fc.oneof(fc.bigInt(), fc.constant(undefined), fc.constant(() => 1), fc.constant(Symbol('s')), fc.constant(Number.NaN));
  return fc.oneof(
    fc.anything({ withBigInt: true, withSparseArray: true, withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true }),
    fc.record({ base: fc.nat({ max: files.length - 1 }), at: fc.nat(), odd, how: fc.constantFrom('value', 'cycle', 'hole') }).map(({ base, at, odd: value, how }) => {
      const root = structuredClone(files[base] ?? null) as unknown;
      const all = slots(root as Json);
      const slot = all[at % Math.max(1, all.length)];
      if (slot === undefined) return value;
      const { parent, key } = slot;
      if (how === 'cycle') (parent as Record<string | number, unknown>)[key] = parent;
      else if (how === 'hole' && Array.isArray(parent)) delete parent[Number(key)];
      else (parent as Record<string | number, unknown>)[key] = value;
      return root;
    }),
  );
}

/** What detnet did with one input. */
export type Outcome =
  | { readonly kind: 'invalid' }
  | { readonly kind: 'ran'; readonly entries: number }
  | { readonly kind: 'failed'; readonly code: string; readonly entries: number }
  | { readonly kind: 'defect'; readonly detail: string };

/** The most entries one run may record: the interpreter's and the world's traces, each capped. */
export const ENTRY_BOUND = 2 * (TRACE_LIMIT + 1);

/** `scenario "name": path: problem`, the path made of `.key`, `[3]` and `["odd key"]` parts. */
const PATH_MESSAGE = /^scenario (".*"|\(unnamed\)): (\$|[A-Za-z_]\w*)(\.[A-Za-z_$][\w$]*|\[\d+\]|\["(?:[^"\\]|\\.)*("|…)\])*: \S/s;

/** Limits a fuzzer may lower so that runaways stop sooner (RunScenarioOptions). */
export interface JudgeLimits {
  readonly runawayLimit?: number;
  readonly loopLimit?: number;
}

/** Validates `input` and, if valid, runs it on the simulated backend; classifies the outcome. */
export async function judge(input: unknown, limits: JudgeLimits = {}): Promise<Outcome> {
  let scenario;
  try {
    scenario = validateScenario(input);
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    const message = err instanceof Error ? err.message : String(err);
    if (code !== 'ERR_SCENARIO_INVALID') return { kind: 'defect', detail: `validate threw ${String(code ?? (err as Error).name)}: ${message.slice(0, 200)}` };
    // `scenario "name": path: problem` — the path must be there.
    if (!PATH_MESSAGE.test(message)) return { kind: 'defect', detail: `invalid without a path: ${message.slice(0, 200)}` };
    return { kind: 'invalid' };
  }
  const backend = simBackend(scenario);
  try {
    const run = await runScenario(scenario, backend, { ...limits, traces: [backend.world.trace] });
    if (run.entries.length > ENTRY_BOUND) return { kind: 'defect', detail: `${run.entries.length} entries` };
    return { kind: 'ran', entries: run.entries.length };
  } catch (err) {
    if (!(err instanceof ScenarioRunError)) return { kind: 'defect', detail: `run threw ${err instanceof Error ? `${err.name}: ${err.message.slice(0, 200)}` : String(err)}` };
    const cause = err.cause as { code?: unknown; name?: unknown } | null;
    const code = typeof cause?.code === 'string' ? cause.code : `untyped ${String(cause?.name ?? cause)}`;
    // A run that stops must stop with a typed error, never a raw TypeError or RangeError.
    if (!code.startsWith('ERR_') && !/^E[A-Z]+$/.test(code)) return { kind: 'defect', detail: `run stopped with ${code}: ${err.reason.slice(0, 200)}` };
    if (err.partial.entries.length > ENTRY_BOUND) return { kind: 'defect', detail: `${err.partial.entries.length} entries` };
    return { kind: 'failed', code, entries: err.partial.entries.length };
  }
}
