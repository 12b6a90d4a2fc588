# Blocking puts and flush on a refused connect: flush waits for the walk and fails with ENOTCONN; a second flush has nothing left to write.
# The Tcl twin of scenarios/parity/refused-blocking-flush.json: run it with
#   detnet run scenarios/parity-tcl/refused-blocking-flush.tcl --world scenarios/parity/refused-blocking-flush.json --format stdout

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
show {flush $c1}
show {flush $c1}
show {fconfigure $c1 -error}
show {close $c1}
