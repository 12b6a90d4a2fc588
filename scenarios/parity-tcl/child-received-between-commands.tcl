# Reading a child server's report between client commands: after each flushed line the
# script asks the server (detnet::received) what it has so far, and stops sending once the
# server has seen "enough".
set s [socket localhost $port]
set sent 0
foreach line {first second enough extra} {
    puts $s $line
    flush $s
    incr sent
    set got [detnet::received $port]
    puts "after $line: the server has [llength $got] line(s), the last is [lindex $got end]"
    if {[lindex $got end] eq "enough"} break
}
puts "sent $sent of 4"
close $s
puts "in the end: [detnet::received $port]"
