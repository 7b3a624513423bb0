# A dry run previews what a run would do. For a day in an open period that
# already has a run, that is the period's re-run: its own earlier results
# are replaced, not counted as released before. A closed period is
# previewed against its record, and the preview says so.
sow init "$DB"
sqlite3 "$DB" < fixture.sql
sow run --db "$DB" --period 2026-11 common.sow >/dev/null; echo "exit $?"
sqlite3 "$DB" .dump > before.dump
echo "-- preview of the open period November, which has a run"
sow run --db "$DB" --as-of 2026-11-30 --dry-run common.sow > preview.txt; echo "exit $?"
sed -n 1,7p preview.txt
sqlite3 "$DB" .dump | cmp -s before.dump - && echo "database unchanged"
echo "-- the re-run itself prints the same figures"
sow run --db "$DB" --period 2026-11 common.sow > rerun.txt; echo "exit $?"
diff preview.txt rerun.txt | grep '^[<>]' | grep -v 'Run [0-9]*: period'
echo "(only the header differs)"
echo "-- a closed period: previewed against its record, with a note"
sow close --db "$DB" --period 2026-11 >/dev/null; echo "exit $?"
sqlite3 "$DB" .dump > before.dump
sow run --db "$DB" --as-of 2026-11-30 --dry-run common.sow >dry.txt 2>err.txt; echo "exit $?"
sed -n 1,3p dry.txt
cat err.txt
sqlite3 "$DB" .dump | cmp -s before.dump - && echo "database unchanged"
echo "-- the next open period, which has no run yet"
sow run --db "$DB" --as-of 2026-12-31 --dry-run common.sow 2>&1 | sed -n 1,3p
rm -f before.dump preview.txt rerun.txt err.txt
