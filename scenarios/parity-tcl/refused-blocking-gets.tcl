# Blocking gets right after socket -async to a refused port waits for the walk and fails with ENOTCONN; -error still reports the refusal once (gets does not consume it); reads keep failing and eof stays 0.
# The Tcl twin of scenarios/parity/refused-blocking-gets.json: run it with
#   detnet run scenarios/parity-tcl/refused-blocking-gets.tcl --world scenarios/parity/refused-blocking-gets.json --format stdout

# Runs a command as written, printing it and its result (or its error: the script goes on).
proc show {script} {
    if {[catch {uplevel 1 $script} result]} {
        puts "$script -> error: $result"
    } else {
        puts "$script -> $result"
    }
}

show {set c1 [socket -async 127.0.0.1 $rport]}
show {gets $c1}
show {fconfigure $c1 -error}
show {fconfigure $c1 -error}
show {gets $c1}
show {eof $c1}
show {fblocked $c1}
show {close $c1}
