# Proposed transitions, and --apply-transitions making them in the same
# transaction (projects.status and status_history).
sow init "$DB"
sqlite3 "$DB" "INSERT INTO projects (id, kind, status, booked_on) VALUES
	('P-TR', 'training', 'Okay to Start', '2026-09-15'), ('P-NEW', 'training', 'Okay to Start', '2026-11-20');
	INSERT INTO status_history VALUES ('P-TR', 'In Set Up', '2026-09-16'), ('P-TR', 'Okay to Start', '2026-09-20')"
sow run --db "$DB" --period 2026-11 common.sow >/dev/null; echo "exit $?"
sqlite3 "$DB" "SELECT project_id, from_status, to_status, on_date, reason FROM transitions; SELECT id, status FROM projects ORDER BY id"
sow run --db "$DB" --period 2026-11 --apply-transitions common.sow >/dev/null; echo "exit $?"
sqlite3 "$DB" "SELECT id, status FROM projects ORDER BY id; SELECT * FROM status_history ORDER BY changed_on, status"
