# The world's in-process listener is written in Tcl (behaviour kind "tcl"): it greets with
# the client's address family; the refused port of the world is tried first.
set code [catch {socket localhost $rport} msg]
puts "refused port: $code $msg"
set s [socket -async localhost $port]
fileevent $s readable {set ::greeting [gets $s]}
vwait greeting
puts "greeting: $greeting"
close $s
