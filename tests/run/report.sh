# --report writes the month-end pack; a run that fails leaves none behind.
sow init "$DB"
sqlite3 "$DB" < fixture.sql
sqlite3 "$DB" "INSERT INTO fx_rates VALUES ('2026-11-30', 'USD', 'EUR', '0.9123'), ('2026-11-27', 'USD', 'EUR', '0.9100')"
sow run --db "$DB" --period 2026-11 --report pack.html common.sow >/dev/null; echo "exit $?"
grep -o '<h2 id="[^"]*">[^<]*</h2>' pack.html
# every section is linked from the top
grep -o '<a href="#[^"]*">' pack.html | wc -l
# the structure a reader relies on: customers beside ids, thousands
# separators, the chart split into actual and forecast, errors in a section of their own
grep -o 'P-MS-M1</td><td class=d>2026-11-30</td><td class=n>12,000.00' pack.html
grep -o '<td>P-TM</td><td>ACME Corp</td>' pack.html | sort -u
grep -c '<rect class=actual' pack.html
grep -c '<rect class=forecast' pack.html
grep -c '<rect class=total' pack.html
grep -o 'aria-label="[^"]*"' pack.html
sed -n '/<section class=errors>/,/<\/section>/p' pack.html | grep -o '<td>fx_rate_missing</td>' | sort | uniq -c
sed -n '/<section class=warnings>/,/<\/section>/p' pack.html | grep -c '<td>error</td>'
sow run --db "$DB" --period 2026-11 --report failed.html common.sow broken.sow >/dev/null 2>&1; echo "exit $?"
ls -A | grep -c failed
rm -f pack.html
