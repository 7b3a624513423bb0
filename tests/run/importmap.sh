# sow import: validation of every import, mappings (--map), --upsert,
# --dry-run and key clashes. After every refused import the database file
# is byte for byte what it was.
sow init "$DB"
sow import "$DB" projects /dev/stdin <<'CSV' >/dev/null
id,name,customer,kind,status,country,vat_number,calendar
P-1,Migration,ACME,consulting,Active,US,,US
P-2,Rollout,Globex BV,consulting,Active,NL,NL123,NL
CSV
cp "$DB" before.db
unchanged() { cmp -s "$DB" before.db && echo "database unchanged" || echo "DATABASE CHANGED"; }

echo "== a new user's export, without a mapping: refused, with a hint"
cat > new_user.csv <<'CSV'
id,project_id,person,role,worked_on,hours,approved_on,billable
11,P-1,ann,PSE,2026-11-09,8,2026-11-10 00:00:00,TRUE
12,P-1,ann,PSE,2026-11-10,8,2026-11-11,yes
13,P-1,bob,PM,2026-11-10,"1,5",2026-11-11,1
14,P-1,bob,PM,2026-11-11,2,,no
CSV
sow import "$DB" time_entries new_user.csv; echo "exit $?"
unchanged
cat > new_projects.csv <<'CSV'
id,name,kind,status,country
P-3,Audit,Consultancy,Active,NL
P-4,Courses,training,active,Netherlands
P-5,Ops,internal,Active,nl
P-6,Both,Consulting & Training,Active,XX
CSV
sow import "$DB" projects new_projects.csv; echo "exit $?"
unchanged
printf 'project_id,week_of,overall,schedule\nP-1,2026-11-23,Green,amber\n' > health.csv
sow import "$DB" health_reports health.csv; echo "exit $?"
printf 'project_id,stage,forecast_category,sow_agreed\nP-1,4,commit,Y\nP-2,5,Upside,1\n' > opps.csv
sow import "$DB" opportunities opps.csv; echo "exit $?"
printf 'project_id,person,role,week_of,hours,kind\nP-1,ann,PSE,2026-12-07,32,firm\n' > alloc.csv
sow import "$DB" allocations alloc.csv; echo "exit $?"
printf 'id,customer,project_id,invoice_on,currency,amount\nI-1,ACME,P-1,2026-11-02,usd,10\n' > inv.csv
sow import "$DB" invoices inv.csv; echo "exit $?"
unchanged

echo "== at most 50 errors shown, then a count; still nothing loaded"
{ echo "id,project_id,hours,billable"; i=100; while [ $i -lt 160 ]; do echo "$i,P-1,8,TRUE"; i=$((i + 1)); done; } > many.csv
sow import "$DB" time_entries many.csv 2>many.err; echo "exit $?"
grep -c ': error: column billable' many.err
tail -4 many.err
unchanged

echo "== through a mapping: headers, formats, value maps, skips, number layout"
cat > export.map <<'EOF2'
# A European export with a preamble and a total row.
mapping "eu-time" for time_entries {
  skip 2 lines
  skip when "Person" == "Total"
  thousands "."
  decimal ","
  date "%d.%m.%Y"
  id          from "Nr"
  project_id  from "Project"
  person      from "Person"
  role        from "Function" { "Engineer" -> PSE, "Manager", "Lead" -> PM, else -> unset }
  worked_on   from "Day"
  hours       from "Hours"
  approved_on from "Approved" as date "%e %b %Y", "%Y-%m-%dT%H:%M:%S", "%y%m%d %T"
  billable    from "Billable" { "yes", "Y" -> true, "no", "N", "" -> false }
}
EOF2
sow check export.map; echo "check exit $?"
cat > export.csv <<'CSV'
Time report,exported 2026-12-01
(internal)
Nr,Project,Person,Function,Day,Hours,Approved,Billable,Comment
21,P-1,ann,Engineer,09.11.2026,"7,75",10 Nov 2026,yes,ignored column
22,P-1,bob,Lead,10.11.2026,"1.000,5",2026-11-12T17:03:00,N,
23,P-1,cyd,Intern,11.11.2026,0,261113 08:30:00,,
24,P-1,dee,Manager,12.11.2026,"2,0",,Y,
,,Total,,,"1.010,25",,,
CSV
sow import "$DB" time_entries export.csv --map export.map; echo "exit $?"
sqlite3 "$DB" "SELECT * FROM time_entries ORDER BY id"
cp "$DB" before.db

echo "== a mapping's values are checked too; the note points into the mapping"
cat > bad_export.csv <<'CSV'
x
y
Nr,Project,Person,Function,Day,Hours,Approved,Billable
31,P-1,ann,Engineer,31.11.2026,"8,5",10 Nov 2026,maybe
32,P-1,ann,Engineer,30.11.2026,"8.5",10 Nov 2026,yes
33,P-1,ann,Engineer,30.11.2026,"1.00,5",1 Dec 2026,TRUE
CSV
sow import "$DB" time_entries bad_export.csv --map export.map; echo "exit $?"
unchanged
printf 'a\nb\nNr,Project,Persn,Function,Day,Hours,Approved,Billable\n' > wrong_header.csv
sow import "$DB" time_entries wrong_header.csv --map export.map; echo "exit $?"
sow import "$DB" projects export.csv --map export.map; echo "exit $?"
printf 'mapping "x" for time_entries {\n  id from "Nr"\n  hours from "Hours" { "lots" -> many }\n}\n' > broken.map
sow import "$DB" time_entries export.csv --map broken.map; echo "exit $?"
sow import "$DB" time_entries export.csv --map nosuch.map; echo "exit $?"
unchanged

