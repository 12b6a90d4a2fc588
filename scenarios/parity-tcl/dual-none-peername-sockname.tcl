# While the walk is on its second address -peername and -sockname are "" (TIP 427); after the failure -peername raises and -sockname still answers.
# The Tcl twin of scenarios/parity/dual-none-peername-sockname.json: run it with
#   detnet run scenarios/parity-tcl/dual-none-peername-sockname.tcl --world scenarios/parity/dual-none-peername-sockname.json --format stdout

# Runs a command as written, printing it and its result (or its error: the script goes on).
proc show {script} {
    if {[catch {uplevel 1 $script} result]} {
        puts "$script -> error: $result"
    } else {
        puts "$script -> $result"
    }
}

show {set c1 [socket -async localhost $rport]}
show {fconfigure $c1 -peername}
show {set c2 [socket -async localhost $rport]}
show {fconfigure $c2 -sockname}
show {fconfigure $c2}
show {fconfigure $c1 -peername}
show {fconfigure $c2 -sockname}
show {close $c1}
show {close $c2}
