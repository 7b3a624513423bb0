# The reporting currency against an independent computation: for the demo
# business (every business day has a USD and a GBP rate into EUR), each
# project's reporting amount must be sum(line x rate of its recognition day,
# or the latest of the 7 days before), computed here exactly in integers
# (awk, amounts scaled to 1e-4, rates to 1e-4), rounded half up once.
ex="$top/examples"
sow init "$DB"
for t in projects milestones trainings holidays people time_entries allocations fx_rates; do
	sow import "$DB" "$t" "$ex/data/$t.csv" >/dev/null || echo "import $t failed"
done
# without the demo's July rate, Stark's July milestone has none: the finding below
sqlite3 "$DB" "DELETE FROM fx_rates WHERE day < '2026-09-01'"
for p in 2026-09 2026-10 2026-11; do
	sow run --db "$DB" --period "$p" "$ex/sows" >/dev/null || echo "run $p failed"
done
# decimal text -> integer in units of 1e-4 (amounts and rates have at most 4 places)
scaled='function units(s,   w, f) { w = s; f = ""; if (index(s, ".")) { w = substr(s, 1, index(s, ".") - 1); f = substr(s, index(s, ".") + 1) }
	f = substr(f "0000", 1, 4); return (w "" == "" ? 0 : w) * 10000 + f }'
sqlite3 -separator ' ' "$DB" "SELECT r.run_id, r.project_id, r.currency, r.amount,
	CASE WHEN r.currency = 'EUR' THEN '1' ELSE (SELECT x.rate FROM fx_rates x WHERE x.base = r.currency AND x.quote = 'EUR'
	  AND x.day <= r.recognized_on AND x.day > date(r.recognized_on, '-7 days') ORDER BY x.day DESC LIMIT 1) END
	FROM revenue r ORDER BY 1, 2, 3" |
awk "$scaled"' { k = $1 " " $2 " " $3; if ($5 == "") missing[k] = 1; else sum[k] += units($4) * units($5) }
	END { for (k in sum) if (!(k in missing)) { c = int((sum[k] + 500000) / 1000000); printf "%s %d.%02d\n", k, int(c / 100), c % 100 } }' |
sort > expected.txt
sqlite3 -separator ' ' "$DB" "SELECT run_id, project_id, currency, reporting_amount FROM revenue_totals WHERE reporting_amount IS NOT NULL ORDER BY 1, 2, 3" > actual.txt
if cmp -s expected.txt actual.txt; then echo "reporting amounts agree: $(grep -c '' actual.txt) project totals over 3 runs"; else diff expected.txt actual.txt; fi
# and the missing ones are exactly the lines without a rate, each named in an error
sqlite3 "$DB" "SELECT count(*) FROM revenue_totals WHERE reporting_amount IS NULL"
sqlite3 "$DB" "SELECT DISTINCT subject FROM findings WHERE code = 'fx_rate_missing' AND subject LIKE 'fx_rates:%' ORDER BY 1"
rm -f expected.txt actual.txt
