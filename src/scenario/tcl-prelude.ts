/**
 * Tcl source text the renderer puts into every scenario script: the tracing helpers (JSON
 * escaping, op/event/note lines, polling loops, the guarded `vwait`) and the child-process
 * listener program.
 *
 * Owns: the Tcl half of the §13 trace format. Every traced command goes through `__op`, which
 * pushes its text on a stack (so an `event` line can say `during` which command its handler
 * ran), catches errors (message and `-errorcode`) and prints one line unless a polling loop
 * has made the trace quiet. JSON escaping follows `JSON.stringify`: `\" \\ \n \r \t \b \f`
 * and `\u00XX` for the other control characters; everything else is written as UTF-8.
 *
 * Does not: know any scenario; tcl-render.ts generates the scenario-specific part.
 *
 * Departs from reality: the helpers are part of the script tclsh runs, so they add commands to
 * the interpreter but no I/O on the sockets under test and no event-loop servicing.
 *
 * About 330 lines, nearly all of it Tcl source kept verbatim in two template strings.
 */

/**
 * A Tcl proc `name {s}` that escapes `s` for a JSON string, byte-identical to
 * `JSON.stringify` (a property test in test/unit/scenario/tcl-render.test.ts checks it). Shared
 * by the prelude and the child listener, which runs as a separate tclsh process.
 */
export function tclJsonProc(name: string): string {
  return String.raw`proc ${name} {s} {
    set s [string map [list \\ \\\\ \" \\\" \n \\n \r \\r \t \\t \b \\b \f \\f] $s]
    if {[regexp {[\x00-\x1f]} $s]} {
        set out {}
        foreach ch [split $s {}] {
            scan $ch %c code
            if {$code < 32} {append out [format {\u%04x} $code]} else {append out $ch}
        }
        set s $out
    }
    return $s
}
`;
}

