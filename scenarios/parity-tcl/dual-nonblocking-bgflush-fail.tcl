# Non-blocking puts+flush go to the background, the walk then fails (both candidates refused); the writable handler still fires and close reports "socket is not connected" (bug 97069ea11a fixed: the message is not empty).
# The Tcl twin of scenarios/parity/dual-nonblocking-bgflush-fail.json: run it with
#   detnet run scenarios/parity-tcl/dual-nonblocking-bgflush-fail.tcl --world scenarios/parity/dual-nonblocking-bgflush-fail.json --format stdout

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

show {set c1 [socket -async localhost $rport]}
show {fconfigure $c1 -blocking 0}
show {puts $c1 ok}
show {flush $c1}
show {fileevent $c1 writable W}
set guard [after 2000 {set done {(timed out)}}]
show {vwait done}
after cancel $guard
show {close $c1}
