# sow import: RFC 4180 CSV, whole or not at all.
sow init "$DB"
printf '\357\273\277id,name,customer,status\r\nP-1,"Migration, phase 1","ACME ""Corp""",Active\r\nP-2,"Two\r\nlines",Globex,\r\n' > projects.csv
sow import "$DB" projects projects.csv; echo "exit $?"
sqlite3 -header "$DB" "SELECT id, name, customer, status IS NULL AS status_null FROM projects ORDER BY id"
printf 'id,project_id,hours,approved_on\n1,P-1,7.75,2026-11-03\n2,P-1,"12,50",2026-11-03\n' > bad_hours.csv
sow import "$DB" time_entries bad_hours.csv; echo "exit $?"
printf 'id,project_id,hours,approved_on\n1,P-1,7.75,2026-11-03\n2,P-1,8,2026-02-30\n' > bad_date.csv
sow import "$DB" time_entries bad_date.csv; echo "exit $?"
printf 'id,project_id,hours\n1,P-1,8,extra\n' > wide.csv
sow import "$DB" time_entries wide.csv; echo "exit $?"
printf 'id,projct_id\n1,P-1\n' > unknown.csv
sow import "$DB" time_entries unknown.csv; echo "exit $?"
printf 'id,name\nP-1,"never closed\n' > open_quote.csv
sow import "$DB" projects open_quote.csv; echo "exit $?"
sow import "$DB" revenue projects.csv; echo "exit $?"
sow import "$DB" projects nosuch.csv; echo "exit $?"
sqlite3 "$DB" "SELECT count(*) FROM time_entries"
printf 'id,name\nP-9,Only one\n' > replace.csv
sow import --replace "$DB" projects replace.csv; echo "exit $?"
sqlite3 "$DB" "SELECT id, name FROM projects"
rm -f *.csv