echo "== key clashes name both rows"
printf 'id,project_id,hours\n21,P-1,1\n40,P-1,2\n40,P-1,3\n' > clash.csv
sow import "$DB" time_entries clash.csv; echo "exit $?"
unchanged

echo "== --dry-run checks and writes nothing"
printf 'id,project_id,hours\n41,P-1,1\n42,P-1,2\n' > more.csv
sow import --dry-run "$DB" time_entries more.csv; echo "exit $?"
unchanged
sow import --dry-run "$DB" time_entries clash.csv; echo "exit $?"
unchanged

echo "== --upsert replaces by key (only the columns given) and adds the rest"
printf 'id,name,status\nP-2,Rollout phase 2,On Hold\nP-7,New,Prospect\n' > up.csv
sow import --upsert "$DB" projects up.csv; echo "exit $?"
sqlite3 "$DB" "SELECT id, name, customer, status, country, vat_number, calendar FROM projects ORDER BY id"
printf 'id,name\nP-2,Again\nP-2,Twice\n' > up_twice.csv
sow import --upsert "$DB" projects up_twice.csv; echo "exit $?"
printf 'name\nNo key\n' > nokey.csv
sow import --upsert "$DB" projects nokey.csv; echo "exit $?"
sow import --upsert "$DB" allocations alloc.csv; echo "exit $?"
sow import --upsert --replace "$DB" projects up.csv; echo "exit $?"
sow import --upsert --dry-run "$DB" projects up.csv; echo "exit $?"

echo "== a composite key (holidays: calendar/day), an empty key"
printf 'calendar,day,name\nNL,2026-12-25,Kerstmis\n' > hol.csv
sow import "$DB" holidays hol.csv
printf 'calendar,day,name\nNL,2026-12-26,Tweede kerstdag\nNL,2026-12-25,Christmas\n,2026-12-31,\n' > hol2.csv
sow import "$DB" holidays hol2.csv; echo "exit $?"
sow import --upsert "$DB" holidays hol2.csv; echo "exit $?"
sqlite3 "$DB" "SELECT * FROM holidays ORDER BY day"

echo "== constants, a BOM and CRLF, --dry-run and --upsert through a mapping"
printf 'mapping "crm" for projects {\n  id from "Code"\n  name from "Title"\n  calendar = "NL"\n  vat_number = unset\n}\n' > crm.map
printf '\357\273\277Code,Title,Owner\r\nP-1,Migration (renamed),someone\r\nP-8,Eight,someone\r\n' > crm.csv
sow import --dry-run --upsert "$DB" projects crm.csv --map crm.map; echo "exit $?"
sow import --upsert "$DB" projects crm.csv --map crm.map; echo "exit $?"
sqlite3 "$DB" "SELECT id, name, customer, calendar, vat_number IS NULL FROM projects WHERE id IN ('P-1', 'P-8') ORDER BY id"
printf 'mapping "m" for projects {\n  skip 5 lines\n  id from "Code"\n}\n' > far.map
sow import "$DB" projects crm.csv --map far.map; echo "exit $?"

echo "== if blocks: assignments by a field's value, and skip"
cat > rules.map <<'EOF2'
mapping "rules" for time_entries {
  id          from "Nr"
  project_id  from "Project"
  hours       from "Hours"
  billable    from "Billable" { "TRUE" -> 1, "FALSE" -> 0 }
  if "Type" == "Internal" {
    billable   = 0
    project_id = "P-INT"
  }
  if "Status" != "Approved" {
    approved_on = unset
  }
  if "Status" == "Approved" {
    approved_on = 2026-11-30
  }
  if "Person" == "Total" {
    skip
  }
}
EOF2
printf 'Nr,Project,Hours,Billable,Type,Status,Person\n51,P-1,1,TRUE,Client,Approved,ann\n52,P-1,2,TRUE,Internal,Draft,bob\n,,3,,,,Total\n' > rules.csv
# P-INT, which the mapping names, is not a project yet: the whole file is refused
sow import "$DB" time_entries rules.csv --map rules.map; echo "exit $?"
printf 'id,name\nP-INT,Internal time\n' > int.csv
sow import "$DB" projects int.csv >/dev/null
sow import "$DB" time_entries rules.csv --map rules.map; echo "exit $?"
sqlite3 "$DB" "SELECT id, project_id, hours, approved_on, billable FROM time_entries WHERE id > 50 ORDER BY id"

echo "== an export with 300 columns, two of them read"
awk 'BEGIN { for (i = 0; i < 300; i++) printf "%s%s", i ? "," : "", i == 250 ? "Nr" : i == 7 ? "Hours" : "Col" i; print "";
             for (i = 0; i < 300; i++) printf "%s%s", i ? "," : "", i == 250 ? "77" : i == 7 ? "1.5" : "x"; print "" }' > wide.csv
printf 'mapping "w" for time_entries {\n  id from "Nr"\n  hours from "Hours"\n}\n' > wide.map
sow import "$DB" time_entries wide.csv --map wide.map; echo "exit $?"
sow import "$DB" time_entries wide.csv; echo "exit $?"
rm -f *.csv *.map *.err before.db