/** Helpers defined at the top of every rendered script (Tcl 8.6). */
export const TCL_PRELUDE = String.raw`
set ::tcl::unsupported::noReverseDNS 1
fconfigure stdout -translation lf -encoding utf-8 -buffering line
# The script's own state. Scenario variables live in ::scenario (see tcl-render.ts) and their
# names cannot contain "::", so nothing a scenario names can reach these.
namespace eval ::detnet {
    variable stack {}
    variable quiet 0
    variable map {}
    variable chans {}
    variable accepted {}
    variable servers {}
    variable children {}
    variable timedout 0
    variable chan
    variable port
    variable acount
}
namespace eval ::scenario {}

${tclJsonProc('__json')}
proc __emit {args} {
    set parts {}
    foreach {k v} $args {lappend parts "\"$k\":\"[__json $v]\""}
    puts stdout "\{[join $parts ,]\}"
}

proc __during {} {
    if {[llength $::detnet::stack] == 0} {return toplevel}
    return [lindex $::detnet::stack end]
}

# Runs one traced command; returns {code result}.
proc __op {text script} {
    set text [string map $::detnet::map $text]
    lappend ::detnet::stack $text
    set code [catch {uplevel #0 $script} res opts]
    set ::detnet::stack [lrange $::detnet::stack 0 end-1]
    if {$::detnet::quiet == 0} {
        if {$code == 1} {
            __emit op $text error $res errorcode [dict get $opts -errorcode]
        } else {
            __emit op $text result $res
        }
    }
    return [list $code $res]
}

proc __event {kind chan} {
    __emit event $kind chan $chan during [__during]
}

# A fileevent script: the event line, then the scenario's handler proc.
proc __fire {kind id name} {
    __event $kind $::detnet::chan($id)
    $name
}

proc __socket {id args} {
    set c [socket {*}$args]
    set ::detnet::chan($id) $c
    lappend ::detnet::map <$id> $c
    lappend ::detnet::chans $c
    __emit meta chan role $id name $c
    return $c
}

proc __vwait_expire {var} {
    set ::detnet::timedout 1
    set ::scenario::$var {}
}

proc __vwait {var ms} {
    set ::detnet::timedout 0
    set id [after $ms [list __vwait_expire $var]]
    vwait ::scenario::$var
    after cancel $id
    return {}
}

proc __vwait_note {var} {
    if {$::detnet::timedout} {__emit note vwait-timeout value $var}
}

# Collapses a list of values: counts 1 gives 1x3,0; counts 0 gives 1,0. Empty is {}.
proc __runs {vals counts} {
    set parts {}
    set n [llength $vals]
    for {set i 0} {$i < $n} {set i $j} {
        set v [lindex $vals $i]
        for {set j [expr {$i + 1}]} {$j < $n && [lindex $vals $j] eq $v} {incr j} {}
        if {$v eq ""} {set shown "{}"} else {set shown $v}
        if {$counts && $j - $i > 1} {append shown x[expr {$j - $i}]}
        lappend parts $shown
    }
    return [join $parts ,]
}

proc __poll {text script mode value max between record note} {
    incr ::detnet::quiet
    set vals {}
    for {set i 0} {$i < $max} {incr i} {
        lassign [__op $text $script] code res
        if {$code == 1} {
            lappend vals "error: $res"
            break
        }
        lappend vals $res
        if {$mode eq "equals"} {set stop [expr {$res eq $value}]} else {set stop [expr {$res ne $value}]}
        if {$stop} break
        uplevel #0 $between
    }
    incr ::detnet::quiet -1
    switch -- $record {
        runs {set v [__runs $vals 1]}
        changes {set v [__runs $vals 0]}
        default {set v [lindex $vals end]}
    }
    __emit note $note value $v
}

# In-process listener: accept callback. Server commands are traced like the client's.
proc __accept {role behaviour line signal c addr port} {
    __event accept $c
    lappend ::detnet::accepted $c
    incr ::detnet::acount($role)
    switch -- $behaviour {
        reply-close {
            __op [list puts $c $line] [list puts $c $line]
            __op [list close $c] [list close $c]
        }
        reply-open {
            __op [list puts $c $line] [list puts $c $line]
            __op [list flush $c] [list flush $c]
        }
        close {
            __op [list close $c] [list close $c]
        }
    }
    if {$signal ne ""} {set ::scenario::$signal $::detnet::acount($role)}
}

# Listens on 127.0.0.1, ::1 or both (same port); returns the port.
proc __listen {role on cmd} {
    for {set try 0} {$try < 50} {incr try} {
        if {$on eq "::1"} {set first ::1} else {set first 127.0.0.1}
        set s [socket -server $cmd -myaddr $first 0]
        set p [lindex [fconfigure $s -sockname] 2]
        if {$on ne "both"} {
            lappend ::detnet::servers $s
            return $p
        }
        if {![catch {socket -server $cmd -myaddr ::1 $p} s6]} {
            lappend ::detnet::servers $s $s6
            return $p
        }
        close $s
    }
    error "no port free on both loopback addresses"
}

# Untraced clean-up: close every channel, then collect the children's reports. It touches only
# channels the script made itself, recorded in ::detnet, and deletes no file.
proc __teardown {} {
    foreach c [concat $::detnet::chans $::detnet::accepted $::detnet::servers] {catch {close $c}}
    foreach ch $::detnet::children {
        catch {close $ch write}
        while {[gets $ch line] >= 0} {puts stdout $line}
        catch {close $ch}
    }
}

proc bgerror {msg} {__emit meta bgerror message $msg}
`;


/**
 * The loopback world's Tcl procs, shared by the rendered step script (TCL_PRELUDE) and the
 * wrapper around a Tcl client (tclsh-script.ts): `::detnet::refused_port` and
 * `::detnet::start_child` (which also remembers each child by port in `::detnet::child`, for
 * `detnet::received`). Both expect `::detnet::children` to exist and
 * `::detnet::child_source` to hold the child listener's program.
 */
export const TCL_WORLD_PROCS = String.raw`
# A port with no listener on either loopback address, below the ephemeral range (32768-60999 on
# Linux): a refused port from that range can be handed to the client's own wildcard bind, and a
# SYN from 127.0.0.1:P to 127.0.0.1:P then connects the socket to itself (TCP self-connect).
proc ::detnet::refused_port {} {
    for {set p 20000} {$p < 20200} {incr p} {
        if {[catch {socket -server {apply {{c a p} {close $c}}} -myaddr 127.0.0.1 $p} s]} continue
        set ok [expr {![catch {socket -server {apply {{c a p} {close $c}}} -myaddr ::1 $p} s6]}]
        close $s
        if {$ok} {
            close $s6
            return $p
        }
    }
    error "no port free on both loopback addresses in 20000..20199"
}

# Starts a child tclsh listener; returns its port. The pipeline has two words, tclsh and the
# program file this proc wrote; the listener's settings go to the child's stdin as one line of
# data (the reply line hex-encoded), so no scenario text is ever read as a pipeline word. The
# file is deleted as soon as the child answers: tclsh has read the whole program by then.
proc ::detnet::start_child {role on behaviour line delay timeout} {
    set f [file tempfile path]
    puts $f $::detnet::child_source
    close $f
    set ch [open |[list [info nameofexecutable] $path] r+]
    fconfigure $ch -translation lf -encoding utf-8 -buffering line
    puts $ch [list $role $on $behaviour [binary encode hex [encoding convertto utf-8 $line]] $delay $timeout]
    set first [gets $ch]
    file delete $path
    if {![regexp {^port ([0-9]+)$} $first -> p]} {error "child listener did not start: $first"}
    lappend ::detnet::children $ch
    set ::detnet::child($p) $ch
    return $p
}
`;

