/**
 * The variable names a scenario may use (`set`, `gets … var`, `vwait`, a listener's `signal`).
 *
 * Owns: the one rule, and the words that explain a refusal. A name is a plain Tcl identifier —
 * ASCII letters, digits and `_`, not starting with a digit — that does not start with `__`.
 * That rules out everything Tcl would read as more than one simple variable: namespace paths
 * (`a::b`, `::x`), array elements (`a(b)`), and the `__` prefix, reserved for the runner's own
 * names. The Tcl renderer also keeps scenario variables in a namespace of their own, so even a
 * name allowed here never meets the rendered script's state or Tcl's own globals (`env`,
 * `auto_path`, …).
 *
 * Does not: know where in a scenario a name appears (validate.ts adds the path).
 *
 * Departs from reality: Tcl itself accepts almost any string as a variable name.
 */

/** Why `name` is not a variable name a scenario may use, or null when it is one. */
export function variableNameProblem(name: string): string | null {
  if (name.includes('::')) return 'a variable name cannot be a namespace path ("::")';
  if (name.includes('(')) return 'a variable name cannot name an array element ("(")';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return 'a variable name is letters, digits and _ (ASCII), not starting with a digit';
  if (name.startsWith('__')) return 'names starting with "__" are reserved for the runner';
  return null;
}
