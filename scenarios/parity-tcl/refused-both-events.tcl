# Readable installed before writable on a refused connect: both fire in the same notification, the newest handler (writable) first.
# The Tcl twin of scenarios/parity/refused-both-events.json: run it with
#   detnet run scenarios/parity-tcl/refused-both-events.tcl --world scenarios/parity/refused-both-events.json --format stdout

# Runs a command as written, printing it and its result (or its error: the script goes on).
proc show {script} {
    if {[catch {uplevel 1 $script} result]} {
        puts "$script -> error: $result"
    } else {
        puts "$script -> $result"
    }
}

proc W {} {
    global c1 done
    show {fileevent $c1 writable {}}
}

proc R {} {
    global c1 done
    show {fileevent $c1 readable {}}
    show {set done 1}
}

show {set c1 [socket -async 127.0.0.1 $rport]}
show {fileevent $c1 readable R}
show {fileevent $c1 writable W}
set guard [after 2000 {set done {(timed out)}}]
show {vwait done}
after cancel $guard
show {close $c1}
