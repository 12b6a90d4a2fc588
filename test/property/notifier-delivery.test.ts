import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { propertyParams } from '../helpers/property.js';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { EventLoop } from '../../src/loop/event-loop.js';
import { ManualSource } from '../../src/loop/manual-source.js';
import type { Watch } from '../../src/loop/notifier.js';

const FILE = 'test/property/notifier-delivery.test.ts';
const SOURCES = 3;

type Op =
  | { readonly op: 'watch'; readonly s: number; readonly mask: number }
  | { readonly op: 'remove'; readonly ref: number }
  | { readonly op: 'setMask'; readonly ref: number; readonly mask: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('watch' as const), s: fc.nat(SOURCES - 1), mask: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('remove' as const), ref: fc.nat(30) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('setMask' as const), ref: fc.nat(30), mask: fc.integer({ min: 0, max: 7 }) }) },
);

/**
 * Tcl's lists, modelled directly: file handlers newest first (Tcl_CreateFileHandler
 * prepends; deleting the last channel handler deletes the file handler), channel handlers
 * newest first within each. One pass delivers, per source in that order, to each handler
 * whose mask meets the source's readiness.
 */
function modelPass(ops: readonly Op[], readiness: readonly number[]): string[] {
  const files: { s: number; handlers: { id: number; mask: number }[] }[] = [];
  const all: { id: number; s: number; mask: number; removed: boolean }[] = [];
  for (const op of ops) {
    if (op.op === 'watch') {
      let file = files.find((f) => f.s === op.s);
      if (file === undefined) {
        file = { s: op.s, handlers: [] };
        files.unshift(file);
      }
      const w = { id: all.length, s: op.s, mask: op.mask, removed: false };
      all.push(w);
      file.handlers.unshift(w);
      continue;
    }
    const w = all[op.ref % Math.max(1, all.length)];
    if (w === undefined || w.removed) continue;
    const file = files.find((f) => f.s === w.s);
    if (file === undefined) continue;
    if (op.op === 'setMask') {
      w.mask = op.mask;
      (file.handlers.find((h) => h.id === w.id) as { mask: number }).mask = op.mask;
    } else {
      w.removed = true;
      file.handlers = file.handlers.filter((h) => h.id !== w.id);
      if (file.handlers.length === 0) files.splice(files.indexOf(file), 1);
    }
  }
  const out: string[] = [];
  for (const file of files) {
    const ready = readiness[file.s] as number;
    const interest = file.handlers.reduce((m, h) => m | h.mask, 0);
    if ((ready & interest) === 0) continue;
    for (const h of file.handlers) if ((h.mask & ready) !== 0) out.push(`w${h.id}:s${file.s}:${h.mask & ready}`);
  }
  return out;
}

describe('notifier delivery order', () => {
  it('one pass delivers newest source first, newest watch first, each with its own ready bits, as Tcl', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 1, maxLength: 15 }),
        fc.array(fc.integer({ min: 0, max: 7 }), { minLength: SOURCES, maxLength: SOURCES }),
        (ops, readiness) => {
          const loop = new EventLoop(new VirtualClock());
          const sources = readiness.map((r, i) => new ManualSource(`s${i}`, r));
          const watches: Watch[] = [];
          const got: string[] = [];
          for (const op of ops) {
            if (op.op === 'watch') {
              const id = watches.length;
              watches.push(
                loop.notifier.watch(sources[op.s] as ManualSource, op.mask, (bits) => got.push(`w${id}:s${op.s}:${bits}`)),
              );
              continue;
            }
            const w = watches[op.ref % Math.max(1, watches.length)];
            if (w === undefined || w.removed) continue;
            if (op.op === 'remove') w.remove();
            else w.setMask(op.mask);
          }
          // Service exactly the file events of one pass: their number is the number of
          // deliverable sources, which the model's output tells us.
          const expected = modelPass(ops, readiness);
          const deliverable = new Set(expected.map((e) => e.split(':')[1])).size;
          for (let i = 0; i < deliverable; i++) expect(loop.doOneEvent()).toBe(true);
          expect(got).toEqual(expected);
        },
      ),
      propertyParams('notifier pass order', FILE),
    );
  });
});
