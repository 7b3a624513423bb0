# A database damaged under the rules (SPEC 3): exit 3 with a message that
# names the database, not a rule error with exit 1 (as it was), in sow run,
# sow eval and the REPL; the run writes nothing. One leaf page of
# time_entries is overwritten, so the database opens and the damage is met
# only when a rule reads those rows.
sow init "$DB"
sqlite3 "$DB" "INSERT INTO projects (id, name, customer, kind, status, country, calendar)
	VALUES ('P-TM', 'TM', 'ACME Corp', 'consulting', 'Active', 'US', 'US');
	WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
	INSERT INTO time_entries (id, project_id, person, role, worked_on, hours, approved_on, billable)
	SELECT i, 'P-TM', 'person number ' || i, 'PSE', '2026-11-02', '1.00', '2026-11-03', 1 FROM n"
page=$(sqlite3 "$DB" "SELECT pageno FROM dbstat WHERE name = 'time_entries' AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 20")
size=$(sqlite3 "$DB" "PRAGMA page_size")
head -c "$size" /dev/zero | tr '\0' '\377' | dd of="$DB" bs="$size" seek=$((page - 1)) conv=notrunc 2>/dev/null
sow run --db "$DB" --period 2026-11 common.sow >/dev/null 2>err.txt; echo "run: exit $?"
grep -e 'error' -e 'nothing was written' err.txt
sqlite3 "$DB" "SELECT count(*) || ' runs' FROM runs"
q='first(from t in time_entries where t.person == "x" select n: count()).n'
sow eval --db "$DB" -e "$q"; echo "eval: exit $?"
echo "$q" | sow repl --db "$DB" --as-of 2026-11-30; echo "repl: exit $?"
# a rule error stays exit 1
sow eval --db "$DB" -e '1 / 0'; echo "a rule error: exit $?"
