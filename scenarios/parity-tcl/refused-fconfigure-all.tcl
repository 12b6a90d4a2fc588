# The all-options form on a failed socket lists the generic options and -sockname only: -peername is omitted silently, -error and -connecting are never listed.
# The Tcl twin of scenarios/parity/refused-fconfigure-all.json: run it with
#   detnet run scenarios/parity-tcl/refused-fconfigure-all.tcl --world scenarios/parity/refused-fconfigure-all.json --format stdout

# Runs a command as written, printing it and its result (or its error: the script goes on).
proc show {script} {
    if {[catch {uplevel 1 $script} result]} {
        puts "$script -> error: $result"
    } else {
        puts "$script -> $result"
    }
}

show {set c1 [socket -async 127.0.0.1 $rport]}
show {fconfigure $c1 -connecting}
show {fconfigure $c1}
show {close $c1}
