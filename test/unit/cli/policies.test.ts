// `detnet policies`: five connect policies on the same simulated topologies. The expected
// cells follow from each policy's rule and the world's 1 ms one-way latency (a handshake is
// 2 ms): Node's 500 ms attempt timer, RFC 8305's 250 ms attempt delay and 50 ms resolution
// delay, curl's 200 ms and Go's 300 ms fallback, Tcl's wait for TCP's own 127 s SYN timeout.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../src/cli.js';
import { DEFAULT_TOPOLOGIES, policiesTable, runPolicy, type PolicyTopology } from '../../../src/net-facade/connect-policies.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const topology = (name: string): PolicyTopology => DEFAULT_TOPOLOGIES.find((t) => t.name === name) as PolicyTopology;

function capture(args: readonly string[]): { code: number; text: string } {
  let text = '';
  const sink = { write: (s: string) => void (text += s) };
  const code = (commands.get('policies') as { run: (a: readonly string[], s: unknown) => number }).run(args, { out: sink, err: sink });
  return { code, text };
}

describe('connect policies side by side', () => {
  it('with IPv6 blackholed, each policy reaches IPv4 after its own delay, and Tcl only after TCP gives up', () => {
    const t = topology('IPv6 blackholed');
    const at = Object.fromEntries((['tcl', 'node', 'rfc8305', 'curl', 'go'] as const).map((p) => [p, runPolicy(t, p).connectedAt]));
    expect(at).toEqual({ tcl: 127_002, node: 502, rfc8305: 252, curl: 202, go: 302 });
  });

  it('only RFC 8305 starts before a late AAAA answer: IPv4 after the 50 ms resolution delay', () => {
    const t = topology('AAAA 200 ms late');
    expect(runPolicy(t, 'rfc8305')).toMatchObject({ connectedAt: 52, attempts: 1, winner: '10.0.0.2' });
    expect(runPolicy(t, 'node')).toMatchObject({ connectedAt: 202, attempts: 1, winner: 'fd00::2' });
  });

  it('Node interleaves families where Tcl walks the resolver order: two blackholed IPv6 addresses cost Node one timeout', () => {
    const t = topology('two IPv6 blackholed, then IPv4');
    expect(runPolicy(t, 'node')).toMatchObject({ connectedAt: 502, attempts: 2 });
    expect(runPolicy(t, 'tcl')).toMatchObject({ connectedAt: 254_002, attempts: 3 });
  });

  it('a walk that fails everywhere reports Node\'s first error code and Tcl\'s last', () => {
    const t = topology('IPv6 blackholed, IPv4 refused');
    expect(runPolicy(t, 'node')).toMatchObject({ connectedAt: null, error: 'ETIMEDOUT', endedAt: 502 });
    expect(runPolicy(t, 'tcl')).toMatchObject({ connectedAt: null, error: 'ECONNREFUSED' });
  });

  it('prints the table the README shows', () => {
    const { code, text } = capture([]);
    expect(code).toBe(0);
    const table = policiesTable();
    expect(text).toContain(table);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain(table);
  });

  it('reads a WORLD file of topologies, and names the bad field of a wrong one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'detnet-policies-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ topologies: [{ name: 'only v4, refused', addresses: ['10.0.0.2'], fates: { '10.0.0.2': 'refuse' } }] }));
    const { text } = capture([good]);
    expect(text).toContain('| only v4, refused | fail 2 ms ECONNREFUSED, 1 att |');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ topologies: [{ name: 'x', addresses: ['10.0.0.2'], fates: { '10.0.0.2': 'sometimes' } }] }));
    expect(() => capture([bad])).toThrow(/topologies\[0\]\.fates\.10\.0\.0\.2 must be/);
  });
});
