/**
 * The JSON Schema shipped in the package (schema/scenario.schema.json) is the one the TypeBox
 * definitions generate, and every scenario file the package ships — the default, the parity
 * table, the sandbox's lessons, the examples — is valid against it (and passes strict
 * validation), as an editor would check it: with ajv, an
 * independent validator reading only the JSON file. Each example names the schema in `$schema`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { schemaText } from '../../../src/cli/schema-command.js';
import { checkScenario } from '../../../src/scenario/validate.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SHIPPED = join(ROOT, 'schema', 'scenario.schema.json');

function jsonFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(dir, f));
}

const FILES = ['scenarios/default.json', ...jsonFiles('scenarios/parity'), ...jsonFiles('scenarios/lessons'), ...jsonFiles('examples/scenarios')];
const EXAMPLES = jsonFiles('examples/scenarios');

let compiled: ValidateFunction | undefined;
/** The shipped schema compiled once (ajv compiles to code; a compile per file would dominate). */
function validator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(SHIPPED, 'utf8')) as object);
  return compiled;
}

describe('the shipped JSON Schema', () => {
  it('is exactly what the TypeBox definitions generate (regenerate with: detnet schema > schema/scenario.schema.json)', () => {
    expect(readFileSync(SHIPPED, 'utf8')).toBe(schemaText());
  });

  it.each(FILES)('accepts the shipped scenario %s, and so does strict validation', (file) => {
    const validate = validator();
    const data: unknown = JSON.parse(readFileSync(join(ROOT, file), 'utf8'));
    const ok = validate(data);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(checkScenario(data)).toMatchObject({ errors: [], warnings: [] });
  });

  it('rejects a step with a misspelt field and a fault with two kinds, naming where', () => {
    // Guards against a schema so loose that every file passes.
    const validate = validator();
    const bad = {
      name: 'bad',
      description: 'x',
      client: [{ op: 'socket', chan: 'c1', host: 'h', prot: 80 }],
      faults: [{ atMs: 0, crash: 'a', partition: { a: ['a'], b: ['b'] } }],
    };
    expect(validate(bad)).toBe(false);
    const paths = (validate.errors ?? []).map((e) => e.instancePath);
    expect(paths).toContain('/client/0');
    expect(paths).toContain('/faults/0');
  });

  it.each(EXAMPLES)('%s names the shipped schema in $schema, relative to itself', (file) => {
    const data = JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as { $schema?: string };
    expect(data.$schema).toBe('../../schema/scenario.schema.json');
    expect(join(ROOT, file, '..', data.$schema ?? '')).toBe(SHIPPED);
  });
});
