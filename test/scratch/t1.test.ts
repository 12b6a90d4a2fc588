import { it } from "vitest";
import { runTclScenario } from '../../src/scenario/tcl-script-run.js';
import { simBackend } from '../../src/scenario/sim-backend.js';
import { nodeBackend } from '../../src/scenario/node-backend.js';
const sc: any = { name: 'x', description: 'x', hosts: [{name:'localhost', addresses:['::1','127.0.0.1']}],
 listeners: [{role:'port', on:'127.0.0.1', behaviour:{kind:'receive'}, process:'child'},
   {role:'port6', on:'both', behaviour:{kind:'tcl', accept:'puts $chan hi; close $chan'}, process:'in-process'}], refusedPort: true,
 client: {tcl: `set s [socket localhost $port]
puts $s one; flush $s
puts "got: [detnet::received $port]"
puts $s two; flush $s
puts "got: [detnet::received $port]"
close $s
set t [socket localhost $port6]
fileevent $t readable {set ::r [gets $t]}
vwait ::r
puts "reply: $::r"
puts [catch {socket localhost $rport} m]$m
puts [catch {socket localhost 0} m]$m
puts [catch {socket localhost 70000} m]$m
`}};
it("x", async () => { for (const b of [simBackend(sc), nodeBackend(sc)]) {
  const r = await runTclScenario(sc, b);
  console.log(b.name, r.status, r.stdout, r.stderr);
} }, 30000);
import { runTclClientInTclsh } from '../../src/scenario/tclsh-script.js';
it("tclsh", () => { console.log(runTclClientInTclsh(sc)); }, 30000);
