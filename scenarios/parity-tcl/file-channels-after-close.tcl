# file channels before and after close: a closed socket (client, accepted or server) is
# gone from the list at once.
proc socks {} {llength [lsearch -all -inline [file channels] sock*]}
proc accept {chan addr port} {lappend ::accepted $chan}
set server [socket -server accept -myaddr 127.0.0.1 0]
set port [lindex [fconfigure $server -sockname] 2]
puts "after socket -server: [socks]"
set s [socket 127.0.0.1 $port]
vwait accepted
puts "after connect and accept: [socks]"
close $s
puts "after closing the client: [socks]"
close [lindex $accepted 0]
puts "after closing the accepted one: [socks]"
close $server
puts "after closing the server: [socks]"
puts "standard channels still there: [lsort [lsearch -all -inline -regexp [file channels] {^std}]]"
