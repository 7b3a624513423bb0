# why reads the database's stored rows first: which run and period released
# a figure, with which basis; where re-deriving it today differs, it says so.
# A short summary by default; the tree with why --full.
sow init "$DB"
sqlite3 "$DB" < fixture.sql
sow run --db "$DB" --period 2026-09 common.sow >/dev/null
echo "-- a late approval for September, released in October while September is open; then September closes"
sqlite3 "$DB" "INSERT INTO time_entries VALUES (5, 'P-TM', 'bob', 'PM', '2026-09-20', '2', '2026-09-25', 1)"
sow run --db "$DB" --period 2026-10 common.sow >/dev/null
sow close --db "$DB" --period 2026-09 >/dev/null
w() { sow eval --db "$DB" --as-of "$1" common.sow -e "$2"; echo "exit $?"; }
echo "-- stored, and re-derived today as late"
w 2026-10-31 'why revenue_by_project { project_id: "P-TM", period: 2026-10 }'
echo "-- 0.00 in October: where the project's revenue went"
w 2026-10-31 'why revenue_by_project { project_id: "P-TM", period: 2026-11 }'
echo "-- nothing stored: re-derived as of the session date, then the tree"
w 2026-11-30 'why revenue { source_id: "P-MS-M1" }'
w 2026-11-30 'why --full revenue { source_id: "P-MS-M1" }'
w 2026-11-30 'why revenue { source_id: "nothing" }'
echo "-- an id without quotes"
w 2026-11-30 'why P-1010'
