#!/bin/sh
# bench.sh [SF [BOOK]]: month-end at scale SF against SQLite itself
# (make bench SF=1 BOOK=tm). BOOK is mixed (default) or tm (gen.sh).
# Prints the median of 3 runs of each figure, peak memory, and the ratios
# the README reports. No test depends on these timings.
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

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# run LABEL COMMAND...: $RUNS runs on fresh copies of the database
run() {
	label=$1
	shift
	: >"$dir/times"
	: >"$dir/rss"
	i=0
	while [ $i -lt "$RUNS" ]; do
		i=$((i + 1))
		cp "$db" "$dir/work.db"
		$M "$@" >"$dir/m" 2>>"$dir/errors"
		cut -d' ' -f1 "$dir/m" >>"$dir/times"
		cut -d' ' -f2 "$dir/m" >>"$dir/rss"
	done
	t=$(median <"$dir/times")
	r=$(sort -n "$dir/rss" | tail -1)
	printf '%-44s %8ss  %7s MB\n' "$label" "$t" "$r"
	eval "T_$(echo "$label" | tr -c 'a-z0-9\n' '_' | cut -c1-20)=$t"
	echo "$t" >"$dir/last"
}
: >"$dir/errors"
echo "sow benchmark, $BOOK book, SF=$SF ($(sqlite3 "$db" 'SELECT count(*) FROM time_entries') time entries, $(ls "$dir/sows" | wc -l) SOW files)"
echo "machine: $(nproc) cores, $(uname -m), sqlite $(sqlite3 --version | cut -d' ' -f1)"
run "1. sow run --period 2026-11" $SOW run --db "$dir/work.db" --period 2026-11 "$dir/sows"
full=$(cat "$dir/last")
# the database as the month-end left it, for the REPL figures (5, 5c)
cp "$dir/work.db" "$dir/after.db"
run "2. sow run --as-of 2026-11-30 --dry-run" $SOW run --db "$dir/work.db" --as-of 2026-11-30 --dry-run "$dir/sows"
dry=$(cat "$dir/last")
run "3. floor: hand-written SQL (sqlite3)" sh -c "sqlite3 $dir/work.db < $dir/floor.sql"
floor=$(cat "$dir/last")
run "4. raw scan: count(*), sum(hours)" sqlite3 "$dir/work.db" "SELECT count(*), sum(hours) FROM time_entries"
scan=$(cat "$dir/last")
# 5: after the month-end, whose stored rows answer (the REPL's reuse);
# 5b: a database without a run as of that date, so every rule runs
fresh=$db
db=$dir/after.db
run "5. sow eval: forecast by quarter, cold" $SOW eval --db "$dir/work.db" --as-of 2026-11-30 "$dir/sows" \
	-e 'from f in forecast group by f.fiscal_quarter select f.fiscal_quarter, sum(f.amount)'
cold=$(cat "$dir/last")
db=$fresh
run "5b. sow eval: the same, no stored run" $SOW eval --db "$dir/work.db" --as-of 2026-11-30 "$dir/sows" \
	-e 'from f in forecast group by f.fiscal_quarter select f.fiscal_quarter, sum(f.amount)'
run "5a. sow check of every SOW file" $SOW check "$dir/sows"
# (the REPL cold is figure 5: the same work as the first statement of a session)
printf '.timer on\n.forecast\n.forecast\n' | $SOW repl --db "$dir/after.db" --as-of 2026-11-30 "$dir/sows" >"$dir/repl.out" 2>&1 || true
warm=$(grep 'Run Time' "$dir/repl.out" | tail -1 | sed 's/Run Time: //')
printf '%-44s %8s\n' "5c. REPL: forecast again (warm session)" "$warm"
echo
echo "$full" >"$dir/full.time"
one=build/bench-$BOOK-sf1/full.time
[ -f "$one" ] && [ "$SF" != 1 ] && echo "SF$SF / SF1 full run: $(awk -v a="$full" -v b="$(cat "$one")" 'BEGIN { printf "%.2f", a / b }')x   (target <= 4.2)"
awk -v f="$full" -v fl="$floor" -v d="$dry" -v s="$scan" -v c="$cold" 'BEGIN {
	printf "full run / floor      %6.2fx   (target <= 1.0)\n", f / fl
	printf "dry run / raw scan    %6.2fx   (target <= 3.0)\n", d / s
	printf "cold eval / raw scan  %6.2fx   (target <= 3.0)\n", c / s
}'
grep -q '^sow: note: answering from run' "$dir/errors" && echo "(5 was answered from the month-end run's stored rows)"
grep -v '^sow: note: answering from run' "$dir/errors" >"$dir/errors.other" || true
[ -s "$dir/errors.other" ] && { echo "errors:"; sort -u "$dir/errors.other"; }
exit 0
