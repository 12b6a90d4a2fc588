# Non-blocking puts+flush in the background, then close before the outcome: close returns "" at once and the later failure is never reported.
# The Tcl twin of scenarios/parity/dual-bgflush-close-early.json: run it with
#   detnet run scenarios/parity-tcl/dual-bgflush-close-early.tcl --world scenarios/parity/dual-bgflush-close-early.json --format stdout

# Runs a command as written, printing it and its result (or its error: the script goes on).
proc show {script} {
    if {[catch {uplevel 1 $script} result]} {
        puts "$script -> error: $result"
    } else {
        puts "$script -> $result"
    }
}

show {set c1 [socket -async localhost $rport]}
show {fconfigure $c1 -blocking 0}
show {puts $c1 ok}
show {flush $c1}
show {close $c1}
show {update}
