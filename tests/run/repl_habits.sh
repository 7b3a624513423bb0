# REPL habits of sqlite3 and psql users (issue 25), scripts that go on after
# an error (SPEC 9.1), NUL bytes, redefinitions and repeated assumptions
# (issue 26). Each part failed before the statement layer.
sow init "$DB"
sqlite3 "$DB" < fixture.sql
echo "-- SQL's select: a hint that queries start with from"
echo 'select p.id from projects p' | sow repl --db "$DB" --as-of 2026-11-30 common.sow; echo "exit $?"
echo "-- .once FILE, then a setting: the file gets the next result"
sow repl --db "$DB" --as-of 2026-11-30 common.sow <<'REPL'; echo "exit $?"
.once once.csv
.format csv
.timer off
from p in projects select p.id, p.customer
from p in projects where p.id == "P-TM" select p.id
REPL
echo "-- once.csv"; tr -d '\r' < once.csv
echo "-- the views SPEC defines, in from; .tables, .schema, \\d, \\q"
sow run --db "$DB" --period 2026-11 common.sow >/dev/null; echo "run: exit $?"
sow repl --db "$DB" --as-of 2026-11-30 common.sow <<'REPL'; echo "exit $?"
from r in revenue_by_project where r.project_id == "P-TM" select r.period, r.amount
from f in forecast_by_quarter select f.fiscal_quarter, f.currency, f.amount
.tables totals
\d
.schema revenue_by_project
\d forecast_by_quarter
\d nosuchtable
\q
1 + 1
REPL
echo "-- with an assumption, .forecast and what reads the rules' results say so"
sow repl --db "$DB" --as-of 2026-11-30 common.sow <<'REPL'; echo "exit $?"
assume milestones["P-MS-M2"].sign_off_received_on = 2027-02-10
.forecast
from r in revenue_by_project where r.project_id == "P-MS" select r.period, r.amount
1 + 1
REPL
echo "-- a script reads to the end and reports every error with its line; --bail stops"
printf '1 + 1\n1 + "a"\n\nwhy\n2 + 2\n.nonsense\n3 + 3\n' >script.repl
sow repl --as-of 2026-11-30 common.sow < script.repl; echo "exit $?"
sow repl --bail --as-of 2026-11-30 common.sow < script.repl; echo "exit $?"
echo "-- a NUL byte in a statement is refused with its line, not cut"
printf '1 + 1\nfrom m in milestones\0 where m.id == "P-MS-M1" select m.id\n\n2 + 2\n' |
	sow repl --db "$DB" --as-of 2026-11-30 common.sow; echo "exit $?"
echo "-- a redefinition takes effect, and what used it follows"
sow repl --as-of 2026-11-30 common.sow <<'REPL'; echo "exit $?"
fn g(x) = x

fn h(x) = g(x) * 2

h(1)
fn g(x) = x + 100

h(1)
fn g(x) = "text" + 1

h(1)
REPL
echo "-- the same cell assumed again replaces the earlier assumption"
sow repl --db "$DB" --as-of 2026-11-30 common.sow <<'REPL' >/dev/null; echo "exit $?"
assume milestones["P-MS-M2"].sign_off_received_on = 2027-02-10
assume milestones["P-MS-M2"].sign_off_received_on = 2027-03-10
assume milestones["P-MS-M1"].sign_off_received_on = 2027-03-10
assume milestones["P-MS-M2"].sign_off_received_on = 2027-04-10
.output assumed.txt
.assume
from m in milestones select m.id, m.sign_off_received_on
REPL
cat assumed.txt
echo "-- ... and its figures are those of the last value alone"
n=0
for s in 'assume milestones["P-MS-M2"].sign_off_received_on = 2027-06-10
assume milestones["P-MS-M2"].sign_off_received_on = 2027-01-05' 'assume milestones["P-MS-M2"].sign_off_received_on = 2027-01-05'; do
	printf '%s\n.forecast\n' "$s" | sow repl --db "$DB" --as-of 2026-11-30 --no-reuse common.sow 2>&1 | sed -n '/^what-if/,$p' >"forecast$n.txt"
	n=$((n + 1))
done
cmp forecast0.txt forecast1.txt && echo "the same forecast: $(grep -c FY forecast0.txt) lines"
rm -f forecast0.txt forecast1.txt
echo "-- sow run --format csv: each row names its section"
sow run --db "$DB" --as-of 2026-11-30 --dry-run --format csv common.sow >run.csv 2>/dev/null; echo "exit $?"
tr -d '\r' < run.csv | grep -A2 '^section,fiscal_quarter,currency,actual'
tr -d '\r' < run.csv | cut -d, -f1 | uniq -c

echo "-- the html format (sow serve's): escaped cells"
printf '.format html\nfrom p in projects select p.id, p.name\n"<b>"\n' | sow repl --db "$DB" --as-of 2026-11-30 common.sow; echo "exit $?"
sow eval --db "$DB" --format html -e 'from p in projects where p.id == "P-TM" select p.name' common.sow; echo "exit $?"
rm -f once.csv script.repl assumed.txt run.csv
