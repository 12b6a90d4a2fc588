# socket -server in the script itself: an echo server and a client in one interpreter,
# three lines there and back.
proc echo {chan} {
    if {[gets $chan line] >= 0} {
        puts $chan $line
        flush $chan
    } elseif {[eof $chan]} {
        close $chan
    }
}
proc accept {chan addr port} {
    fconfigure $chan -blocking 0 -buffering line
    fileevent $chan readable [list echo $chan]
}
set server [socket -server accept -myaddr 127.0.0.1 0]
set port [lindex [fconfigure $server -sockname] 2]
set s [socket localhost $port]
fconfigure $s -blocking 0
fileevent $s readable {
    if {[gets $s line] >= 0} {lappend ::echoed $line}
}
foreach word {alpha beta {gamma delta}} {
    puts $s $word
    flush $s
    vwait echoed
}
puts "echoed [llength $echoed] lines: $echoed"
close $s
close $server
