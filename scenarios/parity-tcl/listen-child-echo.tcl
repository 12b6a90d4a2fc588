# Child echo listener: blocking puts, flush and gets round-trip two lines (one with a space, quoted with braces in the trace).
# The Tcl twin of scenarios/parity/listen-child-echo.json: run it with
#   detnet run scenarios/parity-tcl/listen-child-echo.tcl --world scenarios/parity/listen-child-echo.json --format stdout

# Runs a command as written, printing it and its result (or its error: the script goes on).
proc show {script} {
    if {[catch {uplevel 1 $script} result]} {
        puts "$script -> error: $result"
    } else {
        puts "$script -> $result"
    }
}

show {set c1 [socket -async 127.0.0.1 $port]}
show {puts $c1 hello}
show {flush $c1}
show {gets $c1}
show {puts $c1 {two words}}
show {flush $c1}
show {gets $c1}
show {close $c1}
puts "the server received: [detnet::received $port]"
