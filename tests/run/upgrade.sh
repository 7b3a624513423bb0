# sow init upgrades a version-1 database in place (SPEC 8.5; version 3 the
# same way, with the e-invoice columns of SPEC 9.2): every row is
# kept, projects gains po_reference, the tables of version 2 are created, and
# PRAGMA user_version becomes 2 last, in one transaction. Until then every
# other command asks for `sow init` (exit 3). The fixture tests/run/v1.sql is
# the demo database as the version-1 sow wrote it.
sqlite3 v1.db < "$top/tests/run/v1.sql"
sqlite3 v1.db "PRAGMA user_version"
cp v1.db orig.db
# every row of every version-1 table, in the version-1 columns
rows() {
	for t in $(sqlite3 orig.db "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"); do
		cols=$(sqlite3 orig.db "SELECT group_concat(quote(name), ', ') FROM pragma_table_info('$t')")
		echo "-- $t"
		sqlite3 "$1" "SELECT $cols FROM \"$t\" ORDER BY rowid"
	done
}
rows orig.db > before.txt
echo "-- every other command asks for sow init"
sow eval --db v1.db -e 1; echo "exit $?"
sow check --db v1.db common.sow; echo "exit $?"
sow run --db v1.db --period 2026-12 common.sow; echo "exit $?"
sow close --db v1.db --period 2026-11; echo "exit $?"
sow repl --db v1.db common.sow </dev/null; echo "exit $?"
printf 'id,name\nP-X,x\n' > p.csv
sow import v1.db projects p.csv; echo "exit $?"
cmp -s v1.db orig.db && echo "unchanged"

echo "-- killed with -9 in the middle of the upgrade: still version 1, every row"
cp orig.db k.db
mkfifo ctl
sqlite3 k.db < ctl &
reader=$!
exec 9>ctl
# a reader's open transaction keeps the upgrade from committing
echo "BEGIN; SELECT count(*) FROM projects;" >&9
sleep 0.5
(exec "$SOW_BIN" init k.db) &
pid=$!
i=0
while [ ! -s k.db-journal ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s k.db-journal ] && echo "upgrade in progress (its journal is written)"
kill -9 $pid
wait $pid 2>/dev/null
echo "killed: exit $?"
echo "COMMIT;" >&9
exec 9>&-
wait $reader
sqlite3 k.db "PRAGMA integrity_check; PRAGMA user_version"
rows k.db | cmp -s - before.txt && echo "every row as before"
sow eval --db k.db -e 1; echo "exit $?"

echo "-- the upgrade"
sow init v1.db; echo "exit $?"
sqlite3 v1.db "PRAGMA integrity_check; PRAGMA user_version"
rows v1.db | cmp -s - before.txt && echo "every row as before"
# the same tables, columns, indexes and views as a new database
sow init new.db
shape() {
	sqlite3 "$1" "SELECT m.type, m.name, p.name, p.type FROM sqlite_master m LEFT JOIN pragma_table_info(m.name) p
		WHERE m.type IN ('table', 'index', 'view') ORDER BY 1, 2, 3"
}
shape v1.db > up.txt
shape new.db > fresh.txt
cmp -s up.txt fresh.txt && echo "schema as sow init creates it"
diff fresh.txt up.txt
sqlite3 v1.db "SELECT id, po_reference IS NULL FROM projects WHERE id = 'P-1001'"
sow init v1.db; echo "again: exit $?"
rows v1.db | cmp -s - before.txt && echo "every row as before"
sow eval --db v1.db -e 'from r in revenue_totals where r.period == 2026-11 and r.project_id == "P-1001" select r.amount, r.currency'
rm -f ctl orig.db k.db new.db v1.db before.txt up.txt fresh.txt p.csv
