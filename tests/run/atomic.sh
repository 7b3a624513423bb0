# A rule that fails mid-run leaves the database exactly as it was.
sow init "$DB"
sqlite3 "$DB" < fixture.sql
sow run --db "$DB" --period 2026-10 common.sow >/dev/null
sqlite3 "$DB" .dump > before.dump
cat > twice.sow <<'SOW'
import "std"
rule release_again
  for t in time_entries
  where t.id == 3
  emit revenue { project_id: t.project_id, source: "time", source_id: text(t.id), amount: 1 USD, recognized_on: t.approved_on, basis: "approved_time" }
SOW
echo "-- a second rule releasing the same time entry"
sow run --db "$DB" --period 2026-11 common.sow twice.sow >/dev/null; echo "exit $?"
sqlite3 "$DB" .dump | cmp -s before.dump - && echo "database unchanged"
cat > dupkey.sow <<'SOW'
import "std"
relation marks(id text, note text) unique (id)
rule mark_time
  for t in time_entries
  where t.id == 3
  emit marks { id: text(t.id), note: "time" }
rule mark_again
  for t in time_entries
  where t.id == 3
  emit marks { id: text(t.id), note: "again" }
SOW
echo "-- two rules emitting one key of a declared relation"
sow run --db "$DB" --period 2026-11 common.sow dupkey.sow >/dev/null; echo "exit $?"
sqlite3 "$DB" .dump | cmp -s before.dump - && echo "database unchanged"
cat > unset.sow <<'SOW'
import "std"
rule bad_sum
  for m in milestones
  emit findings { project_id: m.project_id, severity: "info", code: "x", message: text(m.sign_off_received_on + 1 days), subject: m.id }
SOW
echo "-- arithmetic on an unset column"
sow run --db "$DB" --period 2026-11 common.sow unset.sow >/dev/null; echo "exit $?"
sqlite3 "$DB" .dump | cmp -s before.dump - && echo "database unchanged"
echo "-- a value in the data that is not a number"
sqlite3 "$DB" "UPDATE time_entries SET hours = '12,50' WHERE id = 3"
sqlite3 "$DB" .dump > before.dump
sow run --db "$DB" --period 2026-11 common.sow >/dev/null; echo "exit $?"
sqlite3 "$DB" .dump | cmp -s before.dump - && echo "database unchanged"
echo "-- a dry run writes nothing"
sqlite3 "$DB" "UPDATE time_entries SET hours = '0.375' WHERE id = 3"
sqlite3 "$DB" .dump > before.dump
sow run --db "$DB" --as-of 2026-11-30 --dry-run --format csv common.sow > dry.csv; echo "exit $?"
head -3 dry.csv
sqlite3 "$DB" .dump | cmp -s before.dump - && echo "database unchanged"
echo "-- --fail-on error with an error finding"
sqlite3 "$DB" "INSERT INTO time_entries VALUES (9, 'P-TM', 'cy', 'TA', '2026-11-02', '1', '2026-11-03', 1)"
sow run --db "$DB" --period 2026-11 --fail-on error common.sow >/dev/null; echo "exit $?"
sqlite3 "$DB" "SELECT code, subject FROM findings WHERE severity = 'error'"
rm -f before.dump twice.sow unset.sow
