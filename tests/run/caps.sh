# SPEC 9.1, caps and conservation: a T&M SOW's authorized hours are a
# not-to-exceed budget (held hours are neither released nor billed, and an
# amendment raising the cap releases them in the next run); service logs
# match their SOW by id, never by the customer's name; import refuses a row
# whose project is not in projects, and run and check --db name stored ones;
# a released time entry changed afterwards is named with both values.
cat > cap.sow <<'SOW'
import "std"

sow "SOW-K" for project "P-K" {
  customer "Kessler Logistik GmbH"
  currency EUR
  billing  time_and_materials
  rate     "PSE" 100.00 per hour
  authorized hours 40
}
SOW
# the same SOW, with an amendment from December raising the cap
sed 's/^}$/  amendment "A1" effective 2026-12-01 {\n    authorized hours 60\n  }\n}/' cap.sow > cap-a1.sow
sow init "$DB" >/dev/null
printf 'id,name,customer,kind,status,country,vat_number\nP-K,Fleet,Kessler Logistik GmbH,consulting,Active,DE,DE123456789\n' > p.csv
sow import "$DB" projects p.csv
sqlite3 "$DB" "INSERT INTO holidays VALUES ('US', '2026-12-25', 'Christmas Day')"
# 43 hours in November: 16 + 16 + 8 fit, the last 3 do not
printf 'id,project_id,person,role,worked_on,hours,approved_on,billable\n' > t.csv
printf '1,P-K,ann,PSE,2026-11-02,16,2026-11-06,1\n2,P-K,ann,PSE,2026-11-09,16,2026-11-13,1\n' >> t.csv
printf '3,P-K,bob,PSE,2026-11-16,8,2026-11-20,1\n4,P-K,bob,PSE,2026-11-23,3,2026-11-27,1\n' >> t.csv
sow import "$DB" time_entries t.csv
printf 'id,customer,logged_on,service_type,title,minutes,project_id,sow_id\n' > s.csv
printf 'L1,Kessler Logistik,2026-11-03,Advisory,Sizing,60,P-K,\nL2,Kessler Logistik,2026-11-04,Advisory,Review,30,,SOW-K\n' >> s.csv
sow import "$DB" service_logs s.csv

echo "-- November: 40 of 43 hours released and billed; the SOW and the held entry are named"
sow run --db "$DB" --period 2026-11 cap.sow >/dev/null; echo "exit $?"
sqlite3 "$DB" "SELECT source_id, amount FROM revenue ORDER BY CAST(source_id AS INTEGER)"
sqlite3 "$DB" "SELECT source_id, amount, currency FROM billing"
sqlite3 "$DB" "SELECT severity, code, subject, message FROM findings WHERE code LIKE '%cap%' ORDER BY code, subject"
echo "-- the service logs count against SOW-K by project and by SOW id, whatever the customer is called"
sow eval --db "$DB" --as-of 2026-11-30 cap.sow -e 'from c in service_consumption select c.sow_id, c.log_id, c.hours, c.consumed order by c.log_id'
sow close --db "$DB" --period 2026-11

echo "-- December, with the amendment raising the cap to 60: the held entry is released, basis late"
sow run --db "$DB" --period 2026-12 cap-a1.sow >/dev/null; echo "exit $?"
sqlite3 "$DB" "SELECT period, source_id, amount, basis FROM revenue WHERE period = '2026-12'"
sqlite3 "$DB" "SELECT count(*) FROM findings f JOIN runs r ON r.id = f.run_id WHERE r.period = '2026-12' AND f.code LIKE '%cap%'"

echo "-- a mapping turned a project name into a project id: the file is refused, with its line"
printf 'id,project_id,person,role,worked_on,hours,approved_on,billable\n5,P-K,ann,PSE,2026-12-01,2,2026-12-02,1\n6,Cloud migration,ann,PSE,2026-12-01,8,2026-12-02,1\n' > bad.csv
cp "$DB" before.db
sow import "$DB" time_entries bad.csv; echo "exit $?"
cmp -s "$DB" before.db && echo "database unchanged"
echo "-- a stored row naming no project: check --db and run name it"
sqlite3 "$DB" "INSERT INTO time_entries VALUES (7, 'Cloud migration', 'ann', 'PSE', '2026-12-01', '8', '2026-12-02', 1)"
sqlite3 "$DB" "INSERT INTO service_logs (id, customer, logged_on, minutes) VALUES ('L3', 'Kessler Logistik', '2026-12-03', 30)"
sow check --db "$DB" cap-a1.sow; echo "exit $?"

echo "-- a released and closed entry changed by --upsert: named with the stored and the new value"
sow close --db "$DB" --period 2026-12
printf 'id,project_id,person,role,worked_on,hours,approved_on,billable\n2,P-K,ann,PSE,2026-11-09,18,2026-11-13,1\n' > up.csv
sow import --upsert "$DB" time_entries up.csv
sow run --db "$DB" --period 2027-01 cap-a1.sow >/dev/null; echo "exit $?"
sqlite3 "$DB" "SELECT f.severity, f.code, f.subject, f.message FROM findings f JOIN runs r ON r.id = f.run_id
	WHERE r.period = '2027-01' AND f.code IN ('unknown_project', 'service_log_without_sow', 'released_row_changed') ORDER BY f.code, f.subject"
sqlite3 "$DB" "SELECT source_id, amount FROM revenue WHERE source_id = '2'"
rm -f cap.sow cap-a1.sow p.csv t.csv s.csv bad.csv up.csv before.db
