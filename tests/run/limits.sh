# Limits on a query's work (SPEC 7: memory bounded). --max-steps counts a
# query's whole work against the source row that asked for it (it used to
# give each of the query's rows a fresh budget: a three-way self-join of 24
# entries evaluated 13,824 rows under --max-steps 100 and exited 0), and a
# query keeps at most --max-rows rows or groups. Either way a located error,
# exit 1, nothing written.
sow init "$DB"
sqlite3 "$DB" "INSERT INTO projects (id, name, customer, kind, status, country, calendar)
	VALUES ('P-A', 'A', 'A', 'consulting', 'Active', 'US', 'US');
	WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 24)
	INSERT INTO time_entries (id, project_id, person, role, worked_on, hours, approved_on, billable)
	SELECT i, 'P-A', 'p', 'PSE', '2026-11-02', '1.00', '2026-11-03', 1 FROM n"
cat > join.sow <<'SOW'
rule joined
  for p in projects
  let n = size(from a in time_entries, b in time_entries, c in time_entries select x: a.id)
  emit findings { project_id: p.id, severity: "note", code: "j", message: text(n), subject: p.id }
SOW
sow run --db "$DB" --period 2026-11 --max-steps 100 join.sow >/dev/null; echo "--max-steps 100: exit $?"
sow run --db "$DB" --period 2026-11 --max-rows 1000 join.sow >/dev/null; echo "--max-rows 1000: exit $?"
sow run --db "$DB" --period 2026-11 --max-rows 500 --max-steps 100 join.sow >/dev/null; echo "both: exit $? (the first reached)"
sqlite3 "$DB" "SELECT count(*) || ' runs written' FROM runs"
# outside any row (sow eval, a rule's own source) the rows of a query's
# first source are the source rows: each has the budget for its share
sow eval --db "$DB" --max-steps 100 -e 'size(from a in time_entries, b in time_entries, c in time_entries select x: a.id)'; echo "eval, --max-steps 100: exit $?"
sow eval --db "$DB" --max-steps 100 -e 'size(from a in time_entries, b in time_entries select x: a.id)'; echo "eval, a two-way join within 100 steps a row: exit $?"
# a grouped query keeps its groups, not its rows
sow eval --db "$DB" --max-rows 5 -e 'from a in time_entries, b in time_entries group by a.id select id: a.id, n: count()'; echo "groups over --max-rows: exit $?"
sow eval --db "$DB" --max-rows 24 -e 'size(from a in time_entries, b in time_entries group by a.id select id: a.id, n: count())'; echo "24 groups within 24: exit $?"
# within the limits the same rule runs
sow run --db "$DB" --period 2026-11 join.sow >/dev/null; echo "defaults: exit $?"
sqlite3 "$DB" "SELECT message FROM findings WHERE code = 'j'"
# the defaults stop a join that keeps over a million rows (1,001 x 1,001)
sqlite3 "$DB" "WITH RECURSIVE n(i) AS (SELECT 25 UNION ALL SELECT i + 1 FROM n WHERE i < 1001)
	INSERT INTO time_entries (id, project_id, person, role, worked_on, hours, approved_on, billable)
	SELECT i, 'P-A', 'p', 'PSE', '2026-11-02', '1.00', '2026-11-03', 1 FROM n"
sow eval --db "$DB" -e 'size(from a in time_entries, b in time_entries select x: a.id)'; echo "default --max-rows: exit $?"
sow eval --db "$DB" --max-rows 1 -e 'size(from a in time_entries select x: a.id)' 2>&1 | head -1
sow run --db "$DB" --period 2026-11 --max-rows 0 join.sow; echo "--max-rows 0: exit $?"
