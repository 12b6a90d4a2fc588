// The connection table is a scanned array for a few ends and an open-addressing hash table
// beyond (written for the kernel's churn: one add and one remove per connection end); checked
// here against a Map as the model, through the switch to hashing, growth, removals that shift
// clusters, old incarnations and crashes, by id and by packet.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { propertyParams } from '../../helpers/property.js';
import { ConnTable, type ConnEnd } from '../../../src/sim/conn-table.js';
import type { Packet } from '../../../src/sim/packet.js';

class End implements ConnEnd {
  constructor(
    readonly conn: number,
    readonly initiator: boolean,
  ) {}
  matches(_p: Packet): boolean {
    return true;
  }
}

// Clears are rare so that tables grow past the scanned array into hashing; ids come from a
// small range so that removals usually hit a present end and clusters form.
const opArb = fc.oneof(
  { weight: 8, arbitrary: fc.record({ op: fc.constant('add' as const), conn: fc.integer({ min: 1, max: 40 }), initiator: fc.boolean() }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('remove' as const), conn: fc.integer({ min: 1, max: 40 }), initiator: fc.boolean(), stale: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('clear' as const) }) },
  // Ids far apart, beyond 2^32, still distinct keys.
  { weight: 1, arbitrary: fc.record({ op: fc.constant('add' as const), conn: fc.constantFrom(2 ** 31, 2 ** 32 + 1, 2 ** 40 + 3), initiator: fc.boolean() }) },
);

test('the connection table answers every lookup as a Map would, through churn and crashes', () => {
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 600, size: 'medium' }), (ops) => {
      const table = new ConnTable<End>();
      const model = new Map<string, End>();
      const key = (conn: number, initiator: boolean): string => `${conn}/${initiator}`;
      for (const o of ops) {
        if (o.op === 'clear') {
          table.clear();
          model.clear();
        } else if (o.op === 'add') {
          if (model.has(key(o.conn, o.initiator))) continue; // ids are unique: never added twice
          const e = new End(o.conn, o.initiator);
          table.add(e);
          model.set(key(o.conn, o.initiator), e);
        } else {
          // A stale end (an old incarnation's socket with the same id) removes nothing.
          const e = o.stale ? new End(o.conn, o.initiator) : model.get(key(o.conn, o.initiator));
          if (e === undefined) continue;
          table.remove(e);
          if (!o.stale) model.delete(key(o.conn, o.initiator));
        }
        expect(table.size).toBe(model.size);
      }
      for (const [k, e] of model) expect(table.get(e.conn, e.initiator), k).toBe(e);
      for (let conn = 1; conn <= 40; conn++) {
        for (const initiator of [true, false]) {
          expect(table.get(conn, initiator)).toBe(model.get(key(conn, initiator)));
          // A packet of that connection from the other end is for this one.
          expect(table.lookup({ conn, fromInitiator: !initiator } as Packet)).toBe(model.get(key(conn, initiator)));
        }
      }
    }),
    propertyParams('conn table matches a Map', 'test/unit/sim/conn-table.test.ts', 200),
  );
});
