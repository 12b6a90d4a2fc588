/**
 * `detnet run --strict` on ten deliberately broken scenario files (test/fixtures/broken/):
 * each is refused with exit 2 before anything runs, and the message lists every problem the
 * file has — errors and warnings alike — each on its own line with the file, the JSON path and
 * the bad value. Without `--strict` the files that only have warnings run, and the warnings
 * are printed on stderr.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const DIR = fileURLToPath(new URL('../../fixtures/broken/', import.meta.url));

/** File → every (path, problem) line its message must hold, in order. */
const BROKEN: Readonly<Record<string, readonly string[]>> = {
  'syntax-error': ["not valid JSON: line 4 column 3: Expected ',' or '}' after property value"],
  'unknown-fields': [
    '$.clinet: unknown field (allowed: $schema, name,',
    'listeners[0].procss: unknown field (allowed: role, on, behaviour, process, port, acceptDelayMs, signal)',
    'client[0].prot: unknown field (allowed: op, chan, host, port, async, myaddr, myport)',
  ],
  'unrouted-address': [
    'client[0].host: 10.0.0.9: no machine has this address (the scenario has no "world": one machine with loopback only), so the connect fails at once with ENETUNREACH (warning',
    'listeners[0].on: no socket step\'s host (address or name) leads to ::1: nothing can connect to this listener (warning',
  ],
  'never-matching-rules': [
    "faults[0].to.address: no socket step's host (address or name) leads to 10.0.0.7: this rule never matches (warning",
    'faults[1].to.port: no listener has port 8080 and no socket step connects to it: this rule never matches (warning',
    'faults[2].dnsFailure.name: other is not in "dns": lookups of it fail anyway, so this failure changes nothing (warning',
  ],
  'bad-world': [
    "world.hosts[0].addresses[1]: 127.0.0.2 cannot be a machine's address (loopback and the wildcard are implicit)",
    'world.hosts[1].name: machine a is listed twice',
    'world.hosts[2].addresses[0]: 10.0.0.1 already belongs to a',
    'world.client: no machine named "z" (machines: a, c)',
  ],
  'bad-latency': [
    'world.latency.default.maxMs: must be at least minMs (10), got 5',
    'world.latency.loopback.delaysMs: expected 1..10000 delays, got 0',
    'world.latency.links[0].to: no machine named "nowhere"',
    'world.latency.links[0].model.meanMs: expected a number in (0, 1000000000], got 0',
  ],
  'bad-faults': [
    'faults[0].untilMs: must be after atMs (500), got 100',
    'faults[1]: a fault has exactly one of verdict, partition, crash, interfaceDown, route, dnsFailure; got partition, crash',
    "faults[2].crash: client runs the client script; crashing the client's own machine would end the script, not test it",
    'faults[3].partition.b[0]: no machine named "mars"',
  ],
  'bad-listeners': [
    'listeners[1].behaviour.kind: echo needs "process": "child"',
    'listeners[0].on: no machine of "world" has the address 10.0.0.9',
    'client[0].port: no listener provides port role port6',
  ],
  'bad-script': [
    'client[0].chan: channel c1 is used before a socket step creates it',
    'client[2].handler: no handler named "Missing"',
    'client[3].timeoutMs: expected an integer in 1..86400000, got 0',
    'handlers[0].steps[0]: vwait is allowed only at the top level of the client script',
  ],
  'bad-dns': [
    'dns[1].addresses[0]: not an IP literal: "not-an-ip"',
    'dns[2].name: name web is answered twice',
    'dns[0].name: svc is also in "hosts", which the client\'s resolver reads first: this DNS answer is never used (warning',
  ],
};

describe('detnet run --strict on broken files', () => {
  it('has ten broken files, each with its expected problems', () => {
    expect(Object.keys(BROKEN)).toHaveLength(10);
  });

  it.each(Object.entries(BROKEN))('rejects %s.json listing every problem with its path', async (name, problems) => {
    const file = join(DIR, `${name}.json`);
    const r = await cli(['run', file, '--strict']);
    expect({ code: r.code, out: r.out }).toEqual({ code: 2, out: '' });
    const lines = r.err.trimEnd().split('\n');
    // One line per problem, each naming the file; in the order listed (errors, then warnings).
    expect(lines).toHaveLength(problems.length);
    problems.forEach((problem, i) => {
      expect(lines[i]).toContain(`${name}.json: `);
      expect(lines[i]).toContain(problem);
    });
  });

  it('runs a file that only has warnings without --strict, printing each warning on stderr', async () => {
    const r = await cli(['run', join(DIR, 'unrouted-address.json'), '--format', 'obs']);
    expect(r.code).toBe(0);
    const warnings = r.err.split('\n').filter((l) => l.includes(': warning: '));
    expect(warnings.map((w) => w.replace(/^.*warning: scenario "unrouted-address": /, '').split(':')[0])).toEqual(['client[0].host', 'listeners[0].on']);
    // The warned-about connect indeed fails at once, as the warning said.
    expect(r.out.split('\n')[0]).toBe('{"op":"socket -async 10.0.0.9 <port>","error":"couldn\'t open socket: network is unreachable","errorcode":"POSIX ENETUNREACH {network is unreachable}"}');
  });
});
