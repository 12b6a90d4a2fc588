# Seed page, use case "async connect and no event queue", as written there (fconfigure
# -connecting, from the TIP, is in Tcl 8.6), with the closing braces put back, "do something
# else" as a short sleep, and what happened printed.
#
#   detnet run examples/tcl/no-event-queue.tcl --world scenarios/default.json --format stdout
set host localhost

set h [socket -async $host $port]
set polls 0
while {[fconfigure $h -connecting]} {
    # do something else which needs time
    incr polls
    after 5
}
# connection process terminated - check if failed
set error [fconfigure $h -error]
if {$error ne ""} {
    # connect failed
    puts "connect failed: $error"
    catch {close $h}
} else {
    # do something with the connected socket
    puts "connected to [lindex [fconfigure $h -peername] 0] after [expr {$polls > 0 ? "some" : "no"}] polling"
    puts "reply: [gets $h]"
    close $h
}
