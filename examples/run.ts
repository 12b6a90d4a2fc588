/**
 * `npm run example -- <name>`: runs one example and prints its timeline and outcome.
 * Without a name, lists the examples.
 */
import { pathToFileURL } from 'node:url';

const EXAMPLES: Readonly<Record<string, string>> = {
  'background-connect': 'writable notification + timeout (seed use case 1)',
  'readable-only': 'readable event only, data written before the connect (use case 2)',
  'async-then-blocking': 'async connect, then blocking puts/gets (use case 3)',
  'poll-connecting': 'poll -connecting without an event loop (use case 4)',
  'liveness-check': 'many servers checked at once without an event loop',
  'pending-data': 'data flushed while connecting is sent when the connect completes',
  'bug-13d3af3ad5': 'only the first address is tried (8.6.1 win)',
  'bug-336441ed59': 'a quick connect is lost; vwait waits forever (8.5.15/8.6.1 win)',
  'bug-97069ea11a': 'empty close error after a failed background flush (8.5.15/8.6.1)',
  'bug-581937ab1e': 'readable-only fileevent misses a failed connect (8.5.15/8.6.1 win)',
};

const name = process.argv[2];
if (name === undefined || !(name in EXAMPLES)) {
  if (name !== undefined) console.error(`unknown example "${name}"\n`);
  console.log('usage: npm run example -- <name>\n');
  for (const [n, what] of Object.entries(EXAMPLES)) console.log(`  ${n.padEnd(20)} ${what}`);
  process.exit(name === undefined ? 0 : 2);
}
// Each example prints itself when it is the entry point; make it so.
const file = new URL(`./${name}.js`, import.meta.url);
process.argv[1] = file.pathname;
await import(pathToFileURL(file.pathname).href);
