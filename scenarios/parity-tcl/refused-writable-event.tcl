# A writable handler on a refused connect fires once the event loop runs; inside it -error reports the refusal and -connecting is 0. The handler removes itself because the event is level-triggered.
# The Tcl twin of scenarios/parity/refused-writable-event.json: run it with
#   detnet run scenarios/parity-tcl/refused-writable-event.tcl --world scenarios/parity/refused-writable-event.json --format stdout

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
    show {fconfigure $c1 -connecting}
    show {fileevent $c1 writable {}}
    show {set done 1}
}

show {set c1 [socket -async 127.0.0.1 $rport]}
show {fileevent $c1 writable W}
set guard [after 2000 {set done {(timed out)}}]
show {vwait done}
after cancel $guard
show {close $c1}
