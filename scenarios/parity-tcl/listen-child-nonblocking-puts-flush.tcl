# Non-blocking puts and flush right after socket -async to a child listener: on loopback the flush finds the connect done and writes directly; the child receives the line without any event loop in the client.
# The Tcl twin of scenarios/parity/listen-child-nonblocking-puts-flush.json: run it with
#   detnet run scenarios/parity-tcl/listen-child-nonblocking-puts-flush.tcl --world scenarios/parity/listen-child-nonblocking-puts-flush.json --format stdout

# Runs a command as written, printing it and its result (or its error: the script goes on).
proc show {script} {
    if {[catch {uplevel 1 $script} result]} {
        puts "$script -> error: $result"
    } else {
        puts "$script -> $result"
    }
}

show {set c1 [socket -async 127.0.0.1 $port]}
show {fconfigure $c1 -blocking 0}
show {puts $c1 ok}
show {flush $c1}
show {fconfigure $c1 -error}
show {close $c1}
puts "the server received: [detnet::received $port]"
