# An "after ms script" guard around a wait that never ends by itself: the server accepts
# but never writes, so the timer ends the wait, and the handler is then removed.
proc accept {chan addr port} {
    set ::accepted $chan
}
set server [socket -server accept -myaddr 127.0.0.1 0]
set port [lindex [fconfigure $server -sockname] 2]
set s [socket localhost $port]
fileevent $s readable {set ::state readable}
set timer [after 300 {set ::state timeout}]
vwait state
puts "state: $state"
puts "timers left: [llength [after info]]"
fileevent $s readable {}
close $s
close $server
