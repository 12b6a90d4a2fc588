/**
 * `detnet demo`: a small Tcl event-loop program run on a `VirtualClock`, printed as a
 * timeline with the virtual time of every line — the event loop alone, before any network.
 *
 * Owns: the demo program, its script header, and its own timeline phrasing of `loop.*` and
 * `clock.*` entries (`formatTimelineEntry`), which reads closer to the loop's vocabulary than
 * src/trace/timeline.ts does.
 *
 * Does not: touch the network: the demo's socket is a `ManualSource` whose readiness a
 * scripted "network" timer sets.
 *
 * Departs from reality: the demo stands in for `socket -async`; no real time passes.
 */
import { VirtualClock } from '../clock/virtual-clock.js';
import { EventLoop } from '../loop/event-loop.js';
import { ManualSource } from '../loop/manual-source.js';
import { READABLE, WRITABLE, EXCEPTION } from '../loop/notifier.js';
import { Trace, type TraceEntry } from '../trace/trace.js';
import { EXIT, type Command, type Streams } from './command.js';

function maskName(mask: number): string {
  const names: string[] = [];
  if (mask & READABLE) names.push('readable');
  if (mask & WRITABLE) names.push('writable');
  if (mask & EXCEPTION) names.push('exception');
  return names.join('+') || 'none';
}

/**
 * One timeline line for a trace entry (`   250 ms  text`), or undefined for kinds the
 * timeline leaves out. Kinds without a phrasing of their own print as `kind {json}`.
 */
export function formatTimelineEntry(e: TraceEntry): string | undefined {
  const f = e as Record<string, unknown>;
  const s = (k: string) => String(f[k]);
  let text: string;
  switch (e.kind) {
    case 'clock.advance':
      text = `· clock moves ${s('from')} → ${s('to')} ms (nothing was ready; vwait waits)`;
      break;
    case 'loop.after':
      text = `after ${s('ms')} → ${s('id')} "${s('label')}" due at ${s('due')} ms`;
      break;
    case 'loop.after-idle':
      text = `after idle → ${s('id')} "${s('label')}"`;
      break;
    case 'loop.cancel':
      text = `after cancel ${s('id')} (was ${s('was')})`;
      break;
    case 'loop.timer':
      text = `▶ timer ${s('id')} "${s('label')}"`;
      break;
    case 'loop.idle':
      text = `▶ idle ${s('id')} "${s('label')}"`;
      break;
    case 'loop.file':
      text = `▶ file event ${s('source')} ${maskName(Number(f['mask']))}`;
      break;
    case 'loop.bgerror':
      text = `✗ background error in "${s('handler')}": ${s('message')}`;
      break;
    case 'loop.vwait':
      text = `vwait ${s('what')}`;
      break;
    case 'loop.vwait.end':
      text = `vwait ${s('what')} → ${s('outcome')}`;
      break;
    case 'loop.set':
      text = `set ${s('name')} ${s('value')}`;
      break;
    case 'loop.watch':
      text = `fileevent ${s('source')} ${maskName(Number(f['mask']))} is in effect`;
      break;
    case 'loop.ready':
      text = `notifier sees ${s('source')} ${maskName(Number(f['mask']))}`;
      break;
    case 'loop.lost':
      text = `! readiness of ${s('source')} lost (${maskName(Number(f['mask']))})`;
      break;
    case 'demo.puts':
      text = `  puts: ${s('text')}`;
      break;
    case 'demo.net':
      text = `~ network: ${s('text')}`;
      break;
    case 'loop.update':
    case 'loop.unwatch':
    case 'loop.unset':
      return undefined;
    default: {
      const { t: _t, kind, ...rest } = e;
      text = `${kind} ${JSON.stringify(rest)}`;
    }
  }
  return `${String(e.t).padStart(6)} ms  ${text}`;
}

const DEMO_SCRIPT = `# The Tcl program this demo mirrors (the socket is simulated):
#   set s [socket -async 127.0.0.1 8080]    ;# the connect completes at 250 ms
#   fileevent $s writable {puts connected; fileevent $s writable {}; set done connected}
#   after 100 {puts tick}
#   after 150 {error oops}                  ;# goes to bgerror; the loop carries on
#   set t [after 1000 {set done timeout}]
#   after idle {puts "idle: nothing else to do"}
#   vwait done
#   after cancel $t`;

/** Runs the event-loop demo, handing each timeline line (without the script header) to `write`. */
export function runDemo(write: (line: string) => void): void {
  const clock = new VirtualClock();
  const trace = new Trace();
  trace.on('entry', (e) => {
    const line = formatTimelineEntry(e);
    if (line !== undefined) write(line);
  });
  // The notifier sees readiness 5 ms after the socket has it (a modelled delay).
  const loop = new EventLoop(clock, { trace, notifier: { readinessDelayMs: 5 } });
  const puts = (text: string) => trace.record(clock.now(), 'demo.puts', { text });

  const sock = new ManualSource('sock1');
  clock.setTimer(250, () => {
    trace.record(clock.now(), 'demo.net', { text: 'connect to 127.0.0.1:8080 completes, sock1 is writable' });
    sock.set(WRITABLE);
  });
  const writable = loop.notifier.watch(
    sock,
    WRITABLE,
    () => {
      puts('connected');
      writable.remove(); // a writable handler removes itself: the socket stays writable
      loop.set('done', 'connected');
    },
    'writable',
  );
  loop.after(100, () => puts('tick'), 'tick');
  loop.after(150, () => {
    throw new Error('oops');
  }, 'oops');
  const timeout = loop.after(1000, () => loop.set('done', 'timeout'), 'timeout');
  loop.afterIdle(() => puts('idle: nothing else to do'), 'idle');
  loop.vwait('done');
  loop.cancel(timeout);
  puts(`done = ${loop.get('done') ?? ''}; ${loop.backgroundErrors.length} background error(s)`);
}

/** The `demo` command. */
export const demo: Command = {
  summary: 'run a small Tcl event-loop program on a virtual clock and print its timeline',
  run(_args: readonly string[], { out }: Streams): number {
    out.write(`${DEMO_SCRIPT}\n\n`);
    runDemo((line) => out.write(`${line}\n`));
    return EXIT.ok;
  },
};
