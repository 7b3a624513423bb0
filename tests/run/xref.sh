# sow check --db: SOW milestones and trainings against the database.
sow init "$DB"
sqlite3 "$DB" < fixture.sql
sow check --db "$DB" common.sow; echo "exit $?"
sqlite3 "$DB" "INSERT INTO milestones (id, project_id, name) VALUES ('P-MS-M9', 'P-MS', 'Extra'), ('P-TM-M1', 'P-TM', 'Moved')"
cat > more.sow <<'SOW'
import "std"

sow "S-MORE" for project "P-MS" {
  customer  "Globex"
  currency  EUR
  billing   milestone
  milestone "P-TM-M1" "Moved" 10
  training  "P-MS-T1" "Nowhere" 10
}
SOW
sow check --db "$DB" common.sow more.sow; echo "exit $?"
sow check --db missing.db common.sow; echo "exit $?"
rm -f more.sow
