# Blocking channel, puts buffered, connect refused: close flushes, the flush fails, and close raises "socket is not connected" without a prefix.
# The Tcl twin of scenarios/parity/refused-blocking-puts-close.json: run it with
#   detnet run scenarios/parity-tcl/refused-blocking-puts-close.tcl --world scenarios/parity/refused-blocking-puts-close.json --format stdout

# Runs a command as written, printing it and its result (or its error: the script goes on).
proc show {script} {
    if {[catch {uplevel 1 $script} result]} {
        puts "$script -> error: $result"
    } else {
        puts "$script -> $result"
    }
}

show {set c1 [socket -async 127.0.0.1 $rport]}
show {puts $c1 ok}
show {close $c1}
