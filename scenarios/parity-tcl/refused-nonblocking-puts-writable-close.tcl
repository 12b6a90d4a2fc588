# Non-blocking, puts without flush, writable handler, vwait, close on a refused connect: the handler runs during vwait and close raises "socket is not connected".
# The Tcl twin of scenarios/parity/refused-nonblocking-puts-writable-close.json: run it with
#   detnet run scenarios/parity-tcl/refused-nonblocking-puts-writable-close.tcl --world scenarios/parity/refused-nonblocking-puts-writable-close.json --format stdout

# Runs a command as written, printing it and its result (or its error: the script goes on).
proc show {script} {
    if {[catch {uplevel 1 $script} result]} {
        puts "$script -> error: $result"
    } else {
        puts "$script -> $result"
    }
}

proc W {} {
    global c1 done
    show {fileevent $c1 writable {}}
    show {set done 1}
}

show {set c1 [socket -async 127.0.0.1 $rport]}
show {fconfigure $c1 -blocking 0}
show {puts $c1 ok}
show {fileevent $c1 writable W}
set guard [after 2000 {set done {(timed out)}}]
show {vwait done}
after cancel $guard
show {close $c1}
