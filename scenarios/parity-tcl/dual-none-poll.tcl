# localhost with no listener on either family: -connecting 1 (the ::1 failure is consumed silently), then -error itself finishes the walk and returns the last error, then -connecting 0 and -error "".
# The Tcl twin of scenarios/parity/dual-none-poll.json: run it with
#   detnet run scenarios/parity-tcl/dual-none-poll.tcl --world scenarios/parity/dual-none-poll.json --format stdout

# Runs a command as written, printing it and its result (or its error: the script goes on).
proc show {script} {
    if {[catch {uplevel 1 $script} result]} {
        puts "$script -> error: $result"
    } else {
        puts "$script -> $result"
    }
}

show {set c1 [socket -async localhost $rport]}
show {fconfigure $c1 -connecting}
show {fconfigure $c1 -error}
show {fconfigure $c1 -connecting}
show {fconfigure $c1 -error}
show {close $c1}
