# Issue 9 item 5: a line flushed in the background while connecting (::1 refused, 127.0.0.1 listening), then a second line left in the buffer, then a non-blocking close: close moves the buffer to the output queue before it defers, so the listener receives both lines.
# The Tcl twin of scenarios/parity/dual-bgflush-close-unflushed.json: run it with
#   detnet run scenarios/parity-tcl/dual-bgflush-close-unflushed.tcl --world scenarios/parity/dual-bgflush-close-unflushed.json --format stdout

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
show {puts $c1 hello}
show {flush $c1}
show {puts $c1 world}
show {close $c1}
show {update}
puts "the server received: [detnet::received $port]"
