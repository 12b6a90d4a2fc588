# Ports the step model could not write: 0, one past the top, and far above it.
foreach p {0 65536 70000} {
    set code [catch {socket localhost $p} msg]
    puts "socket localhost $p: $code $msg"
}
foreach p {0 70000} {
    set code [catch {socket -async 127.0.0.1 $p} msg]
    if {$code == 0} {
        puts "socket -async 127.0.0.1 $p: made a channel"
        close $msg
    } else {
        puts "socket -async 127.0.0.1 $p: $msg"
    }
}
