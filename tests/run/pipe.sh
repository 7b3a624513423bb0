# `sow run ... | head -3`: the run commits first, then prints; a reader that
# stops reading ends the output, not the run (exit 0, the run stays). The
# summary here is far larger than a pipe holds, so sow writes after head
# has gone.
sow init "$DB"
sqlite3 "$DB" < fixture.sql
sqlite3 "$DB" "WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)
	INSERT INTO time_entries SELECT i, 'P-TM', 'person' || i, 'PSE', '2026-11-02', '0.1', '2026-11-03', 1 FROM n"
{ sow run --db "$DB" --period 2026-11 --format csv common.sow 2>err.txt; echo "exit $?" >rc.txt; } | head -3
cat rc.txt err.txt
sqlite3 "$DB" "SELECT id, period, status FROM runs; SELECT count(*) FROM revenue"
echo "-- output to a full disk is an I/O error, but the run stays"
sow run --db "$DB" --period 2026-11 common.sow >/dev/full; echo "exit $?"
sqlite3 "$DB" "SELECT id, period, status FROM runs ORDER BY id"
rm -f rc.txt err.txt
