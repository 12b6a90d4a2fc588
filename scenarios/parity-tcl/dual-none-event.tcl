# Two refused candidates and a writable handler: it fires once, after the last candidate failed (never after the intermediate failure), so -connecting is 0 and -error has the refusal inside it.
# The Tcl twin of scenarios/parity/dual-none-event.json: run it with
#   detnet run scenarios/parity-tcl/dual-none-event.tcl --world scenarios/parity/dual-none-event.json --format stdout

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
    show {fconfigure $c1 -connecting}
    show {fconfigure $c1 -error}
    show {fileevent $c1 writable {}}
    show {set done 1}
}

show {set c1 [socket -async localhost $rport]}
show {fileevent $c1 writable W}
set guard [after 2000 {set done {(timed out)}}]
show {vwait done}
after cancel $guard
show {close $c1}
