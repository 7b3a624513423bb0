# --output DIR: one CSV per output table of the run, money as a plain
# decimal beside its currency column; written only once the run commits.
sow init "$DB"
sqlite3 "$DB" < fixture.sql
sqlite3 "$DB" "INSERT INTO fx_rates VALUES ('2026-11-30', 'USD', 'EUR', '0.9123'), ('2026-11-27', 'USD', 'EUR', '0.91')"
sow run --db "$DB" --period 2026-11 --output out common.sow >/dev/null; echo "exit $?"
ls out
cat out/revenue_totals.csv
head -2 out/billing.csv
grep -c '' out/revenue.csv
sqlite3 "$DB" "SELECT count(*) FROM revenue WHERE run_id = 1"
# the forecast by quarter: actual + forecast, and its reporting value
cat out/forecast_totals.csv
# a run that fails writes no file, and leaves no temporary one
sow run --db "$DB" --period 2026-11 --output failed common.sow broken.sow >/dev/null 2>&1; echo "exit $?"
ls -A failed
# not a folder: exit 2 (usage) before the run begins, a clear error, the database as it was
touch plain
before=$(sqlite3 "$DB" "SELECT count(*) FROM runs")
sow run --db "$DB" --period 2026-11 --output plain common.sow >/dev/null; echo "exit $?"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM runs")" = "$before" ] && echo "database unchanged"
rm -rf out failed plain
