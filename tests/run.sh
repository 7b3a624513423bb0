#!/bin/sh
# tests/run.sh: every test of sow, against each binary given (the plain
# build and the sanitizer build). Suites, each a folder of text cases:
#   unit   tables computed by numpy / Python decimal (tests/unit/*.tsv)
#   check  NAME.sow (or folder NAME/) -> NAME.err, the exact diagnostics
#   eval   *.test: paragraphs of expression, then expected output
#   fmt    NAME.sow -> NAME.fmt; fmt is idempotent on every rule file
#   bad    hostile input: located errors, exit 1, never a crash or a hang
#   cli    cli/cases.txt: exit status and output of the command line
# Ends with "N passed, N failed"; exits 1 if anything failed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99
export SOW_HISTORY="$tmp/history"
unset SOW_PATH

ok() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	printf 'FAIL %s\n' "$1"
	[ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/  | /' "$2" | head -40
	return 0
}

# Compare actual (file) with expected (file); print a diff on mismatch.
same() {
	if cmp -s "$2" "$3"; then ok; else
		bad "$1"
		diff -u "$2" "$3" | head -40 | sed 's/^/  /'
	fi
}

run_unit() {
	for u in build/unit build/unit-san; do
		[ -x "$u" ] || continue
		out=$("$u" tests/unit 2>"$tmp/unit.err")
		p=$(printf '%s\n' "$out" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
		f=$(printf '%s\n' "$out" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
		pass=$((pass + ${p:-0}))
		fail=$((fail + ${f:-1}))
		[ "${f:-1}" = 0 ] || bad "$u" "$tmp/unit.err"
	done
}

# A sanitizer report or a signal is a failure whatever else happened.
crashed() { [ "$1" -ge 99 ] || grep -q -e 'Sanitizer' -e 'runtime error' "$2"; }

run_check() {
	sow=$1
	for case in tests/check/*.sow tests/check/*/; do
		[ -e "$case" ] || continue
		name=${case%/}
		name=${name%.sow}
		exp="$name.err"
		arg=$(basename "${case%/}")
		[ -f "$exp" ] || { bad "$case: no $exp"; continue; }
		(cd tests/check && "$sow" check "$arg" >/dev/null 2>"$tmp/err")
		rc=$?
		want=0
		grep -q ': error: ' "$exp" && want=1
		if crashed $rc "$tmp/err"; then bad "$sow check $case crashed ($rc)" "$tmp/err"; continue; fi
		if [ $rc -ne $want ]; then bad "$case: exit $rc, expected $want" "$tmp/err"; continue; fi
		same "$case" "$exp" "$tmp/err"
	done
}

# tests/strict/NAME.sow -> NAME.err: the warnings of sow check --strict.
run_strict() {
	sow=$1
	for case in tests/strict/*.sow; do
		name=${case%.sow}
		[ -f "$name.err" ] || { bad "$case: no $name.err"; continue; }
		(cd tests/strict && "$sow" check --strict "$(basename "$case")" >/dev/null 2>"$tmp/err")
		rc=$?
		if crashed $rc "$tmp/err"; then bad "$sow check --strict $case crashed ($rc)" "$tmp/err"; continue; fi
		if [ $rc -ne 0 ]; then bad "$case: exit $rc, expected 0" "$tmp/err"; continue; fi
		same "$case" "$name.err" "$tmp/err"
	done
	"$sow" check --strict rules/std examples >"$tmp/out" 2>&1
	same "sow check --strict rules/std examples (warnings explained in README)" tests/strict/std-examples.out "$tmp/out"
}

# grammar/editors: every reserved word and built-in is in both editor files;
# Vim (when installed) detects the file type and colours a sample as expected.
run_editors() {
	words=$(sed -n '/^static const struct { const char \*word; int tok; } keywords/,/^};/p' grammar/sow.l |
		grep -o '"[a-z_]*"' | tr -d '"')
	builtins=$(grep -o '^	\[B_[A-Z_]*\] = { "[a-z_]*"' src/builtin.c | grep -o '"[a-z_]*"' | tr -d '"')
	[ -n "$words" ] && [ -n "$builtins" ] || { bad "editors: cannot read the keyword and built-in tables"; return; }
	for f in grammar/editors/vscode/syntaxes/sow.tmLanguage.json grammar/editors/vim/syntax/sow.vim; do
		missing=""
		for w in $words $builtins; do grep -qw -- "$w" "$f" || missing="$missing $w"; done
		if [ -z "$missing" ]; then ok; else bad "$f lacks:$missing"; fi
	done
	if command -v vim >/dev/null; then
		SOW_TOP=$top VT_OUT=$tmp/syntax.out vim -Nu NONE -i NONE -es -S tests/editors/syntax.vim </dev/null >/dev/null 2>&1
		same "vim syntax of tests/editors/sample.sow" tests/editors/syntax.expected "$tmp/syntax.out"
	else
		printf 'skip vim syntax test (no vim)\n'
	fi
}

# sow lsp: a scripted JSON-RPC session (tests/lsp/session.jsonl, framed with
# Content-Length by build/lspdrive) must answer exactly tests/lsp/session.out
# and exit 0; a message that is not JSON gets a parse error, and input that
# ends without shutdown and exit gives status 1.
run_lsp() {
	sow=$1
	[ -x build/lspdrive ] || { bad "no build/lspdrive"; return; }
	build/lspdrive frame tests/lsp/session.jsonl "$top" >"$tmp/lsp.in" || { bad "lspdrive frame"; return; }
	"$sow" lsp <"$tmp/lsp.in" >"$tmp/lsp.raw" 2>"$tmp/lsp.err"
	rc=$?
	if crashed $rc "$tmp/lsp.err" || [ $rc -ne 0 ] || [ -s "$tmp/lsp.err" ]; then bad "$sow lsp session (exit $rc)" "$tmp/lsp.err"; return; fi
	if build/lspdrive unframe "$top" <"$tmp/lsp.raw" >"$tmp/lsp.out"; then
		same "$sow lsp: tests/lsp/session.jsonl" tests/lsp/session.out "$tmp/lsp.out"
	else
		bad "$sow lsp: malformed frames"
	fi
	printf 'Content-Length: 5\r\n\r\n{bad}Content-Length: 2\r\n\r\n[]' | "$sow" lsp >"$tmp/lsp.raw" 2>"$tmp/lsp.err"
	rc=$?
	{ build/lspdrive unframe "$top" <"$tmp/lsp.raw"; echo "exit $rc"; } >"$tmp/lsp.out"
	if crashed $rc "$tmp/lsp.err"; then bad "$sow lsp bad input crashed" "$tmp/lsp.err"; else same "$sow lsp: bad input" tests/lsp/bad.out "$tmp/lsp.out"; fi
	# a frame without Content-Length (its body runs into the next header), a
	# method that is not a string: one error each, then the server is in step
	i='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}' m='{"jsonrpc":"2.0","id":3,"method":42}'
	n='{"jsonrpc":"2.0","id":4}' h='{"jsonrpc":"2.0","id":7,"method":"shutdown"}' e='{"jsonrpc":"2.0","method":"exit"}'
	printf 'X-Junk: 1\r\n\r\n%sContent-Length: %d\r\n\r\n%sContent-Length: %d\r\n\r\n%sContent-Length: %d\r\n\r\n%sContent-Length: %d\r\n\r\n%s' \
		"$i" ${#m} "$m" ${#n} "$n" ${#h} "$h" ${#e} "$e" | "$sow" lsp >"$tmp/lsp.raw" 2>"$tmp/lsp.err"
	rc=$?
	{ build/lspdrive unframe "$top" <"$tmp/lsp.raw"; echo "exit $rc"; } >"$tmp/lsp.out"
	if crashed $rc "$tmp/lsp.err"; then bad "$sow lsp resync crashed" "$tmp/lsp.err"; else same "$sow lsp: resync" tests/lsp/resync.out "$tmp/lsp.out"; fi
	# 40,000 unused consts: linear (a line table), the first 1,000 warnings
	# and a count (it took 50 s and sent every one)
	awk 'BEGIN { print "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}"
		printf "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"file:///x/big.sow\",\"languageId\":\"sow\",\"version\":1,\"text\":\""
		for (i = 0; i < 40000; i++) printf "const c%d = %d\\n", i, i
		print "\"}}}"
		print "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"textDocument/hover\",\"params\":{\"textDocument\":{\"uri\":\"file:///x/big.sow\"},\"position\":{\"line\":39999,\"character\":7}}}"
		print "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"shutdown\"}"; print "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}" }' >"$tmp/big.jsonl"
	build/lspdrive frame "$tmp/big.jsonl" "$top" >"$tmp/lsp.in"
	timeout 30 "$sow" lsp <"$tmp/lsp.in" >"$tmp/lsp.raw" 2>"$tmp/lsp.err"
	rc=$?
	build/lspdrive unframe "$top" <"$tmp/lsp.raw" >"$tmp/lsp.out"
	w=$(sed -n 2p "$tmp/lsp.out" | grep -o '"severity":2' | wc -l)
	if [ $rc -ne 0 ] || [ "$w" -ne 1000 ] || ! grep -q '40000 warnings in all' "$tmp/lsp.out" || ! grep -q '"id":2,"result":{"contents".*c39999.*"line":39999' "$tmp/lsp.out"; then
		bad "$sow lsp: 40,000 warnings (exit $rc, $w shown)" "$tmp/lsp.err"
	else
		ok
	fi
}

make_fixture() {
	rm -f "$tmp/fixture.db"
	"$1" init "$tmp/fixture.db" && sqlite3 "$tmp/fixture.db" < tests/eval/fixture.sql
}

# A .test file is paragraphs: optional "%%ARGS ..." lines, then the
# expression (one line), then the expected stdout, or a line %%FAIL and the
# exact stderr. Each runs as: sow eval --db FIXTURE --as-of 2026-11-25
# tests/eval/lib.sow ARGS -e EXPR.
split_cases() {
	rm -rf "$tmp/cases"
	mkdir -p "$tmp/cases"
	awk -v dir="$tmp/cases" '
		function start() { n++; base = sprintf("%s/%04d", dir, n); printf "%d\n", NR > (base ".line");
			printf "" > (base ".args"); printf "" > (base ".want"); state = 0 }
		/^#/ && state < 0 { next }
		/^$/ { state = -1; next }
		{ if (state < 0 || n == 0) start() }
		state == 0 && /^%%ARGS / { sub(/^%%ARGS /, ""); print >> (base ".args"); next }
		state == 0 { print > (base ".expr"); state = 1; next }
		state == 1 && /^%%FAIL$/ { printf "" > (base ".fail"); next }
		{ print >> (base ".want") }
		BEGIN { state = -1; n = 0 }' "$1"
}

run_eval() {
	sow=$1
	make_fixture "$sow" >/dev/null 2>&1 || { bad "eval fixture ($sow)"; return; }
	for t in tests/eval/*.test; do
		split_cases "$t"
		for c in "$tmp"/cases/*.expr; do
			[ -e "$c" ] || continue
			b=${c%.expr}
			line=$(cat "$b.line")
			expr=$(cat "$c")
			args=$(cat "$b.args")
			# shellcheck disable=SC2086
			"$sow" eval --db "$tmp/fixture.db" --as-of 2026-11-25 tests/eval/lib.sow $args -e "$expr" >"$tmp/out" 2>"$tmp/err"
			rc=$?
			if crashed $rc "$tmp/err"; then bad "$t:$line: crashed ($rc)" "$tmp/err"; continue; fi
			if [ -e "$b.fail" ]; then
				[ $rc -eq 1 ] || { bad "$t:$line: $expr: exit $rc, expected 1" "$tmp/out"; continue; }
				same "$t:$line: $expr" "$b.want" "$tmp/err"
			else
				[ $rc -eq 0 ] || { bad "$t:$line: $expr: exit $rc" "$tmp/err"; continue; }
				same "$t:$line: $expr" "$b.want" "$tmp/out"
			fi
		done
	done
}

run_fmt() {
	sow=$1
	for f in tests/fmt/*.sow; do
		[ -e "$f" ] || continue
		"$sow" fmt "$f" >"$tmp/fmt1" 2>"$tmp/err" || { bad "fmt $f" "$tmp/err"; continue; }
		same "fmt $f" "${f%.sow}.fmt" "$tmp/fmt1"
	done
	# idempotent over every rule file we ship
	for f in $(find rules examples tests/fmt -name '*.sow' -o -name '*.map' -o -name '*.accounts' 2>/dev/null | sort); do
		"$sow" fmt "$f" >"$tmp/fmt1" 2>"$tmp/err" || { bad "fmt $f" "$tmp/err"; continue; }
		cp "$tmp/fmt1" "$tmp/again.sow"
		"$sow" fmt "$tmp/again.sow" >"$tmp/fmt2" 2>"$tmp/err" || { bad "fmt of fmt $f" "$tmp/err"; continue; }
		same "fmt idempotent $f" "$tmp/fmt1" "$tmp/fmt2"
	done
	for f in $(find rules examples -name '*.sow' -o -name '*.map' -o -name '*.accounts' 2>/dev/null | sort); do
		if "$sow" fmt --check "$f" >"$tmp/out" 2>&1; then ok; else bad "not formatted: $f (run: sow fmt $f)"; fi
	done
}

# Hostile input made here (big, or binary); each must give located errors
# and exit 1 within the time limit, with no sanitizer report.
make_bad() {
	d="$tmp/bad"
	mkdir -p "$d"
	cp tests/bad/*.sow "$d/" 2>/dev/null
	awk 'BEGIN { for (i = 0; i < 10000; i++) printf "("; print "" }' >"$d/parens.sow"
	awk 'BEGIN { printf "const x = "; for (i = 0; i < 10000; i++) printf "("; printf "1"; for (i = 0; i < 10000; i++) printf ")"; print "" }' >"$d/parens_closed.sow"
	awk 'BEGIN { printf "const x = \""; for (i = 0; i < 200000; i++) printf "abcdefghijklmnopqrstuvwxyz0123456789,.;"; print "" }' >"$d/long_line.sow"
	awk 'BEGIN { s = 12345; for (i = 0; i < 65536; i++) { s = (s * 1103515245 + 12345) % 2147483648; printf "%c", int(s / 65536) % 256 } }' >"$d/junk.sow"
	awk 'BEGIN { printf "const x = 1 +"; for (i = 0; i < 5000; i++) printf " -"; print " 1" }' >"$d/unary.sow"
	awk 'BEGIN { printf "const x = "; for (i = 0; i < 3000; i++) printf "not "; print "true" }' >"$d/nots.sow"
	printf 'sow "A" for project "P" {\n  currency USD\n  billing milestone\n  customer "x\0y"\n}\n\0\0\0' >"$d/nul.sow"
}

run_bad() {
	sow=$1
	for f in "$tmp"/bad/*.sow; do
		timeout 60 "$sow" check "$f" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		name=$(basename "$f")
		if crashed $rc "$tmp/err" || [ $rc -eq 124 ]; then bad "bad input $name: exit $rc" "$tmp/err"; continue; fi
		if [ $rc -ne 1 ] || ! grep -q "$name:[0-9]*:[0-9]*: error: " "$tmp/err"; then
			bad "bad input $name: exit $rc, expected 1 with a located error" "$tmp/err"
			continue
		fi
		ok
	done
}

# cli/cases.txt: EXIT<TAB>ARGS<TAB>PATTERN (grep -E on stdout+stderr; EMPTY:
# no output at all).
# ARGS is split by the shell; @TMP stands for a scratch folder.
run_cli() {
	sow=$1
	printf 'not a database, just text\n' >"$tmp/notadb.db"
	rm -f "$tmp/new.db"
	while IFS='	' read -r want args pattern; do
		case "$want" in ''|'#'*) continue ;; esac
		args=$(printf '%s' "$args" | sed "s#@TMP#$tmp#g")
		# shellcheck disable=SC2086
		eval "set -- $args"
		"$sow" "$@" >"$tmp/out" 2>&1 </dev/null
		rc=$?
		if crashed $rc "$tmp/out"; then bad "sow $args: crashed" "$tmp/out"; continue; fi
		if [ "$rc" != "$want" ]; then bad "sow $args: exit $rc, expected $want" "$tmp/out"; continue; fi
		if [ "$pattern" = EMPTY ]; then
			[ -s "$tmp/out" ] && { bad "sow $args: expected no output" "$tmp/out"; continue; }
		elif [ -n "$pattern" ] && ! grep -qE -e "$pattern" "$tmp/out"; then
			bad "sow $args: no /$pattern/" "$tmp/out"; continue
		fi
		ok
	done <tests/cli/cases.txt
}

# The test blocks of the standard library, through sow test itself.
# The library's own tests, and their coverage (the threshold README states).
STD_COVERAGE=95
run_rule_tests() {
	"$1" test --coverage --threshold $STD_COVERAGE rules/std >"$tmp/out" 2>&1
	rc=$?
	p=$(sed -n 's/^tests: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$tmp/out")
	f=$(sed -n 's/^tests: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$tmp/out")
	pass=$((pass + ${p:-0}))
	if [ $rc -ne 0 ] || [ "${f:-1}" != 0 ] || crashed $rc "$tmp/out"; then
		fail=$((fail + ${f:-1}))
		bad "sow test --coverage --threshold $STD_COVERAGE rules/std (exit $rc)" "$tmp/out"
	fi
}

# tests/run/NAME.sh: a script of sow commands, run in a scratch folder
# under build/ (so library paths print the same in every clone) with
# common.sow and fixture.sql beside it; its output must equal NAME.out.
run_runs() {
	sow=$1
	for t in tests/run/*.sh; do
		name=$(basename "$t" .sh)
		case " ${RUNS:-$name} " in *" $name "*) ;; *) continue ;; esac
		work="build/runtests/$name"
		rm -rf "$work"
		mkdir -p "$work"
		cp tests/run/common.sow tests/run/fixture.sql tests/run/broken.sow "$work/"
		(cd "$work" && sow() { "$sow" "$@"; } && SOW_BIN=$sow && DB=t.db && . "$top/$t") >"$tmp/out" 2>&1
		if grep -q -e 'Sanitizer' -e 'runtime error' "$tmp/out"; then bad "$t: sanitizer report" "$tmp/out"; continue; fi
		same "$t" "tests/run/$name.out" "$tmp/out"
		rm -rf "$work"
	done
}

# tests/repl/NAME.repl: statements piped into sow repl (no terminal), with
# the fixture of tests/run; output and exit status must equal NAME.out.
# NAME.pty: keys typed into a pseudo-terminal by build/ptydrive.
run_repl() {
	sow=$1
	work="build/repltests"
	rm -rf "$work"
	mkdir -p "$work"
	cp tests/run/common.sow tests/repl/long.query "$work/"
	"$sow" init "$work/t.db" && sqlite3 "$work/t.db" < tests/run/fixture.sql
	for t in tests/repl/*.repl; do
		name=$(basename "$t" .repl)
		flags=""
		[ "$name" = keepgoing ] && flags=--keep-going
		[ "$name" = stops ] && flags=--bail
		# shellcheck disable=SC2086
		(cd "$work" && "$sow" repl --db t.db --as-of 2026-11-30 $flags common.sow <"$top/$t" >"$tmp/out" 2>&1; echo "exit $?" >>"$tmp/out")
		if grep -q -e 'Sanitizer' -e 'runtime error' "$tmp/out"; then bad "$t: sanitizer report" "$tmp/out"; continue; fi
		same "$t" "tests/repl/$name.out" "$tmp/out"
	done
	# a long table for Ctrl-C to interrupt
	sqlite3 "$work/t.db" "WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
		INSERT INTO time_entries (id, project_id, person, role, worked_on, hours) SELECT i, 'P-X', 'x', 'PSE', '2026-11-02', '1' FROM n"
	for t in tests/repl/*.pty; do
		[ -x build/ptydrive ] || { bad "no build/ptydrive"; break; }
		(cd "$work" && SOW_HISTORY="$tmp/pty_history" timeout 60 "$top/build/ptydrive" "$top/$t" "$sow" repl --db t.db --as-of 2026-11-30 common.sow) >"$tmp/out" 2>&1
		rc=$?
		if [ $rc -eq 0 ] && ! grep -q -e 'Sanitizer' -e 'runtime error' "$tmp/out"; then ok; else bad "$t (exit $rc)" "$tmp/out"; fi
	done
	rm -rf "$work"
}

# build/demo.db, made again when a rule or example file is newer (its
# stored run must be of these rules for the sessions that reuse it)
demo_db() {
	[ -f build/demo.db ] && [ -z "$(find rules examples -newer build/demo.db -print | head -1)" ] ||
		sh examples/demo.sh >/dev/null 2>&1
}

# examples/sessions/NAME.repl: sessions a new user would have with the demo
# database, replayed; output must equal NAME.out.
run_sessions() {
	sow=$1
	demo_db || { bad "examples/demo.sh"; return; }
	# sow serve's /eval answers the same statements (not assume: it only asks)
	command -v curl >/dev/null || { bad "no curl (make test-deps)"; return; }
	"$sow" serve --db build/demo.db --port 0 examples/sows >"$tmp/serve.out" 2>"$tmp/serve.err" &
	spid=$!
	port= i=0
	while [ -z "$port" ] && [ $i -lt 300 ]; do
		sleep 0.1
		port=$(sed -n '1s|^listening on http://127.0.0.1:\([0-9]*\)/$|\1|p' "$tmp/serve.out")
		i=$((i + 1))
	done
	[ -n "$port" ] || bad "sow serve for the sessions did not start" "$tmp/serve.err"
	for t in examples/sessions/*.repl; do
		[ -e "$t" ] || continue
		name=$(basename "$t" .repl)
		"$sow" repl --db build/demo.db --as-of 2026-11-30 examples/sows <"$t" >"$tmp/out" 2>&1
		echo "exit $?" >>"$tmp/out"
		if grep -q -e 'Sanitizer' -e 'runtime error' "$tmp/out"; then bad "$t: sanitizer report" "$tmp/out"; continue; fi
		same "$t" "examples/sessions/$name.out" "$tmp/out"
		# each statement (not a command) answered the same by `sow eval`
		# and by a REPL given only it: one statement layer behind both
		grep -v -e '^[.\\]' -e '^[[:space:]]*$' -e '^[[:space:]]' "$t" >"$tmp/statements"
		while IFS= read -r s; do
			"$sow" eval --db build/demo.db --as-of 2026-11-30 -e "$s" examples/sows >"$tmp/eval" 2>&1
			echo "exit $?" >>"$tmp/eval"
			printf '%s\n' "$s" | "$sow" repl --db build/demo.db --as-of 2026-11-30 examples/sows 2>&1 |
				sed 's/^<stdin>:1:/<eval>:1:/' >"$tmp/repl"
			# (the REPL's own status, not the filter's)
			printf '%s\n' "$s" | "$sow" repl --db build/demo.db --as-of 2026-11-30 examples/sows >/dev/null 2>&1
			echo "exit $?" >>"$tmp/repl"
			same "$t: eval -e '$s' as the REPL" "$tmp/repl" "$tmp/eval"
			case "$s" in assume*) continue ;; esac
			[ -n "$port" ] || continue
			"$sow" eval --db build/demo.db --as-of 2026-11-30 -e "$s" examples/sows >"$tmp/eval" 2>"$tmp/eval.err"
			rc=$?
			code=$(curl -s -G -o "$tmp/web" -w '%{http_code}' "http://127.0.0.1:$port/eval" --data-urlencode "q=$s" \
				--data-urlencode asof=2026-11-30 --data-urlencode format=table)
			# an answer is eval's stdout; a failure, its located errors (200 / 400)
			if [ $rc -eq 0 ]; then want=200; else want=400; cp "$tmp/eval.err" "$tmp/eval"; fi
			[ "$code" = $want ] || { bad "$t: serve /eval?q='$s' answered $code, eval exited $rc"; continue; }
			same "$t: serve /eval?q='$s' as eval" "$tmp/eval" "$tmp/web"
		done <"$tmp/statements"
	done
	kill "$spid" 2>/dev/null
	wait "$spid"
	rc=$?
	[ $rc -eq 0 ] && ! grep -q -e 'Sanitizer' -e 'runtime error' "$tmp/serve.err" && ok || bad "sow serve for the sessions (exit $rc)" "$tmp/serve.err"
}

# tests/serve/NAME.sh: sow serve on a copy of the demo, driven by curl and
# headless Chromium; run from the top (as the demo was), output = NAME.out.
run_serve() {
	sow=$1
	demo_db || { bad "examples/demo.sh"; return; }
	for t in tests/serve/*.sh; do
		name=$(basename "$t" .sh)
		[ "$name" = lib ] && continue
		work="$top/build/servetests/$name"
		rm -rf "$work"
		mkdir -p "$work"
		cp build/demo.db "$work/demo.db"
		(SOW=$sow DB=$work/demo.db W=$work timeout 600 sh "$t") >"$tmp/out" 2>&1
		if grep -q -e 'Sanitizer' -e 'runtime error' "$tmp/out" "$work/serve.err" 2>/dev/null; then
			bad "$t: sanitizer report" "$work/serve.err"
			continue
		fi
		same "$t" "tests/serve/$name.out" "$tmp/out"
		rm -rf "$work"
	done
}

# SUITES="runs repl" sh tests/run.sh ./sow runs only those suites (default: all):
# unit bad check strict rule_tests runs repl sessions serve eval fmt cli editors lsp.
# RUNS="ledger invoice" limits the runs suite to those tests/run/NAME.sh.
want() { [ -z "${SUITES:-}" ] || case " $SUITES " in *" $1 "*) ;; *) return 1 ;; esac; }
want unit && run_unit
want editors && run_editors
want bad && make_bad
for sow in "$@"; do
	[ -x "$sow" ] || { bad "no binary $sow"; continue; }
	sow=$(cd "$(dirname "$sow")" && pwd)/$(basename "$sow")
	for suite in check strict lsp rule_tests runs repl sessions serve eval fmt bad cli; do
		want "$suite" && "run_$suite" "$sow"
	done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
