# Background flush then close on a connect that succeeds (::1 refused, 127.0.0.1 listening): close returns at once and the next update completes the connect, writes the data and closes; the listener receives the line.
# The Tcl twin of scenarios/parity/dual-bgflush-close-delivers.json: run it with
#   detnet run scenarios/parity-tcl/dual-bgflush-close-delivers.tcl --world scenarios/parity/dual-bgflush-close-delivers.json --format stdout

# Runs a command as written, printing it and its result (or its error: the script goes on).
proc show {script} {
    if {[catch {uplevel 1 $script} result]} {
        puts "$script -> error: $result"
    } else {
        puts "$script -> $result"
    }
}

show {set c1 [socket -async localhost $port]}
show {fconfigure $c1 -blocking 0}
show {puts $c1 ok}
show {flush $c1}
show {close $c1}
show {update}
puts "the server received: [detnet::received $port]"
