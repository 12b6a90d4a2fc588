/**
 * Scripts that must print the same stdout on our interpreter and in real tclsh 8.6, one entry
 * per script: a name (a sentence fragment) and the script. Syntax-error scripts end with the
 * error line (`error: <message>`), which must match tclsh's message exactly.
 */
export interface TableScript {
  readonly name: string;
  readonly script: string;
}

/** Syntax errors: every one must fail with tclsh's message, after the commands before it ran. */
export const SYNTAX_ERRORS: readonly TableScript[] = [
  { name: 'an unclosed brace', script: 'puts a\nset x {abc' },
  { name: 'an unclosed nested brace', script: 'set x {a {b}' },
  { name: 'an unclosed bracket', script: 'puts [string length abc' },
  { name: 'an unclosed quote', script: 'puts "abc' },
  { name: 'characters after a close-brace', script: 'set x {a}b' },
  { name: 'characters after a close-quote', script: 'set x "a"b' },
  { name: 'an unclosed ${name}', script: 'puts ${abc' },
  { name: 'an unclosed array index', script: 'set a(1) 2; puts $a(1' },
  { name: 'an unclosed brace inside a bracket', script: 'puts [set x {a]' },
  { name: 'an unclosed quote inside a bracket', script: 'puts [list "a]' },
  { name: 'a quote closed before a bracket ends', script: 'puts [list "a"b]' },
  { name: 'an unclosed brace on a later line', script: 'puts one\nputs two\nif {1} {\n  puts three\n' },
  { name: 'an error in a proc body found when it runs', script: 'proc p {} {set x "a"b}\nputs before\np' },
  { name: 'an unclosed bracket inside quotes', script: 'puts "a [list b"' },
  { name: 'an unclosed brace after {*}', script: 'puts {*}{a b' },
  { name: 'a brace closed before a bracket ends', script: 'puts [list {a}b]' },
  { name: 'a syntax error in eval', script: 'catch {eval {set y "q"x}} m; puts $m' },
  // Found by the mutation property: Tcl's hint for a brace that looks commented out.
  { name: 'an unclosed brace before a comment-like #', script: 'if 1 {\n  puts a ;# a { in a comment\n}\n' },
  { name: 'an unclosed brace with a # on its line', script: '{puts [list #a b]' },
  { name: 'an unclosed brace with a commented brace at a line start', script: 'proc p {} {\n# {\n  return 1\n' },
  { name: 'an unclosed brace with a # right after it', script: 'set x {#{\n' },
  { name: 'an unclosed brace with a tab before a commented brace', script: 'set x {a\t#{' },
  { name: 'an unknown command', script: 'puts a\nnosuch 1 2' },
  // Found by the mutation property: `$(` starts an element of the array named "".
  { name: 'an unclosed index of the empty-named array', script: 'puts "$ and $(- ;and a$"' },
  { name: 'an unclosed empty-named index before a bracket', script: 'puts [list $(d]' },
];

