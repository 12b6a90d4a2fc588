# A guard timer cancelled once the connect completes: the writable event wins, and after
# cancel leaves no timer behind.
proc accept {chan addr port} {close $chan}
set server [socket -server accept -myaddr 127.0.0.1 0]
set port [lindex [fconfigure $server -sockname] 2]
set s [socket -async 127.0.0.1 $port]
set guard [after 5000 {set ::state timeout}]
fileevent $s writable {set ::state connected}
vwait state
after cancel $guard
puts "state: $state"
puts "pending timers: [llength [after info]]"
puts "error: \"[fconfigure $s -error]\""
close $s
close $server
