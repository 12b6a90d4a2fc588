# Try candidate ports in turn and stop at the first whose async connect succeeds: a loop
# with a wait inside, branching on -error.
proc accept {chan addr port} {close $chan}
set server [socket -server accept -myaddr 127.0.0.1 0]
set good [lindex [fconfigure $server -sockname] 2]
set closed [socket -server accept -myaddr 127.0.0.1 0]
set gone [lindex [fconfigure $closed -sockname] 2]
close $closed
foreach {name p} [list gone $gone good $good never-tried 1] {
    set s [socket -async 127.0.0.1 $p]
    fileevent $s writable {set ::outcome [fconfigure $s -error]}
    vwait outcome
    close $s
    if {$outcome eq ""} {
        puts "$name: connected, stopping"
        break
    }
    puts "$name: $outcome"
}
close $server
