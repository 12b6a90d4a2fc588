# A readable handler that branches on eof: the server says one line and closes, so the
# handler first gets the line, then sees the end (the step model had to unroll this).
proc accept {chan addr port} {
    puts $chan "the only line"
    close $chan
}
set server [socket -server accept -myaddr 127.0.0.1 0]
set port [lindex [fconfigure $server -sockname] 2]

proc readable {s} {
    if {[gets $s line] >= 0} {
        puts "line: $line"
    } elseif {[eof $s]} {
        puts "eof: closing"
        close $s
        set ::done 1
    } else {
        puts "no full line yet"
    }
}
set s [socket -async localhost $port]
fconfigure $s -blocking 0
fileevent $s readable [list readable $s]
vwait done
close $server
