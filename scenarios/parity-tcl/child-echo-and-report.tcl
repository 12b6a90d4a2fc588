# An echo child on both loopback addresses: localhost tries ::1 first and connects there;
# each echoed line is checked against the server's own record of what it received.
set s [socket -async localhost $port]
fconfigure $s -buffering line
fileevent $s writable {set ::up 1}
vwait up
fileevent $s writable {}
puts "connected to [lindex [fconfigure $s -peername] 0]"
foreach word {ping {two words} pong} {
    puts $s $word
    set echo [gets $s]
    set seen [detnet::received $port]
    puts "echo: $echo; the server has seen [llength $seen]: [expr {[lindex $seen end] eq $echo ? "same" : "different"}]"
}
close $s
