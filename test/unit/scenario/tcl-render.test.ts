/**
 * The Tcl renderer and the Tcl words it writes. The quoting and escaping properties are
 * checked against real tclsh: Tcl must read back exactly the string that was quoted (as a
 * list element, as a double-quoted word) and the prelude's JSON escaper must produce what
 * JSON.parse reads back as the original. Each property case is a batch of strings run in one
 * tclsh process, so these properties run 25 cases of 40 strings (1,000 strings each) instead
 * of 1,000 cases: one tclsh process costs ~40 ms here.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { opText, tclQuote } from '../../../src/scenario/op-text.js';
import type { Scenario, Step } from '../../../src/scenario/scenario.js';
import { TCL_PRELUDE } from '../../../src/scenario/tcl-prelude.js';
import { renderTcl, tclLiteral } from '../../../src/scenario/tcl-render.js';
import { propertyParams } from '../../helpers/property.js';

const FILE = 'test/unit/scenario/tcl-render.test.ts';
const BATCHES = 25;

/** Any BMP string without lone surrogates: what a scenario may carry. */
const bmp = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).filter((c) => c < 0xd800 || c > 0xdfff).map((c) => String.fromCharCode(c)),
  maxLength: 12,
});
/** Strings rich in Tcl-special characters. */
const special = fc.string({ unit: fc.constantFrom('a', ' ', '{', '}', '[', ']', '$', '"', '\\', ';', '#', '\n', '\t', 'é', '\u0000'), maxLength: 10 });
const words = fc.array(fc.oneof(bmp, special), { minLength: 40, maxLength: 40 });

const hex = (s: string): string => Buffer.from(s, 'utf8').toString('hex');
const unhex = (h: string): string => Buffer.from(h, 'hex').toString('utf8');

/** Runs a Tcl script (stdin) and returns its stdout lines; the script must print one line per item. */
function tcl(script: string): string[] {
  const r = spawnSync(process.env['DETNET_TCLSH'] ?? 'tclsh', [], { input: script, encoding: 'utf8', timeout: 20_000, env: { ...process.env, LC_ALL: 'C.UTF-8' } });
  if (r.status !== 0) throw new Error(`tclsh failed (${String(r.status)}): ${r.error?.message ?? r.stderr}`);
  return r.stdout.split('\n').slice(0, -1);
}

const DECODE = 'proc dec {h} {encoding convertfrom utf-8 [binary decode hex $h]}\nproc enc {s} {binary encode hex [encoding convertto utf-8 $s]}\nfconfigure stdout -translation lf\n';

describe('Tcl words, checked by tclsh', () => {
  it('tclQuote gives one list element that Tcl reads back as the original string', () => {
    fc.assert(
      fc.property(words, (ws) => {
        const script = DECODE + ws.map((w) => `set q [dec {${hex(tclQuote(w))}}]\nputs "[llength $q] [enc [lindex $q 0]]"`).join('\n');
        expect(tcl(script)).toEqual(ws.map((w) => `1 ${hex(w)}`));
      }),
      propertyParams('tclQuote read back by Tcl', FILE, BATCHES),
    );
  });

  it('tclLiteral is a word Tcl reads back as the original string, even inside braces', () => {
    fc.assert(
      fc.property(words, (ws) => {
        // Inside a braced proc body first, as the renderer uses it, then evaluated.
        const script = DECODE + ws.map((w, i) => `proc p${i} {} {return ${tclLiteral(w)}}\nputs [enc [p${i}]]`).join('\n');
        expect(tcl(script).map(unhex)).toEqual(ws);
      }),
      propertyParams('tclLiteral read back by Tcl', FILE, BATCHES),
    );
  });

  it('the prelude escapes any string into JSON that JSON.parse reads back as the original', () => {
    fc.assert(
      fc.property(words, (ws) => {
        const script = `${DECODE}${TCL_PRELUDE}\n${ws.map((w) => `puts [__json [dec {${hex(w)}}]]`).join('\n')}`;
        const lines = tcl(script);
        expect(lines.map((l) => JSON.parse(`"${l}"`) as string)).toEqual(ws);
        // Byte-identical to JavaScript's own escaping (so equal traces are equal bytes).
        expect(lines).toEqual(ws.map((w) => JSON.stringify(w).slice(1, -1)));
      }),
      propertyParams('prelude JSON escaping', FILE, BATCHES),
    );
  });
});

