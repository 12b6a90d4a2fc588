# A polling loop keeps the events it causes: the writable handler runs synchronously inside the first -connecting query of the loop (its own commands are not written, like the loop's). Afterwards nothing can wake a vwait, so its guard ends it.
# The Tcl twin of scenarios/parity/refused-nonblocking-poll-then-idle-vwait.json: run it with
#   detnet run scenarios/parity-tcl/refused-nonblocking-poll-then-idle-vwait.tcl --world scenarios/parity/refused-nonblocking-poll-then-idle-vwait.json --format stdout

# Runs a command as written, printing it and its result (or its error: the script goes on).
proc show {script} {
    if {[catch {uplevel 1 $script} result]} {
        puts "$script -> error: $result"
    } else {
        puts "$script -> $result"
    }
}

# Repeated values collapsed: a a a b -> ax3,b (how many depends on timing, not the order).
proc runs {values} {
    set out {}
    set prev {}
    set n 0
    foreach v [concat $values [list \0end]] {
        if {$n > 0 && $v ne $prev} {
            if {$prev eq ""} {set prev "{}"}
            if {$n == 1} {lappend out $prev} else {lappend out "${prev}x$n"}
            set n 0
        }
        set prev $v
        incr n
    }
    return [join $out ,]
}

proc W {} {
    global c1 never
    show {fconfigure $c1 -error}
    show {fileevent $c1 writable {}}
}

show {set c1 [socket -async 127.0.0.1 $rport]}
show {fileevent $c1 writable W}
show {fconfigure $c1 -blocking 0}
# Poll: fconfigure $c1 -connecting, at most 1000 times.
set values {}
for {set i 0} {$i < 1000} {incr i} {
    if {[catch {fconfigure $c1 -connecting} value]} {
        lappend values "error: $value"
        break
    }
    lappend values $value
    if {$value eq 0} break
}
puts "connecting: [runs $values]"
set guard [after 200 {set never {(timed out)}}]
show {vwait never}
after cancel $guard
show {fconfigure $c1 -error}
show {close $c1}
