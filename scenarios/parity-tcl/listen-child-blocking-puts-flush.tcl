# Blocking puts and flush right after socket -async to a child listener: flush waits for the walk, the child receives the line, -error is empty.
# The Tcl twin of scenarios/parity/listen-child-blocking-puts-flush.json: run it with
#   detnet run scenarios/parity-tcl/listen-child-blocking-puts-flush.tcl --world scenarios/parity/listen-child-blocking-puts-flush.json --format stdout

# Runs a command as written, printing it and its result (or its error: the script goes on).
proc show {script} {
    if {[catch {uplevel 1 $script} result]} {
        puts "$script -> error: $result"
    } else {
        puts "$script -> $result"
    }
}

show {set c1 [socket -async 127.0.0.1 $port]}
show {puts $c1 ok}
show {flush $c1}
show {fconfigure $c1 -error}
show {close $c1}
puts "the server received: [detnet::received $port]"
