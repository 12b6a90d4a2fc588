/**
 * The behaviour specification lives in the repository (docs/spec.md) and the code cites it by
 * section number ("§3.4", "§5 -error 2", "oracle refused-poll-connecting"). These tests keep
 * every such citation in src/, test/, examples/, bench/ and scenarios/ pointing at something the
 * docs really have, so a maintainer with only the repository can follow each one, and keep
 * pointers to documents outside the repository from creeping back.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SECTION = '\u00a7'; // written as an escape so this file does not cite itself
const CITED_FOLDERS = ['src', 'test', 'examples', 'bench', 'scenarios'];

/** Text files under `dir` (recursively), skipping generated output. */
function files(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'results' && entry.name !== 'node_modules') out.push(...files(path));
    } else if (/\.(ts|json|md|tcl|mjs)$/.test(entry.name)) {
      out.push(path);
    }
  }
  return out.sort();
}

interface Citation {
  readonly where: string;
  readonly text: string;
}

/** Every match of `pattern` in the cited folders, with file:line. */
function citations(pattern: RegExp): Citation[] {
  const found: Citation[] = [];
  for (const folder of CITED_FOLDERS) {
    for (const file of files(folder)) {
      readFileSync(join(root, file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const m of line.matchAll(pattern)) found.push({ where: `${relative(root, join(root, file))}:${i + 1}`, text: m[0] });
        });
    }
  }
  return found;
}

const spec = readFileSync(join(root, 'docs', 'spec.md'), 'utf8');
const specLines = spec.split('\n');

/** Section numbers that are headings of docs/spec.md ("## §3 ...", "### §3.4 ..."). */
const headings = new Set(
  specLines.flatMap((line) => {
    const m = new RegExp(`^#{2,3} ${SECTION}(\\d+(?:\\.\\d+)?)\\b`).exec(line);
    return m ? [m[1] as string] : [];
  }),
);

/** The text under the first heading whose title starts with `title`, up to the next heading. */
function body(title: string): string {
  const start = specLines.findIndex((l) => /^#{2,3} /.test(l) && l.replace(/^#+ /, '').startsWith(title));
  if (start < 0) return '';
  const end = specLines.findIndex((l, i) => i > start && /^#{2,3} /.test(l));
  return specLines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

describe('docs/spec.md', () => {
  it('has a heading for every section number the code, tests, examples, benchmarks and scenarios cite', () => {
    const cited = citations(new RegExp(`${SECTION}(\\d+(?:\\.\\d+)?)`, 'g'));
    // Guard against a vacuous pass: the tree cites the spec a few hundred times.
    expect(cited.length).toBeGreaterThan(100);
    const missing = cited.filter((c) => !headings.has(c.text.slice(1))).map((c) => `${c.where} cites ${c.text}`);
    expect(missing).toEqual([]);
  });

  it('has the numbered item for every "step N", "item N" and "-error N" the code cites', () => {
    const cited = citations(new RegExp(`${SECTION}(\\d+(?:\\.\\d+)?) (?:step|item|-error) (\\d)`, 'g'));
    expect(cited.length).toBeGreaterThan(5);
    const missing = cited.filter((c) => {
      const m = new RegExp(`${SECTION}(\\d+(?:\\.\\d+)?) (step|item|-error) (\\d)`).exec(c.text);
      const [, section, kind, item] = m as RegExpExecArray;
      const text = body(kind === '-error' ? `${SECTION}${section} \`-error\`` : `${SECTION}${section} `);
      return !new RegExp(`^${item}\\. `, 'm').test(text);
    });
    expect(missing.map((c) => `${c.where} cites ${c.text}`)).toEqual([]);
  });

  it('lists every oracle recording the code names', () => {
    // Recordings are named after their set-up (spec §13.1): refused-, dual-, listen-, pending-, established-.
    const cited = citations(/\boracles? `?((?:refused|dual|listen|pending|established)(?:-[a-z0-9]+)+)/g);
    expect(cited.length).toBeGreaterThan(10);
    const missing = cited.filter((c) => {
      const name = c.text.replace(/^oracles? `?/, '');
      return !spec.includes(`\`${name}\``);
    });
    expect(missing.map((c) => `${c.where} names ${c.text}`)).toEqual([]);
  });

  it('numbers its sections without gaps from §1 to §13', () => {
    // Every top-level number a citation could use exists, in order, once.
    const top = specLines.flatMap((l) => {
      const m = new RegExp(`^## ${SECTION}(\\d+) `).exec(l);
      return m ? [Number(m[1])] : [];
    });
    expect(top).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
  });
});

describe('pointers to documents', () => {
  it('no source, test, example, benchmark, scenario or doc points outside the repository for the spec', () => {
    const outside = `/work/${'shared'}/`;
    const hits = [...citations(new RegExp(outside.replace(/\//g, '\\/'), 'g'))];
    for (const doc of ['README.md', 'docs/README.md', 'docs/spec.md', 'docs/tcl-versions.md']) {
      if (readFileSync(join(root, doc), 'utf8').includes(outside)) hits.push({ where: doc, text: outside });
    }
    expect(hits.map((h) => h.where)).toEqual([]);
  });
});
