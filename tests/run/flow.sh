# A query a rule evaluates once per outer row, correlated with it by
# equality (`from r in revenue where r.project_id == s.project_id ... group
# by ...`), is read once for every key and its groups handed to each row
# (plan.c, query.c). The same month-end, October and November with an
# amendment mid-November, a SOW with its own rounding, two currencies, a
# close, a late entry and a reopen, runs with this and with it turned off
# (SOW_NO_DECORRELATE=1): every output table is the same, as sorted text.
cat > flow.sow <<'SOW'
import "std"

sow "S-A" for project "P-A" {
  customer "A"
  currency USD
  billing  time_and_materials
  rate     "PSE" 250.00 per hour
  rate     "PM"  187.50 per hour
  amendment "CR-A" effective 2026-11-16 {
    rate "PSE" 262.50 per hour
  }
}

sow "S-B" for project "P-B" {
  customer "B"
  currency EUR
  billing  time_and_materials
  rate     "PSE" 100.005 per hour
  rate     "PM"  120.00 per hour
}

sow "S-C" for project "P-C" {
  customer "C"
  currency USD
  billing  time_and_materials
  rate     "PSE" 210.00 per hour
  rate     "PM"  160.00 per hour
  rounding timesheet_hours to 0.5 mode up
}

sow "S-D" for project "P-D" {
  customer "D"
  currency USD
  billing  time_and_materials
  rate     "PSE" 199.99 per hour
}

sow "S-M" for project "P-M" {
  customer  "M"
  currency  EUR
  billing   milestone
  milestone "P-M-M1" "Discovery" 12000.00
}
SOW
sow init "$DB"
sqlite3 "$DB" "INSERT INTO projects (id, name, customer, kind, status, country, calendar) VALUES
	('P-A', 'A', 'A', 'consulting', 'Active', 'US', 'US'), ('P-B', 'B', 'B', 'consulting', 'Active', 'NL', 'US'),
	('P-C', 'C', 'C', 'consulting', 'Active', 'US', 'US'), ('P-D', 'D', 'D', 'consulting', 'Active', 'US', 'US'),
	('P-M', 'M', 'M', 'consulting', 'Active', 'NL', 'US');
	INSERT INTO holidays VALUES ('US', '2026-11-26', 'Thanksgiving');
	INSERT INTO fx_rates (day, base, quote, rate)
	WITH RECURSIVE d(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM d WHERE n < 90)
	SELECT date('2026-09-01', '+' || n || ' days'), 'USD', 'EUR', '0.9' || (n % 7) FROM d;
	INSERT INTO milestones (id, project_id, name, sign_off_received_on) VALUES ('P-M-M1', 'P-M', 'Discovery', '2026-11-20');
	WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
	INSERT INTO time_entries (id, project_id, person, role, worked_on, hours, approved_on, billable)
	SELECT i, CASE i % 4 WHEN 0 THEN 'P-A' WHEN 1 THEN 'P-B' WHEN 2 THEN 'P-C' ELSE 'P-D' END, 'p' || (i % 5),
	       CASE WHEN i % 5 = 0 AND i % 4 <> 3 THEN 'PM' ELSE 'PSE' END, date('2026-10-01', '+' || (i % 60) || ' days'),
	       printf('%.2f', (i % 29) * 0.25 + (i % 3) * 0.01), date('2026-10-02', '+' || (i % 60) || ' days'), i % 9 <> 4
	FROM n"
cp "$DB" on.db
cp "$DB" off.db
monthend() {
	db=$1
	shift
	"$@" run --db "$db" --period 2026-10 flow.sow >/dev/null || echo "$db: October failed"
	"$@" close --db "$db" --period 2026-10
	"$@" run --db "$db" --period 2026-11 --profile flow.sow >/dev/null 2>"$db.profile" || echo "$db: November failed"
	for n in $(sqlite3 "$db" "SELECT number FROM invoice_drafts ORDER BY number"); do
		"$@" invoice --db "$db" --finalize "$n" >/dev/null && "$@" invoice --db "$db" --sent "$n" >/dev/null
	done
	"$@" close --db "$db" --period 2026-11
	sqlite3 "$db" "INSERT INTO time_entries (id, project_id, person, role, worked_on, hours, approved_on, billable)
		VALUES (1000, 'P-A', 'ann', 'PSE', '2026-11-24', '4', '2026-11-27', 1), (1001, 'P-C', 'cy', 'PM', '2026-11-25', '1.1', '2026-11-27', 1)"
	"$@" reopen --db "$db" --period 2026-11 --reason "late approvals" >/dev/null
	"$@" run --db "$db" --period 2026-11 flow.sow >/dev/null || echo "$db: the re-run failed"
}
monthend on.db sow
monthend off.db env SOW_NO_DECORRELATE=1 "$SOW_BIN"
echo "-- the rules that read a query once for every key (--profile), then with SOW_NO_DECORRELATE=1"
for db in on.db off.db; do
	echo "$db: $(grep -c . "$db.profile") lines of profile"
	grep '^read once' "$db.profile"
done
echo "-- every output table, as sorted text (timestamps left out)"
same=0
for t in $(sqlite3 on.db "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"); do
	cols=$(sqlite3 on.db "SELECT group_concat('\"' || name || '\"') FROM pragma_table_info('$t') WHERE name NOT LIKE '%\_at' ESCAPE '\' AND name <> 'at'")
	sqlite3 on.db "SELECT $cols FROM \"$t\"" | sort > on.txt
	sqlite3 off.db "SELECT $cols FROM \"$t\"" | sort > off.txt
	if cmp -s on.txt off.txt; then same=$((same + 1)); else echo "$t differs:"; diff off.txt on.txt | head -10; fi
done
echo "$same tables the same; rows: $(sqlite3 on.db "SELECT (SELECT count(*) FROM revenue) || ' revenue, ' || (SELECT count(*) FROM billing) || ' billing, ' || (SELECT count(*) FROM invoice_lines) || ' invoice lines, ' || (SELECT count(*) FROM reporting_lines) || ' reporting lines, ' || (SELECT count(*) FROM balances) || ' balances'")"
rm -f flow.sow on.txt off.txt ./*.profile
