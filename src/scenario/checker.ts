/**
 * The collecting checker behind scenario validation (validate.ts, world-check.ts): small typed
 * checks of untrusted JSON values that record an error with its path and abandon only the item
 * at hand, so one pass reports every error of a file, plus warnings that `--strict` turns into
 * errors.
 *
 * Owns: the error and warning lists, the value checks (object with allowed fields, array
 * without holes, string, Tcl-safe text, variable name, integer range, boolean, enumeration),
 * and how a path and a user's value are shown. Does not: know any scenario field.
 */
import { showValue } from '../show-value.js';
import { variableNameProblem } from './variable-name.js';

export type Obj = Record<string, unknown>;

/** One problem found in a scenario: where, and what. */
export interface ScenarioIssue {
  /** JSON path inside the scenario (`client[2].chan`, `$.clinet` for an unknown top-level field). */
  readonly path: string;
  readonly message: string;
}

/** Thrown by `fail` to abandon the item being checked; `attempt` catches it and goes on. */
class Abort {
  readonly abort = true;
}

export class Checker {
  readonly errors: ScenarioIssue[] = [];
  readonly warnings: ScenarioIssue[] = [];

  constructor(readonly scenario: string) {}

  /** Records an error at `path` and abandons the item being checked (see `attempt`). */
  fail(path: string, message: string): never {
    this.errors.push({ path, message });
    throw new Abort();
  }

  /** Records a warning: the file means something, but likely not what its author meant. */
  warn(path: string, message: string): void {
    this.warnings.push({ path, message });
  }

  /**
   * Runs one item's checks; an error abandons that item only, so every item of a file is
   * checked and every error reported at once. Returns `fn`'s result, or undefined if it failed.
   */
  attempt<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      if (err instanceof Abort) return undefined;
      throw err;
    }
  }

  /** An object (not an array) whose own keys are all in `allowed`, when given. */
  obj(v: unknown, path: string, allowed?: readonly string[]): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, `expected an object, got ${show(v)}`);
    if (allowed !== undefined) {
      // Every unknown field is reported; the known ones are still checked.
      for (const k of Object.keys(v)) if (!allowed.includes(k)) this.attempt(() => this.fail(`${path}${fieldPath(k)}`, `unknown field (allowed: ${allowed.join(', ')})`));
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
export function fieldPath(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${showValue(key, 40)}]`;
}

/** A user's value in a message: bounded, and safe for cycles, BigInt, Infinity and deep nesting. */
export const show = (v: unknown): string => showValue(v);

