/**
 * The observation trace of a Tcl client in real tclsh: Tcl procs that the wrapper of
 * tclsh-script.ts installs before it `source`s the script, so that tclsh records the §13 lines
 * (`{op, result}`, `{op, error, errorcode}`, `{event, chan, during}`) detnet's interpreter
 * records on the sim and Node backends, for the same commands and with the same `op` text.
 *
 * Owns: interposing on the socket and event commands — `socket` (client and `-server`),
 * `fconfigure` / `chan configure`, `fileevent` / `chan event` (the handler script gets a first
 * command that records its `event` line), `gets`, `read`, `puts` to a socket, `flush`, `close`,
 * `eof`, `fblocked` / `chan blocked`, `update`, `vwait`, `after ms`, `after ms script` and an
 * `after cancel` that finds a pending script (recorded with its id). Each
 * original is renamed to `::detnet::_<name>`; the wrapper runs it in the caller's frame (so
 * `gets $s line` sets the caller's variable), records one line, and gives back what the
 * original gave: its result, or its error with `return -code error -errorcode`, so `catch`,
 * `$::errorCode` and the message read as unwrapped tclsh's. The `op` text is canonicalised as
 * src/socket/ writes it (`socket -async -myaddr a host port`, `fconfigure $s -blocking 0`,
 * `read $s` for `read -nonewline $s` with the unstripped data as result …).
 *
 * What is traced follows tcl-script-run.ts's rule: only channels the script's sockets made
 * (client, accepted and server sockets; a server socket only for `close`), never stdout,
 * stderr, stdin or the wrapper's own pipes, and never a command whose words detnet's
 * interpreter rejects before it reaches a socket (wrong arguments, an unknown channel): those
 * run the original untraced. A `during` stack gives each event line the innermost traced
 * command running, or `toplevel`.
 *
 * Does not: normalise names or ports (observation.ts does, from the `meta port` lines the
 * wrapper writes), or set up the world (tclsh-script.ts).
 *
 * Departs from the script run alone: the wrapped commands are procs, so `info commands` shows
 * the `::detnet::_*` originals and an error inside a handler reports one more frame in
 * errorInfo; reverse DNS is off (`-peername` repeats the address, as the prelude's runs do),
 * so the trace can be normalised; a wrong-arguments message names the command as the script
 * wrote it. The side file is opened, appended and closed per line so that it never appears in
 * `file channels`.
 */
import { tclJsonProc } from './tcl-prelude.js';

/** File name of the observation lines beside the wrapper script. */
export const TCLSH_OBS_FILE = 'obs.jsonl';

