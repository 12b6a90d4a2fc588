# On a blocking channel a read that finishes the connect runs no handler; the writable handler fires only in the next update.
# The Tcl twin of scenarios/parity/refused-blocking-event-not-inside-op.json: run it with
#   detnet run scenarios/parity-tcl/refused-blocking-event-not-inside-op.tcl --world scenarios/parity/refused-blocking-event-not-inside-op.json --format stdout

# Runs a command as written, printing it and its result (or its error: the script goes on).
proc show {script} {
    if {[catch {uplevel 1 $script} result]} {
        puts "$script -> error: $result"
    } else {
        puts "$script -> $result"
    }
}

proc W {} {
    global c1
    show {fconfigure $c1 -error}
    show {fileevent $c1 writable {}}
}

show {set c1 [socket -async 127.0.0.1 $rport]}
show {fileevent $c1 writable W}
show {read $c1}
show {update}
show {close $c1}
