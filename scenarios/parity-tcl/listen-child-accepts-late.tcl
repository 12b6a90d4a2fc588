# A listener that accepts only after 300 ms and then replies: the blocking gets waits for the reply.
# The Tcl twin of scenarios/parity/listen-child-accepts-late.json: run it with
#   detnet run scenarios/parity-tcl/listen-child-accepts-late.tcl --world scenarios/parity/listen-child-accepts-late.json --format stdout

# Runs a command as written, printing it and its result (or its error: the script goes on).
proc show {script} {
    if {[catch {uplevel 1 $script} result]} {
        puts "$script -> error: $result"
    } else {
        puts "$script -> $result"
    }
}

show {set c1 [socket -async 127.0.0.1 $port]}
show {gets $c1}
show {close $c1}