describe('op text', () => {
  it('writes each step as the command Tcl would show, with placeholders', () => {
    const cases: [Step, string][] = [
      [{ op: 'socket', chan: 'c1', host: 'localhost', port: 'rport' }, 'socket -async localhost <rport>'],
      [{ op: 'socket', chan: 'c2', host: '::1', port: 4242, async: false, myaddr: '::1', myport: 'lport' }, 'socket -myaddr ::1 -myport <lport> ::1 4242'],
      [{ op: 'fconfigure', chan: 'c1', get: '-error' }, 'fconfigure <c1> -error'],
      [{ op: 'fconfigure', chan: 'c1', set: ['-blocking', '0', '-translation', 'crlf lf'] }, 'fconfigure <c1> -blocking 0 -translation {crlf lf}'],
      [{ op: 'fconfigure', chan: 'c1' }, 'fconfigure <c1>'],
      [{ op: 'fileevent', chan: 'c1', event: 'writable', handler: 'W' }, 'fileevent <c1> writable W'],
      [{ op: 'fileevent', chan: 'c1', event: 'readable', handler: null }, 'fileevent <c1> readable {}'],
      [{ op: 'puts', chan: 'c1', text: 'two words' }, 'puts <c1> {two words}'],
      [{ op: 'puts', chan: 'c1', text: '', nonewline: true }, 'puts -nonewline <c1> {}'],
      [{ op: 'gets', chan: 'c1', var: 'line' }, 'gets <c1> line'],
      [{ op: 'read', chan: 'c1', count: 3 }, 'read <c1> 3'],
      [{ op: 'eof', chan: 'c1' }, 'eof <c1>'],
      [{ op: 'after', ms: 20 }, 'after 20'],
      [{ op: 'vwait', var: 'done', timeoutMs: 5 }, 'vwait done'],
      [{ op: 'set', var: 'done', value: '1' }, 'set done 1'],
    ];
    for (const [step, text] of cases) expect(opText(step)).toBe(text);
  });
});

describe('rendering', () => {
  const dual: Scenario = {
    name: 'dual',
    description: 'localhost dual stack, refused',
    hosts: [{ name: 'localhost', addresses: ['::1', '127.0.0.1'] }],
    refusedPort: true,
    client: [{ op: 'socket', chan: 'c1', host: 'localhost', port: 'rport' }],
  };

  it('asks for a hosts file that answers the scenario’s names in its order', () => {
    expect(renderTcl(dual).hosts).toBe('::1 localhost\n127.0.0.1 localhost\n');
    expect(renderTcl({ ...dual, hosts: [{ name: 'svc', addresses: ['127.0.0.1'] }], client: [{ op: 'socket', chan: 'c1', host: 'svc', port: 'rport' }] }).hosts).toBe(
      '127.0.0.1 svc\n127.0.0.1 localhost\n',
    );
    expect(renderTcl({ ...dual, hosts: [], client: [{ op: 'socket', chan: 'c1', host: '::1', port: 'rport' }] }).hosts).toBeNull();
  });

  it('declares ports and channels in meta lines and ends with the end frame', () => {
    const { script } = renderTcl(dual);
    expect(script).toContain('__emit meta port role rport value $::detnet::port(rport)');
    expect(script).toContain('__op "socket -async localhost <rport>" {__socket c1 -async "localhost" $::detnet::port(rport)}');
    expect(script.trimEnd().endsWith('__emit meta end\nexit 0')).toBe(true);
  });

  it.each([
    ['fault rules', { ...dual, faults: [{ atMs: 0, verdict: 'drop' }] }, /faults\[0\]: real loopback cannot drop packets/],
    ['a non-loopback answer', { ...dual, hosts: [{ name: 'localhost', addresses: ['::1', '10.0.0.1'] }] }, /client\[0\]\.host: localhost resolves to 10\.0\.0\.1 \(hosts\[0\]\.addresses\[1\]\), which is not a loopback address; the tclsh backend only connects on loopback/],
    ['an order glibc would change', { ...dual, hosts: [{ name: 'localhost', addresses: ['127.0.0.1', '::1'] }] }, /glibc sorts ::1 first/],
    ['a non-loopback target', { ...dual, client: [{ op: 'socket', chan: 'c1', host: '192.0.2.1', port: 'rport' }] }, /client\[0\]\.host: 192\.0\.2\.1 is not a loopback address; the tclsh backend only connects on loopback/],
    ['loopback spelled otherwise', { ...dual, client: [{ op: 'socket', chan: 'c1', host: '::ffff:127.0.0.1', port: 'rport' }] }, /socket to ::ffff:127\.0\.0\.1: the script listens only on 127\.0\.0\.1 and ::1/],
  ] as [string, Scenario, RegExp][])('refuses to render %s, saying why', (_what, scenario, message) => {
    expect(() => renderTcl(scenario)).toThrow(message);
    try {
      renderTcl(scenario);
    } catch (err) {
      expect((err as { code?: string }).code).toBe('ERR_SCENARIO_NOT_RENDERABLE');
    }
  });

  it('validates before rendering', () => {
    expect(() => renderTcl({ ...dual, client: [{ op: 'close', chan: 'c1' }] } as Scenario)).toThrow(/client\[0\]\.chan: channel c1 is used before/);
  });
});
