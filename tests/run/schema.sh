# sow init is idempotent and versioned; every command refuses what is not a
# sow database, a newer one, or a corrupt one (exit 3, naming the file).
sow init "$DB"; echo "exit $?"
sow init "$DB"; echo "exit $?"
sqlite3 "$DB" "PRAGMA user_version"
sqlite3 "$DB" "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
cp "$DB" newer.db
sqlite3 newer.db "PRAGMA user_version = 99"
sow eval --db newer.db -e 1; echo "exit $?"
sow init newer.db; echo "exit $?"
sqlite3 plain.db "CREATE TABLE t (x)"
sow run --db plain.db --period 2026-11 common.sow; echo "exit $?"
head -c 4096 "$DB" > corrupt.db
printf 'garbage garbage garbage garbage' >> corrupt.db
sow check --db corrupt.db common.sow; echo "exit $?"
rm -f newer.db plain.db corrupt.db