/** Tcl source: the tracing wrappers (recording starts when `::detnet::obs::path` is set). */
export const TCLSH_OBS_PROCS = String.raw`
set ::tcl::unsupported::noReverseDNS 1
namespace eval ::detnet::obs {
    variable path {}
    variable stack {}
    variable known
    array set known {}
    variable servers
    array set servers {}
}
${tclJsonProc('::detnet::obs::json')}
proc ::detnet::obs::emit {args} {
    variable path
    if {$path eq ""} return
    set parts {}
    foreach {k v} $args {lappend parts "\"$k\":\"[json $v]\""}
    set f [open $path a]
    ::detnet::_fconfigure $f -translation lf -encoding utf-8
    ::detnet::_puts $f "\{[join $parts ,]\}"
    ::detnet::_close $f
}
proc ::detnet::obs::during {} {
    variable stack
    if {[llength $stack] == 0} {return toplevel}
    return [lindex $stack end]
}
# Runs script in the frame of the wrapper's caller; records it as op text unless text is "".
# On success, a non-empty then is called with the result and gives the result to return.
# Returns {code result errorcode}.
proc ::detnet::obs::run {text script {then {}}} {
    variable stack
    if {$text ne ""} {lappend stack $text}
    set code [catch {uplevel 2 $script} res opts]
    if {$text ne ""} {set stack [lrange $stack 0 end-1]}
    if {$code == 1} {
        set res [string map {::detnet::_ {}} $res]
        set ec [dict get $opts -errorcode]
        if {$text ne ""} {emit op $text error $res errorcode $ec}
        return [list 1 $res $ec]
    }
    if {$text ne ""} {emit op $text result $res}
    if {$then ne ""} {set res [{*}$then $res]}
    return [list $code $res {}]
}
proc ::detnet::obs::known {ch} {
    variable known
    return [info exists known($ch)]
}
proc ::detnet::obs::event {kind ch} {
    emit event $kind chan $ch during [during]
}
proc ::detnet::obs::accept {cmd ch addr port} {
    variable known
    set known($ch) 1
    event accept $ch
    uplevel #0 $cmd [list $ch $addr $port]
}
# The prefix put before a fileevent handler's script, and its removal for a query.
proc ::detnet::obs::prefix {kind ch} {return "::detnet::obs::event $kind $ch\n"}
proc ::detnet::obs::query {ch kind} {
    set s [::detnet::_fileevent $ch $kind]
    set p [prefix $kind $ch]
    if {[string first $p $s] == 0} {set s [string range $s [string length $p] end]}
    return $s
}
# The wrappers' common ending: the original's result or error, as the original gave it.
proc ::detnet::obs::give {r} {
    lassign $r code res ec
    if {$code == 1} {return -code error -level 2 -errorcode $ec $res}
    return -level 2 $res
}

foreach ::detnet::obs::c {socket fconfigure fileevent gets read puts flush close eof fblocked update vwait after chan} {
    rename $::detnet::obs::c ::detnet::_$::detnet::obs::c
}
unset ::detnet::obs::c
# chan's ensemble sends "configure" to ::fconfigure: the original, so its messages say "chan configure".
namespace ensemble configure ::detnet::_chan -map [dict replace [namespace ensemble configure ::detnet::_chan -map] configure ::detnet::_fconfigure]

# The shape of each wrapped command: {text script ?then?} for run (text "" when untraced).
proc ::detnet::obs::plain {name words} {return [list {} [list ::detnet::_$name {*}$words]]}
proc ::detnet::obs::adopt {kind ch} {
    variable $kind
    set [set kind]($ch) 1
    return $ch
}
proc ::detnet::obs::strip {data} {
    if {[string index $data end] eq "\n"} {return [string range $data 0 end-1]}
    return $data
}
proc ::detnet::obs::shape_socket {args} {
    set i 0; set n [llength $args]; set async 0; set server {}; set opts {}; set ok 1
    set isserver 0
    while {$i < $n && [string index [lindex $args $i] 0] eq "-"} {
        set o [lindex $args $i]
        switch -- $o {
            -async {set async 1}
            -server - -myaddr - -myport {
                if {$i + 1 >= $n} {set ok 0; break}
                set v [lindex $args [incr i]]
                if {$o eq "-server"} {set server $v; set isserver 1} else {dict set opts $o $v}
            }
            default {set ok 0; break}
        }
        incr i
    }
    set rest [lrange $args $i end]
    if {$ok && $isserver && [llength $rest] == 1 && ![dict exists $opts -myport]} {
        set words [list socket -server $server]
        if {$async} {lappend words -async}
        if {[dict exists $opts -myaddr]} {lappend words -myaddr [dict get $opts -myaddr]}
        lappend words [lindex $rest 0]
        set call [list ::detnet::_socket -server [list ::detnet::obs::accept $server] {*}$opts {*}$rest]
        return [list [join $words] $call [list ::detnet::obs::adopt servers]]
    }
    if {!$ok || $isserver || [llength $rest] != 2 || ![string is integer -strict [lindex $rest 1]]} {
        return [plain socket $args]
    }
    set words [list socket]
    if {$async} {lappend words -async}
    foreach o {-myaddr -myport} {if {[dict exists $opts $o]} {lappend words $o [dict get $opts $o]}}
    lappend words {*}$rest
    return [list [join $words] [list ::detnet::_socket {*}$args] [list ::detnet::obs::adopt known]]
}
proc ::detnet::obs::shape_fconfigure {args} {
    set ch [lindex $args 0]
    set rest [lrange $args 1 end]
    if {[llength $args] < 1 || ![known $ch] || ([llength $rest] > 1 && [llength $rest] % 2 != 0)} {
        return [plain fconfigure $args]
    }
    set text "fconfigure $ch"
    if {[llength $rest] == 1} {append text " [lindex $rest 0]"}
    if {[llength $rest] > 1} {foreach {k v} $rest {append text " $k [list $v]"}}
    return [list $text [list ::detnet::_fconfigure {*}$args]]
}
proc ::detnet::obs::shape_fileevent {args} {
    lassign $args ch kind script
    if {[llength $args] < 2 || [llength $args] > 3 || $kind ni {readable writable} || ![known $ch]} {
        return [plain fileevent $args]
    }
    if {[llength $args] == 2} {return [list "fileevent $ch $kind" [list ::detnet::obs::query $ch $kind]]}
    if {$script ne ""} {set script "[prefix $kind $ch]$script"}
    return [list "fileevent $ch $kind [list [lindex $args 2]]" [list ::detnet::_fileevent $ch $kind $script]]
}
proc ::detnet::obs::shape_gets {args} {
    set ch [lindex $args 0]
    if {[llength $args] < 1 || [llength $args] > 2 || ![known $ch]} {return [plain gets $args]}
    set text "gets $ch"
    if {[llength $args] == 2} {append text " [list [lindex $args 1]]"}
    return [list $text [list ::detnet::_gets {*}$args]]
}
proc ::detnet::obs::shape_read {args} {
    set strip [expr {[lindex $args 0] eq "-nonewline"}]
    set words [lrange $args $strip end]
    set ch [lindex $words 0]
    if {[llength $words] < 1 || [llength $words] > 2 - $strip || ![known $ch]
        || ([llength $words] == 2 && ![string is integer -strict [lindex $words 1]])} {
        return [plain read $args]
    }
    # Recorded as detnet records it: the data as read, before -nonewline drops the newline.
    return [list [join [list read {*}$words]] [list ::detnet::_read {*}$words] [expr {$strip ? "::detnet::obs::strip" : ""}]]
}
proc ::detnet::obs::shape_puts {args} {
    set words $args
    set nonewline 0
    if {[llength $words] > 1 && [lindex $words 0] eq "-nonewline"} {
        set nonewline 1
        set words [lrange $words 1 end]
    } elseif {[llength $words] == 3 && [lindex $words 2] eq "nonewline"} {
        set nonewline 1
        set words [lrange $words 0 1]
    }
    if {[llength $words] != 2 || ![known [lindex $words 0]]} {return [plain puts $args]}
    lassign $words ch text
    set op [expr {$nonewline ? "puts -nonewline $ch [list $text]" : "puts $ch [list $text]"}]
    return [list $op [list ::detnet::_puts {*}$args]]
}
proc ::detnet::obs::shape_one {name args} {
    set ch [lindex $args 0]
    if {[llength $args] != 1 || ![known $ch]} {return [plain $name $args]}
    return [list "$name $ch" [list ::detnet::_$name $ch]]
}
proc ::detnet::obs::shape_flush {args} {shape_one flush {*}$args}
proc ::detnet::obs::shape_eof {args} {shape_one eof {*}$args}
proc ::detnet::obs::shape_fblocked {args} {shape_one fblocked {*}$args}
proc ::detnet::obs::shape_close {args} {
    variable known
    variable servers
    set ch [lindex $args 0]
    if {[llength $args] != 1 || !([known $ch] || [info exists servers($ch)])} {return [plain close $args]}
    # Gone whatever close says: tclsh drops the channel even when closing it fails.
    unset -nocomplain known($ch) servers($ch)
    return [list "close $ch" [list ::detnet::_close $ch]]
}
proc ::detnet::obs::shape_update {args} {
    return [list [expr {[llength $args] == 0 ? "update" : ""}] [list ::detnet::_update {*}$args]]
}
proc ::detnet::obs::shape_vwait {args} {
    return [list [expr {[llength $args] == 1 ? "vwait [lindex $args 0]" : ""}] [list ::detnet::_vwait {*}$args]]
}
proc ::detnet::obs::shape_after {args} {
    set ms [lindex $args 0]
    if {[llength $args] >= 1 && [string is wideinteger -strict $ms]} {
        set ms [expr {max(0, $ms)}]
        if {[llength $args] == 1} {return [list "after $ms" [list ::detnet::_after {*}$args]]}
        set script [expr {[llength $args] == 2 ? [lindex $args 1] : [join [lrange $args 1 end]]}]
        return [list "after $ms [list $script]" [list ::detnet::_after {*}$args]]
    }
    if {$ms eq "cancel" && [llength $args] >= 2} {
        # Traced when it names a pending script, by id or by its text (the earliest), as the id.
        set what [expr {[llength $args] == 2 ? [lindex $args 1] : [join [lrange $args 1 end]]}]
        set pending [lreverse [::detnet::_after info]]
        if {$what in $pending} {return [list "after cancel $what" [list ::detnet::_after cancel $what]]}
        foreach id $pending {
            if {[lindex [::detnet::_after info $id] 0] eq $what} {return [list "after cancel $id" [list ::detnet::_after cancel $id]]}
        }
    }
    return [plain after $args]
}
# The wrappers; chan sends a socket's subcommands to the same shapes.
foreach ::detnet::obs::c {socket fconfigure fileevent gets read puts flush close eof fblocked update vwait after} {
    proc $::detnet::obs::c {args} [string map [list NAME $::detnet::obs::c] {
        ::detnet::obs::give [::detnet::obs::run {*}[::detnet::obs::shape_NAME {*}$args]]
    }]
}
unset ::detnet::obs::c
proc chan {args} {
    set sub [lindex $args 0]
    set rest [lrange $args 1 end]
    set ch [lindex $rest [expr {$sub in {puts read} && [lindex $rest 0] eq "-nonewline" ? 1 : 0}]]
    set map {configure fconfigure event fileevent gets gets read read puts puts flush flush close close eof eof blocked fblocked}
    if {[llength $rest] >= 1 && [dict exists $map $sub] && [::detnet::obs::known $ch]} {
        set shape [::detnet::obs::shape_[dict get $map $sub] {*}$rest]
        # A shape the command rejects runs as "chan ..." below, for chan's own messages.
        if {[lindex $shape 0] ne ""} {::detnet::obs::give [::detnet::obs::run {*}$shape]}
    }
    ::detnet::obs::give [::detnet::obs::run {} [list ::detnet::_chan {*}$args]]
}
`;
