/**
 * How an untrusted value is shown inside an error message: short, bounded, and never throwing.
 *
 * Owns: one function, `showValue`, used wherever a message quotes what a user gave (scenario
 * validation, observation lines, the misuse errors of src/errors.ts). `JSON.stringify` is not
 * fit for that: it throws on cycles and BigInt, recurses once per nesting level (a 20,000-deep
 * array overflows the stack), walks the whole value before anything is cut, and writes Infinity
 * — which is what `JSON.parse` makes of `1e999` — as `null`.
 *
 * Does not: serialise anything for output; traces and reports keep using JSON.
 *
 * Lives at the root beside errors.ts, which every layer imports and which uses it.
 */

/** How deep `showValue` looks into arrays and objects before writing `…`. */
const DEPTH = 2;
/** How many items or fields of one array or object it shows. */
const ITEMS = 4;

/**
 * `value` as a message shows it: strings, finite numbers, booleans and null as JSON; other
 * numbers as `a number out of range (Infinity)`; a BigInt as `a BigInt (1n)`; arrays and
 * objects as `an array […]` / `an object {…}` with a preview at most two levels deep; anything
 * else by its type. The result is cut to about `max` characters.
 */
export function showValue(value: unknown, max = 60): string {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? String(value) : `a number out of range (${String(value)})`;
    case 'bigint':
      return `a BigInt (${cut(value.toString(), max)}n)`;
    case 'object':
      if (value === null) return 'null';
      return `${Array.isArray(value) ? 'an array' : 'an object'} ${cut(preview(value, 0), max)}`;
    case 'string':
      return cut(JSON.stringify(value), max);
    case 'boolean':
      return String(value);
    case 'undefined':
      return 'undefined';
    default:
      return `a ${typeof value}`;
  }
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** JSON-like text of `value`, at most `DEPTH` levels and `ITEMS` entries per level deep. */
function preview(value: unknown, depth: number): string {
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'string') return cut(JSON.stringify(value), 20);
    return typeof value === 'number' || typeof value === 'boolean' || value === null ? String(value) : `<${typeof value}>`;
  }
  const isArray = Array.isArray(value);
  if (depth >= DEPTH) return isArray ? '[…]' : '{…}';
  // Own enumerable keys only: what JSON would carry, never a prototype's.
  const keys = Object.keys(value);
  const parts: string[] = [];
  for (const k of keys.slice(0, ITEMS)) {
    const item = preview((value as Record<string, unknown>)[k], depth + 1);
    parts.push(isArray ? item : `${cut(JSON.stringify(k), 20)}:${item}`);
  }
  if (keys.length > ITEMS) parts.push('…');
  return isArray ? `[${parts.join(',')}]` : `{${parts.join(',')}}`;
}
