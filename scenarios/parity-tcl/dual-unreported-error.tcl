# Background flush that fails: non-blocking puts+flush while the second candidate is in flight goes to the background; update completes the walk (refused) and the flush fails silently; the next puts raises it once, the following puts buffers, flush fails from the driver, close succeeds.
# The Tcl twin of scenarios/parity/dual-unreported-error.json: run it with
#   detnet run scenarios/parity-tcl/dual-unreported-error.tcl --world scenarios/parity/dual-unreported-error.json --format stdout

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
show {update}
show {puts $c1 ok}
show {puts $c1 ok}
show {flush $c1}
show {close $c1}
