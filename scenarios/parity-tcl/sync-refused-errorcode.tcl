# A synchronous refused connect as a caught error: message, errorcode and no channel left
# behind; then the same port with -async fails later, through -error.
set c [socket -server {apply {{c a p} {close $c}}} -myaddr 127.0.0.1 0]
set port [lindex [fconfigure $c -sockname] 2]
close $c
set before [llength [file channels]]
set code [catch {socket 127.0.0.1 $port} msg opts]
puts "code $code: $msg"
puts "errorcode: [dict get $opts -errorcode]"
puts "channels left behind: [expr {[llength [file channels]] - $before}]"
set s [socket -async 127.0.0.1 $port]
fileevent $s writable {set ::done 1}
vwait done
puts "async: -error \"[fconfigure $s -error]\""
close $s
