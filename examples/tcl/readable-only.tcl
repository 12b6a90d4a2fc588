# Seed page, use case "Background connect and only readevent", as written there, with what
# the page's formatting lost put back (closing braces, returns after each close), the handler
# registered under the name the page defines (Receive, with the socket as its argument) and a
# variable set when it is done instead of "vwait forever".
#
#   detnet run examples/tcl/readable-only.tcl --world scenarios/default.json --format stdout
set host localhost

proc Receive {h} {
    # check connect succes or fail
    set error [fconfigure $h -error]
    if {$error ne ""} {
        puts "connect failed: $error"
        catch {close $h}
        set ::done failed
        return
    }
    # get read data and process it
    if {[catch {gets $h} data]} {
        # read error
        catch {close $h}
        set ::done "read error"
        return
    }
    if {[eof $h]} {
        # other side disconnected
        catch {close $h}
        set ::done eof
        return
    }
    # now do something with the data...
    if {$data eq ""} return
    puts "reply: $data"
    catch {close $h}
    set ::done replied
}
set h [socket -async $host $port]
fileevent $h readable [list Receive $h]
# if a message is needed by the server after the connect, send it now non-blocking
# It will be automatically sent when the connect succeeds
fconfigure $h -blocking 0
puts $h "HELO"
flush $h
vwait done
puts "done: $done"
