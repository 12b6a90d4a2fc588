# On a non-blocking channel the completion notification is delivered synchronously inside whatever stepped the machine: here the writable handler runs during fconfigure -connecting.
# The Tcl twin of scenarios/parity/refused-nonblocking-event-inside-op.json: run it with
#   detnet run scenarios/parity-tcl/refused-nonblocking-event-inside-op.tcl --world scenarios/parity/refused-nonblocking-event-inside-op.json --format stdout

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
    show {fileevent $c1 writable {}}
}

show {set c1 [socket -async 127.0.0.1 $rport]}
show {fileevent $c1 writable W}
show {fconfigure $c1 -blocking 0}
show {fconfigure $c1 -connecting}
show {fconfigure $c1 -error}
show {close $c1}