/**
 * The child-process listener (Tcl 8.6). It takes no arguments: the first line of its stdin is
 * a Tcl list of role, on (127.0.0.1 | ::1 | both), behaviour, the reply line as hex of its
 * UTF-8 bytes, accept delay (ms) and timeout (ms) — data, split as a list and never evaluated.
 * Prints `port N`, serves until its stdin reaches EOF (the parent's teardown) and every
 * connection it accepted has closed (or 2 s passed), then prints its report as note lines and
 * exits. Exits on its own after `timeout`. A line `received` on stdin is answered at once with
 * `received <list of lines so far>` (tclsh-script.ts's `detnet::received`).
 */
export const TCL_CHILD_LISTENER = String.raw`
fconfigure stdout -translation lf -encoding utf-8 -buffering line
fconfigure stdin -translation lf -encoding utf-8
if {[gets stdin config] < 0 || [catch {llength $config} n] || $n != 6} {
    puts "bad settings line"
    exit 1
}
lassign $config role on behaviour hex delay timeout
if {![string is integer -strict $delay] || ![string is integer -strict $timeout] || ![string is xdigit $hex]} {
    puts "bad settings line"
    exit 1
}
set line [encoding convertfrom utf-8 [binary decode hex $hex]]
set ::accepted 0
set ::open 0
set ::received {}
after $timeout exit

${tclJsonProc('json')}
proc readable {c} {
    if {[catch {gets $c l} n]} {set n -1}
    if {$n >= 0} {
        lappend ::received $l
        if {$::behaviour eq "echo"} {
            catch {puts $c $l; flush $c}
        }
    } elseif {[catch {eof $c} e] || $e} {
        catch {close $c}
        incr ::open -1
        set ::changed 1
    }
}

# Answers "received" on stdin (tclsh-script.ts's detnet::received): what is pending is
# serviced first, then every open connection is read to its end for now.
proc report_received {} {
    update
    foreach c $::conns {
        while {![catch {gets $c l} n] && $n >= 0} {
            lappend ::received $l
            if {$::behaviour eq "echo"} {catch {puts $c $l; flush $c}}
        }
    }
    puts [list received $::received]
}

set ::conns {}
proc accept {c a p} {
    incr ::accepted
    incr ::open
    lappend ::conns $c
    switch -- $::behaviour {
        reply-close {catch {puts $c $::line; close $c}; incr ::open -1}
        close {catch {close $c}; incr ::open -1}
        default {
            if {$::behaviour eq "reply-open"} {catch {puts $c $::line; flush $c}}
            fconfigure $c -blocking 0
            fileevent $c readable [list readable $c]
        }
    }
}

if {$on eq "::1"} {set first ::1} else {set first 127.0.0.1}
for {set try 0} {$try < 50} {incr try} {
    set s [socket -server accept -myaddr $first 0]
    set port [lindex [fconfigure $s -sockname] 2]
    if {$on ne "both" || ![catch {socket -server accept -myaddr ::1 $port}]} break
    close $s
}
puts "port $port"

proc finish {} {
    set deadline [expr {[clock milliseconds] + 2000}]
    while {$::open > 0 && [clock milliseconds] < $deadline} {
        after 20 {set ::changed 1}
        vwait ::changed
    }
    puts "\{\"note\":\"[json "$::role accepted"]\",\"value\":\"$::accepted\"\}"
    if {$::behaviour eq "echo" || $::behaviour eq "receive"} {
        puts "\{\"note\":\"[json "$::role received"]\",\"value\":\"[json [join $::received \n]]\"\}"
    }
    exit 0
}

if {$behaviour eq "never-accept"} {
    while {[gets stdin l] >= 0} {if {$l eq "received"} {puts [list received {}]}}
    finish
}
if {$delay > 0} {after $delay}
fconfigure stdin -blocking 0
fileevent stdin readable {
    if {[gets stdin l] >= 0} {
        if {$l eq "received"} report_received
    } elseif {[eof stdin]} {fileevent stdin readable {}; after idle finish}
}
vwait forever
`;
