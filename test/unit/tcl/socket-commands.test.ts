// The socket and event commands are the Interp's own: a Tcl script records the same
// observation trace as the same operations called through the JavaScript API, and Interp's
// errors reach scripts as Tcl errors with `$::errorCode`.
import { describe, expect, it } from 'vitest';
import { simTcl } from '../../helpers/tcl.js';

function observations(trace: { ofKind(kind: 'obs'): readonly Record<string, unknown>[] }): string[] {
  return trace.ofKind('obs').map((e) => JSON.stringify(e));
}

describe('socket commands on the simulated world', () => {
  it('record the same observations as the JavaScript API', () => {
    const viaTcl = simTcl();
    viaTcl.tcl.eval(
      ['set s [socket -async 127.0.0.1 1]', 'fileevent $s writable {set done 1}', 'vwait done', 'fconfigure $s -error', 'close $s'].join('\n'),
    );
    const viaJs = simTcl();
    const s = viaJs.interp.socket('127.0.0.1', 1, { async: true });
    s.fileevent('writable', { text: 'set done 1', run: () => viaJs.interp.set('done') });
    viaJs.interp.vwait('done');
    s.configure('-error');
    s.close();
    // Sanity: the trace holds the refused connect's story, not just bookkeeping.
    expect(observations(viaJs.interp.trace)).toContain(JSON.stringify({ t: 0, kind: 'obs', op: 'fconfigure sock1 -error', result: 'connection refused' }));
    expect(observations(viaTcl.interp.trace)).toEqual(observations(viaJs.interp.trace));
  });

  it('turn Interp errors into Tcl errors with errorCode', () => {
    const { tcl } = simTcl();
    const out = tcl.eval(
      [
        'set s [socket -async 127.0.0.1 1]',
        'after 10',
        'set r [catch {puts $s hi; flush $s} m]',
        'list $r $m $::errorCode',
      ].join('\n'),
    );
    // tclsh 8.6 prints the same (with its own channel name): the refused socket is not connected.
    expect(out).toBe('1 {error flushing "sock1": socket is not connected} {POSIX ENOTCONN {socket is not connected}}');
  });

  it('a blocking gets that nothing can satisfy is a Tcl error, not a hang', () => {
    const { tcl, world } = simTcl();
    world.addHost('srv', { addresses: ['10.0.0.9'] });
    tcl.eval('set srv [socket -server {apply {{c a p} {set ::peer $c}}} 7000]');
    const out = tcl.eval('set c [socket 10.0.0.5 7000]\ncatch {gets $c} m\nset m');
    expect(out).toMatch(/would block forever/);
  });

  it('file channels lists the standard channels, then sockets and servers until they close', () => {
    const { tcl } = simTcl();
    const out = tcl.eval(
      [
        'set srv [socket -server {apply {{c a p} {}}} -myaddr 127.0.0.1 0]',
        'set c [socket -async 127.0.0.1 [lindex [fconfigure $srv -sockname] 2]]',
        'set before [file channels]',
        'close $c',
        'close $srv',
        'list $before [chan names] [file channels sock*]',
      ].join('\n'),
    );
    expect(out).toBe('{stdin stdout stderr sock2 sock1} {stdin stdout stderr} {}');
  });

  it('after info lists pending handlers newest first and describes one', () => {
    const { tcl } = simTcl();
    const out = tcl.eval('set a [after 100 {puts x}]\nset b [after idle {puts y}]\nlist [expr {[after info] eq [list $b $a]}] [after info $a] [after info $b]');
    expect(out).toBe('1 {{puts x} timer} {{puts y} idle}');
  });

  it('gets with a variable returns the count and sets the line', () => {
    const { tcl } = simTcl();
    const out = tcl.eval(
      [
        'proc accept {c a p} { puts $c "line one"; puts -nonewline $c partial; close $c }',
        'set srv [socket -server accept -myaddr 127.0.0.1 0]',
        'set c [socket 127.0.0.1 [lindex [fconfigure $srv -sockname] 2]]',
        'after 10 {set go 1}; vwait go',
        'set n1 [gets $c l1]; set n2 [gets $c l2]; set n3 [gets $c l3]',
        'list $n1 $l1 $n2 $l2 $n3 [eof $c]',
      ].join('\n'),
    );
    expect(out).toBe('8 {line one} 7 partial -1 1');
  });
});
