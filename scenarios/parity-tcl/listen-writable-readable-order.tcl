# Listener replies "bye" and stays open; the client has a writable and (installed last) a readable handler: the readable one reads "bye" before the writable one runs.
# The Tcl twin of scenarios/parity/listen-writable-readable-order.json: run it with
#   detnet run scenarios/parity-tcl/listen-writable-readable-order.tcl --world scenarios/parity/listen-writable-readable-order.json --format stdout

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
    show {fconfigure $c1 -error}
    show {fileevent $c1 writable {}}
    show {set done 1}
}

proc R {} {
    global c1 done
    show {gets $c1}
    show {fileevent $c1 readable {}}
}

show {set c1 [socket -async 127.0.0.1 $port]}
show {fileevent $c1 writable W}
show {fileevent $c1 readable R}
set guard [after 2000 {set done {(timed out)}}]
show {vwait done}
after cancel $guard
show {close $c1}
