# A loop that stops early: the server sends five lines, the client reads until it meets
# STOP and leaves the rest unread.
proc accept {chan addr port} {
    foreach l {one two STOP four five} {puts $chan $l}
    close $chan
}
set server [socket -server accept -myaddr 127.0.0.1 0]
set port [lindex [fconfigure $server -sockname] 2]
set s [socket localhost $port]
fileevent $s writable {set ::ready 1}
vwait ready
fileevent $s writable {}
update
set n 0
while {[gets $s line] >= 0} {
    incr n
    if {$line eq "STOP"} break
    puts "read: $line"
}
puts "stopped after $n lines"
puts "next unread line: [gets $s]"
close $s
close $server
