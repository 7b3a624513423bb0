#!/bin/sh
# bench.sh [SF [BOOK]]: month-end at scale SF against SQLite itself
# (make bench SF=1 BOOK=tm). BOOK is mixed (default) or tm (gen.sh).
# Prints the median of RUNS runs (default 3) of each figure with its peak
# memory, then the targets of issue 23 with the measured ratio and whether
# each is met. No test depends on these timings.
set -eu
SF=${1:-1}
BOOK=${2:-mixed}
RUNS=${RUNS:-3} # runs per figure (the median is reported)
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
M=build/measure
dir=build/bench-$BOOK-sf$SF
[ -d "$dir" ] && [ -f "$dir/bench.db" ] || SOW=./sow sh tests/bench/gen.sh "$SF" "$dir" "$BOOK"
# its own copy of the binary, so a rebuild during the benchmark changes nothing
cp ./sow "$dir/sow"
SOW=$dir/sow
export SOW_PATH="$top/rules"
db=$dir/bench.db
# sow's own page cache (store.c), for the floor at the same cache size
cache=$(grep -o 'PRAGMA cache_size = -*[0-9]*' src/store.c | head -1)
[ -n "$cache" ] || { echo "bench.sh: no PRAGMA cache_size in src/store.c" >&2; exit 2; }

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# once COMMAND...: one run on a fresh copy of the database; its peak memory
# goes to $dir/rss, its wall time stays in $dir/m
once() {
	cp "$db" "$dir/work.db"
	$M "$@" >"$dir/m" 2>>"$dir/errors"
	cut -d' ' -f2 "$dir/m" >>"$dir/rss"
}
# report KEY LABEL: the median of $dir/times to $dir/KEY.time, the peak
# memory to $dir/KEY.rss, and the line
report() {
	median <"$dir/times" >"$dir/$1.time"
	sort -n "$dir/rss" | tail -1 >"$dir/$1.rss"
	printf '%-52s %9ss  %7s MB\n' "$2" "$(cat "$dir/$1.time")" "$(cat "$dir/$1.rss")"
	: >"$dir/times"
	: >"$dir/rss"
}
# run KEY LABEL COMMAND...: $RUNS runs, reported
run() {
	key=$1
	label=$2
	shift 2
	i=0
	while [ $i -lt "$RUNS" ]; do
		i=$((i + 1))
		once "$@"
		cut -d' ' -f1 "$dir/m" >>"$dir/times"
	done
	report "$key" "$label"
}
: >"$dir/errors"
: >"$dir/times"
: >"$dir/rss"
rm -f "$dir"/*.time "$dir"/*.rss
echo "sow benchmark, $BOOK book, SF=$SF ($(sqlite3 "$db" 'SELECT count(*) FROM time_entries') time entries, $(ls "$dir/sows" | wc -l) SOW files), median of $RUNS"
echo "machine: $(nproc) cores, $(uname -m), sqlite $(sqlite3 --version | cut -d' ' -f1), load $(cut -d' ' -f1-3 /proc/loadavg)"
run full "1. sow run --period 2026-11" $SOW run --db "$dir/work.db" --period 2026-11 "$dir/sows"
# the database as the month-end left it, for the figures after it (5, 6)
cp "$dir/work.db" "$dir/after.db"
run dry "2. sow run --as-of 2026-11-30 --dry-run" $SOW run --db "$dir/work.db" --as-of 2026-11-30 --dry-run "$dir/sows"
run floor "3. floor: hand-written SQL (sqlite3 defaults)" sh -c "sqlite3 $dir/work.db < $dir/floor.sql"
run floorc "3b. floor at sow's page cache ($cache)" sh -c "{ echo '$cache;'; cat $dir/floor.sql; } | sqlite3 $dir/work.db"
run scan "4. raw scan: count(*), sum(hours)" sqlite3 "$dir/work.db" "SELECT count(*), sum(hours) FROM time_entries"
forecast='from f in forecast group by f.fiscal_quarter select f.fiscal_quarter, sum(f.amount)'
run cold "5. sow eval: forecast by quarter, no stored run" $SOW eval --db "$dir/work.db" --as-of 2026-11-30 "$dir/sows" -e "$forecast"
fresh=$db
db=$dir/after.db
run stored "5a. the same after the month-end (its stored run)" $SOW eval --db "$dir/work.db" --as-of 2026-11-30 "$dir/sows" -e "$forecast"
run check "5b. sow check of every SOW file" $SOW check "$dir/sows"
# 6: a REPL session after the month-end: the forecast (from the stored run),
# an assume on the first released time entry of a T&M project (one project's
# revenue changes), the forecast again; the figure is the assume and the
# forecast after it (.timer), the memory the whole session's
set -- $(sqlite3 -separator ' ' "$db" "SELECT id, project_id FROM time_entries WHERE billable = 1 AND approved_on <= '2026-11-30'
	AND (CAST(substr(project_id, 3) AS INTEGER) - 1) % 6 = 0 ORDER BY id LIMIT 1")
printf '.timer on\n.forecast\nassume time_entries["%s"].hours = 8\n.forecast\n' "$1" >"$dir/assume.repl"
project=$2
i=0
while [ $i -lt "$RUNS" ]; do
	i=$((i + 1))
	once sh -c "$SOW repl --db $dir/work.db --as-of 2026-11-30 $dir/sows < $dir/assume.repl > $dir/repl.out 2>&1"
	# (a session that did not answer all four has no time)
	if [ "$(grep -c 'Run Time' "$dir/repl.out")" = 4 ]; then
		grep 'Run Time' "$dir/repl.out" | sed 's/Run Time: //; s/s$//' | awk 'NR >= 3 { s += $1 } END { printf "%.3f\n", s }' >>"$dir/times"
	else
		echo "bench.sh: the REPL session did not answer:" >>"$dir/errors"
		tail -3 "$dir/repl.out" >>"$dir/errors"
	fi
done
[ -s "$dir/times" ] || echo failed >"$dir/times"
report assume "6. REPL: assume on $project, then .forecast"
db=$fresh
echo

# the targets (issue 23), as ratios from this run
t() { cat "$dir/$1.time"; }
peak=$(cat "$dir/full.rss" "$dir/dry.rss" "$dir/cold.rss" "$dir/stored.rss" "$dir/check.rss" "$dir/assume.rss" | sort -n | tail -1)
# (a figure that failed has no ratio, and its target is not measured)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else printf "n/a" }'; }
met() { awk -v r="$1" -v l="$2" 'BEGIN { print (r == "n/a" ? "not measured" : r + 0 <= l + 0 ? "met" : "not met") }'; }
row() { printf '%-40s %10s  %-8s %s\n' "$1" "$2" "$3" "$4"; }
echo "targets ($BOOK book, SF$SF):"
row "target" "measured" "" ""
tm=""
[ "$BOOK" = tm ] || tm="(the target is the T&M book's)"
# target LABEL A B LIMIT NOTE: figure A over figure B against LIMIT
target() {
	r=$(ratio "$(t "$2")" "$(t "$3")")
	row "$1" "${r}x" "$(met "$r" "$4")" "$5"
}
target "full run <= 1.0x the floor" full floor 1.0 "$tm"
target "full run <= 1.0x the floor, same cache" full floorc 1.0 "$tm"
target "dry run <= 3x the raw scan" dry scan 3.0 ""
target "cold forecast <= 3x the raw scan" cold scan 3.0 "(no stored run)"
target "  after the month-end" stored scan 3.0 "(its stored run answers)"
target "assume + forecast <= 3x the raw scan" assume scan 3.0 ""
row "peak RSS <= 64 MB" "$peak MB" "$(met "$peak" 64)" "(the largest of 1, 2, 5, 5a, 5b, 6)"
# SF4/SF1 when both scales of this book have run (the later run prints it)
for other in 1 4; do
	[ "$other" = "$SF" ] && continue
	o=build/bench-$BOOK-sf$other/full.time
	[ -f "$o" ] || continue
	case $SF in 1) r=$(ratio "$(cat "$o")" "$(t full)") ;; 4) r=$(ratio "$(t full)" "$(cat "$o")") ;; *) continue ;; esac
	row "SF4/SF1 full run <= 4.2" "${r}x" "$(met "$r" 4.2)" ""
done
grep -q '^sow: note: answering from run' "$dir/errors" && echo "(5a was answered from the month-end run's stored rows)"
grep -v '^sow: note: answering from run' "$dir/errors" >"$dir/errors.other" || true
[ -s "$dir/errors.other" ] && { echo "errors:"; sort -u "$dir/errors.other"; }
exit 0