/** Scripts that run: their output must match. */
export const SCRIPTS: readonly TableScript[] = [
  { name: 'braces group without substitution', script: 'set a 1\nputs {$a [b] \\n}' },
  { name: 'quotes substitute', script: 'set a 1\nputs "a=$a [expr {1+1}] \\t|"' },
  { name: 'backslash sequences', script: 'puts "\\x41\\x4a\\u00e9\\101\\0771\\a|\\b|\\v" ; puts [string length "\\x414"] ; puts "\\q\\{"' },
  { name: 'backslash-newline joins words', script: 'puts [list a \\\n     b]\nset x "a\\\n   b"; puts $x\nputs {a\\\n   b}' },
  { name: 'argument expansion', script: 'puts [list {*}{a b} c {*}"d e" {*}{}]\nset l {x y}\nputs [llength [list {*}$l $l]]' },
  { name: 'variable forms', script: 'set a(x) 1; set b x; puts $a($b)$a(x); set {a b} 2; puts ${a b}; puts $::b; set c(1,2) 3; puts $c(1,2)' },
  { name: 'a lone dollar is literal', script: 'puts "$ and $- and a$"' },
  { name: 'the array with the empty name', script: 'set (x) 1; puts $(x); set a(1) 2; puts [array exists a]' },
  { name: 'comments only at command start', script: '# a comment \\\n continued\nputs a ;# trailing\nputs b# not a comment' },
  { name: 'semicolons and newlines end commands', script: 'puts a; puts b\n\n;;puts c' },
  { name: 'nested command substitution', script: 'puts [string length [string repeat ab [expr {1+2}]]]' },
  { name: 'substitution does not re-split words', script: 'set x "a b"; puts [llength [list $x]]; set y {[puts no]}; puts $y' },
  { name: 'list quoting of special strings', script: 'puts [list #a b {} "c d" "{x" "a\\\\" "\\$x" "a\\nb" "a{b}" "\\"q" "x]" {a b}]' },
  { name: 'malformed lists fail with Tcl\'s messages', script: 'foreach l [list "a {b}c" "a \\"b\\"c" "a {b" "a \\"b" "{a}\n{b}"] { catch {llength $l} m; puts $m }' },
  { name: 'list parsing', script: 'puts [llength {a {b c} "d e" \\{ f\\ g}]\nforeach e {a {b c} "d e" \\{ f\\ g} { puts <$e> }' },
  { name: 'expr integer arithmetic', script: 'foreach e {{7/2} {-7/2} {-7%3} {7%-3} {2**10} {2**64} {9223372036854775807+1} {1<<70} {0x10+010} {~5} {-(3)} {5-10*2}} { puts "$e = [expr $e]" }' },
  { name: 'expr float formatting', script: 'foreach e {{1e16} {1e17} {1e-4} {1e-5} {0.1+0.2} {1/3.0} {3.0*2} {1e300*10} {-1/0.0} {double(7)/2} {sqrt(2)} {pow(2,10)} {100.0} {1.5e-7} {123456.789}} { puts "$e = [expr $e]" }' },
  { name: 'expr comparison and logic', script: 'foreach e {{1 < 2} {"abc" < "abd"} {1 == 1.0} {1 eq 1.0} {"a" ne "b"} {"x" in {a x}} {"x" ni {a x}} {1 && 0} {1 || [error no]} {0 && [error no]} {!0} {3 > 2 > 1} {1 ? "y" : "n"} {true && yes}} { puts "$e = [expr $e]" }' },
  { name: 'expr functions', script: 'foreach e {{abs(-3)} {abs(-2.5)} {int(3.7)} {int(-3.7)} {round(2.5)} {round(-2.5)} {floor(2.5)} {ceil(2.1)} {max(1,2.5)} {min(3,1,2)} {fmod(7,3)} {double(1)} {entier(3.9)} {isqrt(17)} {hypot(3,4)}} { puts "$e = [expr $e]" }' },
  { name: 'expr errors', script: 'foreach e {{1/0} {"a" + 1} {1.5 % 2} {sqrt(-1)} {0**-1} {max()} {foo(1)} {$nosuch} {1 +} {1 2} {(1} {1)} {} {abc} {1 @ 2}} { catch {expr $e} m; puts "$e: $m" }' },
  { name: 'expr returns a substituted operand unchanged', script: 'set x 010; puts [expr {$x}]; puts [expr {010}]; set y " 5 "; puts [expr {$y + 1}]' },
  { name: 'procs with defaults and args', script: 'proc f {a {b 2} args} {return "$a $b $args"}\nputs [f 1]\nputs [f 1 3 4 5]\ncatch {f} m; puts $m\nproc g {} {return}\ncatch {g 1} m; puts $m' },
  { name: 'return codes', script: 'proc f {} {return -code break}\nforeach i {1 2} { f; puts no }\nputs [catch {return -code error -errorcode {X Y} boom} m]:$m:$::errorCode\nproc h {} { return -level 2 x }\nproc k {} { h; puts no }\nputs [k]' },
  { name: 'upvar, global and uplevel', script: 'set g 1\nproc inc {name} { upvar 1 $name v; incr v }\nproc useg {} { global g; incr g }\ninc g; useg; puts $g\nproc up {} { uplevel 1 {set made 7} }\nup; puts $made\nproc lvl {} { return [info level] }\nputs [lvl]' },
  { name: 'loops, break and continue', script: 'for {set i 0} {$i < 10} {incr i} { if {$i % 2} continue; if {$i > 6} break; puts $i }\nset n 0; while 1 { if {[incr n] > 3} break }; puts $n\nforeach {a b} {1 2 3} { puts "$a/$b" }\nforeach a {1 2} b {x y z} { puts "$a$b" }' },
  { name: 'switch forms', script: 'foreach v {a b c zz} { switch $v { a - b { puts ab } c { puts c } default { puts other } } }\nswitch -glob -- foo f* {puts glob} default {puts no}\nswitch -exact x {y {puts y}}\nputs [switch q {q {}}]done' },
  { name: 'catch and errorInfo', script: 'proc p {} {\n  error boom\n}\nputs [catch p m]\nputs $m\nputs $::errorInfo\nputs [catch {error a b c} m o]\nputs $::errorCode\nputs [dict get $o -code]' },
  { name: 'errorInfo through bodies Tcl compiles inline and through the ones it does not', script: 'foreach s {\n  {if 1 {error a}}\n  {if 0 {} else {error b}}\n  {while 1 {error d}}\n  {for {set i 0} {$i < 1} {incr i} {error e}}\n  {foreach x {1} {error f}}\n  {eval {error g}}\n  {proc p {} {uplevel 1 {error h}}; p}\n  {switch a {a {error i}}}\n  {try {error j} finally {}}\n  {dict for {k v} {a 1} {error k}}\n  {apply {{} {error l}}}\n  {foreach x {1} {\n     set y 2\n     error m}}\n  {proc q {} {\n  if 1 {\n    set z 1\n    error n\n  }\n}\nq}\n} {\n  catch $s m o\n  puts [string map {\\n |} [dict get $o -errorinfo]]\n}' },
  { name: 'try handlers and finally', script: 'try { error x } on error {m} { puts "e:$m" } finally { puts f }\ntry { expr 1 } on ok {r} { puts ok:$r }\ntry { error a {} {MY CODE} } trap {MY} {m} { puts trapped:$m }\nputs [catch { try { error inner } finally { puts cleanup } } m]:$m\nproc b {} { try { return early } finally { puts fin } }\nputs [b]' },
  { name: 'string commands', script: 'puts [string length abc][string index abc 1][string index abc end][string range abcdef 1 end-1]\nputs [string equal a a][string compare a b][string compare b a][string match a*c abbc][string match {[a-c]?} bx]\nputs [string map {a 1 bc 2} abcabc][string first b abcb][string last b abcb]\nputs <[string trim "  x  "]>[string trimleft xxy x][string trimright yxx x][string toupper aB][string tolower aB]\nputs [string is integer 12][string is integer x][string is integer {}][string is integer -strict {}][string repeat ab 3][string reverse abc]' },
  { name: 'format conversions', script: 'puts [format "%d|%5d|%-5d|%05d|%x|%X|%o|%c|%s|%10s|%-3s|%%" 42 42 42 42 255 255 8 65 hi hi a]\nputs [format "%.2f|%8.3f|%e|%g|%g|%g|%.3g" 3.14159 2.5 12345.678 0.0001 1e20 100 3.14159]\nputs [format "%+d|% d|%#x|%*d" 5 5 255 4 7]' },
  { name: 'list commands', script: 'set l {c a b}\nputs [llength $l][lindex $l 0][lindex $l end][lindex {a {b c}} 1 0]\nputs [lrange {a b c d} 1 2]|[lrange {a b} 3 4]|\nlassign {1 2 3} x y; puts $x$y\nputs [lsearch {a b c} b][lsearch {a b c} z][lsearch -exact {a* b} a*][lsearch -all {a b a} a]\nputs [lsort $l]|[lsort -decreasing $l]|[lsort -integer {10 9 100}]|[lsort -unique {b a b}]\nputs [join {a b c} ,]|[split a,b,,c ,]|[split "a b"]|[concat a {b c} " d "]\nputs [linsert {a b} 1 x]|[lreplace {a b c} 1 1 y z]|[lreverse {1 2 3}]|[lrepeat 2 a b]' },
  { name: 'lappend on long lists, canonical or not, also while foreach walks the list', script: 'set l [string repeat "x  " 30]\nlappend l y\nputs $l\nset m {}\nfor {set i 0} {$i < 40} {incr i} { lappend m "a b$i" }\nforeach x $m { lappend m z }\nputs [llength $m]|[lindex $m end-40]|[lindex $m 39]\nset n $m\nlappend n q\nputs [llength $m]/[llength $n]' },
  { name: 'dict commands', script: 'set d [dict create a 1 b 2]\nputs [dict get $d a]|[dict exists $d b]|[dict exists $d z]|[dict keys $d]|[dict size $d]\ndict set d c 3; dict set d a 9; puts $d\ndict for {k v} $d { puts $k=$v }\ncatch {dict get $d zz} m; puts $m\ndict incr d a; dict lappend d l x y; puts $d' },
  { name: 'info level inside procs', script: 'proc a {x} { b $x }\nproc b {y} { list [info level] [info level 0] [info level -1] [info level 1] }\nputs [a 7]\ncatch {info level 5} m; puts $m' },
  { name: 'info and set forms', script: 'set x 1\nputs [info exists x][info exists y]\nproc p {a b} {}\nputs [info args p]|[info body p]|[info procs p]\nunset x; puts [info exists x]\ncatch {unset x} m; puts $m\nunset -nocomplain x\nset a(1) 1; catch {set a 2} m; puts $m; catch {puts $a} m; puts $m' },
  { name: 'incr, append and lappend create variables', script: 'incr n; incr n 5; append s a b; lappend l x {y z}; puts "$n $s $l"\ncatch {incr s} m; puts $m' },
  { name: 'apply and subst', script: 'puts [apply {{x {y 10}} {expr {$x + $y}}} 1]\nset v 5\nputs [subst {v=$v [expr {$v*2}] \\x41}]' },
  { name: 'puts -nonewline and stderr', script: 'puts -nonewline a\nputs -nonewline stdout b\nputs c\nputs stderr hidden\nputs d' },
  { name: 'eval concatenates its arguments', script: 'eval puts hello\neval {puts [list a b]}\nset cmd {puts x}; eval $cmd; eval [list puts {y z}]' },
  { name: 'regexp and regsub', script: 'puts [regexp {(\\d+)-(\\d+)} "a 12-34 b" m x y]:$m:$x:$y\nputs [regexp -all -inline {[a-z]+} "ab 12 cd"]\nputs [regexp -nocase {^HELLO} hello]\nputs [regexp -indices {b+} abbbc r]:$r\nputs [regsub -all {o} foo 0]|[regsub {(\\w+) (\\w+)} "hello world" {\\2 \\1 &}]|[regsub -all {x*} abc -]\nputs [regsub -all {[[:digit:]]} a1b2 #]\nputs [regexp {x(y)?z} xz m g]:<$g>' },
  { name: 'rename and namespace', script: 'proc a {} {return A}\nrename a b\nputs [b]\ncatch {a} m; puts $m\nrename b {}\nputs [info procs b]<\nputs [namespace current]\nset s [namespace code {puts inscope}]\nputs $s\neval $s\nnamespace eval :: {puts ns}\ncatch {rename nosuch x} m; puts $m' },
  { name: 'exit ends the script', script: 'puts before\nproc p {} { exit 2 }\np\nputs after' },
  { name: 'recursion', script: 'proc fact {n} { if {$n <= 1} { return 1 }; expr {$n * [fact [expr {$n - 1}]]} }\nputs [fact 20]\nputs [fact 25]' },
  { name: 'error messages of common misuse', script: 'foreach c {{set} {set x} {incr} {lindex} {string foo} {proc} {nosuch} {llength {a {b}} c} {if} {if 1} {while 1} {for} {foreach x} {expr} {return -code bogus} {list} {error} {after foo} {after info after#99} {vwait}} { catch $c m; puts "$c => $m" }' },
];

/** More list quoting cases (Tcl_Merge's choices between bare, braces and backslashes). */
export const QUOTING: readonly TableScript[] = [
  { name: 'list quoting of braces, brackets and quotes', script: 'puts [list a{b} a\\{b a\\}b "a\\"b" "a ]" {a]} {[a} "a;b" "a\\\\b" "a\\\\" "#x" "y #x" "}a{" "{a} b" "\\{" "a b\\\\"]' },
  { name: 'list quoting round-trips through llength and lindex', script: 'set l [list "a b" "{" "}" "\\\\" "\\"" "\\n" {$x} {[y]} "" "#"]\nputs [llength $l]\nforeach e $l { puts <$e> }' },
];
