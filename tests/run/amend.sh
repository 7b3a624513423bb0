# An amendment raising a rate mid-October, written after October was
# closed: rows already released keep their price; entries released later
# are priced by the card in force on the day they were worked. A milestone
# an amendment adds, accepted before the amendment's date, is released and
# billed on that date. Balances follow; why names the amendment.
sow init "$DB"
sqlite3 "$DB" < fixture.sql
sqlite3 "$DB" "INSERT INTO time_entries (id, project_id, person, role, worked_on, hours, approved_on, billable) VALUES
  (10, 'P-TM', 'ann', 'PSE', '2026-10-12', '1', '2026-10-13', 1),
  (11, 'P-TM', 'ann', 'PSE', '2026-10-20', '1', '2026-10-23', 1);
  INSERT INTO milestones (id, project_id, name, sign_off_received_on) VALUES ('P-MS-M3', 'P-MS', 'Hypercare', '2026-10-28')"
echo "-- October, before the amendment, then closed"
sow run --db "$DB" --period 2026-10 common.sow >/dev/null; echo "exit $?"
sow close --db "$DB" --period 2026-10
cat > amended.sow <<'SOW'
import "std"

sow "S-TM" for project "P-TM" {
  customer "ACME Corp"
  currency USD
  calendar "US"
  billing  time_and_materials
  rate     "PSE" 250.00 per hour
  rate     "PM"  200.00 per hour
  amendment "CR-1" effective 2026-10-15 {
    rate "PSE" 275.00 per hour
  }
}

sow "S-MS" for project "P-MS" {
  customer  "Globex"
  currency  EUR
  calendar  "US"
  billing   milestone
  milestone "P-MS-M1" "Discovery" 12000.00
  milestone "P-MS-M2" "Migration" 30000.00
  amendment "CR-2" effective 2026-11-01 {
    milestone "P-MS-M3" "Hypercare" 8000.00
  }
}
SOW
echo "-- late October approvals and November time, after the amendment"
sqlite3 "$DB" "INSERT INTO time_entries (id, project_id, person, role, worked_on, hours, approved_on, billable) VALUES
  (12, 'P-TM', 'ann', 'PSE', '2026-10-14', '1', '2026-10-30', 1),
  (13, 'P-TM', 'ann', 'PSE', '2026-10-22', '1', '2026-10-30', 1),
  (14, 'P-TM', 'ann', 'PSE', '2026-10-28', '1', '2026-11-04', 1),
  (15, 'P-TM', 'ann', 'PSE', '2026-11-16', '2', '2026-11-18', 1)"
sow check --db "$DB" amended.sow; echo "check exit $?"
sow run --db "$DB" --period 2026-11 amended.sow >/dev/null; echo "exit $?"
sqlite3 -header "$DB" "SELECT period, source_id, amount, recognized_on, basis FROM revenue ORDER BY period, project_id DESC, CAST(source_id AS INTEGER), source_id"
sqlite3 -header "$DB" "SELECT period, project_id, source_id, amount, currency, bill_on FROM billing ORDER BY period, project_id, source_id"
sqlite3 -header "$DB" "SELECT period, project_id, currency, recognized_to_date, billed_to_date, unbilled, deferred FROM balances ORDER BY period, project_id"
echo "-- why names the amendment"
sow repl --db "$DB" --as-of 2026-11-30 amended.sow <<'REPL' | grep -e 'card' -e 'amendment' -e 'not_before(d, accepted) ='
why --full revenue { source_id: "15" }
why --full revenue { source_id: "P-MS-M3" }
REPL
echo "-- the added milestone is missing from the database; an amendment before signing"
sqlite3 "$DB" "DELETE FROM milestones WHERE id = 'P-MS-M3'; UPDATE projects SET sow_signed_on = '2026-10-20' WHERE id = 'P-TM'"
sow check --db "$DB" amended.sow; echo "check exit $?"
