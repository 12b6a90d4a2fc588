// The TclInterp API a scenario runner or `detnet run FILE.tcl` drives: results and errors,
// registered commands, the command budget, captured output, internal errors, the async runner
// and the parse cache.
import { describe, expect, it } from 'vitest';
import { TclScriptError } from '../../../src/tcl/index.js';
import { simTcl } from '../../helpers/tcl.js';

function failure(fn: () => unknown): TclScriptError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TclScriptError);
    return err as TclScriptError;
  }
  throw new Error('expected the script to fail');
}

describe('TclInterp', () => {
  it('returns the last command\'s result and keeps globals between evals', () => {
    const { tcl } = simTcl();
    expect(tcl.eval('set a 5\nincr a')).toBe('6');
    expect(tcl.eval('set a')).toBe('6');
    tcl.setVar('b', 'x y');
    expect(tcl.eval('llength $b')).toBe('2');
    expect(tcl.getVar('a')).toBe('6');
  });

  it('reports an error with Tcl\'s message, errorCode, errorInfo and the failing line', () => {
    const { tcl } = simTcl({ scriptName: 'demo.tcl' });
    const e = failure(() => tcl.eval('set x 1\nproc p {} {\n  error boom {} {MY CODE}\n}\np'));
    expect(e.message).toBe('boom');
    expect(e.errorCode).toBe('MY CODE');
    expect(e.line).toBe(5);
    expect(e.errorInfo).toBe('boom\n    while executing\n"error boom {} {MY CODE}"\n    (procedure "p" line 2)\n    invoked from within\n"p"\n    (file "demo.tcl" line 5)');
  });

  it('reports a syntax error on the line where its command starts, after running the lines before', () => {
    const { tcl } = simTcl();
    const e = failure(() => tcl.eval('puts one\n\nset x {\n  abc\n'));
    expect([e.message, e.line]).toEqual(['missing close-brace', 3]);
    expect(tcl.stdout).toEqual(['one']);
  });

  it('runs registered commands, also when called as ::name', () => {
    const { tcl } = simTcl();
    const seen: string[][] = [];
    tcl.register('detnet::received', (_ti, argv) => {
      seen.push(argv);
      return 'hello';
    });
    expect(tcl.eval('list [detnet::received 8080] [::detnet::received 1]')).toBe('hello hello');
    expect(seen).toEqual([['detnet::received', '8080'], ['::detnet::received', '1']]);
  });

  it('stops a runaway script at the budget; catch cannot swallow it; the next eval starts afresh', () => {
    const { tcl } = simTcl({ budget: 1000 });
    const e = failure(() => tcl.eval('while 1 { catch { while 1 {} } }'));
    expect(e.code).toBe('ERR_TCL_BUDGET');
    expect(e.message).toBe('command budget exceeded: more than 1000 commands (a runaway script?)');
    expect(tcl.eval('set n 0; for {set i 0} {$i < 100} {incr i} { incr n }; set n')).toBe('100');
  });

  it('captures stdout lines in order, into the trace as tcl.output, and flushes a -nonewline tail', () => {
    const lines: string[] = [];
    const { tcl, interp } = simTcl({ onStdout: (l) => lines.push(l) });
    tcl.eval('puts a; puts -nonewline b; puts c; puts stderr e; puts -nonewline tail');
    expect(tcl.stdout).toEqual(['a', 'bc', 'tail']);
    expect(lines).toEqual(['a', 'bc', 'tail']);
    expect(tcl.stderr).toEqual(['e']);
    expect(interp.trace.ofKind('tcl.output').map((e) => [e.channel, e.line])).toEqual([
      ['stdout', 'a'],
      ['stdout', 'bc'],
      ['stderr', 'e'],
      ['stdout', 'tail'],
    ]);
  });

  it('turns a JavaScript error in a command into an uncatchable internal error without a stack', () => {
    const { tcl } = simTcl();
    tcl.register('buggy', () => {
      throw new TypeError('undefined is not a function');
    });
    const e = failure(() => tcl.eval('catch { buggy } m\nset after 1'));
    expect(e.code).toBe('ERR_TCL_INTERNAL');
    expect(e.message).toBe('internal error: undefined is not a function');
    expect(e.errorInfo).not.toMatch(/\s+at /);
    expect(tcl.internalErrors).toHaveLength(1);
    expect(tcl.getVar('after')).toBeUndefined();
  });

  it('gives the same results through the async runner on the simulated world', async () => {
    const script = 'after 30 {set done ok}\nvwait done\nlist $done [clock milliseconds] [expr {2**70}]';
    const sync = simTcl().tcl.eval(script);
    const async = await simTcl().tcl.evalAsync(script);
    expect(async).toBe(sync);
    expect(sync).toBe('ok 30 1180591620717411303424');
  });

  it('reads virtual time from the driver clock', () => {
    const { tcl } = simTcl();
    expect(tcl.eval('set t [clock milliseconds]; after 250; expr {[clock milliseconds] - $t}')).toBe('250');
    expect(tcl.eval('after 1000; clock seconds')).toBe('1');
  });

  it('parses a script body once and reuses it', () => {
    const { tcl } = simTcl();
    expect(tcl.parse('puts [list a b]')).toBe(tcl.parse('puts [list a b]'));
  });

  it('a return at the top level ends the script with its value, as in tclsh', () => {
    const { tcl } = simTcl();
    expect(tcl.eval('puts a\nreturn done\nputs b')).toBe('done');
    expect(tcl.stdout).toEqual(['a']);
    expect(failure(() => tcl.eval('return -code error -errorcode {A B} bad')).errorCode).toBe('A B');
  });
});

describe('TclInterp handlers', () => {
  it('a runaway chain of after handlers stops at the budget instead of filling stderr with bgerrors', () => {
    const { tcl } = simTcl({ budget: 1000 });
    const e = failure(() => tcl.eval('proc tick {} { after 0 tick }\ntick\nvwait forever'));
    expect(e.code).toBe('ERR_TCL_BUDGET');
    expect(e.line).toBe(3);
    expect(tcl.stderr).toEqual([]);
  });

  it('a handler error without bgerror prints errorInfo to stderr and the script goes on', () => {
    const { tcl } = simTcl();
    tcl.eval('after 5 {error oops}\nafter 10 {set done 1}\nvwait done\nputs after');
    expect(tcl.stdout).toEqual(['after']);
    // What tclsh 8.6 prints for the same script.
    expect(tcl.stderr).toEqual(['oops', '    while executing', '"error oops"', '    ("after" script)']);
  });

  it('interp bgerror names a handler that gets the message and the options', () => {
    const { tcl } = simTcl();
    tcl.eval('proc h {msg opts} { puts "h: $msg [dict get $opts -code]"; set ::done 1 }\ninterp bgerror {} h\nafter 1 {error bad}\nvwait done');
    expect(tcl.stdout).toEqual(['h: bad 1']);
  });
});
