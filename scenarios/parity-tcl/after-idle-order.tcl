# Order of the event sources: a zero timer, an idle callback and a writable event, all ready
# at once: update runs them in Tcl's order.
proc accept {chan addr port} {close $chan}
set server [socket -server accept -myaddr 127.0.0.1 0]
set port [lindex [fconfigure $server -sockname] 2]
set s [socket 127.0.0.1 $port]
set order {}
after idle {lappend ::order idle}
after 0 {lappend ::order timer}
fileevent $s writable {lappend ::order writable; fileevent $s writable {}}
update
puts "order: $order"
close $s
close $server
