# The forecast by fiscal quarter (SPEC 6.8, 8.3) against an independent
# computation on a random book: tests/run/forecast/gen.py generated the book
# and the expected lines and totals once (numpy.busday_offset for passive
# dates, Python decimal for amounts); they are committed. T&M allocations
# after as-of times the rate, milestones where release will accept them
# (a receipt after the passive date does not move one), a quarter later when
# not confident, trainings by planned date, released lines in the quarter of
# their recognition date, every total the exact sum of its parts rounded once.
f="$top/tests/run/forecast"
sow init "$DB"
sqlite3 "$DB" < "$f/book.sql"
cp "$f/book.sow" .
sow run --db "$DB" --period 2026-11 --format csv book.sow > raw.csv; echo "run: exit $?"
tr -d '\r' < raw.csv > out.csv
# every line, amounts as exact decimals without trailing zeros
sqlite3 "$DB" "SELECT project_id, fiscal_quarter, basis, amount, currency FROM forecast" |
	awk -F'|' -v OFS='|' '{ if ($4 ~ /\./) { sub(/0+$/, "", $4); sub(/\.$/, "", $4) } print }' | LC_ALL=C sort > got.txt
LC_ALL=C sort "$f/lines.txt" | diff - got.txt > diff.txt && echo "forecast lines: $(wc -l < got.txt), the same" || head -20 diff.txt
# the run's totals by quarter and currency
awk -F, -v OFS=, '$1 == "Forecast by quarter" { print $2, $3, $6 }' out.csv | diff "$f/quarters.txt" - > diff.txt &&
	echo "quarter totals: $(wc -l < "$f/quarters.txt"), the same" || head -20 diff.txt
# actual (released lines recognized in the quarter) and forecast parts, each rounded once
awk -F, -v OFS=, '$1 == "Forecast by quarter" { print $2, $3, $4, $5 }' out.csv | diff "$f/split.txt" - > diff.txt &&
	echo "actual and forecast parts: $(wc -l < "$f/split.txt"), the same" || head -20 diff.txt
# the REPL's totals per project: recomputed, then read from the stored run
cut -d' ' -f1 "$f/projects.txt" | uniq > projects.txt
for reuse in --no-reuse ""; do
	# shellcheck disable=SC2086
	sed 's/^/.forecast /' projects.txt | sow repl --db "$DB" --as-of 2026-11-30 --format csv $reuse book.sow 2>&1 | tr -d '\r' |
		awk -F, 'NR == FNR { p[++n] = $0; next } /^sow: note: answering from run/ { print "(" $0 ")" > "/dev/stderr"; next }
			/^fiscal_quarter,currency,/ { k++; next } { print p[k] " " $1 "," $2 "," $5 }' projects.txt - 2>note.txt |
		diff "$f/projects.txt" - > diff.txt && echo "project totals${reuse:+ recomputed}: $(wc -l < "$f/projects.txt"), the same" || head -20 diff.txt
	[ -s note.txt ] && echo "read from the stored run: $(grep -c 'answering from run 1 ' note.txt)"
done
rm -f note.txt
sqlite3 "$DB" "SELECT subject FROM findings WHERE code = 'stale_forecast' ORDER BY 1" | diff "$f/stale.txt" - > diff.txt &&
	echo "stale forecast warnings: $(wc -l < "$f/stale.txt"), the same" || head -20 diff.txt
rm -f book.sow out.csv got.txt diff.txt projects.txt
