# Seed page, use case "Background connect and notification about connect", as written there,
# with only what the page's formatting lost put back: the closing braces, a Receive proc (the
# page derives it from the next use case), and a variable the script sets when it is done
# instead of "vwait forever", so the script ends. Where the page's code differs from what it
# meant (after cancel aid, without the $), the page's text is kept: Tcl accepts it silently.
#
#   detnet run examples/tcl/background-connect.tcl --world scenarios/default.json --format stdout
#   detnet run examples/tcl/background-connect.tcl --world scenarios/default.json --backend tclsh
set host localhost

proc Connected {aid h} {
    # cancel timeout
    after cancel aid
    # check connect succes or fail
    set error [fconfigure $h -error]
    if {$error ne ""} {
        puts "connect failed: $error"
        catch {close $h}
        set ::done failed
        return
    }
    # disable writable event as it will come again and again if nothing written here
    fileevent $h writable ""
    # do something with the socket
    puts $h "HELO"
    flush $h
    puts "connected, sent HELO"
    # install readable event to process reply
    fileevent $h readable [list Receive $h]
}
proc Timeout {h} {
    # Connect timeout
    puts "timeout"
    catch {close $h}
    set ::done timeout
}
proc Receive {h} {
    if {[catch {gets $h} data]} {
        catch {close $h}
        set ::done "read error"
        return
    }
    if {[eof $h]} {
        catch {close $h}
        set ::done eof
        return
    }
    puts "reply: $data"
    catch {close $h}
    set ::done replied
}
set h [socket -async $host $port]
set aid [after 10000 [namespace code [list Timeout $h]]]
fileevent $h writable [namespace code [list Connected $aid $h]]
vwait done
puts "done: $done"
