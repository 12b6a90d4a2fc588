# A listener that never accepts: the kernel completes the handshake into the backlog, so the async connect succeeds and a blocking write goes into the socket buffer.
# The Tcl twin of scenarios/parity/listen-child-never-accepts.json: run it with
#   detnet run scenarios/parity-tcl/listen-child-never-accepts.tcl --world scenarios/parity/listen-child-never-accepts.json --format stdout

# Runs a command as written, printing it and its result (or its error: the script goes on).
proc show {script} {
    if {[catch {uplevel 1 $script} result]} {
        puts "$script -> error: $result"
    } else {
        puts "$script -> $result"
    }
}

# Repeated values collapsed: a a a b -> ax3,b (how many depends on timing, not the order).
proc runs {values} {
    set out {}
    set prev {}
    set n 0
    foreach v [concat $values [list \0end]] {
        if {$n > 0 && $v ne $prev} {
            if {$prev eq ""} {set prev "{}"}
            if {$n == 1} {lappend out $prev} else {lappend out "${prev}x$n"}
            set n 0
        }
        set prev $v
        incr n
    }
    return [join $out ,]
}

show {set c1 [socket -async 127.0.0.1 $port]}
# Poll: fconfigure $c1 -connecting, at most 1000 times.
set values {}
for {set i 0} {$i < 1000} {incr i} {
    if {[catch {fconfigure $c1 -connecting} value]} {
        lappend values "error: $value"
        break
    }
    lappend values $value
    if {$value eq 0} break
}
puts "connecting: [runs $values]"
show {fconfigure $c1 -error}
show {puts $c1 ok}
show {flush $c1}
show {close $c1}
