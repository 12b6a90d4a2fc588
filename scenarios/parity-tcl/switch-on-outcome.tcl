# One proc classifies connect outcomes with switch: connected, refused, or closed by the peer
# right away (seen as eof on the first read).
proc closer {chan addr port} {close $chan}
proc greeter {chan addr port} {puts $chan hello; close $chan}
set a [socket -server closer -myaddr 127.0.0.1 0]
set b [socket -server greeter -myaddr 127.0.0.1 0]
set c [socket -server closer -myaddr 127.0.0.1 0]
set refused [lindex [fconfigure $c -sockname] 2]
close $c
proc outcome {port} {
    set s [socket -async 127.0.0.1 $port]
    fileevent $s writable [list set ::w($port) 1]
    vwait ::w($port)
    set err [fconfigure $s -error]
    set kind [expr {$err eq "" ? "ok" : "error"}]
    switch -- $kind {
        ok {
            fconfigure $s -blocking 1
            set n [gets $s line]
            set result [expr {$n < 0 ? "connected, then eof" : "connected, said $line"}]
        }
        error {set result "failed: $err"}
    }
    close $s
    return $result
}
puts "closer: [outcome [lindex [fconfigure $a -sockname] 2]]"
puts "greeter: [outcome [lindex [fconfigure $b -sockname] 2]]"
puts "refused: [outcome $refused]"
close $a
close $b
