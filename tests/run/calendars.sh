# A SOW's calendar that is declared nowhere and has no holidays counts
# weekends only: check --db and run say so, naming the calendars that exist.
sow init "$DB"
cat > nl.sow <<'SOW'
import "std"

sow "S-NL" for project "P-NL" {
  customer "Dutch BV"
  currency EUR
  calendar "NL"
  billing  milestone
  milestone "P-NL-M1" "One" 100
}
SOW
sqlite3 "$DB" "INSERT INTO projects (id, kind, status, country) VALUES ('P-NL', 'consulting', 'Active', 'NL');
	INSERT INTO milestones (id, project_id) VALUES ('P-NL-M1', 'P-NL')"
echo "-- NL on a fresh database"
sow check --db "$DB" nl.sow; echo "exit $?"
sow run --db "$DB" --period 2026-11 nl.sow >/dev/null; echo "exit $?"
echo "-- NLD, with NL holidays in the database"
sqlite3 "$DB" "INSERT INTO holidays VALUES ('NL', '2026-12-25', 'Kerstmis')"
sed 's/"NL"/"NLD"/' nl.sow > nld.sow
sow check --db "$DB" nld.sow; echo "exit $?"
echo "-- NL now has holidays: silent"
sow check --db "$DB" nl.sow; echo "exit $?"
echo "-- the project's calendar column, when the SOW names none"
grep -v calendar nl.sow > col.sow
sqlite3 "$DB" "UPDATE projects SET calendar = 'DE' WHERE id = 'P-NL'"
sow check --db "$DB" col.sow; echo "exit $?"
rm -f nl.sow nld.sow col.sow
