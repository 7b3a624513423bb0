# An interrupted run (issue 22): Ctrl-C or kill before the commit prints
# one line saying nothing was written, and the database is as before. kill
# -9 cannot print; it may leave a hot DB-journal, which the next read-only
# command (eval, repl) rolls back instead of failing with "attempt to write
# a readonly database".
sow init "$DB"
sqlite3 "$DB" < fixture.sql
sqlite3 "$DB" "WITH RECURSIVE n(i) AS (SELECT 1000 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
	INSERT INTO time_entries SELECT i, 'P-TM', 'p', 'PSE', '2026-11-02', '1.25', '2026-11-03', 1 FROM n"
# start a run and wait (up to 60 s) until it has written into its journal
# (a journal newer than the run's start: an earlier one may be left, cold)
started() {
	rm -f run.err
	touch start.mark
	sleep 0.1
	(exec "$SOW_BIN" run --db "$DB" --period 2026-11 common.sow >/dev/null 2>run.err) &
	pid=$!
	i=0
	while ! [ -s "$DB-journal" -a "$DB-journal" -nt start.mark ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$DB-journal" ] && echo "the run is writing"
}
for sig in INT TERM 9; do
	echo "-- kill -$sig"
	started
	kill -$sig $pid
	wait $pid
	echo "exit $?"
	cat run.err
	sow eval --db "$DB" -e 'from r in runs select r.id'; echo "eval: exit $?"
done
echo "-- a hot journal (a writer killed after its changes reached the file)"
rm -f hot.db
cp "$DB" hot.db
rm -f in.fifo
mkfifo in.fifo
: >hot.out
sqlite3 hot.db <in.fifo >hot.out &
spid=$!
exec 3>in.fifo
echo "PRAGMA cache_size = 1; BEGIN; UPDATE time_entries SET hours = '9'; SELECT 'updated';" >&3
i=0
while ! grep -q updated hot.out && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
kill -9 $spid
wait $spid 2>/dev/null
exec 3>&-
[ -s hot.db-journal ] && echo "a hot journal is left"
sow eval --db hot.db -e 'from t in time_entries where t.id == 1000 select t.hours'; echo "eval: exit $?"
[ -e hot.db-journal ] || echo "rolled back: no journal"
echo 'from t in time_entries where t.id == 1001 select t.hours' | sow repl --db hot.db --as-of 2026-11-30; echo "repl: exit $?"
