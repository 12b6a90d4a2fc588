# Seed page, use case "async connect and blocking operation", as written there, with the
# closing braces put back, "do something else" as a short sleep, and what happened printed.
#
#   detnet run examples/tcl/async-then-blocking.tcl --world scenarios/default.json --format stdout
set host localhost

set h [socket -async $host $port]
# do something else which needs time
after 10
# check if failed. Start also next try of multiple IPs of $host
set error [fconfigure $h -error]
if {$error ne""} {
    # connect failed
    puts "first check: $error"
    catch {close $h}
}
# do something else which needs time
after 10
# check if failed. Start also next try of multiple IPs of $host
set error [fconfigure $h -error]
if {$error ne""} {
    # connect failed
    puts "second check: $error"
    catch {close $h}
}
# nothing to do, so do the rest syncroneously
# this blocks !
if {[catch {
    puts $h "HELO"
    flush $h
    set Data [gets $h]
    close $h
} error]} {
    # connect failed
    puts "failed: $error"
    catch {close $h}
} else {
    puts "reply: $Data"
}
