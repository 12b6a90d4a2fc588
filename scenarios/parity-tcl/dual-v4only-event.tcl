# Refused ::1 then a listener on 127.0.0.1 that never accepts: the writable handler fires once after the success, with -error "" and the IPv4 peer.
# The Tcl twin of scenarios/parity/dual-v4only-event.json: run it with
#   detnet run scenarios/parity-tcl/dual-v4only-event.tcl --world scenarios/parity/dual-v4only-event.json --format stdout

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
    show {fconfigure $c1 -peername}
    show {fileevent $c1 writable {}}
    show {set done 1}
}

show {set c1 [socket -async localhost $port]}
show {fileevent $c1 writable W}
set guard [after 2000 {set done {(timed out)}}]
show {vwait done}
after cancel $guard
show {close $c1}
