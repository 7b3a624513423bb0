#!/bin/sh
# same.sh OLD_SOW NEW_SOW SF [BOOK]: run two sow binaries on the same
# benchmark book (gen.sh) and say whether every table they leave is the
# same set of rows (`make same OLD=path/to/sow SF=0.1 BOOK=tm`): the month-end
# for 2026-11, then a dry run's summary. Only the runs table's clock columns
# differ by nature and are left out. Exits 1 when anything differs, with
# the first differing rows of each table.
set -eu
old=$1
new=$2
SF=$3
BOOK=${4:-tm}
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$top/build/bench-$BOOK-sf$SF
[ -f "$dir/bench.db" ] || SOW=$new sh "$top/tests/bench/gen.sh" "$SF" "$dir" "$BOOK"
export SOW_PATH="$top/rules"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for side in old new; do
	eval "bin=\$$side"
	mkdir "$work/$side"
	cp "$dir/bench.db" "$work/$side.db"
	"$bin" run --db "$work/$side.db" --period 2026-11 "$dir/sows" >"$work/$side/run.out" 2>&1 || echo "$side: sow run exited $?"
	"$bin" run --db "$work/$side.db" --as-of 2026-11-30 --dry-run "$dir/sows" >"$work/$side/dry.out" 2>&1 ||
		echo "$side: dry run exited $?"
	sed -i 's/[0-9.]* s\b/N s/g; s/[0-9]* ms\b/N ms/g' "$work/$side/run.out" "$work/$side/dry.out"
	for t in $(sqlite3 "$work/$side.db" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"); do
		case $t in
		runs) cols="id, period, as_of, rules_digest, status" ;;
		*) cols="*" ;;
		esac
		sqlite3 -csv "$work/$side.db" "SELECT $cols FROM \"$t\"" | sort >"$work/$side/$t"
	done
done
tables=0
for f in "$work"/old/*; do
	name=${f#"$work"/old/}
	tables=$((tables + 1))
	if ! cmp -s "$f" "$work/new/$name"; then
		status=1
		echo "differs: $name"
		diff "$f" "$work/new/$name" | head -6
	fi
done
rows=$(cat "$work"/new/* | wc -l)
echo "$BOOK SF$SF: $tables tables and outputs compared ($rows lines), $([ $status = 0 ] && echo same || echo DIFFERENT)"
exit $status
