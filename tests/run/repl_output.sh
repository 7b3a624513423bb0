# REPL: .output FILE / .once FILE (as in sqlite3), .expanded and \x (psql),
# select *, and a row shown as its fields.
sow init "$DB"
sqlite3 "$DB" < fixture.sql
sow repl --db "$DB" --as-of 2026-11-30 --keep-going common.sow <<'REPL'; echo "exit $?"
.format csv
.once once.csv
from milestones select id, project_id
milestones["P-MS-M1"].id
.output all.txt
.format table
.forecast
from milestones select *
.output
milestones["P-MS-M1"]
\x
from m in milestones where m.id == "P-MS-M2" select m.id, m.project_id
.expanded off
from m in milestones where m.id == "P-MS-M2" select m.id, m.project_id
.expanded maybe
.once
.once /nonexistent/folder/x.csv
REPL
echo "-- once.csv"; cat once.csv
echo "-- all.txt"; cat all.txt
rm -f once.csv all.txt
