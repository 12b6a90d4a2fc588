# Non-blocking gets on a refused connect: the one readiness check finds the refusal already known (Linux loopback), so gets fails with ENOTCONN at once; fblocked and eof are 0.
# The Tcl twin of scenarios/parity/refused-nonblocking-gets.json: run it with
#   detnet run scenarios/parity-tcl/refused-nonblocking-gets.tcl --world scenarios/parity/refused-nonblocking-gets.json --format stdout

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
show {gets $c1}
show {fblocked $c1}
show {eof $c1}
show {read $c1}
show {fconfigure $c1 -error}
show {close $c1}
