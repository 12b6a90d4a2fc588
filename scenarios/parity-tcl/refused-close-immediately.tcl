# Closing right after socket -async (connect in flight, nothing written) succeeds at once and no event fires later.
# The Tcl twin of scenarios/parity/refused-close-immediately.json: run it with
#   detnet run scenarios/parity-tcl/refused-close-immediately.tcl --world scenarios/parity/refused-close-immediately.json --format stdout

# Runs a command as written, printing it and its result (or its error: the script goes on).
proc show {script} {
    if {[catch {uplevel 1 $script} result]} {
        puts "$script -> error: $result"
    } else {
        puts "$script -> $result"
    }
}

show {set c1 [socket -async 127.0.0.1 $rport]}
show {close $c1}
show {update}
