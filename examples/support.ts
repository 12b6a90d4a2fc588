/**
 * Shared scaffolding of the examples: a client/server world, an interpreter on the client, and
 * printing the timeline when an example is run on its own.
 *
 * Each example exports `run()` returning its outcome and the timeline lines, so a test can
 * execute it and assert the outcome, and calls `main()` when started directly
 * (`npm run example -- <name>`).
 */
import { pathToFileURL } from 'node:url';
import { World } from '../src/sim/world.js';
import { serve, type AppBehaviour, type ServerApp } from '../src/sim/apps.js';
import { SimDriver } from '../src/socket/sim-driver.js';
import { Interp } from '../src/socket/interp.js';
import type { Profile } from '../src/socket/profiles.js';
import { formatTimeline, type TimelineLevel } from '../src/trace/timeline.js';
import type { Script } from '../src/socket/channel.js';
import { TclError } from '../src/socket/tcl-error.js';

/** What every example returns. */
export interface ExampleRun<T> {
  readonly outcome: T;
  readonly timeline: readonly string[];
}

/** A world with a `client` host and a dual-stack `server` host (fd00::2, 10.0.0.2). */
export function clientServerWorld(seed = 1): { world: World; server: ReturnType<World['addHost']> } {
  const world = new World({ seed });
  world.addHost('client', { addresses: ['10.0.0.1', 'fd00::1'] });
  const server = world.addHost('server', { addresses: ['10.0.0.2', 'fd00::2'] });
  return { world, server };
}

/** An interpreter on `host` of `world`, recording into the world's trace. */
export function interpOn(world: World, host = 'client', profile?: string | Profile): Interp {
  return new Interp(new SimDriver(world, host), { trace: world.trace, ...(profile === undefined ? {} : { profile }) });
}

/** Starts a server app on `host`. */
export function app(host: ReturnType<World['addHost']>, port: number, behaviour: AppBehaviour, address?: string): ServerApp {
  return serve(host, { port, behaviour, ...(address === undefined ? {} : { address }) });
}

/** A Tcl-style script: `text` is what Tcl would show, `run` what it does. */
export function script(text: string, run: () => void): Script {
  return { text, run };
}

/** Timeline of everything the world recorded. */
export function timeline(world: World, level: TimelineLevel = 'net'): string[] {
  return formatTimeline(world.trace.entries, level);
}

/** Runs `run` and prints its timeline and outcome when the module is the program's entry point. */
export function main<T>(metaUrl: string, title: string, run: () => ExampleRun<T>): void {
  const entry = process.argv[1];
  if (entry === undefined || pathToFileURL(entry).href !== metaUrl) return;
  const result = run();
  console.log(`# ${title}\n`);
  for (const line of result.timeline) console.log(line);
  console.log(`\noutcome: ${JSON.stringify(result.outcome)}`);
}

/** Tcl's `catch {script}`: runs `fn`, returns the error message or "" (non-Tcl errors propagate). */
export function tclCatch(fn: () => void): string {
  try {
    fn();
    return '';
  } catch (err) {
    if (err instanceof TclError) return err.message;
    throw err;
  }
}
