/**
 * The shipped declarations: what `npm run build` writes to dist/**\/*.d.ts (tsconfig.build.json,
 * `stripInternal` on) must type-check for a consumer that does not skip library checks, and
 * must not show the members marked internal.
 *
 * How: the build's own config is compiled here, declarations only and into memory (the same
 * options as `npm run build`, without touching dist/ that other tests and benchmarks read),
 * then a small consumer program that imports the three entry points is checked against those
 * files alone, with `skipLibCheck` off. A class whose `implements` clause names an interface
 * whose members the build strips fails here (issue 8 item 6).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where the declarations would be, were they on disk (inside the repo, so node_modules resolves). */
const out = join(root, '.declarations-under-test');

/** A consumer as the README writes one: the barrel, the Node entry point and the fast-check one. */
const CONSUMER = `
import { World, SimDriver, Interp, serve, refusePort, formatTimeline, type Host, type SimSocket } from '../src/index.js';
import { createNodeDriver } from '../src/node.js';
import * as detnetFc from '../src/fast-check.js';

const world = new World({ seed: 1 });
world.addHost('client', { addresses: ['10.0.0.1', 'fd00::1'] });
const server: Host = world.addHost('server', { addresses: ['10.0.0.2', 'fd00::2'] });
world.dns.set('svc.example', ['fd00::2', '10.0.0.2']);
world.faults.install(refusePort('fd00::2', 25));
serve(server, { port: 25, behaviour: { kind: 'reply', line: '220 hello', then: 'keep-open' } });
const tcl = new Interp(new SimDriver(world, 'client'), { trace: world.trace });
const h = tcl.socket('svc.example', 25, { async: true });
h.fileevent('writable', { text: 'Connected', run: () => tcl.set('done') });
tcl.vwait('done');
const socket: SimSocket = server.socket('inet');
export const used = [formatTimeline(world.trace.entries), h.gets(), socket.state, createNodeDriver, detnetFc];
`;

/** Compiles the build config's src/ files to declarations, in memory: path → text. */
function buildDeclarations(): Map<string, string> {
  const configFile = ts.readConfigFile(join(root, 'tsconfig.build.json'), (p) => ts.sys.readFile(p));
  if (configFile.error !== undefined) throw new Error(ts.flattenDiagnosticMessageText(configFile.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
  expect(parsed.options.stripInternal, 'tsconfig.build.json turns stripInternal on').toBe(true);
  const options: ts.CompilerOptions = { ...parsed.options, outDir: out, emitDeclarationOnly: true, declarationMap: false, sourceMap: false };
  const files = parsed.fileNames.filter((f) => f.startsWith(join(root, 'src')));
  const program = ts.createProgram(files, options);
  const written = new Map<string, string>();
  const result = program.emit(undefined, (name, text) => written.set(name, text));
  expect(result.diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  return written;
}

/** Type-checks CONSUMER against `declarations` with library checks on; returns the error texts. */
function checkConsumer(declarations: Map<string, string>): string[] {
  const consumer = join(out, 'consumer', 'consumer.ts');
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: false,
    noEmit: true,
    types: ['node'],
  };
  const host = ts.createCompilerHost(options);
  const virtual = (p: string): string | undefined => (p === consumer ? CONSUMER : declarations.get(p));
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const directoryExists = host.directoryExists?.bind(host);
  host.readFile = (p) => virtual(p) ?? readFile(p);
  host.fileExists = (p) => virtual(p) !== undefined || fileExists(p);
  host.directoryExists = (d) => d.startsWith(out) || (directoryExists?.(d) ?? true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (p, lang, onError, fresh) => {
    const text = virtual(p);
    return text === undefined ? getSourceFile(p, lang, onError, fresh) : ts.createSourceFile(p, text, lang);
  };
  const program = ts.createProgram([consumer], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file === undefined ? '' : `${d.file.fileName.replace(out, '<dist>')}: `;
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
}

describe('the shipped declarations', () => {
  it('type-check for a consumer that checks libraries, and leave out the members marked internal', () => {
    const declarations = buildDeclarations();
    // The consumer compiles against the stripped .d.ts: no class there claims an interface whose
    // members were stripped, and everything the README's program uses is declared.
    expect(checkConsumer(declarations)).toEqual([]);
    // And stripping happened: the host kernel's packet entry point is marked internal.
    const host = declarations.get(join(out, 'src', 'sim', 'host.d.ts'));
    expect(host).toContain('export declare class Host');
    expect(host).not.toMatch(/\bdeliver\(/);
  }, 120_000); // compiles src/ twice over: tens of seconds on a busy machine, not a timing assertion
});
