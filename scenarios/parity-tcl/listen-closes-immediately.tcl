# Listener that closes every connection at once: the client readable handler sees gets "" and eof 1.
# The Tcl twin of scenarios/parity/listen-closes-immediately.json: run it with
#   detnet run scenarios/parity-tcl/listen-closes-immediately.tcl --world scenarios/parity/listen-closes-immediately.json --format stdout

# Runs a command as written, printing it and its result (or its error: the script goes on).
proc show {script} {
    if {[catch {uplevel 1 $script} result]} {
        puts "$script -> error: $result"
    } else {
        puts "$script -> $result"
    }
}

proc R {} {
    global c1 done
    show {gets $c1}
    show {eof $c1}
    show {fileevent $c1 readable {}}
    show {set done 1}
}

show {set c1 [socket -async 127.0.0.1 $port]}
show {fileevent $c1 readable R}
set guard [after 2000 {set done {(timed out)}}]
show {vwait done}
after cancel $guard
show {gets $c1}
show {eof $c1}
show {close $c1}
