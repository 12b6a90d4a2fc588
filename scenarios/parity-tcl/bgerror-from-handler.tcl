# An error raised in a fileevent handler goes to bgerror, and the event loop goes on.
proc bgerror {msg} {
    puts "bgerror: $msg"
    set ::reported 1
}
proc accept {chan addr port} {close $chan}
set server [socket -server accept -myaddr 127.0.0.1 0]
set port [lindex [fconfigure $server -sockname] 2]
set s [socket -async 127.0.0.1 $port]
fileevent $s writable {
    fileevent $s writable {}
    error "the handler failed on purpose"
}
vwait reported
after 10 {set ::later "the loop still runs"}
vwait later
puts $later
close $s
close $server
