/**
 * Socket scripts on loopback that must print the same stdout on the simulated world, over
 * real Node sockets (async mode) and in real tclsh 8.6. Each opens its own server on an
 * ephemeral port, bounds every wait with an `after` timeout, and closes what it opens.
 */
import type { TableScript } from './tclsh-table.js';

const ECHO_SERVER = `
proc accept {chan addr port} {
  fconfigure $chan -buffering line
  gets $chan line
  puts $chan "echo:$line"
  close $chan
}
set srv [socket -server accept -myaddr 127.0.0.1 0]
set port [lindex [fconfigure $srv -sockname] 2]
`;

export const SOCKET_SCRIPTS: readonly TableScript[] = [
  {
    name: 'an async client talks to an echo server in the same script',
    script: `${ECHO_SERVER}
set c [socket -async 127.0.0.1 $port]
fconfigure $c -blocking 0 -buffering line
fileevent $c writable [list connected $c]
proc connected {c} {
  fileevent $c writable {}
  puts "connected: [fconfigure $c -error]"
  puts $c hello
  fileevent $c readable [list readit $c]
}
proc readit {c} {
  if {[gets $c line] < 0} {
    if {[eof $c]} { puts eof; close $c; set ::done 1 }
    return
  }
  puts "got $line"
}
set timeout [after 5000 {set ::done timeout}]
vwait done
after cancel $timeout
puts "done=$done"
puts [llength [file channels sock*]]
close $srv
puts [llength [file channels sock*]]
`,
  },
  {
    name: 'a refused async connect reports its error on writable',
    script: `
set srv [socket -server {apply {{c a p} {close $c}}} -myaddr 127.0.0.1 0]
set port [lindex [fconfigure $srv -sockname] 2]
close $srv
set c [socket -async 127.0.0.1 $port]
fileevent $c writable {set ::done writable}
set timeout [after 5000 {set ::done timeout}]
vwait done
after cancel $timeout
puts $done
puts "error: [fconfigure $c -error]"
puts "eof: [eof $c]"
close $c
puts [file channels sock*]
`,
  },
  {
    name: 'after scripts run in time order and can be cancelled',
    script: `
after 30 {lappend ::order thirty}
set id [after 20 {lappend ::order twenty}]
after 10 {lappend ::order ten}
after idle {lappend ::order idle}
after cancel $id
puts [llength [after info]]
after 50 {set ::done 1}
vwait done
puts $order
puts [after info]
`,
  },
  {
    name: 'a handler error goes to the bgerror proc and the script goes on',
    script: `
proc bgerror {msg} { puts "bgerror: $msg"; set ::done 1 }
after 1 {error "handler failed"}
vwait done
puts after
`,
  },
  {
    name: 'the seed page idiom: namespace code for the timeout and exit from a handler',
    script: `
set srv [socket -server {apply {{c a p} {}}} -myaddr 127.0.0.1 0]
set port [lindex [fconfigure $srv -sockname] 2]
proc Connected {aid h} {
  after cancel $aid
  fileevent $h writable ""
  puts "connected, error=[fconfigure $h -error]"
  close $h
  exit 0
}
proc Timeout {h} { puts timeout; exit 1 }
set h [socket -async 127.0.0.1 $port]
set aid [after 10000 [namespace code [list Timeout $h]]]
fileevent $h writable [namespace code [list Connected $aid $h]]
vwait forever
puts "not reached"
`,
  },
  {
    name: 'errorInfo of failing after, accept and fileevent handlers as bgerror sees it',
    script: `
proc bgerror {m} { lappend ::infos [string map {\\n |} $::errorInfo]; incr ::n }
set n 0
after 1 {error oops}
set srv [socket -server {apply {{c a p} {error accepted}}} -myaddr 127.0.0.1 0]
set c [socket -async 127.0.0.1 [lindex [fconfigure $srv -sockname] 2]]
fileevent $c writable {fileevent $c writable {}; error writ}
set timeout [after 5000 {set n 99}]
while {$n < 3} { vwait n }
after cancel $timeout
foreach i [lsort $infos] { puts [regsub {sock\\S+ 127.0.0.1 \\d+} $i {SOCK ADDR PORT}] }
close $c
close $srv
`,
  },
  {
    // Regression: on Node a failing bgerror was reported as a new background error, forever.
    name: 'a bgerror proc that fails itself does not loop; the script goes on',
    script: `
proc bgerror {m} { error "bgerror failed too" }
after 1 {error first}
after 20 {set done 1}
vwait done
puts ok
`,
  },
  {
    name: 'out-of-range and malformed ports fail as in Tcl',
    script: `
foreach cmd {{socket 127.0.0.1 70000} {socket -server x 70000} {socket localhost abc} {socket -myport abc localhost 1} {socket -foo a 1} {socket -server} {socket -server cmd} {socket} {gets nosuch} {fconfigure nosuch} {close nosuch}} {
  catch $cmd m; puts "$cmd => $m"
}
`,
  },
];
