# The REPL reuses its own work: an assume runs again only the rules that
# read the assumed table (and what reads their rows), when a statement reads
# what they emit; an assume on a milestone does not read the time entries
# again. .asof back to a date reuses the results made for it. The answers
# are those of the rules run from the start (--no-reuse), to the row.
sow init "$DB"
sqlite3 "$DB" < fixture.sql
# 3,000 more approved time entries: a scan of them would be seen
sqlite3 "$DB" "WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM n WHERE i < 3099)
	INSERT INTO time_entries (id, project_id, person, role, worked_on, hours, approved_on, billable)
	SELECT i, 'P-TM', 'ann', 'PSE', '2026-11-0' || (2 + i % 7), '0.25', '2026-11-10', 1 FROM n"
sow run --db "$DB" --period 2026-10 --skip-gap common.sow > /dev/null; echo "run: exit $?"
cat > all.repl <<'EOF'
from r in revenue select r.period, r.project_id, r.source, r.source_id, r.amount, r.basis, r.recognized_on, r.rule
from b in billing select b.project_id, b.source_id, b.amount, b.bill_on, b.reason, b.rule
from f in findings select f.project_id, f.severity, f.code, f.message, f.subject, f.rule
from f in forecast select f.project_id, f.fiscal_quarter, f.amount, f.basis, f.rule
from t in revenue_totals select t.period, t.project_id, t.amount
from t in transitions select t.project_id, t.from_status, t.to_status, t.reason
from d in invoice_drafts select d.number, d.project_id, d.net, d.status
from l in invoice_lines select l.number, l.line, l.description, l.quantity, l.amount
from b in balances select b.project_id, b.recognized_to_date, b.billed_to_date
.forecast
.balances
EOF
{
	echo '.forecast'
	echo 'assume milestones["P-MS-M2"].sign_off_received_on = 2026-11-20'
	echo '.reuse'
	cat all.repl
	echo '.reuse'
	echo 'assume milestones["P-MS-M1"].sign_off_sent_on = unset'
	cat all.repl
	echo '.assume clear'
	cat all.repl
	echo '.reuse'
} > session.repl
sow repl --db "$DB" --as-of 2026-11-30 common.sow < session.repl > on.txt 2>&1; echo "exit $?" >> on.txt
sow repl --db "$DB" --as-of 2026-11-30 --no-reuse common.sow < session.repl > off.txt 2>&1; echo "exit $?" >> off.txt
echo "-- what the assume ran again (reuse on):"
grep -e '^reuse is' -e '^since the last' on.txt
reread=$(grep -m1 '^since the last' on.txt | sed 's/.*reading \([0-9]*\) rows.*/\1/')
entries=$(sqlite3 "$DB" "SELECT count(*) FROM time_entries")
[ "$reread" -lt "$entries" ] && echo "rows read again: $reread, fewer than the $entries time entries"
echo "-- the same answers as the rules run from the start (rows in any order):"
grep -v -e '^reuse is' -e '^since the last' on.txt | sort > on.sorted
grep -v -e '^reuse is' -e '^since the last' off.txt | sort > off.sorted
cmp on.sorted off.sorted && echo "the same, $(wc -l < on.txt) lines"
grep -c 'P-MS-M2' on.txt
echo "-- sow eval --profile: the rules the assume ran again, none reading time entries"
sow eval --db "$DB" --as-of 2026-11-30 --profile common.sow -e 'assume milestones["P-MS-M2"].sign_off_received_on = 2026-11-20' \
	> eval.txt 2> profile.txt; echo "eval: exit $?"
cat eval.txt
grep -c '^profile:' profile.txt
awk '/^profile:/ { n++ } n == 2' profile.txt > second.txt
grep -q 'release_milestones' second.txt && echo "ran again: release_milestones"
grep -q -e 'release_time' -e 'hours_not_quarter' -e 'missing_rate' -e 'time_on_inactive' second.txt || echo "not run again: release_time, missing_rate, hours_not_quarter, time_on_inactive_project"

echo "-- .asof away and back: the results of the date are kept"
printf '.forecast\n.asof 2026-12-31\n.forecast\n.asof 2026-11-30\n.reuse\n.forecast\n' > asof.repl
sow repl --db "$DB" --as-of 2026-11-30 common.sow < asof.repl > on.txt 2>&1
sow repl --db "$DB" --as-of 2026-11-30 --no-reuse common.sow < asof.repl > off.txt 2>&1
grep -e '^reuse is' -e '^kept for' on.txt
grep -v -e '^reuse is' -e '^kept for' on.txt > on.sorted
grep -v -e '^reuse is' -e '^kept for' off.txt > off.sorted
cmp on.sorted off.sorted && echo "the same answers"

echo "-- after the month-end: the stored run answers; an assume copies its rows and runs again what it changes"
sow run --db "$DB" --period 2026-11 common.sow > /dev/null; echo "run: exit $?"
sow repl --db "$DB" --as-of 2026-11-30 common.sow < session.repl > on.txt 2>&1; echo "exit $?" >> on.txt
sow repl --db "$DB" --as-of 2026-11-30 --no-reuse common.sow < session.repl > off.txt 2>&1; echo "exit $?" >> off.txt
grep -e '^reuse is' -e '^since the last' -e '^sow: note' on.txt | sed 's/(period .*//'
reread=$(grep -m1 '^since the last' on.txt | sed 's/.*reading \([0-9]*\) rows.*/\1/')
[ "$reread" -lt "$entries" ] && echo "rows read again: $reread, fewer than the $entries time entries"
grep -v -e '^reuse is' -e '^since the last' -e '^sow: note' on.txt | sort > on.sorted
grep -v -e '^reuse is' -e '^since the last' off.txt | sort > off.sorted
cmp on.sorted off.sorted && echo "the same, $(wc -l < on.txt) lines"
rm -f all.repl session.repl asof.repl ./*.txt ./*.sorted
