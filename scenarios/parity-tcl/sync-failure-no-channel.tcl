# socket -async with -myaddr 127.0.0.1 to an IPv6 target: no attempt pair exists, so the command itself fails with the initial recorded error (host is unreachable) and no channel is created; using the variable afterwards fails like any unknown channel.
# The Tcl twin of scenarios/parity/sync-failure-no-channel.json: run it with
#   detnet run scenarios/parity-tcl/sync-failure-no-channel.tcl --world scenarios/parity/sync-failure-no-channel.json --format stdout

# Runs a command as written, printing it and its result (or its error: the script goes on).
proc show {script} {
    if {[catch {uplevel 1 $script} result]} {
        puts "$script -> error: $result"
    } else {
        puts "$script -> $result"
    }
}

show {set c1 [socket -async -myaddr 127.0.0.1 ::1 $rport]}
show {close $c1}
show {set c2 [socket -async 127.0.0.1 $rport]}
show {fconfigure $c2 -error}
show {close $c2}
