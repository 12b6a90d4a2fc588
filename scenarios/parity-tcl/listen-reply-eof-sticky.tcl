# Listener that replies one line and closes; the client vwaits for the accept, then blocking gets returns the line; after it, gets returns "" and eof stays 1 on every later call.
# The Tcl twin of scenarios/parity/listen-reply-eof-sticky.json: run it with
#   detnet run scenarios/parity-tcl/listen-reply-eof-sticky.tcl --world scenarios/parity/listen-reply-eof-sticky.json --format stdout

# Runs a command as written, printing it and its result (or its error: the script goes on).
proc show {script} {
    if {[catch {uplevel 1 $script} result]} {
        puts "$script -> error: $result"
    } else {
        puts "$script -> $result"
    }
}

show {set c1 [socket -async 127.0.0.1 $port]}
set guard [after 2000 {set accepted {(timed out)}}]
show {vwait accepted}
after cancel $guard
show {gets $c1}
show {gets $c1}
show {eof $c1}
show {gets $c1}
show {eof $c1}
show {fblocked $c1}
show {close $c1}
