/**
 * One generic user-level property of a `socket -async` client, over `detnet/fast-check`'s
 * connect cases (any topology, the seed page's client programs, any schedule): what a Tcl user
 * relies on without knowing Tcl's history.
 *
 *   1. the completion handler fires exactly once (or the program's timeout, instead of it);
 *   2. `-error` is empty iff some candidate accepted: "" while connecting and after a success,
 *      the last attempt's error once the walk has failed;
 *   3. `vwait` never waits forever when a handler or a timeout is installed;
 *   4. data written during the connect arrives once, in order, at the server it connected to.
 *
 * Used by `npm run bench -- explore` (runs to the first counterexample per historical bug,
 * false alarms on the default profile) and by test/property/generic-property.test.ts.
 */
import { HELLO, expectedOutcome, type ConnectCase, type Observations } from '../src/fast-check.js';

/** Checks the four clauses; throws a sentence naming the one that broke. */
export function checkGenericProperty(c: ConnectCase, o: Observations): void {
  if (o.socketError !== null) return; // nothing was started: no handler, no wait, no data
  const { client } = c;
  const expected = expectedOutcome(c.topology);
  const waits = client.writable || client.readable || client.timeoutMs !== null;
  const fail = (why: string): never => {
    throw new Error(why);
  };
  if (waits && o.events.length + (o.timedOut ? 1 : 0) !== 1) fail(`the completion handler fired ${o.events.length} time(s) (timeout: ${o.timedOut})`);
  if (waits && o.vwait === 'forever') fail('vwait would wait forever');
  for (const r of o.reads) {
    if (r.option !== '-error') continue;
    const said = 'value' in r.answer ? r.answer.value : `error: ${r.answer.error}`;
    if (r.connectingAfter === '1' && said !== '') fail(`-error said "${said}" while connecting`);
  }
  // -error reports a failure once (§5), so the first read made after the walk had ended (it read
  // -connecting 0 just before) is the one to check. A read framed by 1 before and 0 after may
  // itself have stepped the walk to its end (§3.4): it was answered while connecting.
  const final = o.reads.find((r) => r.option === '-error' && r.connectingBefore === '0');
  const finalSaid = final === undefined ? null : 'value' in final.answer ? final.answer.value : `error: ${final.answer.error}`;
  if (expected.kind === 'connected' && finalSaid !== '') fail(`-error said "${finalSaid}" after connecting`);
  if (expected.kind === 'failed' && finalSaid !== expected.message) fail(`-error said "${finalSaid}" after a failed walk, expected "${expected.message}"`);
  const index = c.topology.candidates.findIndex((x) => x.fate === 'accept' || x.fate === 'slow');
  if (client.write !== 'none' && o.writeErrors.length === 0 && expected.kind === 'connected') {
    const got = o.received[index] ?? null;
    // A socket channel translates output to CR LF by default ({auto crlf}), so the line arrives as "hello\r\n".
    if (got !== `${HELLO}\r\n`) fail(`the server got ${JSON.stringify(got)}, expected "${HELLO}\\r\\n" once`);
  }
}
