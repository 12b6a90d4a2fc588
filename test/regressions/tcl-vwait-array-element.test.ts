/**
 * Regression (found by the Tcl parity scripts of issue 10): `vwait ::w(1)` — a wait on an
 * array element, which tclsh ends at the element's first write — waited on a scalar literally
 * named "w(1)" that nothing ever writes, so it never ended ("would wait forever" on the sim).
 */
import { describe, expect, it } from 'vitest';
import { runOurs } from '../helpers/tcl.js';

describe('vwait on an array element', () => {
  it('ends when a timer writes that element, as in tclsh', () => {
    expect(runOurs('after 10 {set ::w(1) x}\nvwait ::w(1)\nputs "woke: $::w(1)"')).toEqual(['woke: x']);
  });

  it('also ends for an element named without the leading ::, written from a handler', () => {
    expect(runOurs('set w(a) 0\nafter 5 {incr ::w(a)}\nvwait w(a)\nputs "w(a) = $w(a)"')).toEqual(['w(a) = 1']);
  });
});
