# Hours stored as REAL (a binary float, as another tool might export them)
# are read by their shortest decimal form, with one warning per column;
# INTEGER and TEXT need none. (sow init declares the column TEXT; this
# database's table was made by someone else.)
sow init "$DB"
sqlite3 "$DB" "DROP TABLE time_entries;
	CREATE TABLE time_entries (id INTEGER PRIMARY KEY, project_id TEXT, person TEXT, role TEXT, worked_on TEXT,
	                           hours REAL, approved_on TEXT, billable INTEGER)"
sqlite3 "$DB" < fixture.sql
sqlite3 "$DB" "UPDATE time_entries SET hours = 7.875 WHERE id = 1; UPDATE time_entries SET hours = 0.3 WHERE id = 2;
	UPDATE time_entries SET hours = 3 WHERE id = 3; SELECT id, typeof(hours) FROM time_entries ORDER BY id"
sow run --db "$DB" --period 2026-11 common.sow >/dev/null; echo "exit $?"
sqlite3 "$DB" "SELECT source_id, amount FROM revenue ORDER BY source_id"
