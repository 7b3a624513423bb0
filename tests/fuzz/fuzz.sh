#!/bin/sh
# tests/fuzz/fuzz.sh [TARGET...] : afl++ against build/fuzz/sow (ASan+UBSan,
# afl-clang-fast), each target for $FUZZ_SECONDS (default 300), one afl-fuzz
# at a time, niced. Not part of make test or CI; run by `make fuzz`.
# Targets (each one way input reaches sow), seeded from the test suite:
#   rules  a rule file             sow check --strict FILE.sow
#   map    a mapping file          sow check FILE.map
#   csv    a CSV export, mapped    sow import --dry-run --map kantata-time.map DB time_entries FILE
#   repl   REPL input              sow repl --keep-going --db DB common.sow < FILE
#   lsp    JSON-RPC frames         sow lsp < FILE
#   serve  (HTTP requests to `sow serve`: add its line to harness() and its
#          seeds to seed() when the server exists)
# Findings: build/fuzz/out/TARGET/default/crashes and hangs; a summary line
# per target (execs, crashes, hangs). Turn each crash into a test under
# tests/bad, tests/run or tests/lsp before fixing it.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
SECONDS_EACH=${FUZZ_SECONDS:-300}
sow=$top/build/fuzz/sow
work=$top/build/fuzz
export SOW_PATH="$top/rules"
unset SOW_HISTORY
export SOW_HISTORY=/dev/null

# seed TARGET DIR: small inputs from the test suite (afl wants them small)
seed() {
	d=$2
	rm -rf "$d"
	mkdir -p "$d"
	case $1 in
	rules) for f in tests/check/*.sow tests/bad/*.sow tests/fmt/*.sow tests/strict/*.sow; do
			[ -f "$f" ] && [ "$(wc -c <"$f")" -lt 4096 ] && cp "$f" "$d/$(echo "$f" | tr / _)"
		done ;;
	map) for f in examples/maps/*.map tests/check/*.map tests/bad/mapping_*.sow; do
			[ -f "$f" ] && cp "$f" "$d/$(basename "$f" .sow).map"
		done ;;
	csv) head -5 examples/data/kantata-time.csv >"$d/head.csv"
		head -1 examples/data/kantata-time.csv >"$d/header.csv"
		head -3 examples/data/kantata-time-late.csv >"$d/late.csv" ;;
	repl) for f in tests/repl/*.repl; do head -c 3000 "$f" >"$d/$(basename "$f")"; done
		printf 'from t in time_entries where t.project_id == "P-TM" select t.id, t.hours\n' >"$d/query.repl"
		printf 'assume projects["P-TM"].status = "Closed"\nwhy revenue { project_id: "P-TM" }\n' >"$d/assume.repl" ;;
	lsp) build/lspdrive frame tests/lsp/session.jsonl "$top" >"$d/session.lsp"
		printf '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}\n{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///x.sow","text":"const a = 1 +\\n"}}}\n{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///x.sow"},"position":{"line":0,"character":6}}}\n' >"$work/small.jsonl"
		build/lspdrive frame "$work/small.jsonl" "$top" >"$d/small.lsp" ;;
	esac
}

# fuzz TARGET: one afl-fuzz run, the command after --
fuzz() {
	t=$1
	shift
	seed "$t" "$work/seeds/$t"
	rm -rf "$work/out/$t"
	AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 \
		nice afl-fuzz -i "$work/seeds/$t" -o "$work/out/$t" -m none -t 3000 -V "$SECONDS_EACH" "$@" >"$work/$t.log" 2>&1 || {
		echo "fuzz $t: afl-fuzz failed (see $work/$t.log)"
		tail -5 "$work/$t.log"
		return 0
	}
	st=$work/out/$t/default/fuzzer_stats
	printf 'fuzz %-6s execs %s, crashes %s, hangs %s, paths %s\n' "$t" \
		"$(sed -n 's/^execs_done *: //p' "$st")" "$(sed -n 's/^saved_crashes *: //p' "$st")" \
		"$(sed -n 's/^saved_hangs *: //p' "$st")" "$(sed -n 's/^corpus_count *: //p' "$st")"
}

harness() {
	case $1 in
	rules) fuzz rules -f "$work/input.sow" -- "$sow" check --strict "$work/input.sow" ;;
	map) fuzz map -f "$work/input.map" -- "$sow" check "$work/input.map" ;;
	csv) rm -f "$work/csv.db"
		"$sow" init "$work/csv.db" >/dev/null
		"$sow" import "$work/csv.db" projects examples/data/kantata-projects.csv --map examples/maps/kantata-projects.map >/dev/null
		fuzz csv -- "$sow" import --dry-run --map examples/maps/kantata-time.map "$work/csv.db" time_entries @@ ;;
	repl) rm -f "$work/repl.db"
		"$sow" init "$work/repl.db" >/dev/null && sqlite3 "$work/repl.db" <tests/run/fixture.sql
		cp tests/run/common.sow "$work/common.sow"
		fuzz repl -- "$sow" repl --keep-going --db "$work/repl.db" --as-of 2026-11-30 "$work/common.sow" ;;
	lsp) fuzz lsp -- "$sow" lsp ;;
	*) echo "fuzz: no target $1 (rules map csv repl lsp)"; exit 2 ;;
	esac
}

mkdir -p "$work/out"
[ $# -gt 0 ] && [ "$1" != all ] || set -- rules map csv repl lsp
for t in "$@"; do harness "$t"; done
