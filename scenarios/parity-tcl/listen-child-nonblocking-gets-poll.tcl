# Child-process listener writes "ok"; a non-blocking client polls gets (with a short sleep) until it returns something.
# The Tcl twin of scenarios/parity/listen-child-nonblocking-gets-poll.json: run it with
#   detnet run scenarios/parity-tcl/listen-child-nonblocking-gets-poll.tcl --world scenarios/parity/listen-child-nonblocking-gets-poll.json --format stdout

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
# Poll: gets $c1, at most 200 times.
set values {}
for {set i 0} {$i < 200} {incr i} {
    if {[catch {gets $c1} value]} {
        lappend values "error: $value"
        break
    }
    lappend values $value
    if {$value ne {}} break
    catch {after 20}
}
puts "gets: [lindex $values end]"
show {fconfigure $c1 -error}
show {close $c1}
