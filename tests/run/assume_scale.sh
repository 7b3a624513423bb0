# An assume on one project's rows runs again, of the rules local to a
# project (keyscope.c), only that project's rows, reading only its rows of
# project-keyed tables; the rest of the view stays. The answers must be
# those of the rules run from the start on a database where the same
# change is made in the data, to the row: before and after a month-end
# (its stored run promoted), and when a later assume concerns another
# project or moves a row to another project (then the rules run for all).
SOW=$SOW_BIN sh "$top/tests/bench/gen.sh" 0.003 book mixed > /dev/null
cp book/bench.db base.db
entries=$(sqlite3 base.db "SELECT count(*) FROM time_entries")
# the first released entry of a T&M project, and one of another T&M project
set -- $(sqlite3 -separator " " base.db "SELECT id, project_id FROM time_entries WHERE billable = 1 AND approved_on <= '2026-11-30'
	AND (CAST(substr(project_id, 3) AS INTEGER) - 1) % 6 = 0 ORDER BY id LIMIT 1")
e1=$1 p1=$2
set -- $(sqlite3 -separator " " base.db "SELECT id, project_id FROM time_entries WHERE billable = 1 AND approved_on <= '2026-11-30'
	AND (CAST(substr(project_id, 3) AS INTEGER) - 1) % 6 = 0 AND project_id <> '$p1' ORDER BY id LIMIT 1")
e2=$1 p2=$2
# what is compared: the standing figures, then every output table
cat > figures.repl <<EOF
.format csv
"-- figures"
.forecast
.forecast $p1
.balances $p1
from r in revenue where r.project_id == "$p1" group by r.currency select r.currency, sum(r.amount), count()
from r in reporting_lines select r.kind, r.project_id, r.fiscal_quarter, r.on_date, r.amount, r.reporting_amount, r.rule
from r in revenue select r.period, r.project_id, r.source, r.source_id, r.amount, r.basis, r.recognized_on, r.rule
from f in forecast select f.project_id, f.fiscal_quarter, f.amount, f.basis, f.rule
EOF
cat > tables.repl <<'EOF'
"-- every table"
from b in billing select b.project_id, b.source_id, b.amount, b.bill_on, b.reason, b.rule
from f in findings select f.project_id, f.severity, f.code, f.message, f.subject, f.rule
from t in revenue_totals select t.period, t.project_id, t.amount
from t in forecast_totals select t.fiscal_quarter, t.currency, t.amount
from d in invoice_drafts select d.number, d.project_id, d.net, d.status
from l in invoice_lines select l.number, l.line, l.description, l.quantity, l.amount
from b in balances select b.project_id, b.recognized_to_date, b.billed_to_date
.balances
EOF
# whatif DB ASSUMES... : a session assuming each, with the figures after
# the first; its answers from the "-- figures" line on, as sorted text
whatif() {
	db=$1
	shift
	{
		echo '.forecast'
		echo "assume $1"
		echo '.reuse'
		cat figures.repl
		echo '.reuse'
		shift
		for a in "$@"; do echo "assume $a"; done
		cat figures.repl tables.repl
	} > whatif.repl
	sow repl --db "$db" --as-of 2026-11-30 book/sows < whatif.repl > whatif.txt 2>&1; echo "exit $?" >> whatif.txt
}
# data DB SQL: the same change made in a copy of the database, every rule run
data() {
	cp "$1" changed.db
	sqlite3 changed.db "$2"
	cat figures.repl tables.repl > data.repl
	sow repl --db changed.db --as-of 2026-11-30 --no-reuse book/sows < data.repl > data.txt 2>&1; echo "exit $?" >> data.txt
}
# the answers after the last assumption: sorted, without the what-if notes
answers() { awk '/^-- figures/ { s = NR } { l[NR] = $0 } END { for (i = s; i <= NR; i++) print l[i] }' "$1" | grep -v -e '^what-if:' -e '^reuse is' -e 'rules ran for what was asked' -e '^sow: note' | sort; }
compare() {
	answers whatif.txt > whatif.sorted
	answers data.txt > data.sorted
	if cmp -s whatif.sorted data.sorted; then echo "$1: the same answers, $(wc -l < whatif.sorted) lines"; else
		echo "$1: the answers differ"; diff data.sorted whatif.sorted | head -20; fi
}
# what the first catch-up ran and read (every rule for every project
# reads each of the time entries at least once)
reread() {
	grep -m1 'rules ran for what was asked' whatif.txt | sed 's/ (since.*it), / /; s/; .*//'
	n=$(grep -m1 'rules ran for what was asked' whatif.txt | sed 's/.*reading \([0-9]*\) rows.*/\1/')
	[ "$n" -lt "$entries" ] && echo "fewer rows than the $entries time entries"
}

echo "-- no stored run: an assume on one time entry of $p1"
whatif base.db "time_entries[\"$e1\"].hours = 8"
data base.db "UPDATE time_entries SET hours = '8' WHERE id = $e1"
reread
compare "assume on $p1"

echo "-- then an assume on $p2 (the rules stale for $p1 run for all)"
whatif base.db "time_entries[\"$e1\"].hours = 8" "time_entries[\"$e2\"].hours = 0.25"
data base.db "UPDATE time_entries SET hours = '8' WHERE id = $e1; UPDATE time_entries SET hours = '0.25' WHERE id = $e2"
compare "assume on $p1 and $p2"

echo "-- an assume moving an entry of $p1 to $p2: every project's rows run again"
whatif base.db "time_entries[\"$e1\"].project_id = \"$p2\""
data base.db "UPDATE time_entries SET project_id = '$p2' WHERE id = $e1"
compare "entry moved"

echo "-- an assume on the project itself: its calendar"
whatif base.db "projects[\"$p1\"].calendar = \"NL\""
data base.db "UPDATE projects SET calendar = 'NL' WHERE id = '$p1'"
reread
compare "assume on projects[$p1]"

echo "-- after the month-end: the stored run's rows, the rules of $p1 again"
sow run --db base.db --period 2026-11 book/sows > /dev/null; echo "run: exit $?"
whatif base.db "time_entries[\"$e1\"].hours = 8"
data base.db "UPDATE time_entries SET hours = '8' WHERE id = $e1"
reread
compare "assume on $p1 after the month-end"
rm -rf book base.db changed.db ./*.repl ./*.txt ./*.sorted
