# Closing a socket right after socket -async, before any event was serviced: it is gone
# from file channels at once, and its name no longer works.
proc accept {chan addr port} {lappend ::accepted $chan}
set server [socket -server accept -myaddr 127.0.0.1 0]
set port [lindex [fconfigure $server -sockname] 2]
set s [socket -async localhost $port]
puts "connecting: [fconfigure $s -connecting]"
close $s
puts "socks after close: [llength [lsearch -all -inline [file channels] sock*]]"
puts "using it again: [catch {fconfigure $s -error} msg] $msg"
close $server
