# Non-blocking gets on a partial line: -1 with fblocked 1, then the rest arrives and the
# whole line comes out; gets with a variable returns the count.
proc accept {chan addr port} {
    set ::peer $chan
    fconfigure $chan -buffering none
    puts -nonewline $chan "half a "
}
set server [socket -server accept -myaddr 127.0.0.1 0]
set port [lindex [fconfigure $server -sockname] 2]
set s [socket 127.0.0.1 $port]
fconfigure $s -blocking 0
fileevent $s readable {set ::r 1}
vwait r
puts "gets: [gets $s line], fblocked: [fblocked $s], eof: [eof $s]"
puts $peer "line"
vwait r
puts "gets: [gets $s line] -> $line"
close $peer
vwait r
puts "at the end: [gets $s line], eof: [eof $s]"
close $s
close $server
