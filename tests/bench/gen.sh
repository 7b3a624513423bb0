#!/bin/sh
# gen.sh SF DIR [BOOK]: a benchmark business at scale SF (1 = 5,000 projects,
# 2,000,000 time entries) in DIR/bench.db (a fresh sow init database), one
# SOW file per project in DIR/sows, and DIR/floor.sql, the month's T&M
# release of this book written by hand as one INSERT ... SELECT.
# Hours are text with 2-3 decimals; 90% of entries approved, 90% billable;
# roles PSE, PM, TA (one rate each); calendars US and NL; a USD to EUR rate
# for every business day.
#   BOOK=mixed (default): all six billing terms, 20,000 milestones and 5,000
#     trainings; entry dates cycle with the id (the original bench).
#   BOOK=tm: every SOW time and materials, no milestones or trainings; entry
#     ids run in chronological order, interleaved across projects, as a PSA
#     export assigns them while time is logged.
set -eu
SF=$1
DIR=$2
BOOK=${3:-mixed}
case $BOOK in mixed | tm) ;; *) echo "gen.sh: BOOK is mixed or tm, not $BOOK" >&2; exit 2 ;; esac
SOW=${SOW:-./sow}
projects=$(awk -v sf="$SF" 'BEGIN { n = int(5000 * sf); print n < 1 ? 1 : n }')
entries=$(awk -v sf="$SF" 'BEGIN { printf "%d", 2000000 * sf }')
rm -rf "$DIR"
mkdir -p "$DIR/sows"
$SOW init "$DIR/bench.db"
sqlite3 "$DIR/bench.db" <<SQL
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $projects)
INSERT INTO projects (id, name, customer, kind, status, country, booked_on, sow_signed_on, calendar)
SELECT printf('P-%05d', i), 'Project ' || i, 'Customer ' || (i % 997), CASE WHEN i % 7 = 0 THEN 'training' ELSE 'consulting' END,
       'Active', CASE WHEN i % 2 = 0 THEN 'US' ELSE 'NL' END, '2026-08-01', '2026-08-03', CASE WHEN i % 2 = 0 THEN 'US' ELSE 'NL' END
FROM n;
$(if [ "$BOOK" = mixed ]; then cat <<MIXED
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $projects * 4)
INSERT INTO milestones (id, project_id, name, planned_sign_off_on, confident, sign_off_sent_on, sign_off_received_on)
SELECT printf('P-%05d-M%d', (i - 1) / 4 + 1, (i - 1) % 4 + 1), printf('P-%05d', (i - 1) / 4 + 1), 'Milestone',
       date('2026-09-01', '+' || (i % 150) || ' days'), i % 5 <> 0,
       CASE WHEN i % 3 = 0 THEN date('2026-09-01', '+' || (i % 120) || ' days') END,
       CASE WHEN i % 6 = 0 THEN date('2026-09-05', '+' || (i % 100) || ' days') END
FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $projects)
INSERT INTO trainings (id, project_id, course, planned_on, delivered_on, roster_received_on)
SELECT printf('P-%05d-T1', i), printf('P-%05d', i), 'GitLab Basics', date('2026-09-01', '+' || (i % 120) || ' days'),
       CASE WHEN i % 2 = 0 THEN date('2026-09-01', '+' || (i % 90) || ' days') END,
       CASE WHEN i % 4 = 0 THEN date('2026-09-03', '+' || (i % 90) || ' days') END
FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $entries)
INSERT INTO time_entries (id, project_id, person, role, worked_on, hours, approved_on, billable)
SELECT i, printf('P-%05d', (i * 7919) % $projects + 1), 'person' || (i % 400),
       CASE i % 3 WHEN 0 THEN 'PSE' WHEN 1 THEN 'PM' ELSE 'TA' END,
       date('2026-08-01', '+' || (i % 120) || ' days'),
       printf('%.2f', 0.25 + (i % 31) * 0.25 + (i % 4) * 0.01) || CASE WHEN i % 5 = 0 THEN '5' ELSE '' END,
       CASE WHEN i % 10 <> 0 THEN date('2026-08-04', '+' || (i % 120) || ' days') END,
       i % 10 <> 3
FROM n;
MIXED
else cat <<TM
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $entries)
INSERT INTO time_entries (id, project_id, person, role, worked_on, hours, approved_on, billable)
SELECT i, printf('P-%05d', (i * 7919) % $projects + 1), 'person' || (i % 400),
       CASE i % 3 WHEN 0 THEN 'PSE' WHEN 1 THEN 'PM' ELSE 'TA' END,
       date('2026-08-01', '+' || ((i - 1) * 120 / $entries) || ' days'),
       printf('%.2f', 0.25 + (i % 31) * 0.25 + (i % 4) * 0.01) || CASE WHEN i % 5 = 0 THEN '5' ELSE '' END,
       CASE WHEN i % 10 <> 0 THEN date('2026-08-01', '+' || ((i - 1) * 120 / $entries + 3) || ' days') END,
       i % 10 <> 3
FROM n;
TM
fi)
INSERT INTO holidays VALUES ('US', '2026-09-07', 'Labor Day'), ('US', '2026-11-26', 'Thanksgiving'),
  ('US', '2026-12-25', 'Christmas'), ('NL', '2026-12-25', 'Kerst'), ('NL', '2026-12-26', 'Tweede Kerstdag');
-- a USD to EUR rate for every business day (the reporting currency is EUR):
-- without them every reporting line would be an fx_rate_missing finding
WITH RECURSIVE d(day) AS (SELECT '2026-07-01' UNION ALL SELECT date(day, '+1 day') FROM d WHERE day < '2027-06-30')
INSERT INTO fx_rates (day, base, quote, rate)
SELECT day, 'USD', 'EUR', printf('%.4f', 0.9000 + (julianday(day) % 97) / 10000.0) FROM d WHERE strftime('%w', day) NOT IN ('0', '6');
-- the floor's rate table: the same rate cards as the SOW files
CREATE TABLE bench_rates (project_id TEXT, role TEXT, rate REAL, PRIMARY KEY (project_id, role));
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $projects)
INSERT INTO bench_rates SELECT printf('P-%05d', i), r.role, r.rate FROM n,
  (SELECT 'PSE' AS role, 250.0 AS rate UNION ALL SELECT 'PM', 200.0 UNION ALL SELECT 'TA', 150.0) r;
COMMIT;
SQL
sh "$(dirname "$0")/sows.sh" "$projects" "$DIR/sows" "$BOOK"
# the floor: in the mixed book every sixth project is time and materials
tm=''
[ "$BOOK" = mixed ] && tm="AND (CAST(substr(t.project_id, 3) AS INTEGER) - 1) % 6 = 0"
sed "s/-- TM_FILTER/$tm/" "$(dirname "$0")/floor.sql" >"$DIR/floor.sql"
echo "generated $BOOK book SF=$SF: $projects projects, $entries time entries in $DIR"
