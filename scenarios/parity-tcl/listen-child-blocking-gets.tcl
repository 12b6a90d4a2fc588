# Child-process listener writes "ok"; -error, blocking gets, -error right after socket -async: gets waits for the walk and the data.
# The Tcl twin of scenarios/parity/listen-child-blocking-gets.json: run it with
#   detnet run scenarios/parity-tcl/listen-child-blocking-gets.tcl --world scenarios/parity/listen-child-blocking-gets.json --format stdout

# Runs a command as written, printing it and its result (or its error: the script goes on).
proc show {script} {
    if {[catch {uplevel 1 $script} result]} {
        puts "$script -> error: $result"
    } else {
        puts "$script -> $result"
    }
}

show {set c1 [socket -async 127.0.0.1 $port]}
show {fconfigure $c1 -error}
show {gets $c1}
show {fconfigure $c1 -error}
show {close $c1}
