# Results of pure functions are remembered (a bounded memo that starts
# again when full). What a call returned stays whole while the rule uses
# it, even when the memo starts again before the rule is done with it.
sow init "$DB"
sqlite3 "$DB" "INSERT INTO projects (id, name, customer, kind, status, country, calendar)
	VALUES ('P-A', 'A', 'A', 'consulting', 'Active', 'US', 'US');
	WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25000)
	INSERT INTO time_entries (id, project_id, person, role, worked_on, hours, approved_on, billable)
	SELECT i, 'P-A', 'p', 'PSE', '2026-11-02', '1.00', '2026-11-03', 1 FROM n"
cat > memo.sow <<'SOW'
fn label(id) = "project " + id + " (remembered)"
fn square(n) = n * n
rule memo_survives
  for p in projects
  let first_call = label(p.id)
  let again = label(p.id)
  let squares = first(from t in time_entries select total: sum(square(number(text(t.id))))).total
  emit findings { project_id: p.id, severity: "note", code: "memo", message: again + ": " + text(squares), subject: p.id }
SOW
sow run --db "$DB" --period 2026-11 memo.sow >/dev/null; echo "run: exit $?"
sqlite3 "$DB" "SELECT message FROM findings WHERE code = 'memo'"
echo "independently: $(sqlite3 "$DB" "SELECT 'project P-A (remembered): ' || sum(id * id) FROM time_entries")"
