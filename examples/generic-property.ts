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
  // Once the walk has ended (a read with -connecting 0 right after it), -error says nothing
  // after a success, and the last attempt's error after a failure: at least once (Tcl reports
  // it once, then ""; a read framed by 1 and 0 may itself have stepped the walk to its end, §3.4,
  // and be the one that reports it).
  const after = o.reads.filter((r) => r.option === '-error' && r.connectingAfter === '0');
  const said = after.map((r) => ('value' in r.answer ? r.answer.value : `error: ${r.answer.error}`)).filter((v) => v !== '');
  if (expected.kind === 'connected' && said.length > 0) fail(`-error said "${said[0]}" after connecting`);
  if (expected.kind === 'failed' && (said.length === 0 || said.some((v) => v !== expected.message))) {
    fail(`-error said ${JSON.stringify(said)} after a failed walk, expected "${expected.message}"`);
  }
  const index = c.topology.candidates.findIndex((x) => x.fate === 'accept' || x.fate === 'slow');
  if (client.write !== 'none' && o.writeErrors.length === 0 && expected.kind === 'connected') {
    const got = o.received[index] ?? null;
    // A socket channel translates output to CR LF by default ({auto crlf}), so the line arrives as "hello\r\n".
    if (got !== `${HELLO}\r\n`) fail(`the server got ${JSON.stringify(got)}, expected "${HELLO}\\r\\n" once`);
  }
}
