# The REPL and sow eval answer from the database's latest run when it is the
# session's view (the same as-of, the same rule files, nothing written to the
# database since), and the answers are those the rules give when they run
# again (--no-reuse). A run of other rules, another date, changed data, a
# write after the run or a WAL database is never read as if it were current.
sow init "$DB"
sqlite3 "$DB" < fixture.sql
cat > q.repl <<'EOF'
.forecast
.forecast P-TM
from r in revenue select r.period, r.project_id, r.source, r.source_id, r.amount, r.basis, r.recognized_on, r.rule
from b in billing select b.project_id, b.source_id, b.amount, b.bill_on, b.reason, b.rule
from f in findings select f.project_id, f.severity, f.code, f.message, f.rule order by f.code, f.message
from t in forecast_totals select t.fiscal_quarter, t.currency, t.amount, t.actual_amount, t.forecast_amount
from f in forecast select f.project_id, f.fiscal_quarter, f.amount, f.basis, f.rule
from t in revenue_totals select t.period, t.project_id, t.amount
from t in transitions select t.project_id, t.from_status, t.to_status, t.reason
from l in invoice_lines select l.line, l.description, l.quantity, l.unit_price, l.amount
from i in invoice_items select i.draft, i.sort, i.description, i.quantity, i.amount
from r in readiness select r.project_id, r.what, r.done
.balances
EOF
# answers: on.txt from the stored run, off.txt recomputed; the same but the note
answers() { # NAME [FLAGS]: the session's answers, and its notes apart
	n=$1
	shift
	sow repl --db "$DB" --as-of "${ASOF:-2026-11-30}" "$@" common.sow < q.repl > "$n.txt" 2> "$n.err"
	echo "exit $?" >> "$n.txt"
}
notes() { sed 's/(period .*//' "$1.err"; }
sow run --db "$DB" --period 2026-11 common.sow > /dev/null; echo "run: exit $?"
sqlite3 "$DB" "SELECT id, as_of, change_counter IS NOT NULL FROM runs"
answers on
answers off --no-reuse
echo "-- with reuse: $(notes on)"
echo "-- without: $(wc -l < off.err) notes"
cmp on.txt off.txt && echo "the same answers, $(wc -l < on.txt) lines"
grep -c 'health_report_missing' on.txt
echo "-- but for what the commit adds: a draft's number (drawn when a run commits)"
for r in "" --no-reuse; do
	# shellcheck disable=SC2086
	sow eval --db "$DB" --as-of 2026-11-30 $r common.sow -e 'from d in invoice_drafts select d.number, d.project_id, d.status' 2>/dev/null
done
echo "-- eval: the note, the profile, the same value"
sow eval --db "$DB" --as-of 2026-11-30 --profile common.sow -e 'from r in revenue where r.source_id == "3" select r.amount' 2>&1 | sed 's/(period .*//'
sow eval --db "$DB" --as-of 2026-11-30 --no-reuse common.sow -e 'from r in revenue where r.source_id == "3" select r.amount'

echo "-- another date: recomputed"
ASOF=2026-11-29 answers d29
echo "notes: $(wc -l < d29.err)"
echo "-- other rule files (a comment added): recomputed"
cp common.sow orig.sow
printf '\n# a comment changes the digest\n' >> common.sow
answers changed
echo "notes: $(wc -l < changed.err)"
sort on.txt > on.sorted; sort changed.txt > changed.sorted # (rules run when asked: rows in another order)
cmp on.sorted changed.sorted && echo "the same answers"
cp orig.sow common.sow
echo "-- the same text in another place (every row names its rule's file): recomputed"
mkdir -p elsewhere && cp common.sow elsewhere/
sow eval --db "$DB" --as-of 2026-11-30 elsewhere/common.sow -e 'from r in revenue where r.source_id == "3" select r.amount' 2>&1
echo "-- the same files again: from the run"
answers again
notes again
cmp on.txt again.txt && echo "the same answers"

echo "-- the data changed after the run: recomputed, with the change"
sqlite3 "$DB" "UPDATE time_entries SET hours = '1' WHERE id = 3"
answers data
echo "notes: $(wc -l < data.err)"
sqlite3 "$DB" "SELECT 'stored: ' || amount FROM revenue WHERE source_id = '3'"
grep ' time  *3 ' data.txt | awk '{ print "recomputed: " $5 }'
echo "-- a new run of the period: from it"
sow run --db "$DB" --period 2026-11 common.sow > /dev/null; echo "run: exit $?"
answers rerun
notes rerun
echo "-- any write after the run (here a close) means recompute"
sow close --db "$DB" --period 2026-11 > /dev/null; echo "close: exit $?"
answers closed
echo "notes: $(wc -l < closed.err)"
echo "-- a WAL database cannot say whether it changed: recomputed"
sow run --db "$DB" --period 2026-12 common.sow > /dev/null; echo "run: exit $?"
sqlite3 "$DB" "PRAGMA journal_mode = WAL" > /dev/null
ASOF=2026-12-31 answers wal
echo "notes: $(wc -l < wal.err), $(tail -1 wal.txt)"
sqlite3 "$DB" "PRAGMA journal_mode = DELETE" > /dev/null

echo "-- a write while a session is open: the next answer is recomputed"
sow run --db "$DB" --period 2027-01 common.sow > /dev/null; echo "run: exit $?"
rm -f in.fifo out.fifo
mkfifo in.fifo out.fifo
sow repl --db "$DB" --as-of 2027-01-31 common.sow < in.fifo > out.fifo 2>&1 &
exec 3> in.fifo 4< out.fifo
ask() { # STATEMENT: its output, up to the marker printed after it
	printf '%s\n"-- answered"\n' "$1" >&3
	while IFS= read -r line <&4; do
		case $line in *'-- answered'*) break ;; esac
		echo "$line" | sed 's/(period .*//'
	done
}
ask 'from r in revenue where r.period == 2027-01 select r.source_id, r.amount'
sqlite3 "$DB" "INSERT INTO time_entries (id, project_id, person, role, worked_on, hours, approved_on, billable)
  VALUES (5, 'P-TM', 'ann', 'PSE', '2027-01-04', '2', '2027-01-05', 1)"
ask 'from r in revenue where r.period == 2027-01 select r.source_id, r.amount'
ask '.reuse'
exec 3>&-
wait
exec 4<&-

echo "-- at a terminal (build/ptydrive): the note, .reuse, .reuse off recomputes the same"
sow run --db "$DB" --period 2027-02 common.sow > /dev/null; echo "run: exit $?"
cat > keys.pty <<'EOF'
expect sow 2027-02-28>
send .reuse\n
expect nothing computed yet as of 2027-02-28
send from t in revenue_totals where t.project_id == "P-TM" select t.period, t.amount;\n
expect answering from run 5 (period 2027-02
expect 2027-02   500.00 USD
send .reuse\n
expect answering from run 5 of the database
send .reuse off\n
send from t in revenue_totals where t.project_id == "P-TM" select t.period, t.amount;\n
expect 2027-02   500.00 USD
send .reuse\n
expect reuse is off: the rules ran in this session as of 2027-02-28
send .quit\n
EOF
SOW_HISTORY=$PWD/history "$top/build/ptydrive" keys.pty "$SOW_BIN" repl --db "$DB" --as-of 2027-02-28 common.sow > pty.txt 2>&1
rc=$?; echo "ptydrive: exit $rc"; [ $rc -eq 0 ] || cat pty.txt
rm -rf in.fifo out.fifo q.repl keys.pty history ./*.txt ./*.err ./*.sorted orig.sow elsewhere
