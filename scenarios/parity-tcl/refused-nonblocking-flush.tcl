# Non-blocking puts then flush right after socket -async to a refused port: puts only buffers, the flush finds the refusal and fails synchronously (no background flush); -error still has the refusal.
# The Tcl twin of scenarios/parity/refused-nonblocking-flush.json: run it with
#   detnet run scenarios/parity-tcl/refused-nonblocking-flush.tcl --world scenarios/parity/refused-nonblocking-flush.json --format stdout

# Runs a command as written, printing it and its result (or its error: the script goes on).
proc show {script} {
    if {[catch {uplevel 1 $script} result]} {
        puts "$script -> error: $result"
    } else {
        puts "$script -> $result"
    }
}

show {set c1 [socket -async 127.0.0.1 $rport]}
show {fconfigure $c1 -blocking 0}
show {puts $c1 ok}
show {flush $c1}
show {fconfigure $c1 -error}
show {close $c1}
