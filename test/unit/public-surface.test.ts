/**
 * The public surface (the decision is written in src/index.ts's header): what a user needs is
 * exported and documented, and the machinery behind it is not. These tests read the two entry
 * points the way a user of the package sees them: the runtime names `import` gives, and the
 * TSDoc an editor shows for each exported name.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Exported names allowed to lack TSDoc. Empty since issue 8's refactor settled; any
 * undocumented export fails the test.
 */
const TSDOC_OWED = new Set<string>([]);

/** Each exported name of `entry` and whether its declaration carries a doc comment. */
function documentation(entry: string): Map<string, boolean> {
  const file = join(root, entry);
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const module = source && checker.getSymbolAtLocation(source);
  if (!module) throw new Error(`cannot read the exports of ${entry}`);
  const out = new Map<string, boolean>();
  for (const exported of checker.getExportsOfModule(module)) {
    const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    out.set(exported.name, target.getDocumentationComment(checker).length > 0);
  }
  return out;
}

describe('TSDoc on the public surface', () => {
  it('documents every name detnet, detnet/node, detnet/fast-check and detnet/net export', () => {
    const undocumented: string[] = [];
    for (const entry of ['src/index.ts', 'src/node.ts', 'src/fast-check.ts', 'src/net-facade.ts']) {
      const docs = documentation(entry);
      // Guard against a vacuous pass: both entry points export dozens of names.
      expect(docs.size).toBeGreaterThan(entry === 'src/index.ts' ? 80 : 10);
      for (const [name, documented] of docs) if (!documented && !TSDOC_OWED.has(name)) undocumented.push(`${entry}: ${name}`);
    }
    expect(undocumented).toEqual([]);
  }, 60_000); // builds a TypeScript program over src/: seconds, not a timing assertion
});

describe('runtime names of the entry points', () => {
  it('keeps the machinery behind the objects out of detnet', async () => {
    const names = Object.keys(await import('../../src/index.js'));
    // The notifier and its readiness bits, address parsers, the errno table, and classes a
    // user only receives (exported as types, so they have no runtime name).
    const internals = [
      'Notifier', 'READABLE', 'WRITABLE', 'EXCEPTION', 'ManualSource',
      'parseAddress', 'tryParseAddress', 'canonicalAddress', 'parsePort',
      'tclMessage', 'tclErrorCode', 'isErrno', 'TCL_ERRNO_MESSAGES',
      'Host', 'Dns', 'SimSocket', 'SimListener', 'FaultRules', 'HoldRule', 'ServerApp',
      'Channel', 'ServerChannel',
    ];
    expect(names.filter((n) => internals.includes(n))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['World', 'SimDriver', 'Interp', 'TclError', 'runScenario', 'profile']));
  });

  it('keeps the Node driver classes and resolver constants out of detnet/node', async () => {
    const names = Object.keys(await import('../../src/node.js'));
    const internals = ['NodeDriver', 'NodeSocket', 'NodeListener', 'RESOLVER_AGAIN_MESSAGE', 'RESOLVER_NOT_FOUND_MESSAGE', 'Channel'];
    expect(names.filter((n) => internals.includes(n))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['createNodeDriver', 'staticLookup', 'Interp', 'runScenarioInTclsh', 'nodeBackend']));
  });

  it('exports every name the README imports from detnet and detnet/node', async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const entries: Record<string, string[]> = {
      detnet: Object.keys(await import('../../src/index.js')),
      'detnet/node': Object.keys(await import('../../src/node.js')),
      'detnet/net': Object.keys(await import('../../src/net-facade.js')),
    };
    const imports = [...readme.matchAll(/import \{([^}]+)\} from '(detnet(?:\/node|\/net)?)'/g)];
    expect(imports.length).toBeGreaterThanOrEqual(2);
    const missing = imports.flatMap((m) =>
      (m[1] as string)
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n !== '' && !(entries[m[2] as string] as string[]).includes(n))
        .map((n) => `${m[2]}: ${n}`),
    );
    expect(missing).toEqual([]);
  });
});
