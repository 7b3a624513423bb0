# The files of a run are as atomic as the database (issue 26).
sow init "$DB"
sqlite3 "$DB" < fixture.sql
runs() { sqlite3 "$DB" "SELECT count(*) || ' runs' FROM runs"; }
echo "-- bad destinations are refused before the run: nothing written"
mkdir adir.html
sow run --db "$DB" --period 2026-11 --report adir.html common.sow >/dev/null; echo "exit $?"
mkdir o
cp "$DB" o/revenue.csv
sow run --db o/revenue.csv --period 2026-11 --output o common.sow >/dev/null; echo "exit $?"
sqlite3 o/revenue.csv "SELECT count(*) || ' runs in o/revenue.csv' FROM runs"
sow run --db "$DB" --period 2026-11 --report o/pack.html --output o common.sow >/dev/null; echo "exit $?"
mkdir out
echo "keep me" > out/notes.txt
sow run --db "$DB" --period 2026-11 --output out common.sow >/dev/null; echo "exit $?"
rm out/notes.txt
mkdir out/transitions.csv
touch out/transitions.csv/x
sow run --db "$DB" --period 2026-11 --output out common.sow >/dev/null; echo "exit $?"
rm -r out/transitions.csv
runs
echo "-- DIR is one run's files: the new folder replaces the old in one exchange"
sow run --db "$DB" --period 2026-11 --output out common.sow >/dev/null; echo "exit $?"
ls -A out | tr '\n' ' '; echo
sqlite3 "$DB" "UPDATE time_entries SET hours = '4' WHERE id = 3"
sow run --db "$DB" --period 2026-11 --output out common.sow >/dev/null; echo "exit $?"
echo "run_id of every line of every CSV:"
for f in out/*.csv; do sed 1d "$f" | cut -d, -f1; done | sort | uniq -c | sed 's/^ *//'
cut -d, -f1,2,4,5,6 out/revenue.csv | grep -v '^run_id'
echo "-- what an interrupted run left is cleared by the next"
mkdir .out.sow-Ab12Cd
touch .out.sow-Ab12Cd/revenue.csv .pack.html.sow-Ef34Gh out/.billing.csv.tmp
sow run --db "$DB" --period 2026-11 --output out --report pack.html common.sow >/dev/null; echo "exit $?"
ls -A . out | grep -c -e sow- -e '\.tmp'
echo "-- temporaries are new files: a planted link is not followed"
echo "precious" > victim
ln -s victim .pack.html.tmp
ln -s victim .revenue.csv.tmp
ln -s victim pack2.html
sow run --db "$DB" --period 2026-11 --report pack2.html common.sow >/dev/null; echo "exit $?"
cat victim
[ -L pack2.html ] || echo "pack2.html is a file, the link replaced"
grep -c '<html' pack2.html
echo "-- formula injection: text cells that start = + - @ tab CR are neutralised"
sqlite3 "$DB" "UPDATE projects SET customer = '=HYPERLINK(\"http://x\",\"y\")', po_reference = '+1-555' WHERE id = 'P-TM';
	UPDATE projects SET customer = '@SUM(A1)', po_reference = '-2+3' WHERE id = 'P-MS'"
sow run --db "$DB" --period 2026-11 --output out common.sow >/dev/null; echo "exit $?"
cat out/invoice_drafts.csv
sow eval --db "$DB" --format csv -e 'from p in projects select p.id, p.customer, p.po_reference, credit: -5000.00 USD order by p.id'
