# A run killed with -9 leaves the database exactly as it was; a database
# locked by another writer is waited for, then refused with exit 3.
sow init "$DB"
sqlite3 "$DB" < fixture.sql
sqlite3 "$DB" "WITH RECURSIVE n(i) AS (SELECT 1000 UNION ALL SELECT i + 1 FROM n WHERE i < 800000)
	INSERT INTO time_entries SELECT i, 'P-TM', 'p', 'PSE', '2026-11-02', '1.25', '2026-11-03', 1 FROM n"
sqlite3 "$DB" "SELECT count(*) FROM runs; SELECT count(*) FROM revenue"
(exec "$SOW_BIN" run --db "$DB" --period 2026-11 common.sow >/dev/null 2>&1) &
pid=$!
sleep 1
kill -9 $pid
wait $pid 2>/dev/null
echo "killed: exit $?"
sqlite3 "$DB" "PRAGMA integrity_check; SELECT count(*) FROM runs; SELECT count(*) FROM revenue"
echo "-- another process holds the write lock"
(echo "BEGIN EXCLUSIVE;"; sleep 9; echo "COMMIT;") | sqlite3 "$DB" &
sleep 1
sow run --db "$DB" --period 2026-11 common.sow >/dev/null; echo "exit $?"
wait
