# Only a readable handler on a refused connect: it fires (the Unix behaviour that Windows bug 581937ab1e broke), and -error inside it gives the refusal.
# The Tcl twin of scenarios/parity/refused-readable-only.json: run it with
#   detnet run scenarios/parity-tcl/refused-readable-only.tcl --world scenarios/parity/refused-readable-only.json --format stdout

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
    show {fconfigure $c1 -error}
    show {fileevent $c1 readable {}}
    show {set done 1}
}

show {set c1 [socket -async 127.0.0.1 $rport]}
show {fileevent $c1 readable R}
set guard [after 2000 {set done {(timed out)}}]
show {vwait done}
after cancel $guard
show {close $c1}
