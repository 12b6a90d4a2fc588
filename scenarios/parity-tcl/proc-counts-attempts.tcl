# Bookkeeping in a proc (incr, lappend, string, format) around a retry loop: three refused
# attempts, then the server is opened and the fourth succeeds.
proc try_connect {port} {
    global attempts log
    incr attempts
    if {[catch {socket 127.0.0.1 $port} s]} {
        lappend log [format "attempt %d: %s" $attempts [string map {"couldn't open socket: " ""} $s]]
        return ""
    }
    lappend log [format "attempt %d: connected" $attempts]
    return $s
}
set tmp [socket -server {apply {{c a p} {close $c}}} -myaddr 127.0.0.1 0]
set port [lindex [fconfigure $tmp -sockname] 2]
close $tmp
set attempts 0
set log {}
while {[set s [try_connect $port]] eq ""} {
    if {$attempts == 3} {
        set server [socket -server {apply {{c a p} {close $c}}} -myaddr 127.0.0.1 $port]
    }
}
puts [join $log \n]
puts "total: $attempts, [string toupper ok]"
close $s
close $server
